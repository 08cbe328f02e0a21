"""The message templates that `relance setup` creates, in French and English.

A default is created only when no template has its key or its name; it is never changed
afterwards, so that what a credit manager edited (or deleted and rewrote) stays as it is.
"""

from django.db.models import Q

from relance.core.defaults import register
from relance.templating.choices import Channel, LetterType
from relance.templating.models import MessageTemplate
from relance.templating.services import template_create

COURTESY = {
    "fr": (
        "Échéance prochaine de votre facture #reference_number",
        "<p>Bonjour #contact_name,</p>"
        "<p>Nous vous rappelons que la facture <strong>#reference_number</strong> arrive à "
        "échéance le #reference_due_date. Voici le relevé de votre compte :</p>"
        "<p>#items_list</p>"
        "<p>Si le règlement est déjà parti, merci de ne pas tenir compte de ce message.</p>"
        "<p>Vos factures, leurs PDF et vos réponses en ligne : #interactive_button</p>"
        "<p>Cordialement,<br>#user_name<br>#company_name</p>",
    ),
    "en": (
        "Invoice #reference_number falls due soon",
        "<p>Dear #contact_name,</p>"
        "<p>This is a friendly reminder that invoice <strong>#reference_number</strong> falls "
        "due on #reference_due_date. Here is the statement of your account:</p>"
        "<p>#items_list</p>"
        "<p>If you have already paid, please disregard this message.</p>"
        "<p>Your invoices, their PDFs and your answers online: #interactive_button</p>"
        "<p>Kind regards,<br>#user_name<br>#company_name</p>",
    ),
}
FIRST = {
    "fr": (
        "Relance : facture(s) échue(s) – #customer_name",
        "<p>Bonjour #contact_name,</p>"
        "<p>Sauf erreur de notre part, nous n'avons pas reçu le règlement des factures "
        "suivantes, échues pour un montant de <strong>#overdue_amount</strong> :</p>"
        "<p>#overdue_items_list</p>"
        "<p>Merci de procéder au règlement dès que possible, par virement :<br>"
        "#bank_details</p>"
        "<p>Déjà payé, une date de paiement à proposer, une facture contestée ? "
        "Dites-le-nous en ligne : #interactive_button</p>"
        "<p>Cordialement,<br>#user_name<br>#company_name<br>#user_phone</p>",
    ),
    "en": (
        "Reminder: overdue invoice(s) – #customer_name",
        "<p>Dear #contact_name,</p>"
        "<p>According to our records, the following invoices, overdue for a total of "
        "<strong>#overdue_amount</strong>, remain unpaid:</p>"
        "<p>#overdue_items_list</p>"
        "<p>Please arrange payment at your earliest convenience, by bank transfer:<br>"
        "#bank_details</p>"
        "<p>Already paid, a payment date to suggest, an invoice in dispute? "
        "Tell us online: #interactive_button</p>"
        "<p>Kind regards,<br>#user_name<br>#company_name<br>#user_phone</p>",
    ),
}
SECOND = {
    "fr": (
        "Second rappel : #overdue_amount restent impayés",
        "<p>Bonjour #contact_name,</p>"
        "<p>Malgré notre précédent rappel, votre compte #customer_number présente toujours "
        "<strong>#overdue_amount</strong> échus, dont la plus ancienne facture a "
        "#max_days_overdue jours de retard :</p>"
        "<p>#overdue_items_list</p>"
        "<p>Nous vous remercions de régler sous 8 jours. À défaut, des pénalités de retard "
        "au taux de #late_penalty_rate et l'indemnité forfaitaire de recouvrement pourront "
        "être appliquées.</p>"
        "<p>#payment_qr</p>"
        "<p>Votre compte et vos réponses en ligne : #interactive_button</p>"
        "<p>Cordialement,<br>#user_name<br>#company_name<br>#user_email</p>",
    ),
    "en": (
        "Second reminder: #overdue_amount still unpaid",
        "<p>Dear #contact_name,</p>"
        "<p>Despite our previous reminder, account #customer_number still shows "
        "<strong>#overdue_amount</strong> overdue, the oldest invoice being #max_days_overdue "
        "days late:</p>"
        "<p>#overdue_items_list</p>"
        "<p>Please settle within 8 days. Otherwise, late-payment interest at #late_penalty_rate "
        "and the fixed recovery fee may be charged.</p>"
        "<p>#payment_qr</p>"
        "<p>Your account and your answers online: #interactive_button</p>"
        "<p>Kind regards,<br>#user_name<br>#company_name<br>#user_email</p>",
    ),
}
SMS = {
    "fr": ("", "#company_name : votre compte présente #overdue_amount échus. "
           "Détail et réponse : #interactive_link"),
    "en": ("", "#company_name: your account shows #overdue_amount overdue. "
           "Details and answers: #interactive_link"),
}  # fmt: skip
CALL = {
    "fr": (
        "Appel de relance – #customer_name",
        "Demander #contact_name.\n"
        "1. Se présenter : #user_name, service recouvrement de #company_name.\n"
        "2. Rappeler le solde échu : #overdue_amount (plus ancienne échéance le "
        "#oldest_due_date, #max_days_overdue jours de retard).\n"
        "3. Demander la date de règlement et le moyen de paiement ; noter toute promesse.\n"
        "4. En cas de litige, noter les factures et le motif.\n"
        "5. Confirmer par e-mail : #bank_details",
    ),
    "en": (
        "Reminder call – #customer_name",
        "Ask for #contact_name.\n"
        "1. Introduce yourself: #user_name, credit department of #company_name.\n"
        "2. State the overdue balance: #overdue_amount (oldest due date #oldest_due_date, "
        "#max_days_overdue days late).\n"
        "3. Ask for the payment date and method; record any promise.\n"
        "4. If there is a dispute, note the invoices and the reason.\n"
        "5. Confirm by email: #bank_details",
    ),
}
NOTICE = {
    "fr": (
        "Mise en demeure de payer",
        "<p>Madame, Monsieur,</p>"
        "<p>Malgré nos relances, votre compte #customer_number présente à ce jour un solde "
        "échu de <strong>#overdue_amount</strong>, détaillé ci-dessous.</p>"
        "<p>#overdue_items_list</p>"
        "<p>Par la présente, nous vous mettons en demeure de régler cette somme sous huit "
        "jours à compter de la réception de ce courrier. À défaut, nous engagerons une "
        "procédure de recouvrement judiciaire, sans autre avis.</p>"
        "<p>#legal_mentions</p>"
        "<p>Règlement par virement : #bank_details</p>"
        "<p>Votre compte, vos factures et vos réponses en ligne : #interactive_link<br>"
        "#interactive_qr</p>"
        "<p>Veuillez agréer, Madame, Monsieur, nos salutations distinguées.</p>",
    ),
    "en": (
        "Formal notice to pay",
        "<p>Dear Sir or Madam,</p>"
        "<p>Despite our reminders, account #customer_number shows an overdue balance of "
        "<strong>#overdue_amount</strong>, detailed below.</p>"
        "<p>#overdue_items_list</p>"
        "<p>We hereby give you formal notice to pay this amount within eight days of "
        "receiving this letter. Failing that, we will start legal recovery proceedings "
        "without further notice.</p>"
        "<p>#legal_mentions</p>"
        "<p>Payment by bank transfer: #bank_details</p>"
        "<p>Your account, your invoices and your answers online: #interactive_link<br>"
        "#interactive_qr</p>"
        "<p>Yours faithfully,</p>",
    ),
}
ESCALATION = {
    "fr": (
        "Escalade : #customer_name (#customer_number)",
        "La mise en demeure est restée sans effet.\n"
        "Solde échu : #overdue_amount, #max_days_overdue jours de retard.\n"
        "Décider : transmission au contentieux, injonction de payer, blocage des livraisons "
        "ou passage en perte.",
    ),
    "en": (
        "Escalation: #customer_name (#customer_number)",
        "The formal notice had no effect.\n"
        "Overdue balance: #overdue_amount, #max_days_overdue days late.\n"
        "Decide: hand over to litigation, payment order, stop deliveries or write off.",
    ),
}

# (key, name, channel, letter type, description, texts)
DEFAULT_TEMPLATES = [
    ("courtesy-reminder", "Courtesy reminder", Channel.EMAIL, "",
     "Email sent a few days before the due date.", COURTESY),
    ("first-reminder", "First reminder", Channel.EMAIL, "",
     "First email once invoices are overdue.", FIRST),
    ("second-reminder", "Second reminder", Channel.EMAIL, "",
     "Firmer email mentioning penalties, with a payment QR code.", SECOND),
    ("sms-reminder", "SMS reminder", Channel.SMS, "",
     "Short text message to the collection contact.", SMS),
    ("call-script", "Call script", Channel.CALL, "",
     "What the collector says on the phone.", CALL),
    ("formal-notice", "Formal notice", Channel.LETTER, LetterType.REGISTERED,
     "Mise en demeure, registered letter with acknowledgement of receipt.", NOTICE),
    ("escalation-task", "Escalation task", Channel.TASK, "",
     "Internal task for the credit manager after the formal notice.", ESCALATION),
]  # fmt: skip


@register(order=200)
def default_templates() -> list[str]:
    """The reminder templates of a new installation, each created once."""
    created = []
    for key, name, channel, letter_type, description, texts in DEFAULT_TEMPLATES:
        if MessageTemplate.objects.filter(Q(default_key=key) | Q(name=name)).exists():
            continue
        template_create(
            name=name,
            channel=channel,
            letter_type=letter_type,
            description=description,
            default_key=key,
            variants={
                language: {"subject": subject, "body": body}
                for language, (subject, body) in texts.items()
            },
        )
        created.append(f"template {name!r}")
    return created
