from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner directory"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from config.public_cache import invalidate_public_pages
        from partners.models import AreaOfInterest, InfrastructureBody, Locality, PartnerOrganisation

        # Wiring only: a changed entry or vocabulary (partners.vocabulary, kept with the pages) must not be
        # served stale from the page cache; nor a changed infrastructure body, which a search may offer.
        for model in (PartnerOrganisation, AreaOfInterest, Locality, InfrastructureBody):
            post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
            post_delete.connect(
                invalidate_public_pages, sender=model, dispatch_uid=f"public-cache-del-{model.__name__}"
            )
        for through in (PartnerOrganisation.areas_of_interest.through, PartnerOrganisation.localities.through):
            m2m_changed.connect(
                invalidate_public_pages, sender=through, dispatch_uid=f"public-cache-{through.__name__}"
            )
