"""{{ bar.x|svg }}: a number for an SVG attribute, never localized (see `analytics.charts`)."""

from django import template

from relance.analytics.charts import svg_number

register = template.Library()


@register.filter
def svg(value) -> str:
    return svg_number(value)
