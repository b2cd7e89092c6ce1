from django import template

from payments.money import format_pence

register = template.Library()
register.filter("pounds", format_pence)
