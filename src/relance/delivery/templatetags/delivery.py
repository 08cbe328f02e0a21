from django import template

from relance.delivery.errors import error_display

register = template.Library()

register.filter("error_display", error_display)
