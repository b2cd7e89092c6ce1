from django.conf import settings


def organisation(request):
    """The organisation's name, for the header, titles and footers."""
    return {"organisation_name": settings.ORGANISATION_NAME}
