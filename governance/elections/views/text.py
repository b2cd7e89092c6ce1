"""The text message provider's webhook: one signed POST per message received, answered with
the reply to text back (TwiML). Off, with 404, until the deployment sets TWILIO_AUTH_TOKEN."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from governance.elections.text_voting import vote_by_text


@csrf_exempt
@never_cache
@sensitive_post_parameters()
@require_POST
def inbound(request):
    if not settings.TWILIO_AUTH_TOKEN:
        raise Http404("Voting by text message is not set up.")
    # The address the provider signed: the public one, whatever proxy stands in front of us.
    url = settings.SITE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature):
        return HttpResponseForbidden("Bad signature.")
    reply = MessagingResponse()
    reply.message(vote_by_text(request.POST.get("Body", "")))
    return HttpResponse(str(reply), content_type="text/xml")
