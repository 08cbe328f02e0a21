"""What the users' pages show of the customer's page: live links, and opens of an action's."""

from django import template

from relance.portal import selectors

register = template.Library()


@register.simple_tag
def portal_live_links(customer) -> int:
    return selectors.live_link_count(customer)


@register.simple_tag
def portal_action_opens(action):
    return selectors.action_page_opens(action)
