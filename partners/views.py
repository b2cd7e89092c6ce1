from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.public_cache import cache_public_page
from partners import links, selectors, services
from partners.forms import DirectorySearchForm, EnquiryForm, EntryUpdateForm, ProposalForm
from partners.models import AreaOfInterest, Locality, PartnerOrganisation, normalise_postcode
from partners.postcodes import ONS_ATTRIBUTION
from partners.search import covering_localities, find_partners

RESULTS_PER_PAGE = 20


def _results_page(found, number):
    """One page of results and the count of all, from one query (a Page, as the template expects)."""
    number = int(number) if str(number or "").isdigit() and int(number) > 0 else 1
    rows, total, number = found.page(number, RESULTS_PER_PAGE)
    paginator = Paginator(range(total), RESULTS_PER_PAGE)  # counts pages only; the rows are fetched already
    return Page(rows, number, paginator)


def _with_freshness(partners):
    cutoff = selectors.verification_cutoff()
    for partner in partners:
        partner.is_stale = partner.last_verified_on is None or partner.last_verified_on < cutoff
    return partners


@cache_public_page
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    found = find_partners(
        q=filters.get("q", ""),
        interest=filters.get("interest"),
        locality=filters.get("locality"),
        organisation_type=filters.get("type", ""),
        postcode=filters.get("postcode", ""),
        radius=filters.get("within"),
        centre=getattr(form, "centre", None),
    )
    page = _results_page(found, request.GET.get("page"))
    _with_freshness(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "found": found,
        "page_obj": page,
        "connector": connector_for(found, filters, page.paginator.count),
        "query": query.urlencode(),
        "searched": bool(request.GET),
        "ons_attribution": ONS_ATTRIBUTION if found.near else "",
    }
    return render(request, "partners/directory.html", context)


@cache_public_page
def partner_detail(request, slug):
    partner = get_object_or_404(
        PartnerOrganisation.objects.filter(listed=True).prefetch_related(
            "areas_of_interest", "localities", "regulated_services"
        ),
        slug=slug,
    )
    _with_freshness([partner])
    return render(request, "partners/partner_detail.html", {"partner": partner})


@require_http_methods(["GET", "POST"])
def propose(request, slug=None):
    partner = get_object_or_404(PartnerOrganisation, slug=slug, listed=True) if slug else None
    initial = {}
    if partner is not None and request.method == "GET":
        initial = {field: getattr(partner, field) for field in services.ENTRY_FIELDS}
        initial["areas_of_interest"] = list(partner.areas_of_interest.all())
        initial["localities"] = list(partner.localities.all())
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = {field: form.cleaned_data[field] for field in services.ENTRY_FIELDS}
        try:
            services.propose_entry(
                partner=partner,
                areas_of_interest=form.cleaned_data["areas_of_interest"],
                localities=form.cleaned_data["localities"],
                proposer_name=form.cleaned_data["proposer_name"],
                proposer_email=form.cleaned_data["proposer_email"],
                **details,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you. A directory editor will check your proposal and email you when it is decided."
            )
            return redirect(reverse("partners:directory"))
    return render(request, "partners/propose.html", {"form": form, "partner": partner})


def _locality_covering(text):
    postcode = normalise_postcode(text)
    covering = covering_localities(postcode) if postcode else []
    return covering[0] if covering else None


def connector_for(found, filters, matching):
    """The locality's infrastructure body to offer when a search by need in a place finds few organisations."""
    asked_for_need = bool(filters.get("q") or filters.get("interest"))
    places = [filters["locality"]] if filters.get("locality") else found.covering
    return selectors.local_connector(places, matching=matching, asked_for_need=asked_for_need)


@require_http_methods(["GET", "POST"])
def enquire(request):
    # Arriving from a search, the enquiry starts with that search's area and locality (or the area its
    # words name, and the locality covering its postcode).
    initial = {
        "area_of_interest": AreaOfInterest.objects.filter(slug=request.GET.get("interest", "")).first()
        or AreaOfInterest.objects.filter(name__iexact=request.GET.get("q", "").strip()).first(),
        "locality": Locality.objects.filter(slug=request.GET.get("locality", "")).first()
        or _locality_covering(request.GET.get("postcode", "")),
        "route": request.GET.get("route") == "1",
    }
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.send_enquiry(**form.cleaned_data)
        messages.success(request, "Thank you. A directory editor will answer you by email, usually within a week.")
        return redirect(reverse("partners:directory"))
    return render(request, "partners/enquire.html", {"form": form})


@require_http_methods(["GET", "POST"])
def review(request, token):
    """The organisation's own page for its entry, reached by its emailed link: confirm it, or correct it."""
    try:
        link = links.open_link(token)
    except links.LinkRefused as refused:
        return _refused(request, token, refused)
    partner = link.partner
    form = EntryUpdateForm(
        request.POST if request.POST.get("action") == "update" else None, initial=_entry_initial(partner)
    )
    try:
        if request.POST.get("action") == "confirm":
            links.confirm_entry(token)
            messages.success(request, "Thank you: your entry is confirmed as right. We will ask again in a year.")
            return redirect(reverse("partners:detail", args=[partner.slug]))
        if form.is_bound and form.is_valid():
            partner, published = links.update_entry(token, **form.cleaned_data)
            messages.success(request, _UPDATED if published else _SENT_FOR_CHECK)
            return redirect(reverse("partners:detail", args=[partner.slug]))
    except links.LinkRefused as refused:
        return _refused(request, token, refused)
    except ValidationError as error:
        form.add_error(None, error)
    _with_freshness([partner])
    publish_at_once = settings.DIRECTORY_ORGANISATION_CHANGES == links.PUBLISH
    context = {"form": form, "partner": partner, "link": link, "publish_at_once": publish_at_once}
    return render(request, "partners/review.html", context)


_UPDATED = "Thank you: your changes are published."
_SENT_FOR_CHECK = "Thank you: a directory editor will check your changes and publish them, usually within a week."


def _entry_initial(partner):
    initial = {field: getattr(partner, field) for field in [*services.ENTRY_FIELDS, "cqc_provider_id"]}
    initial["areas_of_interest"] = list(partner.areas_of_interest.all())
    initial["localities"] = list(partner.localities.all())
    return initial


def _refused(request, token, refused):
    context = {"reason": refused.reason, "partner": refused.link.partner if refused.link else None, "token": token}
    return render(request, "partners/link_refused.html", context, status=410 if refused.link else 404)


@require_http_methods(["POST"])
def new_link(request, token):
    """Send a fresh link to the entry's contact address (whoever asks, it goes there)."""
    try:
        sent = links.send_new_link(token)
    except links.LinkRefused as refused:
        return _refused(request, token, refused)
    context = {"sent": sent is not None, "link_days": settings.DIRECTORY_LINK_DAYS}
    return render(request, "partners/new_link_sent.html", context)
