from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.public_cache import cache_public_page
from partners import selectors, services
from partners.forms import DirectorySearchForm, EnquiryForm, ProposalForm
from partners.models import AreaOfInterest, Locality, PartnerOrganisation, normalise_postcode
from partners.postcodes import ONS_ATTRIBUTION
from partners.search import covering_localities, find_partners

RESULTS_PER_PAGE = 20


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
    )
    page = Paginator(found.partners, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    _with_freshness(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "found": found,
        "page_obj": page,
        "query": query.urlencode(),
        "searched": bool(request.GET),
        "ons_attribution": ONS_ATTRIBUTION if found.near else "",
    }
    return render(request, "partners/directory.html", context)


@cache_public_page
def partner_detail(request, slug):
    partner = get_object_or_404(
        PartnerOrganisation.objects.filter(listed=True).prefetch_related("areas_of_interest", "localities"), slug=slug
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


@require_http_methods(["GET", "POST"])
def enquire(request):
    # Arriving from a search, the enquiry starts with that search's area and locality (or the area its
    # words name, and the locality covering its postcode).
    initial = {
        "area_of_interest": AreaOfInterest.objects.filter(slug=request.GET.get("interest", "")).first()
        or AreaOfInterest.objects.filter(name__iexact=request.GET.get("q", "").strip()).first(),
        "locality": Locality.objects.filter(slug=request.GET.get("locality", "")).first()
        or _locality_covering(request.GET.get("postcode", "")),
    }
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.send_enquiry(**form.cleaned_data)
        messages.success(request, "Thank you. A directory editor will answer you by email, usually within a week.")
        return redirect(reverse("partners:directory"))
    return render(request, "partners/enquire.html", {"form": form})
