"""A one-off message from the customer page: any email, SMS or letter template rendered for
the customer, edited by the user, then sent (an email through the mail connection every
message takes, an SMS through the entity's SMS connector) or printed (a letter's PDF).

No action carries it, so no outbox row either (the outbox holds the messages of actions):
what left is kept in the customer's timeline, as an answer to a response is (an event
"message sent by a user" with its channel, recipients, subject and text)."""

import dataclasses
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.services import customer_event_record
from relance.customers.models import Contact
from relance.customers.selectors import collection_emails
from relance.delivery.adapters import Message, ProviderError, adapter_for
from relance.delivery.choices import ConnectorChannel
from relance.delivery.connectors import sms_recipient
from relance.delivery.email import message_id, smtp_error
from relance.delivery.models import Connector
from relance.delivery.services import edited_content
from relance.scenarios.choices import StepChannel
from relance.templating.choices import Channel
from relance.templating.render import Rendered, RenderError, render
from relance.templating.sanitize import sanitize_html
from relance.templating.text import html_to_text

ONE_OFF_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.LETTER)


def one_off_render(*, customer, template, acting_user=None) -> Rendered:
    """The message as the user starts editing it (no PDF yet)."""
    if template is None or template.channel not in ONE_OFF_CHANNELS:
        raise ValidationError({"template": _("Choose an email, SMS or letter template.")})
    if template.entity_id not in (None, customer.entity_id):
        raise ValidationError({"template": _("This template belongs to another entity.")})
    try:
        return render(
            template, customer, user=acting_user, today=customer.entity.today(), pdf=False
        )
    except RenderError as exc:
        raise ValidationError({"template": str(exc)}) from exc


def _record(customer, acting_user, channel: str, to: str, subject: str, body: str) -> None:
    with transaction.atomic():
        customer_event_record(
            customer=customer,
            kind=EventKind.MESSAGE_SENT_BY_USER,
            acting_user=acting_user,
            channel=channel,
            to=to,
            subject=subject[:255],
            body=body,
            one_off=True,
        )


def _send_email(customer, edited, acting_user) -> None:
    to = collection_emails(customer)
    entity = customer.entity
    message = EmailMultiAlternatives(
        subject=edited.subject,
        body=edited.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[entity.email] if entity.email else None,
        headers={"Message-ID": message_id(f"customer-{customer.pk}-{uuid.uuid4().hex[:12]}")},
    )
    message.attach_alternative(edited.html, "text/html")
    try:
        with get_connection() as connection:
            connection.send_messages([message])
    except Exception as exc:  # every SMTP or provider failure is told to the user
        raise ValidationError(
            _("The message was not sent: %(reason)s") % {"reason": smtp_error(exc)}
        ) from exc
    _record(customer, acting_user, StepChannel.EMAIL, ", ".join(to), edited.subject, edited.text)


def _send_sms(customer, edited, acting_user) -> None:
    connector = Connector.objects.filter(
        entity=customer.entity, channel=ConnectorChannel.SMS, is_active=True
    ).first()
    if connector is None:
        raise ValidationError(_("No SMS connector is active for this entity."))
    contacts = list(Contact.objects.filter(customer=customer))
    number, error = sms_recipient(contacts, customer.country or customer.entity.country)
    if error:
        raise ValidationError(_("The SMS was not sent: %(reason)s") % {"reason": _(error)})
    message = Message(
        key=f"customer-{customer.pk}-{uuid.uuid4().hex}",
        channel=StepChannel.SMS,
        to=number,
        text=edited.text,
        sender=(connector.settings or {}).get("sender", ""),
    )
    try:
        adapter_for(connector).send(message)
    except ProviderError as exc:
        raise ValidationError(
            _("The message was not sent: %(reason)s") % {"reason": str(exc)}
        ) from exc
    _record(customer, acting_user, StepChannel.SMS, number, "", edited.text)


def _letter_pdf(customer, rendered: Rendered, body: str, acting_user) -> bytes:
    from relance.templating.letters import letters_pdf  # WeasyPrint loads on first use

    html = sanitize_html(body or "")
    if not html.strip():
        raise ValidationError({"body": _("The message is empty.")})
    pdf = letters_pdf([dataclasses.replace(rendered, html=html)])
    _record(customer, acting_user, StepChannel.LETTER, "", rendered.subject, html_to_text(html))
    return pdf


def customer_message_send(
    *, customer, template, subject: str = "", body: str, acting_user=None
) -> bytes | None:
    """Send the user's version of `template` to `customer` now: an email to its collection
    contacts (not to addresses that bounced), an SMS to its first collection mobile through
    the entity's SMS connector. A letter is not sent but answered as its PDF, to print and
    post. Raises ValidationError (nothing recorded) when it cannot leave."""
    rendered = one_off_render(customer=customer, template=template, acting_user=acting_user)
    if template.channel == Channel.LETTER:
        return _letter_pdf(customer, rendered, body, acting_user)
    edited = edited_content(channel=template.channel, subject=subject, body=body)
    if template.channel == Channel.EMAIL:
        _send_email(customer, edited, acting_user)
    else:
        _send_sms(customer, edited, acting_user)
    return None
