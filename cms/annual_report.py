"""The annual membership report, for the annual members' meeting (DOMAIN.md: the annual report
describes the membership, how representative it is and the plan to improve it): membership by
constituency over the year, joiners and leavers, representativeness against the census and
deprivation (small cells suppressed, `membership.representativeness`), the dialogue between
governors and members, governors' training, and the year's elections with turnout by channel.

One selector (`annual_report`) feeds a back-office page and a PDF made through the platform's
one PDF library (`config.pdf.render_pdf`); both show the same figures.
"""

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from config import rulebooks
from config.backoffice import allowed, render
from config.pdf import render_pdf
from governance.bodies.engagement_figures import Period, engagement_by_constituency, training_status
from governance.bodies.selectors import tenures_on
from governance.elections.models import Channel
from governance.elections.selectors import declared_elections, turnout
from membership import permissions
from membership.models import Constituency, Membership
from membership.representativeness import representativeness
from membership.selectors import memberships_as_at


@dataclass(frozen=True)
class ConstituencyYear:
    constituency: Constituency
    at_start: int
    at_end: int
    joined: int
    left: int


def membership_over(period):
    """Each constituency's members on the day before the year and on its last day, and how many
    joined and left in it."""
    before = period.start - datetime.timedelta(days=1)
    years = []
    for constituency in Constituency.objects.order_by("name"):
        memberships = Membership.objects.filter(constituency=constituency)
        years.append(
            ConstituencyYear(
                constituency=constituency,
                at_start=memberships_as_at(before, constituency).count(),
                at_end=memberships_as_at(period.end, constituency).count(),
                joined=memberships.filter(admitted_on__range=(period.start, period.end)).count(),
                left=memberships.filter(ceased_on__range=(period.start, period.end)).count(),
            )
        )
    return years


def elections_in(period):
    """The year's declared elections (not rehearsals), each with its turnout by channel."""
    names = dict(Channel.choices)
    elections = declared_elections().filter(declared_on__range=(period.start, period.end), rehearsal=False)
    result = []
    for election in elections:
        figures = turnout(election)
        channels = [(names.get(channel, channel), count) for channel, count in figures["by_channel"]]
        result.append({"election": election, "turnout": figures, "channels": channels})
    return result


def annual_report(end):
    """Everything the report shows, for the year ending on `end`."""
    period = Period.ending(end, days=365)
    tenures = tenures_on(end).select_related("holder", "seat", "seat__body").order_by("seat__body__name", "seat__name")
    return {
        "period": period,
        "membership": membership_over(period),
        "constituencies": representativeness(end),
        "engagement": engagement_by_constituency(period),
        "training": [(tenure, training_status(tenure, end)) for tenure in tenures],
        "elections": elections_in(period),
        "smallest_cell": rulebooks.current().membership.smallest_cell,
    }


def _year_end(request):
    try:
        return datetime.date.fromisoformat(request.GET.get("year_ending", ""))
    except ValueError:
        return timezone.localdate()


@allowed(permissions.can_see_representativeness)
def report_page(request):
    end = _year_end(request)
    context = {**annual_report(end), "year_ending": end}
    return render(request, "cms/admin/annual_report.html", "Annual membership report", context)


@allowed(permissions.can_see_representativeness)
def report_pdf(request):
    end = _year_end(request)
    title = f"Annual membership report: year ending {end:%-d %B %Y}"
    pdf = render_pdf("print/annual_report.html", {**annual_report(end), "year_ending": end}, title=title)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-membership-report-{end.isoformat()}.pdf"'
    return response
