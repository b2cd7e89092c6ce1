"""A cache for public pages, shared by the apps that publish them.

Only anonymous GETs are cached (nothing a signed-in member sees, nothing carrying a one-off
message); responses say `Vary: Cookie`. Every entry's key holds a generation number that
`invalidate_public_pages()` bumps whenever something public changes, so a change shows at once
rather than when the entry expires.
"""

import time
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.connection import ConnectionProxy
from wagtail.views import serve as wagtail_serve

# Its own alias, apart from the rate limits in `default` (settings.CACHES).
cache = ConnectionProxy(caches, "public-pages")
GENERATION_KEY = "public-pages:generation"
TIMEOUT_SECONDS = 300


def _first_generation():
    # Never a number this cache (or a process's kept copy, below) has used before, even after the cache
    # was emptied: a generation that started again at 1 would bring back what was kept under the old 1.
    return time.time_ns()


def invalidate_public_pages(**kwargs):
    """Forget every cached public page (signal-friendly signature)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), None)


def keep_out_of_cache(request):
    """This response is for this visitor alone (e.g. a page they unlocked with a password)."""
    request.keep_out_of_public_cache = True


def _generation():
    return cache.get_or_set(GENERATION_KEY, _first_generation, None)


def _key(request):
    return f"public-pages:{_generation()}:{request.get_host()}:{request.get_full_path()}"


# name -> (generation, when read, value): what this process read for `kept_with_pages`.
_kept = {}


def kept_with_pages(name, read):
    """`read()`, kept by this process for as long as a public page is cached, and forgotten with the pages
    whenever something public changes: for what those pages are made from that changes only then (the
    directory's vocabularies), so that a page not cached yet still need not read it. The value is shared by
    every request this process serves, so it must not be changed."""
    generation, now = _generation(), time.monotonic()
    kept = _kept.get(name)
    if kept is None or kept[0] != generation or now - kept[1] > TIMEOUT_SECONDS:
        kept = _kept[name] = (generation, now, read())
    return kept[2]


def cacheable(request):
    return request.method == "GET" and not request.user.is_authenticated and len(get_messages(request)) == 0


def serve_cached(request, render):
    """The cached response for this request when there is one; else `render()`, cached if it may be."""
    if not cacheable(request):
        response = render()
        patch_vary_headers(response, ["Cookie"])
        return response
    key = _key(request)
    response = cache.get(key)
    if response is not None:
        return response
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    patch_vary_headers(response, ["Cookie"])
    # A page holding a CSRF token (a POST form) is one visitor's: never shared.
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "keep_out_of_public_cache", False)
    ):
        patch_cache_control(response, public=True, max_age=0)
        cache.set(key, response, TIMEOUT_SECONDS)
    return response


# Views this project does not define (Wagtail's page serving, other apps' public pages) that the
# middleware below caches; an app adds to it with `register_public_view`. Views of our own say
# so where they are defined, with `@cache_public_page`.
PUBLIC_VIEWS = {wagtail_serve}


def register_public_view(view):
    PUBLIC_VIEWS.add(view)


class PublicPageCacheMiddleware:
    """Serve the registered public views from the cache before they run (for Wagtail's pages,
    before routing, which alone costs several queries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func not in PUBLIC_VIEWS:
            return None
        return serve_cached(request, lambda: view_func(request, *view_args, **view_kwargs))


def cache_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve_cached(request, lambda: view(request, *args, **kwargs))

    return wrapper
