from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from governance.elections import permissions
from governance.elections.views import back_office, postal

admin_urls = [
    path("", back_office.election_index, name="index"),
    path("set-up/", back_office.set_up, name="set_up"),
    path("<int:pk>/", back_office.run, name="run"),
    path("<int:pk>/postal-packs/", postal.postal_packs, name="postal_packs"),
    path("<int:pk>/postal-packs/<int:file_pk>/", postal.print_file, name="print_file"),
    path("<int:pk>/postbags/", postal.open_bag, name="open_postbag"),
    path("<int:pk>/postbags/<int:bag_pk>/", postal.settle, name="settle"),
    path("<int:pk>/postbags/<int:bag_pk>/withdraw/", postal.withdraw_bag, name="withdraw_postbag"),
    path("<int:pk>/<slug:name>/", back_office.step, name="step"),
]


@hooks.register("register_admin_urls")
def register_election_admin_urls():
    return [path("elections/", include((admin_urls, "elections_admin"), namespace="elections_admin"))]


class ElectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_elections(request.user)


@hooks.register("register_admin_menu_item")
def register_elections_menu_item():
    return ElectionsMenuItem("Elections", reverse("elections_admin:index"), icon_name="list-ul", order=300)
