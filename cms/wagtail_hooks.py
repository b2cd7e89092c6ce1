from wagtail import hooks

from cms import annual_report
from config.backoffice import ScreenViewSet
from config.public_cache import keep_out_of_cache
from membership import permissions


@hooks.register("before_serve_page")
def keep_restricted_pages_out_of_the_cache(page, request, serve_args, serve_kwargs):
    # A visitor who unlocked a password- or sign-in-restricted page must not share it with others.
    if page.get_view_restrictions().exists():
        keep_out_of_cache(request)


@hooks.register("register_admin_viewset")
def register_annual_report():
    return ScreenViewSet(
        "annual_membership_report",
        menu_label="Annual membership report",
        icon="doc-full",
        allowed=staticmethod(permissions.can_see_representativeness),
        views=(("", annual_report.report_page, "index"), ("pdf/", annual_report.report_pdf, "pdf")),
    )
