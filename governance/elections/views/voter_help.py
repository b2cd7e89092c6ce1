"""Pages a voter turns to for help: what to do about a lost voting code, and checking a receipt
against the ballots in the box. Both are public; neither lists voters."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from governance.elections import selectors
from governance.elections.forms import ReceiptForm
from governance.elections.models import State
from governance.elections.phone_voting import phone_number
from governance.elections.text_voting import text_number

BEFORE_POLL = (State.NOTICE_PUBLISHED, State.NOMINATIONS_OPEN, State.NOMINATIONS_CLOSED)


def lost_code(request):
    """What to do about a lost code, before and after the poll opens, on every channel; with each
    election now running, which of the two applies to it today."""
    running = selectors.public_elections().filter(state__in=(*BEFORE_POLL, State.POLL_OPEN)).order_by("poll_closes_at")
    context = {
        "elections": [(election, election.state == State.POLL_OPEN) for election in running],
        "contact": settings.ELECTIONS_CONTACT,
        "text_number": text_number(),
        "phone_number": phone_number(),
    }
    return render(request, "elections/lost_code.html", context)


@never_cache
def check_receipt(request, pk):
    """Is the ballot with this receipt in the box? Asked by POST, so a receipt never sits in an
    address or a server log."""
    election = get_object_or_404(selectors.public_elections(), pk=pk)
    form = ReceiptForm(request.POST or None)
    found = None
    if form.is_valid():
        found = selectors.receipt_in_box(election, form.cleaned_data["receipt"])
    ballots = election.encrypted_ballots.count()
    context = {"election": election, "form": form, "found": found, "ballots": ballots}
    return render(request, "elections/check_receipt.html", context)
