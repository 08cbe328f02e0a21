"""The one email the page sends itself: a fresh link for an expired or revoked one."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def fresh_link_email(customer, emails: list[str], url: str, language: str) -> EmailMessage:
    entity = customer.entity
    with translation.override(language):
        subject = render_to_string("portal/fresh_link_subject.txt", {"entity": entity}).strip()
        body = render_to_string(
            "portal/fresh_link_email.txt",
            {"entity": entity, "customer": customer, "url": url, "days": entity.portal_link_days},
        )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=emails,
        reply_to=[entity.email] if entity.email else None,
    )
