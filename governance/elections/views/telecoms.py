"""The telephone provider's webhooks (Twilio): a text message, or each step of a phone call, is a
signed POST answered with TwiML saying what to text back or say next. Off, with 404, until the
deployment sets TWILIO_AUTH_TOKEN; a wrongly signed request is refused and changes nothing."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from governance.elections import phone_voting
from governance.elections.errors import AlreadyVoted, ElectionError
from governance.elections.models import Elector, Method
from governance.elections.text_voting import vote_by_text

CALL_MINUTES = 15  # how long a call may take from its code to its confirmation


def signed_by_twilio(view):
    """Refuse what Twilio did not sign; render the TwiML the view returns."""

    @functools.wraps(view)
    @csrf_exempt
    @never_cache
    @sensitive_post_parameters()
    @require_POST
    def checked(request):
        if not settings.TWILIO_AUTH_TOKEN:
            raise Http404("Voting by telephone and text message is not set up.")
        # The address the provider signed: the public one, whatever proxy stands in front of us.
        url = settings.SITE_URL + request.get_full_path()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature):
            return HttpResponseForbidden("Bad signature.")
        return HttpResponse(str(view(request)), content_type="text/xml")

    return checked


@signed_by_twilio
def text_message(request):
    """One text, one vote: if the provider delivers the same message again (its retry after a
    timeout), the first reply is sent again and nothing is cast or refused a second time."""
    key = f"elections:text-message:{request.POST.get('MessageSid', '')}"
    answer = cache.get(key) if request.POST.get("MessageSid") else None
    if answer is None:
        answer = vote_by_text(request.POST.get("Body", ""))
        cache.set(key, answer, 24 * 60 * 60)
    reply = MessagingResponse()
    reply.message(answer)
    return reply


# A phone call -------------------------------------------------------------------------------------


def _call_key(request):
    return f"elections:phone-call:{request.POST.get('CallSid', '')}"


def _back_to_ballot(message=""):
    """Say `message`, if any, then read the ballot paper again."""
    call = VoiceResponse()
    if message:
        call.say(message)
    call.redirect(reverse("elections:phone_ballot"))
    return call


def _goodbye(message):
    call = VoiceResponse()
    call.say(f"{message} Goodbye.")
    call.hangup()
    return call


@signed_by_twilio
def call(request):
    """A call starts: ask for the code (a second silence ends the call)."""
    again = request.GET.get("again") == "1"
    call = VoiceResponse()
    gather = call.gather(num_digits=16, action=reverse("elections:phone_code"), timeout=15)
    if not again:
        gather.say(f"Welcome to voting for {settings.ORGANISATION_NAME}.")
    gather.say(
        "Please key in your sixteen character voting code. For each letter, press the key that has the letter on it."
    )
    if again:
        call.say("We did not hear a code. Goodbye.")
        call.hangup()
    else:
        call.redirect(reverse("elections:phone") + "?again=1")
    return call


def with_caller(step):
    """A step after the code: called as step(request, elector), the elector whose code this call
    keyed; once the call's time is up, the call ends with nothing recorded."""

    @functools.wraps(step)
    def found(request):
        elector_id = cache.get(_call_key(request))
        elector = Elector.objects.select_related("election").filter(pk=elector_id).first() if elector_id else None
        if elector is None:
            return _goodbye("This call has taken too long, so no vote has been recorded. Please call again.")
        return step(request, elector)

    return found


@signed_by_twilio
def call_code(request):
    try:
        elector = phone_voting.elector_for_keys(request.POST.get("Digits", ""))
    except ElectionError as error:
        call = VoiceResponse()
        call.say(f"{error} No vote has been recorded.")
        call.redirect(reverse("elections:phone") + "?again=1")
        return call
    cache.set(_call_key(request), elector.pk, CALL_MINUTES * 60)
    call = VoiceResponse()
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_ballot(request, elector):
    """Read the ballot paper and take the choices."""
    election = elector.election
    numbered = phone_voting.candidates_by_number(election)
    call = VoiceResponse()
    gather = call.gather(finish_on_key="#", action=reverse("elections:phone_choices"), timeout=20)
    gather.say(f"{election.title}. There are {len(numbered)} candidates.")
    for number, (_, name) in numbered.items():
        gather.say(f"Candidate {number}: {name}.")
    separate = "" if len(numbered) <= 9 else " Press star after each number."
    if election.method == Method.FPTP:
        gather.say(f"Key the number of each candidate you vote for, up to {election.seats}.{separate}")
    else:
        gather.say(f"Key the numbers of the candidates in order of your choice, first choice first.{separate}")
    gather.say("Then press hash. To hear the candidates again, just press hash.")
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_choices(request, elector):
    if not request.POST.get("Digits"):  # hash alone: hear the candidates again
        return _back_to_ballot()
    try:
        numbers = phone_voting.read_keys(elector.election, request.POST["Digits"])
    except ElectionError as error:
        return _back_to_ballot(f"{error} Please choose again.")
    call = VoiceResponse()
    confirm = reverse("elections:phone_confirm") + "?" + urlencode({"choices": ".".join(map(str, numbers))})
    gather = call.gather(num_digits=1, action=confirm, timeout=10)
    gather.say(phone_voting.read_back(elector.election, numbers))
    gather.say("To cast this vote, press 1. To choose again, press 2.")
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_confirm(request, elector):
    if request.POST.get("Digits") != "1":
        return _back_to_ballot()
    try:
        numbers = [int(n) for n in request.GET.get("choices", "").split(".")]
        phone_voting.cast_by_phone(elector, numbers)
    except (ValueError, KeyError):
        return _goodbye("Something went wrong with your choices, so no vote has been recorded. Please call again.")
    except AlreadyVoted as error:
        return _goodbye(str(error))
    except ElectionError as error:
        return _goodbye(f"{error} No vote has been recorded.")
    finally:
        cache.delete(_call_key(request))
    return _goodbye(f"Thank you. Your vote in {elector.election.title} has been received.")
