"""The email adapter: many actions' messages prepared in a fixed number of queries
(contexts, contacts, invoice PDFs), each message addressed, rendered and given its
attachments, a Message-ID derived from its outbox key and a Reply-To tagged with that key
(delivery/replyto.py), by which replies are traced back (inbound app)."""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.translation import gettext_noop

from relance.customers.models import Contact
from relance.delivery.mime import envelope, message_bytes, sendmail
from relance.delivery.replyto import reply_address
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.scenarios.choices import Attachments
from relance.templating.context import links_in_bulk
from relance.templating.render import RenderError, render_context
from relance.templating.selectors import build_contexts, contacts_of_customers

logger = logging.getLogger(__name__)

NO_COLLECTION_CONTACT = gettext_noop("No collection contact")
NO_EMAIL = gettext_noop("The contact has no email address")
INVALID_EMAIL = gettext_noop("The contact's email address is invalid: {reason}")
NO_TEMPLATE = gettext_noop("The step has no email template")
REFUSED = gettext_noop("The mail server refused it: {reason}")
UNREACHABLE = gettext_noop("The mail server could not be reached: {reason}")
PROVIDER_REFUSED = gettext_noop("The email provider refused it: {reason}")
PROVIDER_UNREACHABLE = gettext_noop("The email provider could not take it: {reason}")
CONTACT_ROLES = ("collection", "billing", "legal", "other")
OUTBOX_KEY = "relance_key"  # the outbox key in an email's anymail metadata


@dataclass
class Prepared:
    """One action's email, or why there is none."""

    action: object
    message: EmailMultiAlternatives | None = None
    error: str = ""
    context: object | None = None  # what it was rendered from (a user's edit gets its links)

    @property
    def recipients(self) -> str:
        message = self.message
        return ", ".join([*message.to, *message.cc]) if message else ""


def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "relance.invalid"
    return f"<relance.{key}@{domain}>"


def _invoice_files(customer_ids: list[int], day: date) -> dict[int, list[tuple]]:
    """(number, due date, stored file name) of each customer's open invoices with a PDF."""
    rows = (
        Item.objects.filter(
            customer_id__among=customer_ids, kind=ItemKind.INVOICE, open_amount__gt=0
        )
        .exclude(pdf="")
        .order_by("customer_id", "due_date", "number")
        .values_list("customer_id", "number", "due_date", "pdf")
    )
    files = defaultdict(list)
    for customer_id, number, due, name in rows:
        files[customer_id].append((number, due, name))
    return files


def addresses(
    step, contacts: list[Contact], copies: list[str] | None = None
) -> tuple[list[str], list[str], str]:
    """(to, cc, error): the collection contacts' emails, the copies the step asks for
    (`copies`: step_copies(step), when the caller read them once for many messages); an
    address marked invalid (it bounced: delivery/bounces.py) is left out."""
    collection = [c for c in contacts if c.is_collection]
    if not collection:
        return [], [], NO_COLLECTION_CONTACT
    with_email = [c for c in collection if c.email]
    if not with_email:
        return [], [], NO_EMAIL
    to = list(dict.fromkeys(c.email for c in with_email if c.email_invalid_at is None))
    if not to:
        return [], [], INVALID_EMAIL.format(reason=with_email[0].email_invalid_reason)
    roles = [r.strip() for r in step.cc_contact_roles.split(",") if r.strip() in CONTACT_ROLES]
    cc = [
        c.email
        for c in contacts
        if c.email and c.email_invalid_at is None and any(getattr(c, f"is_{r}") for r in roles)
    ]
    cc += step_copies(step) if copies is None else copies
    return to, [a for a in dict.fromkeys(cc) if a not in to], ""


def step_copies(step) -> list[str]:
    """The addresses the step itself copies: its users', its own."""
    copies = [user.email for user in step.cc_users.all() if user.email]
    return [*copies, step.cc_email] if step.cc_email else copies


def _attach(message, step, ctx, files, day: date, language: str) -> None:
    if step.attachments == Attachments.STATEMENT:
        from relance.delivery.statement import statement_pdf

        name = f"statement-{ctx.customer.external_id}-{day.isoformat()}.pdf"
        message.attach(name, statement_pdf(ctx, language), "application/pdf")
        return
    if step.attachments not in (Attachments.OVERDUE_INVOICES, Attachments.OPEN_INVOICES):
        return
    for number, due, stored in files:
        if step.attachments == Attachments.OVERDUE_INVOICES and not due < day:
            continue
        try:
            with default_storage.open(stored, "rb") as handle:
                message.attach(f"{number}.pdf", handle.read(), "application/pdf")
        except OSError:
            logger.warning("invoice %s: PDF %s cannot be read", number, stored)


def build_message(action, ctx, to, cc, key: str) -> tuple[EmailMultiAlternatives, str]:
    """The rendered message and its language."""
    rendered = render_context(action.step.template, ctx, pdf=False)
    reply_to = reply_address(action.customer.entity, key)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc,
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": message_id(key)},
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    # Through django-anymail the provider keeps this and returns it with every delivery event
    # (delivery/tracking.py); other backends ignore it.
    message.metadata = {OUTBOX_KEY: key}
    return message, rendered.language


def prepare_emails(actions: list, day: date, keys: dict[int, str]) -> list[Prepared]:
    """Each action's message (`keys`: action id -> outbox key), rendered at `day`.
    Actions come with select_related("customer__entity", "customer__collector",
    "step__template")."""
    customer_ids = [action.customer_id for action in actions]
    contacts = contacts_of_customers(customer_ids)  # read once, for contexts and addresses
    contexts = build_contexts(
        [a.customer for a in actions],
        day,
        actions={a.customer_id: a for a in actions},
        issue_links=True,
        contacts=contacts,
    )
    files = _invoice_files(customer_ids, day)
    copies = {}  # step id -> the addresses it copies, read once per batch
    with links_in_bulk():  # the page links of the batch in one statement
        return [
            _prepare(action, contexts, contacts, files, day, keys[action.pk], copies)
            for action in actions
        ]


def _prepare(action, contexts, contacts, files, day: date, key: str, copies) -> Prepared:
    step = action.step
    if step is None or step.template_id is None:
        return Prepared(action, error=NO_TEMPLATE)
    if step.pk not in copies:
        copies[step.pk] = step_copies(step)
    # In the order they were added: the addresses' order does not depend on the names.
    ordered = sorted(contacts[action.customer_id], key=lambda contact: contact.pk)
    to, cc, error = addresses(step, ordered, copies[step.pk])
    if error:
        return Prepared(action, error=error)
    ctx = contexts[action.customer_id]
    try:
        message, language = build_message(action, ctx, to, cc, key)
    except RenderError as exc:
        return Prepared(action, error=str(exc))
    _attach(message, step, ctx, files[action.customer_id], day, language)
    return Prepared(action, message, context=ctx)


def send_one(mail, message) -> None:
    """Hand `message` over on the open connection `mail`. Django's SMTP backend gets the
    bytes written by delivery/mime.py (a reminder's shape, without the `email` package's
    cost); any other backend (an email provider's API, the tests' outbox), or a message of
    another shape, goes the backend's own way. Raises what the backend raises."""
    raw = message_bytes(message) if type(mail) is SmtpBackend else None
    if raw is None:
        mail.send_messages([message])
        return
    sender, recipients = envelope(message)
    if recipients:
        with mail._lock:
            sendmail(mail.connection, sender, recipients, raw)


def email_content(message: EmailMultiAlternatives) -> dict[str, str]:
    """The outbox fields that keep what an email said: subject, text part, HTML part."""
    html = next((a[0] for a in message.alternatives if a[1] == "text/html"), "")
    return {"subject": message.subject[:255], "body": message.body, "html": html}


def smtp_error(exc: Exception) -> str:
    """What a collector reads when the mail server (or the email provider's API) said no."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        reasons = {_reason(code, text) for code, text in exc.recipients.values()}
        return REFUSED.format(reason="; ".join(sorted(reasons)))
    if isinstance(exc, smtplib.SMTPResponseException):
        return REFUSED.format(reason=_reason(exc.smtp_code, exc.smtp_error))
    provider = _provider_error(exc)
    if provider:
        return provider
    return UNREACHABLE.format(reason=str(exc) or type(exc).__name__)


def refused(exc: Exception) -> bool:
    """The mail server (or the provider's API) answered no to this message: it did not take
    it. Any other failure (the session broke, a timeout) may have come after it took it."""
    from anymail.exceptions import AnymailError

    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException):
        return True
    answer = getattr(exc, "status_code", None) or getattr(exc, "response", None) is not None
    return isinstance(exc, AnymailError) and bool(answer)


def _provider_error(exc: Exception) -> str:
    """An email provider's API (django-anymail) that refused the message (its recipients,
    or an answer 4xx: the message as it is will never go) or could not be reached (5xx,
    network); "" for any other exception."""
    from anymail.exceptions import AnymailError, AnymailRecipientsRefused

    if not isinstance(exc, AnymailError):
        return ""
    first_line = (" ".join(str(arg) for arg in exc.args) or type(exc).__name__).strip()
    answer = _provider_answer(exc.response)
    reason = f"{first_line} ({answer})" if answer else first_line
    status = exc.status_code or getattr(exc.response, "status_code", None)
    if isinstance(exc, AnymailRecipientsRefused) or (status and 400 <= status < 500):
        return PROVIDER_REFUSED.format(reason=reason[:300])
    return PROVIDER_UNREACHABLE.format(reason=reason[:300])


def _provider_answer(response) -> str:
    """The provider's own words from its JSON answer (Message, message, error…), if any."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code}"
    if isinstance(body, dict):
        for key in ("Message", "message", "error", "errors", "detail"):
            if body.get(key):
                return f"{response.status_code} {body[key]}"
    return f"{response.status_code}"


def _reason(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()
