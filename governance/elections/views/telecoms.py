"""The telephone provider's webhooks (Twilio): a text message, or each step of a phone call, is a
signed POST answered with TwiML saying what to text back or say next. Off, with 404, until the
deployment sets TWILIO_AUTH_TOKEN; a wrongly signed request is refused and changes nothing.

What a call remembers between its steps (whose code was keyed, then the choices keyed) is the
call's own state, in the "calls" cache (Redis in production, never the database), sealed under a
key derived from the call's id (`call_state`), for at most CALL_MINUTES. It is deleted when the
vote is cast, when the caller chooses again (the choices only), and when the call ends (the
provider's status callback, `call_ended`). No address holds a choice, so no access log can; the
choices arrive only in POST bodies.
"""

import functools

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from governance.elections import call_state, phone_voting
from governance.elections.errors import AlreadyVoted, ElectionError
from governance.elections.models import Elector
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
    timeout), the first reply is sent again and nothing is cast or refused a second time. The
    reply kept for that holds no choice (`vote_by_text` never repeats them)."""
    message = request.POST.get("MessageSid", "")
    answer = call_state.recall("text-message", message)
    if answer is None:
        answer = vote_by_text(request.POST.get("Body", ""))
        if message:
            call_state.remember("text-message", message, answer, CALL_MINUTES * 60)
    reply = MessagingResponse()
    reply.message(answer)
    return reply


# A phone call -------------------------------------------------------------------------------------


LOST_CODE = (
    "If you have lost your code, our website says what to do: look for the page called, if you have lost your "
    "voting code."
)


def _call(request):
    return request.POST.get("CallSid", "")


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
    """A step after the code: called as step(request, elector, state), the elector whose code this
    call keyed and the call's state; once the call's time is up, the call ends with nothing
    recorded."""

    @functools.wraps(step)
    def found(request):
        state = call_state.recall("phone-call", _call(request), {})
        elector_id = state.get("elector")
        elector = Elector.objects.select_related("election").filter(pk=elector_id).first() if elector_id else None
        if elector is None:
            return _goodbye("This call has taken too long, so no vote has been recorded. Please call again.")
        return step(request, elector, state)

    return found


def _remember(request, state):
    call_state.remember("phone-call", _call(request), state, CALL_MINUTES * 60)


@signed_by_twilio
def call_code(request):
    try:
        elector = phone_voting.elector_for_keys(request.POST.get("Digits", ""))
    except ElectionError as error:
        call = VoiceResponse()
        call.say(f"{error} No vote has been recorded. {LOST_CODE}")
        call.redirect(reverse("elections:phone") + "?again=1")
        return call
    # The keypad code, kept for the call: at the confirm step it opens what the ballot is made with.
    _remember(request, {"elector": elector.pk, "keyed": request.POST.get("Digits", "")})
    call = VoiceResponse()
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_ballot(request, elector, state):
    """Read the ballot paper and take the choices."""
    election = elector.election
    numbered = phone_voting.candidates_by_number(election)
    call = VoiceResponse()
    gather = call.gather(finish_on_key="#", action=reverse("elections:phone_choices"), timeout=20)
    gather.say(f"{election.title}. There are {len(numbered)} candidates.")
    for number, (_, name) in numbered.items():
        gather.say(f"Candidate {number}: {name}.")
    separate = "" if len(numbered) <= 9 else " Press star after each number."
    if not election.ranked:
        gather.say(f"Key the number of each candidate you vote for, up to {election.seats}.{separate}")
    else:
        gather.say(f"Key the numbers of the candidates in order of your choice, first choice first.{separate}")
    gather.say("Then press hash. To hear the candidates again, just press hash.")
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_choices(request, elector, state):
    """Read back the keyed choices, kept in the call's state (never in an address) until the
    caller confirms them or chooses again."""
    if not request.POST.get("Digits"):  # hash alone: hear the candidates again
        return _back_to_ballot()
    try:
        numbers = phone_voting.read_keys(elector.election, request.POST["Digits"])
    except ElectionError as error:
        return _back_to_ballot(f"{error} Please choose again.")
    _remember(request, {**state, "choices": numbers})
    call = VoiceResponse()
    gather = call.gather(num_digits=1, action=reverse("elections:phone_confirm"), timeout=10)
    gather.say(phone_voting.read_back(elector.election, numbers))
    gather.say("To cast this vote, press 1. To choose again, press 2.")
    call.redirect(reverse("elections:phone_ballot"))
    return call


@signed_by_twilio
@with_caller
def call_confirm(request, elector, state):
    if request.POST.get("Digits") != "1" or not state.get("choices"):
        _remember(request, {k: v for k, v in state.items() if k != "choices"})  # choosing again: forgotten
        return _back_to_ballot()
    try:
        phone_voting.cast_by_phone(elector, state["choices"], state.get("keyed", ""))
    except (ValueError, KeyError):
        return _goodbye("Something went wrong with your choices, so no vote has been recorded. Please call again.")
    except AlreadyVoted as error:
        return _goodbye(str(error))
    except ElectionError as error:
        return _goodbye(f"{error} No vote has been recorded.")
    finally:
        call_state.forget("phone-call", _call(request))
    return _goodbye(f"Thank you. Your vote in {elector.election.title} has been received.")


@signed_by_twilio
def call_ended(request):
    """The provider's status callback when a call ends, however it ends: its state is deleted,
    so a caller who hangs up before confirming leaves no choice behind."""
    call_state.forget("phone-call", _call(request))
    return VoiceResponse()
