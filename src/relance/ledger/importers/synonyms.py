"""What Relance's import fields are called in files from elsewhere, in French, English, German,
Spanish and Italian, with the kind of value each holds. The smart upload (mapping.py) matches
headers against these names after normalising both the same way (accents, case, punctuation,
"N°"/"Nr."/"Nº" as one word), so each name is written once, as people write it."""

from django.utils.translation import gettext_lazy as _

# Kinds of value a field holds; mapping.py scores how well a column's values fit each.
ID, TEXT, DATE, AMOUNT, CURRENCY, KIND, FLAG, EMAIL, PHONE, COUNTRY, LANGUAGE, CUSTOMER = (
    "id",
    "text",
    "date",
    "amount",
    "currency",
    "kind",
    "flag",
    "email",
    "phone",
    "country",
    "language",
    "customer",
)

CUSTOMER_CODE = [
    "customer code", "customer id", "customer number", "customer no", "customer account",
    "account", "account number", "client id",
    "code client", "n° client", "numéro client", "numéro de client", "compte client",
    "client", "code tiers", "tiers", "compte",
    "Kundennummer", "Kunden-Nr.", "Kundennr", "Kunde", "Debitor", "Debitorennummer",
    "Debitor-Nr.", "Kontonummer", "Konto",
    "código cliente", "código de cliente", "cód. cliente", "n.º cliente", "número de cliente",
    "cliente", "cuenta", "cuenta cliente",
    "codice cliente", "cod. cliente", "numero cliente", "n. cliente", "conto cliente",
]  # fmt: skip
CUSTOMER_NAME = [
    "name", "customer name", "customer", "company", "company name", "client name",
    "raison sociale", "nom", "nom du client", "nom client", "société",
    "Name", "Firma", "Kundenname", "Firmenname", "Unternehmen",
    "nombre", "razón social", "nombre del cliente", "nombre cliente", "empresa",
    "ragione sociale", "nome", "denominazione", "nome cliente", "azienda",
]  # fmt: skip
CURRENCY_NAMES = [
    "currency", "ccy", "currency code", "cur",
    "devise", "monnaie", "code devise",
    "Währung", "Waehrung", "Währungscode", "Whg",
    "moneda", "divisa", "código de moneda",
    "valuta", "codice valuta",
]  # fmt: skip
ADDRESS = {
    "address_line1": (TEXT, [
        "address", "address 1", "address line 1", "street",
        "adresse", "adresse 1", "rue",
        "Adresse", "Straße", "Strasse", "Anschrift",
        "dirección", "dirección 1", "calle", "domicilio",
        "indirizzo", "indirizzo 1", "via",
    ]),
    "address_line2": (TEXT, [
        "address 2", "address line 2", "adresse 2", "complément d'adresse",
        "Adresszusatz", "Adresse 2", "dirección 2", "indirizzo 2",
    ]),
    "postal_code": (ID, [
        "postal code", "zip", "zip code", "postcode", "code postal", "CP",
        "PLZ", "Postleitzahl", "código postal", "C.P.", "CAP", "codice postale",
    ]),
    "city": (TEXT, [
        "city", "town", "ville", "localité", "Ort", "Stadt",
        "ciudad", "localidad", "población", "città", "comune", "località",
    ]),
    "country": (COUNTRY, [
        "country", "country code", "pays", "code pays", "Land", "Länderkennzeichen",
        "país", "código de país", "paese", "nazione", "codice paese",
    ]),
}  # fmt: skip

ITEM_FIELDS = {
    "customer_external_id": (CUSTOMER, CUSTOMER_CODE),
    "kind": (KIND, [
        "kind", "type", "document type", "doc type", "item type",
        "type de pièce", "type pièce", "nature", "type de document", "sens",
        "Belegart", "Dokumentart", "Typ", "Art", "Buchungsart",
        "tipo", "tipo de documento", "tipo documento", "clase",
        "tipo doc", "tipologia", "tipo movimento",
    ]),
    "number": (ID, [
        "number", "invoice number", "invoice no", "invoice #", "invoice", "document number",
        "document no", "doc no", "reference", "ref", "item number",
        "n° facture", "numéro de facture", "numéro facture", "facture", "n° pièce",
        "numéro de pièce", "pièce", "référence", "n° document",
        "Rechnungsnummer", "Rechnungs-Nr.", "Rechnungsnr", "Rechnung", "Belegnummer",
        "Beleg-Nr.", "Belegnr", "Beleg", "Dokumentnummer",
        "nº factura", "número de factura", "núm. factura", "factura", "número de documento",
        "número documento", "referencia",
        "numero fattura", "n. fattura", "nr fattura", "fattura", "numero documento",
        "riferimento",
    ]),
    "issue_date": (DATE, [
        "issue date", "invoice date", "document date", "date", "date issued",
        "date de facture", "date facture", "date d'émission", "date pièce", "date de pièce",
        "date document",
        "Rechnungsdatum", "Belegdatum", "Datum", "Ausstellungsdatum",
        "fecha", "fecha de factura", "fecha factura", "fecha de emisión", "fecha emisión",
        "fecha documento",
        "data", "data fattura", "data documento", "data emissione", "data di emissione",
    ]),
    "due_date": (DATE, [
        "due date", "due", "payment due", "due on", "maturity", "maturity date",
        "échéance", "date d'échéance", "date échéance", "échu le",
        "Fälligkeitsdatum", "Fälligkeit", "fällig am", "Fällig", "Zahlungsziel",
        "fecha de vencimiento", "vencimiento", "fecha vencimiento", "vence",
        "scadenza", "data scadenza", "data di scadenza",
    ]),
    "amount": (AMOUNT, [
        "amount", "total", "invoice amount", "gross amount", "amount incl tax", "total amount",
        "original amount",
        "montant", "montant TTC", "montant total", "total TTC", "montant facture",
        "montant initial",
        "Betrag", "Rechnungsbetrag", "Bruttobetrag", "Gesamtbetrag", "Betrag brutto",
        "Ursprungsbetrag",
        "importe", "importe total", "total factura", "importe factura", "importe original",
        "importo", "importo totale", "totale", "importo fattura", "totale fattura",
        "importo originale",
    ]),
    "open_amount": (AMOUNT, [
        "open amount", "outstanding", "outstanding amount", "amount due", "balance",
        "remaining", "balance due", "open", "amount open", "residual",
        "montant restant", "reste à payer", "restant dû", "solde", "montant ouvert",
        "encours", "montant dû", "reste dû",
        "offener Betrag", "Offen", "offen", "Restbetrag", "offener Posten", "Saldo",
        "Offener Saldo", "Restsaldo",
        "importe pendiente", "pendiente", "saldo pendiente", "importe abierto",
        "importe vivo",
        "importo residuo", "residuo", "importo aperto", "saldo aperto", "scoperto",
        "importo da pagare",
    ]),
    "currency": (CURRENCY, CURRENCY_NAMES),
    "disputed": (FLAG, [
        "disputed", "dispute", "in dispute", "litige", "en litige", "contesté",
        "strittig", "bestritten", "Reklamation", "en disputa", "disputado", "reclamación",
        "contestato", "in contestazione", "contestazione",
    ]),
    "dispute_reason": (TEXT, [
        "dispute reason", "reason", "motif du litige", "motif litige", "motif",
        "Reklamationsgrund", "Grund", "motivo de la disputa", "motivo reclamación", "motivo",
        "motivo contestazione", "causale",
    ]),
    "dispute_date": (DATE, [
        "dispute date", "date du litige", "date litige", "Reklamationsdatum",
        "fecha de reclamación", "fecha reclamación", "data contestazione",
    ]),
    "promise_date": (DATE, [
        "promise date", "promised date", "payment promise", "date de promesse", "promesse",
        "promesse de paiement", "Zahlungszusage", "Zahlungsversprechen", "zugesagt am",
        "fecha de promesa", "promesa de pago", "data promessa", "promessa di pagamento",
    ]),
    "blocked": (FLAG, [
        "blocked", "on hold", "bloqué", "gesperrt", "Sperre", "Mahnsperre", "bloqueado",
        "bloccato",
    ]),
    "pdf_path": (TEXT, [
        "pdf", "pdf path", "pdf file", "file", "fichier", "fichier pdf", "Datei", "PDF-Datei",
        "archivo", "fichero", "file pdf",
    ]),
    "settled_on": (DATE, [
        "settled on", "paid on", "payment date", "settlement date", "date de règlement",
        "date de paiement", "réglé le", "payé le", "Zahlungsdatum", "bezahlt am",
        "Ausgleichsdatum", "fecha de pago", "fecha de cobro", "pagado el", "data pagamento",
        "data incasso", "pagato il",
    ]),
}  # fmt: skip

CUSTOMER_FIELDS = {
    "external_id": (ID, [*CUSTOMER_CODE, "code", "id"]),
    "name": (TEXT, CUSTOMER_NAME),
    "legal_id": (ID, [
        "legal id", "company id", "registration number", "company number", "VAT number",
        "SIREN", "SIRET", "n° TVA", "TVA intracommunautaire", "numéro de TVA",
        "Steuernummer", "USt-IdNr.", "Umsatzsteuer-ID", "Handelsregisternummer",
        "NIF", "CIF", "número de IVA", "partita IVA", "P.IVA", "codice fiscale",
    ]),
    **ADDRESS,
    "language": (LANGUAGE, ["language", "langue", "Sprache", "idioma", "lingua"]),
    "currency": (CURRENCY, CURRENCY_NAMES),
    "credit_limit": (AMOUNT, [
        "credit limit", "limit", "encours autorisé", "limite de crédit", "plafond",
        "Kreditlimit", "Kreditlinie", "límite de crédito", "límite", "limite di credito",
        "fido",
    ]),
    "category": (TEXT, ["category", "catégorie", "Kategorie", "categoría", "categoria"]),
}  # fmt: skip

CONTACT_FIELDS = {
    "customer_external_id": (CUSTOMER, CUSTOMER_CODE),
    "external_id": (ID, [
        "contact id", "contact code", "id contact", "code contact", "Kontakt-ID",
        "Kontaktnummer", "id contacto", "código de contacto", "codice contatto",
        "id contatto",
    ]),
    "first_name": (TEXT, ["first name", "given name", "prénom", "Vorname", "nombre", "nome"]),
    "last_name": (TEXT, [
        "last name", "surname", "family name", "nom", "nom de famille", "Nachname",
        "Familienname", "apellido", "apellidos", "cognome",
    ]),
    "job_title": (TEXT, [
        "job title", "title", "position", "role", "fonction", "poste", "Funktion",
        "Position", "Berufsbezeichnung", "cargo", "puesto", "ruolo", "qualifica",
    ]),
    "email": (EMAIL, [
        "email", "e-mail", "mail", "email address", "courriel", "adresse e-mail",
        "E-Mail-Adresse", "correo", "correo electrónico", "posta elettronica",
        "indirizzo email",
    ]),
    "phone": (PHONE, [
        "phone", "telephone", "tel", "phone number", "téléphone", "Telefon",
        "Telefonnummer", "teléfono", "telefono",
    ]),
    "mobile": (PHONE, [
        "mobile", "cell", "cell phone", "mobile phone", "portable", "Handy", "Mobil",
        "Mobiltelefon", "móvil", "celular", "cellulare",
    ]),
    **ADDRESS,
}  # fmt: skip

FIELDS = {"items": ITEM_FIELDS, "customers": CUSTOMER_FIELDS, "contacts": CONTACT_FIELDS}

# The item kinds as other systems and languages write them (items.py reads these words).
KIND_SYNONYMS = {
    "invoice": [
        "invoice", "inv", "facture", "fac", "Rechnung", "RE", "factura", "fattura",
    ],
    "credit_note": [
        "credit note", "credit-note", "credit_note", "credit", "avoir", "Gutschrift", "GS",
        "abono", "nota de crédito", "nota de credito", "nota di credito", "nota credito",
    ],
    "payment": [
        "payment", "paiement", "règlement", "reglement", "Zahlung", "Zahlungseingang",
        "pago", "cobro", "pagamento", "incasso",
    ],
}  # fmt: skip

# What the selects of the mapping page show next to each field's column name.
FIELD_LABELS = {
    "customer_external_id": _("Customer code"),
    "kind": _("Kind (invoice, credit note, payment)"),
    "number": _("Document number"),
    "issue_date": _("Issue date"),
    "due_date": _("Due date"),
    "amount": _("Amount"),
    "open_amount": _("Open amount"),
    "currency": _("Currency"),
    "disputed": _("Disputed (yes/no)"),
    "dispute_reason": _("Dispute reason"),
    "dispute_date": _("Dispute date"),
    "promise_date": _("Promise date"),
    "blocked": _("Blocked (yes/no)"),
    "pdf_path": _("PDF file"),
    "settled_on": _("Settlement date"),
    "external_id": _("Code"),
    "name": _("Name"),
    "legal_id": _("Company or VAT number"),
    "address_line1": _("Address"),
    "address_line2": _("Address, line 2"),
    "postal_code": _("Postal code"),
    "city": _("City"),
    "country": _("Country"),
    "language": _("Language"),
    "credit_limit": _("Credit limit"),
    "category": _("Category"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "job_title": _("Job title"),
    "email": _("Email"),
    "phone": _("Phone"),
    "mobile": _("Mobile"),
}
