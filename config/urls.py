from django.conf import settings
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # One sign-in for everyone, through allauth, so the second factor and the rate limits cannot be
    # skipped: Wagtail's back-office and private-page sign-in forms lead there. (Wagtail's own password
    # reset is off: WAGTAIL_PASSWORD_RESET_ENABLED.)
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True)),
    path("_util/login/", RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("members/", include("membership.urls")),
    path("payments/", include("payments.urls")),
    path("elections/", include("governance.elections.urls")),
    path("meetings/", include("governance.meetings.urls")),
    path("motions/", include("governance.motions.urls")),
    path("governance/", include("governance.bodies.urls")),
    path("record/", include("records.urls")),
]

if settings.DEBUG:
    # Only the public folders: papers and import files are never served by their media URL.
    from django.urls import re_path

    from config.media import serve_public_media

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_public_media)]

urlpatterns += [path("partners/", include("partners.urls"))]
urlpatterns += [path("", include("cms.urls"))]
urlpatterns += [path("", include(wagtail_urls))]
