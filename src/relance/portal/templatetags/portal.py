"""What the users' pages show of the customer's page (live links, opens of an action's),
and the customer's page's own item checkboxes."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from relance.portal import selectors

register = template.Library()


@register.simple_tag
def portal_live_links(customer) -> int:
    return selectors.live_link_count(customer)


@register.simple_tag
def portal_action_opens(action):
    return selectors.action_page_opens(action)


@register.simple_tag
def item_checkboxes(field, kind: str, items):
    """The checkboxes of an answer's `items` field, one per row of the page's items table,
    as Django's CheckboxSelectMultiple writes them (same names, ids and labels) but in one
    pass: four answer forms × 1,000 open items through the widget's templates took a
    second. The field's queryset still validates what comes back."""
    value = field.value() or []
    chosen = {str(pk) for pk in (value if isinstance(value, list | tuple) else [value])}
    return format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" name="{}" value="{}" '
        'class="form-check-input" id="id_{}_items_{}"{}>'
        '<label class="form-check-label" for="id_{}_items_{}">{}</label></div>',
        (
            (
                field.html_name,
                item.id,
                kind,
                index,
                mark_safe(" checked") if str(item.id) in chosen else "",
                kind,
                index,
                item.number,
            )
            for index, item in enumerate(items)
        ),
    )
