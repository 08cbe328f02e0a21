from django import template

from relance.ledger.tables import item_badges as badges_of

register = template.Library()


@register.simple_tag
def item_badges(item, today):
    """`{% item_badges item today %}`: the item's disputed / promise / blocked badges, the
    same as in the items table."""
    return badges_of(item, today)
