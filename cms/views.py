from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from config.public_cache import cache_public_page

RESULTS_PER_PAGE = 10
QUERY_MAX_LENGTH = 200


@require_GET
@cache_public_page
def search(request):
    """Site search over live, public pages (Wagtail search: the database backend by default,
    PostgreSQL full text in production)."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    results = Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "page_obj": page})


@require_GET
def healthz(request):
    """The cheapest page the app serves: a load balancer's check, and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")
