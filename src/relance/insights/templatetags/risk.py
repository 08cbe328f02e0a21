"""`{% risk_card customer %}`: the customer's latest risk score and its parts, a card for
the customer page (one query; the customers app does not import insights)."""

from django import template

from relance.insights.risk import customer_risk

register = template.Library()


@register.inclusion_tag("insights/_risk_card.html")
def risk_card(customer):
    return {"risk": customer_risk(customer), "customer": customer}
