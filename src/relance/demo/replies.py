"""The demo's customers who answered by email: for each entity, a few customers who were sent
an email reply to it, one intent each (a promise for two invoices, a dispute, a payment made
with its remittance advice, a request for a copy, a new contact, an out-of-office, a
call-back, a thank-you), as their mail programs write them (quoted history, signature, an
HTML part). One email bounces and one matches no customer. Every message goes through the
capture's own service, as a fetched mailbox would: matched, paused, read by the assistant."""

from collections import defaultdict
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from relance.core.models import Entity
from relance.delivery.choices import OutboxStatus
from relance.delivery.models import Outbox
from relance.inbound.choices import InboundSource
from relance.inbound.services import inbound_email_store
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.scenarios.choices import StepChannel

# What the customers write, in the entity's language: {a}, {b} the two invoices' numbers,
# {date} a date they promise, {name} the writer.
TEXTS = {
    "fr": {
        "promise": (
            "Bonjour,\n\nSuite à votre relance, les factures {a} et {b} seront réglées le "
            "{date} par virement, après validation de notre direction financière.\n\n"
            "Cordialement,\n{name}"
        ),
        "dispute": (
            "Bonjour,\n\nNous contestons la facture {a} : la moitié des pièces livrées sont "
            "arrivées cassées. Merci de nous faire parvenir un avoir, nous ne réglerons pas "
            "cette facture en l'état.\n\n{name}"
        ),
        "payment_made": (
            "Bonjour,\n\nLe virement pour la facture {a} est parti hier. Vous trouverez l'avis "
            "de paiement en pièce jointe.\n\nBien à vous,\n{name}"
        ),
        "copy_request": (
            "Bonjour,\n\nNous n'avons jamais reçu la facture {a}. Pourriez-vous nous en "
            "renvoyer une copie en PDF ?\n\nMerci,\n{name}"
        ),
        "contact_change": (
            "Bonjour,\n\nJe quitte la société à la fin du mois. Merci d'adresser désormais vos "
            "courriers à notre service comptable : compta.fournisseurs@client.example\n\n{name}"
        ),
        "callback": (
            "Bonjour,\n\nPouvez-vous me rappeler demain matin au 01 42 68 53 00 ? J'aimerais "
            "faire le point sur notre compte.\n\n{name}"
        ),
        "other": "Merci pour votre message, je transmets à la personne concernée.\n\n{name}",
        "out_of_office": (
            "Bonjour,\n\nJe suis absent du bureau jusqu'au lundi {date} inclus, avec un accès "
            "limité à mes messages. Pour toute urgence, contactez l'accueil.\n\n{name}"
        ),
        "unassigned": (
            "Bonjour,\n\nPourriez-vous m'envoyer un relevé de notre compte ? Merci.\n\n"
            "Julie Bernard\nService achats"
        ),
        "wrote": "Le {when}, {sender} a écrit :",
        "automatic": "Réponse automatique :",
        "advice": "Avis de paiement",
        "date": "{day} {month}",
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
        "novembre décembre",
    },
    "en": {
        "promise": (
            "Hello,\n\nFollowing your reminder: invoices {a} and {b} will be paid on {date} by "
            "bank transfer, once our finance director has approved them.\n\n"
            "Kind regards,\n{name}"
        ),
        "dispute": (
            "Hi,\n\nWe dispute invoice {a}: half of the parts delivered arrived broken. Please "
            "send us a credit note; we will not pay this invoice as it stands.\n\n{name}"
        ),
        "payment_made": (
            "Hello,\n\nThe transfer for invoice {a} went out yesterday. Please find the "
            "remittance advice attached.\n\nBest regards,\n{name}"
        ),
        "copy_request": (
            "Hello,\n\nWe never received invoice {a}. Could you send us a copy as a PDF?\n\n"
            "Thanks,\n{name}"
        ),
        "contact_change": (
            "Hello,\n\nI am leaving the company at the end of the month. Please write to our "
            "accounts payable team from now on: ap@client.example\n\n{name}"
        ),
        "callback": (
            "Hi,\n\nCould you call me back tomorrow morning on 0161 496 0000? I would like to "
            "go through our account.\n\n{name}"
        ),
        "other": "Thanks for your message, I am passing it on to the right person.\n\n{name}",
        "out_of_office": (
            "Hello,\n\nI am out of the office until Monday {date} with limited access to email. "
            "For anything urgent, please contact reception.\n\n{name}"
        ),
        "unassigned": (
            "Hello,\n\nCould you send me a statement of our account? Thanks.\n\n"
            "Julie Bernard\nPurchasing"
        ),
        "wrote": "On {when}, {sender} wrote:",
        "automatic": "Automatic reply:",
        "advice": "Remittance advice",
        "date": "{day} {month}",
        "months": "January February March April May June July August September October "
        "November December",
    },
}
INTENTS = (
    "promise",
    "dispute",
    "payment_made",
    "copy_request",
    "contact_change",
    "out_of_office",
    "callback",
    "other",
)


def demo_replies(*, entities: list[Entity]) -> dict[str, int]:
    """Each entity's customers answer by email, one intent each; then one email bounces and
    one stranger writes. Answers the counts of stored emails by kind."""
    counts: dict[str, int] = {}
    for entity in entities:
        texts = TEXTS["fr" if entity.language == "fr" else "en"]
        answered = _answered_customers(entity)
        sent = _sent_emails(entity, exclude=answered, count=len(INTENTS) + 1)
        for intent, (outbox, invoices) in zip(INTENTS, sent, strict=False):
            raw = _reply(entity, outbox, invoices, intent, texts)
            _count(counts, inbound_email_store(entity=entity, raw=raw, source=InboundSource.FILE))
        if len(sent) > len(INTENTS):
            raw = _bounce(entity, sent[len(INTENTS)][0])
            _count(counts, inbound_email_store(entity=entity, raw=raw, source=InboundSource.FILE))
        raw = _stranger(entity, texts)
        _count(counts, inbound_email_store(entity=entity, raw=raw, source=InboundSource.FILE))
    _read_by_the_assistant(entities)
    return counts


def _read_by_the_assistant(entities: list[Entity]) -> None:
    """Every email response with its proposal now: the capture asks for it after commit (in
    a task), and the out-of-office, an automatic reply, is read here too."""
    from relance.agenda.models import CustomerResponse
    from relance.assistant.services import proposal_create

    responses = CustomerResponse.objects.filter(entity__in=entities, channel="email")
    for response in responses.select_related("customer__entity", "entity"):
        proposal_create(response=response)


def _count(counts: dict[str, int], email) -> None:
    if email is not None:
        key = email.status if email.status == "unassigned" else email.kind
        counts[key] = counts.get(key, 0) + 1


def _answered_customers(entity: Entity) -> set[int]:
    """Customers who answered on their page already (demo/answers.py): left to that story."""
    from relance.agenda.models import CustomerResponse

    return set(CustomerResponse.objects.filter(entity=entity).values_list("customer_id", flat=True))


def _sent_emails(entity: Entity, *, exclude: set[int], count: int) -> list[tuple]:
    """(outbox row, one or two open invoices) of the latest email sent to `count` distinct
    customers: those who answered nothing yet first, those who owe two invoices first (the
    promise, the first intent, cites two)."""
    rows = (
        Outbox.objects.filter(
            action__entity=entity, channel=StepChannel.EMAIL, status=OutboxStatus.SENT
        )
        .exclude(message_id="")
        .select_related("action__customer")
        .order_by("-day", "-id")
    )
    latest = {}
    for outbox in rows.iterator():
        latest.setdefault(outbox.action.customer_id, outbox)
    invoices = defaultdict(list)
    open_invoices = Item.objects.filter(
        customer_id__in=latest, kind=ItemKind.INVOICE, open_amount__gt=0, disputed=False
    ).order_by("customer_id", "due_date", "number")
    for item in open_invoices:
        invoices[item.customer_id].append(item)
    found = [
        (outbox, invoices[customer_id][:2])
        for customer_id, outbox in latest.items()
        if invoices[customer_id]
    ]
    found.sort(key=lambda pair: (pair[0].action.customer_id in exclude, len(pair[1]) < 2))
    return found[:count]


def _reply_address(entity: Entity) -> str:
    return entity.email or "relances@acme.example"


def _writer(outbox: Outbox) -> tuple[str, str]:
    address = outbox.recipients.split(",")[0].strip()
    local = address.partition("@")[0].replace(".", " ").replace("_", " ")
    return address, local.title() or outbox.action.customer.name


def _spoken_date(day, texts: dict) -> str:
    months = texts["months"].split()
    return texts["date"].format(day=day.day, month=months[day.month - 1])


def _reply(entity: Entity, outbox: Outbox, invoices: list[Item], intent: str, texts: dict):
    address, name = _writer(outbox)
    today = entity.today()
    promised = today + timedelta(days=12)
    if intent == "out_of_office":
        promised = today + timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    body = texts[intent].format(
        a=invoices[0].number, b=invoices[-1].number, date=_spoken_date(promised, texts), name=name
    )
    when = timezone.localtime(outbox.created_at).strftime("%d/%m/%Y %H:%M")
    quoted = "\n".join(f"> {line}" for line in outbox.body.splitlines()[:12])
    text = (
        f"{body}\n\n{texts['wrote'].format(when=when, sender=_reply_address(entity))}\n{quoted}\n"
    )
    message = _message(entity, sender=(name, address), subject=f"Re: {outbox.subject}", text=text)
    message["In-Reply-To"] = outbox.message_id
    message["References"] = outbox.message_id
    if intent == "out_of_office":
        message["Auto-Submitted"] = "auto-replied"
        message.replace_header("Subject", f"{texts['automatic']} {outbox.subject}")
    if intent == "payment_made":
        message.add_attachment(
            _advice_pdf(invoices[0], texts["advice"]),
            maintype="application",
            subtype="pdf",
            filename=f"{texts['advice'].replace(' ', '-').lower()}-{invoices[0].number}.pdf",
        )
    return message.as_bytes()


def _message(entity: Entity, *, sender: tuple[str, str], subject: str, text: str):
    message = EmailMessage()
    message["From"] = f"{sender[0]} <{sender[1]}>" if sender[0] else sender[1]
    message["To"] = _reply_address(entity)
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="client.example")
    message.set_content(text)
    return message


def _advice_pdf(invoice: Item, title: str) -> bytes:
    from weasyprint import HTML

    html = (
        f"<h1>{title}</h1><p>{invoice.number} — {invoice.open_amount} {invoice.currency}</p>"
        f"<p>{invoice.customer.name}</p>"
    )
    return HTML(string=html).write_pdf()


def _bounce(entity: Entity, outbox: Outbox) -> bytes:
    """The receiving server's delivery status notification (RFC 3464) for that email, as
    Postfix writes it."""
    address = outbox.recipients.split(",")[0].strip()
    boundary = "relance-demo-dsn"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.client.example>\r\n"
        f"To: {_reply_address(entity)}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(timezone.now())}\r\n"
        f"Message-ID: {make_msgid(domain='mx.client.example')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"Your message could not be delivered to {address}: the mailbox does not exist.\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.client.example\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{address}>: Recipient address rejected: "
        "User unknown in virtual mailbox table\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {outbox.message_id}\r\n"
        f"To: {address}\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def _stranger(entity: Entity, texts: dict) -> bytes:
    """Someone who is no contact, cites no invoice: for the Unassigned list."""
    message = _message(
        entity,
        sender=("Julie Bernard", "julie.bernard@unknown-client.example"),
        subject="Relevé de compte" if entity.language == "fr" else "Account statement",
        text=texts["unassigned"],
    )
    return message.as_bytes()
