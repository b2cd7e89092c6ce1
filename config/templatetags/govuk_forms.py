"""Filters that put allauth's account pages into the project's form pattern and sentence case."""

from django import template

from config import forms

register = template.Library()


@register.filter
def govuk_form(form):
    """An allauth form, dressed in the GOV.UK form pattern (see `config.forms.dress`)."""
    return forms.dress(form) if form is not None and hasattr(form, "fields") else form


register.filter("sentence_case", forms.sentence_case, is_safe=True)
