from django import template

from relance.core.tables import body_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_body(context, table):
    """The body rows of a django-tables2 table, written in Python (core/tables.py)."""
    return body_rows_html(table, context)
