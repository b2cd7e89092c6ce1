"""The directory's two vocabularies as its public pages use them: the areas of interest and the localities
(each with its infrastructure body), in the order they are shown.

They are a few dozen rows that change only when an editor changes them, and every search page needs them
(the form's drop-downs, the localities covering a postcode, the names of each result's tags). So they are
read once and kept with the cached public pages (`config.public_cache.kept_with_pages`), and forgotten with
them: the signals that forget the pages when an entry, a vocabulary or an infrastructure body changes
(partners/apps.py) forget these too.
"""

from dataclasses import dataclass

from config.public_cache import kept_with_pages
from partners.models import AreaOfInterest, Locality


@dataclass(frozen=True)
class Vocabulary:
    areas: tuple  # AreaOfInterest rows, by name
    localities: tuple  # Locality rows, by name, each with its infrastructure body (or None)

    def area_names(self, ids):
        """The names of the areas with these ids, in the vocabulary's order."""
        return [area.name for area in self.areas if area.pk in ids]

    def locality_names(self, ids):
        return [place.name for place in self.localities if place.pk in ids]


def _read():
    return Vocabulary(
        areas=tuple(AreaOfInterest.objects.all()),
        localities=tuple(Locality.objects.select_related("infrastructure_body")),
    )


def vocabulary():
    return kept_with_pages("partners:vocabulary", _read)
