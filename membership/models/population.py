"""The eligible population of each area, by dimension, which the membership strategy is measured against."""

from django.db import models
from simple_history.models import HistoricalRecords


class PopulationDimension(models.TextChoices):
    AGE_BAND = "age_band", "Age band"
    GENDER = "gender", "Gender"
    ETHNICITY = "ethnicity", "Ethnicity"
    AREA = "area", "Area"


class PopulationFigure(models.Model):
    """How many people eligible for public membership fall in each category (from the census or
    the organisation's own figures), uploaded as CSV, to compare the membership against."""

    dimension = models.CharField(max_length=20, choices=PopulationDimension.choices)
    category = models.CharField(max_length=80)
    eligible_population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "category"]
        constraints = [models.UniqueConstraint(fields=["dimension", "category"], name="one_figure_per_category")]

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.category} = {self.eligible_population}"
