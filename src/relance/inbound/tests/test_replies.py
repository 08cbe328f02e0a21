"""The new text of a reply and automatic replies (inbound/replies.py), in French, English,
German and Spanish, as the mail clients of those countries write them."""

import pytest

from relance.inbound.replies import auto_reply_reason, strip_reply


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        # Gmail, English, attribution on one line
        (
            "We paid invoice INV-0042 today.\n\nOn Mon, 2 Mar 2026 at 10:12, Acme UK "
            "<credit-control@acme.co.uk> wrote:\n> Dear customer,\n> INV-0042 is overdue.",
            "We paid invoice INV-0042 today.",
        ),
        # Apple Mail, French, attribution without a name
        (
            "Réglée ce matin.\n\nLe 2 mars 2026 à 10:12, relances@acme.fr a écrit :\n\n> Bonjour",
            "Réglée ce matin.",
        ),
        # Thunderbird, German
        (
            "Zahlung folgt am 15.\n\nAm 02.03.2026 um 10:12 schrieb Acme GmbH:\n> Guten Tag",
            "Zahlung folgt am 15.",
        ),
        # Gmail, Spanish, attribution wrapped over two lines
        (
            "Pagaremos el viernes.\n\nEl lun, 2 mar 2026 a las 10:12, Acme Iberia "
            "(<cobros@acme.es>)\nescribió:\n\n> Estimado cliente",
            "Pagaremos el viernes.",
        ),
        # Outlook, English
        (
            "Please send a copy of INV-0042.\n\n-----Original Message-----\nFrom: Acme UK\n"
            "Sent: Monday, March 2, 2026 10:12 AM\nTo: ap@client.example\nSubject: Reminder",
            "Please send a copy of INV-0042.",
        ),
        # Outlook, French, header block after a line of underscores
        (
            "Bonjour,\nMerci de nous envoyer un RIB.\n\n________________________________\n"
            "De : Acme France <relances@acme.fr>\nEnvoyé : lundi 2 mars 2026 10:12\n"
            "À : compta@client.fr\nObjet : Relance",
            "Bonjour,\nMerci de nous envoyer un RIB.",
        ),
        # Outlook, German header block
        (
            "Die Rechnung ist fehlerhaft (Menge 10 statt 8).\n\nVon: Acme GmbH\n"
            "Gesendet: Montag, 2. März 2026 10:12\nAn: einkauf@kunde.de\nBetreff: Mahnung",
            "Die Rechnung ist fehlerhaft (Menge 10 statt 8).",
        ),
        # GMX and web.de, German: "Gesendet:" first
        (
            "Wir haben am 27.02. überwiesen.\n\nGesendet: Montag, 02. März 2026 um 10:12 Uhr\n"
            'Von: "Acme GmbH" <mahnwesen@acme.de>\nAn: einkauf@kunde.de\nBetreff: Mahnung',
            "Wir haben am 27.02. überwiesen.",
        ),
        # Outlook, Spanish header block
        (
            "Les enviamos el justificante.\n\nDe: Acme Iberia <cobros@acme.es>\n"
            "Enviado el: lunes, 2 de marzo de 2026 10:12\nPara: pagos@cliente.es\n"
            "Asunto: Recordatorio",
            "Les enviamos el justificante.",
        ),
        # Outlook, Spanish, "-----Mensaje original-----"
        (
            "Adjunto el justificante.\n-----Mensaje original-----\nDe: Acme Iberia\nEnviado: lunes",
            "Adjunto el justificante.",
        ),
        # Forwarded, French and German
        (
            "Pour info, voir ci-dessous.\n\n-------- Message transféré --------\nSujet : Virement",
            "Pour info, voir ci-dessous.",
        ),
        (
            "Siehe unten.\n\n---------- Weitergeleitete Nachricht ----------\nVon: Bank",
            "Siehe unten.",
        ),
        # Signatures
        ("Payé hier.\n-- \nJean Dupont\nDupont SARL", "Payé hier."),
        ("Paid yesterday.\n\nSent from my iPhone", "Paid yesterday."),
        ("Payé hier.\n\nEnvoyé de mon iPhone", "Payé hier."),
        ("Bezahlt.\n\nVon meinem iPhone gesendet", "Bezahlt."),
        ("Pagado.\n\nEnviado desde mi iPhone", "Pagado."),
        (
            "Bonjour,\nNous paierons le 15.\n\nCordialement,\nClaire Martin\nComptable\n"
            "01 23 45 67 89",
            "Bonjour,\nNous paierons le 15.",
        ),
        (
            "Hi,\nWe'll pay next Friday.\n\nKind regards,\n\nJohn Smith\nSmith & Co Ltd",
            "Hi,\nWe'll pay next Friday.",
        ),
        ("Wir zahlen Ende März.\n\nMit freundlichen Grüßen\nHans Müller", "Wir zahlen Ende März."),
        ("Pagaremos el día 15.\n\nUn saludo,\nLucía", "Pagaremos el día 15."),
        # A forward with no note of its own: the forwarded text
        (
            "---------- Forwarded message ---------\nFrom: Sophie Bernard <ap@dupont.example>\n"
            "Subject: Fwd: Payment reminder\n\nHello,\n\nWe will pay FA27-00244 at the end of "
            "the month.\n\nCheers,",
            "Hello,\n\nWe will pay FA27-00244 at the end of the month.",
        ),
        # Bottom posting under an attribution
        (
            "On Mon, 2 Mar 2026, Acme UK <cc@acme.co.uk> wrote:\n> Please pay.\n\nPaid today.",
            "Paid today.",
        ),
        # A closing left alone once the "-- " signature is gone
        ("Nous réglerons demain.\n\nCordialement,\n\n-- \nClaire Martin", "Nous réglerons demain."),
        # Bottom posting and inline answers: the quoted lines go, the answers stay
        (
            "> Could you confirm the payment date?\nThe 15th.\n> And the amount?\n1,250.00 EUR",
            "The 15th.\n1,250.00 EUR",
        ),
    ],
)
def test_strip_reply(text, reply):
    assert strip_reply(text) == reply


def test_a_valediction_followed_by_a_long_text_is_not_a_signature():
    text = (
        "Thanks,\nwe have checked the statement with our accounting department and found that "
        "invoice INV-0042 was paid twice, once on 3 March and once on 5 March, please refund."
    )
    assert strip_reply(text) == text


def test_a_sentence_that_starts_like_a_mobile_signature_is_kept():
    text = "Hello,\nSent from my bank account yesterday: 1,250 EUR.\nJohn"
    assert strip_reply(text) == text
    assert strip_reply("Paid.\n\nSent from my Galaxy S24 Ultra") == "Paid."


def test_a_date_and_a_recipient_in_the_answer_are_not_a_header_block():
    text = "Date: 15 March\nTo: our bank, for 1,250.00 EUR\nSubject to approval."
    assert strip_reply(text) == text


def test_forwards_of_forwards_without_notes():
    forward = "-------- Message transféré --------\nDe : X <x@client.fr>\nObjet : TR: Relance\n\n"
    assert strip_reply(forward * 3 + "Réglée hier.") == "Réglée hier."
    deeper = forward * 4 + "Réglée hier."
    assert strip_reply(deeper) == deeper.strip()  # past three levels: kept whole


def test_a_one_line_thanks_is_kept():
    assert strip_reply("Thanks, we will pay on Friday.") == "Thanks, we will pay on Friday."


def test_when_stripping_leaves_nothing_the_whole_text_is_kept():
    text = "> Dear customer,\n> INV-0042 is overdue."
    assert strip_reply(text) == text
    assert strip_reply("Sent from my iPhone") == "Sent from my iPhone"


@pytest.mark.parametrize(
    ("headers", "subject", "reason"),
    [
        ({"auto-submitted": "auto-generated"}, "Re: x", "Auto-Submitted: auto-generated"),
        ({"auto-submitted": "No"}, "Re: x", ""),
        ({"x-autorespond": "Vacation"}, "Re: x", "X-Autorespond: Vacation"),
        ({"precedence": "bulk"}, "Newsletter", "Precedence: bulk"),
        ({"precedence": "list"}, "Re: x", ""),  # a mailing list, not an automatic reply
        ({"x-auto-response-suppress": "All"}, "Re: x", ""),  # a request, not a statement
        ({}, "Automatic reply: Overdue invoice", "Subject: Automatic reply: Overdue invoice"),
        ({}, "Réponse automatique : Relance", "Subject: Réponse automatique : Relance"),
        ({}, "Out of Office: Reminder", "Subject: Out of Office: Reminder"),
        ({}, "Re: Out of office items", ""),
    ],
)
def test_auto_reply_reason_from_headers_and_subject(headers, subject, reason):
    assert auto_reply_reason(headers, subject, "We paid.") == reason


@pytest.mark.parametrize(
    "text",
    [
        "I'm on annual leave until 16 March.",
        "Je serai absent du 9 au 13 mars.",
        "Ich bin derzeit nicht im Büro und ab dem 16.03. wieder erreichbar.",
        "Estaré fuera hasta el lunes.",
        "Mensaje automático - ausente, vuelvo el jueves. Gracias por su comprensión.",
        "Unsere Büros sind über die Feiertage geschlossen, wieder geöffnet am 15.6.",
        "Fermeture annuelle de l'entreprise, nous reprenons le 22.",
        "Annual company shutdown, we're back on the 9th.",
        "I am on sick leave, expected back by the end of the month.",
        "Estoy de baja médica, vuelvo previsiblemente el 20/06/2027.",
        "Bonjour,\n\nAbsent, de retour le 13/09.",
        "Im Urlaub, wieder da am 13.10.2027.",
        "Je participe à un salon et ne lirai pas mes mails avant le 25 mai.",
        "Derzeit in Elternzeit. Ein Kollege aus der Buchhaltung vertritt mich.",
        "On a training course all week, I'll answer this Thursday.",
    ],
)
def test_out_of_office_phrasings(text):
    assert auto_reply_reason({}, "Re: Relance", text).startswith("Text: ")


@pytest.mark.parametrize(
    "text",
    [
        "We will pay on the 15th.",
        "Nous contestons la facture F2026-0142 : prix erroné.",
        "Bitte senden Sie uns eine Kopie der Rechnung.",
        "Our office was closed last week; we will pay invoice INV-0042 on Friday.",
        "Nous étions en congés : la facture F2026-0142 sera réglée le 15.",
        "Away from our records we cannot confirm, please send a statement.",
        "The invoice was absent from the parcel, please send a copy.",
    ],
)
def test_human_answers_are_not_out_of_office(text):
    assert auto_reply_reason({}, "Re: Relance", text) == ""
