from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms.selectors import search_public_papers
from config.public_cache import cache_public_page

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
