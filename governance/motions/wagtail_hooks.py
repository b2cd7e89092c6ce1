"""The company secretary's list of members' motions. Decisions (admit, reject, open and close the
poll) are made on the motion's page, through the services, so each is recorded."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from governance.motions.models import Motion


class MotionViewSet(ModelViewSet):
    model = Motion
    icon = "openquote"
    menu_label = "Members' motions"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["title", "meeting", "kind", "status", "proposed_at", "votes_for", "votes_against", "abstentions"]
    list_filter = ["status", "kind", "meeting"]
    search_fields = ["title", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    form_fields = ["title"]  # required by ModelViewSet; the roles grant view only
    list_export = ["title", "text", "meeting", "kind", "status", "votes_for", "votes_against", "abstentions"]


@hooks.register("register_admin_viewset")
def register_motions():
    return MotionViewSet("motion_admin")
