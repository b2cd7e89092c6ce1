from wagtail.permission_policies import ModelPermissionPolicy


class AppendOnlyPolicy(ModelPermissionPolicy):
    """The record can be read by those granted `view`; nobody, superusers included, edits it
    through the back office. Entries are only ever appended by `records.services.record`."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
