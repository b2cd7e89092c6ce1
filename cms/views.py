from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms import selectors
from cms.selectors import search_public_papers
from config.public_cache import cache_public_page
from membership.accounts import open_referral
from membership.selectors import member_for_user

RESULTS_PER_PAGE = 10
QUERY_MAX_LENGTH = 200


@require_GET
@cache_public_page
def search(request):
    """Site search over live, public pages (Wagtail search: the database backend by default,
    PostgreSQL full text in production) and, beside them, published public papers."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    if not query:
        return render(request, "cms/search.html", {"query": query})
    results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    papers = search_public_papers(query)[:RESULTS_PER_PAGE]
    return render(request, "cms/search.html", {"query": query, "page_obj": page, "papers": papers})


@require_GET
def healthz(request):
    """The cheapest page the app serves: a load balancer's check, and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico wherever a page names no icon (files, feeds): send the real one."""
    return redirect(static("favicon.ico"), permanent=True)


@login_required
def portal(request):
    """A member's own page: their membership, what they may take part in now (ballots, motions,
    written resolutions), papers they may read, who represents them and their questions."""
    member = member_for_user(request.user)
    if member is None:
        return render(request, "cms/portal_not_member.html", {"referral": open_referral(request.user)})
    return render(request, "cms/portal.html", selectors.portal_for(request.user, member))
