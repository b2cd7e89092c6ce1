"""A cache for public pages, shared by the apps that publish them.

Only anonymous GETs are cached (nothing a signed-in member sees, nothing carrying a one-off
message); responses say `Vary: Cookie`. Every entry's key holds a generation number that
`invalidate_public_pages()` bumps whenever something public changes, so a change shows at once
rather than when the entry expires.
"""

from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "public-pages:generation"
TIMEOUT_SECONDS = 300


def invalidate_public_pages(**kwargs):
    """Forget every cached public page (signal-friendly signature)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _key(request):
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    return f"public-pages:{generation}:{request.get_host()}:{request.get_full_path()}"


def cacheable(request):
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


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
    if response.status_code == 200 and not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        patch_cache_control(response, public=True, max_age=0)
        cache.set(key, response, TIMEOUT_SECONDS)
    return response


def cache_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve_cached(request, lambda: view(request, *args, **kwargs))

    return wrapper
