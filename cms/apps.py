from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Public site"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.signals import page_published, page_unpublished

        from cms.site import grant_site_editors_pages
        from config.public_cache import invalidate_public_pages, register_public_view
        from governance.bodies.models import Body, Declaration, Seat, Tenure
        from governance.meetings import views as meeting_views
        from governance.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Paper

        # Wiring only: a published page or a change in office must not be served stale.
        page_published.connect(invalidate_public_pages, dispatch_uid="public-cache-published")
        page_unpublished.connect(invalidate_public_pages, dispatch_uid="public-cache-unpublished")
        for model in (Body, Seat, Tenure, Declaration, Meeting, AgendaItem, Paper, Minutes, Attendance):
            post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
            post_delete.connect(invalidate_public_pages, sender=model, dispatch_uid=f"public-cache-d-{model.__name__}")
        # What anonymous visitors see of meetings is the same for all of them: cache it with the site.
        register_public_view(meeting_views.meeting_list)
        register_public_view(meeting_views.meeting_detail)
        post_migrate.connect(grant_site_editors_pages, sender=self, dispatch_uid="site-editor-pages")
