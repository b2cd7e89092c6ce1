from wagtail import hooks

from config.public_cache import keep_out_of_cache


@hooks.register("before_serve_page")
def keep_restricted_pages_out_of_the_cache(page, request, serve_args, serve_kwargs):
    # A visitor who unlocked a password- or sign-in-restricted page must not share it with others.
    if page.get_view_restrictions().exists():
        keep_out_of_cache(request)
