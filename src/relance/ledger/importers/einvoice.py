"""Reading one e-invoice: a Factur-X / ZUGFeRD PDF (the CII XML it embeds, taken out by the
`factur-x` library), a CII XML (UN/CEFACT CrossIndustryInvoice, EN 16931) or a UBL 2.1
Invoice or CreditNote (Peppol BIS, France's 2026 reform).

The XML is first checked against the standard's XML schema (the XSDs that `factur-x`
ships), every problem reported at its line and element; then the fields Relance needs are
read by namespace with lxml. The seller must be the entity (when both have a SIREN or VAT
number); the buyer becomes the customer, found by its identifier, legal id or VAT number;
the document becomes an invoice or a credit note, and a PDF is kept as its document."""

import hashlib
import importlib.resources
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from lxml import etree

from relance.customers.models import Customer
from relance.ledger.choices import ItemKind
from relance.ledger.importers.base import ErrorLog
from relance.ledger.importers.readers import ImportFileError
from relance.ledger.importers.sources import Records

CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ZUGFERD_1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
PREFIXES = {CII: "rsm", RAM: "ram", UDT: "udt", CAC: "cac", CBC: "cbc", UBL_INVOICE: "ubl"}
PREFIXES[UBL_CREDIT_NOTE] = "ubl"
CII_NS = {"rsm": CII, "ram": RAM, "udt": UDT}
UBL_NS = {"cac": CAC, "cbc": CBC}
# UNTDID 1001 document types that are credit notes; every other type is an invoice.
CREDIT_NOTE_TYPES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
CII_XSD = {
    "minimum": "facturx-minimum/Factur-X_MINIMUM.xsd",
    "basicwl": "facturx-basicwl/Factur-X_BASICWL.xsd",
    "basic": "facturx-basic/Factur-X_BASIC.xsd",
    "en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "extended": "facturx-extended/Factur-X_EXTENDED.xsd",
}
UBL_XSD = {
    UBL_INVOICE: "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    UBL_CREDIT_NOTE: "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
# SIREN (0002) and SIRET (0009) in the ISO 6523 list of identifier schemes.
SIREN_SCHEMES = {"0002", "0009"}
PDF_MAGIC = b"%PDF-"
NAMESPACE_IN_MESSAGE = re.compile(r"\{([^}]*)\}")


def looks_like_einvoice(head: bytes) -> bool:
    """A PDF, or an XML document (what else it is, the import says)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(PDF_MAGIC) or text.startswith(b"<")


@cache
def schema(relative: str) -> etree.XMLSchema:
    """One of the XSDs shipped by `factur-x`, loaded once per process."""
    base = importlib.resources.files("facturx").joinpath("xsd_and_schematron")
    return etree.XMLSchema(file=str(base.joinpath(relative)))


def safe_parser() -> etree.XMLParser:
    """No external entities, no network, no DTD: an uploaded XML reads nothing else."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def short_names(message: str) -> str:
    """`{urn:…:100}DueDateDateTime` as `ram:DueDateDateTime`, in the schema's messages."""

    def prefix(match: re.Match) -> str:
        return f"{PREFIXES.get(match.group(1), 'ns')}:"

    return NAMESPACE_IN_MESSAGE.sub(prefix, message)


@dataclass
class Party:
    element: object = None
    name: str = ""
    identifier: str = ""  # the buyer's or seller's id at the seller (BT-46, BT-29)
    sirens: list[str] = field(default_factory=list)  # SIREN or SIRET
    vat: str = ""
    address: dict = field(default_factory=dict)


@dataclass
class Document:
    """The fields of an e-invoice that Relance keeps, with the element of each."""

    kind: str = ItemKind.INVOICE
    number: str = ""
    issue_date: str = ""
    due_date: str = ""
    currency: str = ""
    amount: str = ""
    open_amount: str = ""
    seller: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    root: str = ""  # the root element's name, which every place starts with
    lines: dict = field(default_factory=dict)  # field -> line in the XML
    places: dict = field(default_factory=dict)  # field -> element path


def compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def siren_of(value: str) -> str:
    """The SIREN inside a SIREN, a SIRET or a French VAT number (FRkk + SIREN), else ""."""
    value = compact(value)
    if value.isdigit() and len(value) in (9, 14):
        return value[:9]
    if value.startswith("FR") and len(value) == 13 and value[4:].isdigit():
        return value[4:]
    return ""


class XmlDocument:
    """Navigation in one parsed XML with its namespaces, noting the line of what it reads."""

    def __init__(self, root, namespaces: dict[str, str]):
        self.root = root
        self.ns = namespaces

    def first(self, context, path: str):
        found = context.xpath(path, namespaces=self.ns) if context is not None else []
        return found[0] if found else None

    def text(self, context, path: str) -> str:
        element = self.first(context, path)
        if element is None:
            return ""
        value = element if isinstance(element, str) else element.text
        return (value or "").strip()

    def all_text(self, context, path: str) -> list[str]:
        if context is None:
            return []
        return [
            (element.text or "").strip()
            for element in context.xpath(path, namespaces=self.ns)
            if (element.text or "").strip()
        ]


class EInvoiceReader:
    """Reads one e-invoice file into Records (a customer and an item), reporting problems
    in `errors` by line and element; a file that is not an e-invoice raises ImportFileError."""

    def __init__(self, *, entity, errors: ErrorLog, dry_run: bool = False, progress=None):
        self.entity = entity
        self.errors = errors
        self.dry_run = dry_run
        self.pdf: bytes | None = None
        self.xml_name = ""

    def read(self, path: Path) -> Records:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ImportFileError(f"cannot read the file: {exc.strerror or exc}") from exc
        if data.lstrip().startswith(PDF_MAGIC):
            self.pdf = data
            xml = self._xml_of_pdf(data)
        elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            xml = data
        else:
            raise ImportFileError(
                "not an e-invoice: a Factur-X or ZUGFeRD PDF, or a CII or UBL XML file is expected"
            )
        records = Records(lines=1)
        document = self._parse(xml)
        if document is None or self.errors:
            return records
        self._check_seller(document)
        external_id = self._customer_key(document)
        if self.errors:
            return records
        self._fill(records, document, external_id)
        return records

    def _xml_of_pdf(self, data: bytes) -> bytes:
        from facturx import get_xml_from_pdf

        try:
            name, xml = get_xml_from_pdf(data, check_xsd=False)
        except Exception as exc:  # pypdf raises many kinds of errors on a broken PDF
            raise ImportFileError(f"not a readable PDF ({exc})") from exc
        if not xml:
            raise ImportFileError(
                "the PDF has no embedded invoice XML (factur-x.xml, ZUGFeRD-invoice.xml): "
                "it is not a Factur-X or ZUGFeRD invoice"
            )
        self.xml_name = name
        return xml

    def _parse(self, xml: bytes) -> Document | None:
        """The document's fields after the schema's check; None (with errors) if it fails."""
        try:
            root = etree.fromstring(xml, safe_parser())
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            self.errors.add(line, "", f"the XML is malformed: {exc.msg}")
            return None
        namespace = etree.QName(root).namespace
        local = etree.QName(root).localname
        if namespace == CII:
            document = self._cii(root)
        elif namespace in UBL_XSD:
            document = self._ubl(root, namespace)
        elif namespace == ZUGFERD_1:
            self.errors.add(
                root.sourceline, local, "ZUGFeRD 1.0 is not read: export ZUGFeRD 2 / Factur-X"
            )
            return None
        else:
            self.errors.add(
                root.sourceline,
                local,
                "the root element is neither a CII CrossIndustryInvoice nor a UBL 2.1 "
                "Invoice or CreditNote",
            )
            return None
        return document

    def _validate(self, root, xsd: str) -> bool:
        """Check `root` against the standard's schema; each problem at its line and element."""
        checker = schema(xsd)
        if checker.validate(root):
            return True
        root_name = root_name_of(root)
        for entry in checker.error_log:
            # lxml writes an element of a default namespace (UBL's root) as `*`.
            path = re.sub(r"^/\*(?=/|$)", f"/{root_name}", entry.path or "")
            self.errors.add(entry.line, path, short_names(entry.message))
        return False

    # --- CII (Factur-X, ZUGFeRD 2, plain CII) --------------------------------------------

    def _cii(self, root) -> Document | None:
        doc = XmlDocument(root, CII_NS)
        guideline = doc.text(
            root,
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        )
        level = _cii_level(guideline)
        if not self._validate(root, CII_XSD[level]):
            return None
        header = "rsm:ExchangedDocument"
        trade = "rsm:SupplyChainTradeTransaction"
        agreement = f"{trade}/ram:ApplicableHeaderTradeAgreement"
        settlement = f"{trade}/ram:ApplicableHeaderTradeSettlement"
        totals = f"{settlement}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
        due = f"{settlement}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"
        fields = {
            "number": (f"{header}/ram:ID", "BT-1"),
            "type": (f"{header}/ram:TypeCode", "BT-3"),
            "issue_date": (f"{header}/ram:IssueDateTime/udt:DateTimeString", "BT-2"),
            "currency": (f"{settlement}/ram:InvoiceCurrencyCode", "BT-5"),
            "amount": (f"{totals}/ram:GrandTotalAmount", "BT-112"),
            "open_amount": (f"{totals}/ram:DuePayableAmount", "BT-115"),
            "due_date": (f"{due}/udt:DateTimeString", "BT-9"),
        }
        document = self._read_fields(doc, fields, date_format="102")
        document.seller = self._cii_party(doc, f"{agreement}/ram:SellerTradeParty")
        document.buyer = self._cii_party(doc, f"{agreement}/ram:BuyerTradeParty")
        document.places["buyer"] = f"/{document.root}/{agreement}/ram:BuyerTradeParty"
        document.places["seller"] = f"/{document.root}/{agreement}/ram:SellerTradeParty"
        return document

    def _cii_party(self, doc: XmlDocument, path: str) -> Party:
        element = doc.first(doc.root, path)
        party = Party(element=element)
        if element is None:
            return party
        party.name = doc.text(element, "ram:Name")
        party.identifier = doc.text(element, "ram:ID")
        legal = element.xpath("ram:SpecifiedLegalOrganization/ram:ID", namespaces=doc.ns)
        party.sirens = [
            compact(node.text)
            for node in legal
            if node.text and node.get("schemeID", "0002") in SIREN_SCHEMES
        ]
        party.vat = compact(
            doc.text(element, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
        )
        address = doc.first(element, "ram:PostalTradeAddress")
        party.address = {
            "address_line1": doc.text(address, "ram:LineOne"),
            "address_line2": doc.text(address, "ram:LineTwo"),
            "postal_code": doc.text(address, "ram:PostcodeCode"),
            "city": doc.text(address, "ram:CityName"),
            "country": doc.text(address, "ram:CountryID"),
        }
        return party

    # --- UBL 2.1 (Peppol BIS Billing 3.0) -------------------------------------------------

    def _ubl(self, root, namespace: str) -> Document | None:
        if not self._validate(root, UBL_XSD[namespace]):
            return None
        doc = XmlDocument(root, {**UBL_NS, "ubl": namespace})
        credit_note = namespace == UBL_CREDIT_NOTE
        totals = "cac:LegalMonetaryTotal"
        fields = {
            "number": ("cbc:ID", "BT-1"),
            "type": ("cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode", "BT-3"),
            "issue_date": ("cbc:IssueDate", "BT-2"),
            "currency": ("cbc:DocumentCurrencyCode", "BT-5"),
            "amount": (f"{totals}/cbc:TaxInclusiveAmount", "BT-112"),
            "open_amount": (f"{totals}/cbc:PayableAmount", "BT-115"),
            "due_date": (
                "cac:PaymentMeans/cbc:PaymentDueDate" if credit_note else "cbc:DueDate",
                "BT-9",
            ),
        }
        if not credit_note and doc.first(root, "cbc:DueDate") is None:
            fields["due_date"] = ("cac:PaymentMeans/cbc:PaymentDueDate", "BT-9")
        document = self._read_fields(doc, fields, date_format="")
        if credit_note:
            document.kind = ItemKind.CREDIT_NOTE
        document.seller = self._ubl_party(doc, "cac:AccountingSupplierParty/cac:Party")
        document.buyer = self._ubl_party(doc, "cac:AccountingCustomerParty/cac:Party")
        document.places["buyer"] = f"/{document.root}/cac:AccountingCustomerParty/cac:Party"
        document.places["seller"] = f"/{document.root}/cac:AccountingSupplierParty/cac:Party"
        return document

    def _ubl_party(self, doc: XmlDocument, path: str) -> Party:
        element = doc.first(doc.root, path)
        party = Party(element=element)
        if element is None:
            return party
        party.name = doc.text(element, "cac:PartyLegalEntity/cbc:RegistrationName") or doc.text(
            element, "cac:PartyName/cbc:Name"
        )
        party.identifier = doc.text(element, "cac:PartyIdentification/cbc:ID")
        ids = element.xpath(
            "cac:PartyLegalEntity/cbc:CompanyID | cac:PartyIdentification/cbc:ID | cbc:EndpointID",
            namespaces=doc.ns,
        )
        party.sirens = [
            compact(node.text)
            for node in ids
            if node.text and node.get("schemeID") in SIREN_SCHEMES
        ]
        legal = doc.text(element, "cac:PartyLegalEntity/cbc:CompanyID")
        if legal and siren_of(legal) and compact(legal) not in party.sirens:
            party.sirens.append(compact(legal))
        party.vat = compact(doc.text(element, "cac:PartyTaxScheme/cbc:CompanyID"))
        address = doc.first(element, "cac:PostalAddress")
        party.address = {
            "address_line1": doc.text(address, "cbc:StreetName"),
            "address_line2": doc.text(address, "cbc:AdditionalStreetName"),
            "postal_code": doc.text(address, "cbc:PostalZone"),
            "city": doc.text(address, "cbc:CityName"),
            "country": doc.text(address, "cac:Country/cbc:IdentificationCode"),
        }
        return party

    # --- common ---------------------------------------------------------------------------

    def _read_fields(self, doc: XmlDocument, fields: dict, *, date_format: str) -> Document:
        """The fields Relance needs, each required: an error names the missing element."""
        document = Document()
        root_name = document.root = root_name_of(doc.root)
        for name, (path, term) in fields.items():
            place = f"/{root_name}/{path} ({term})"
            document.places[name] = place
            element = doc.first(doc.root, path)
            if element is None:
                if name == "due_date":
                    continue  # needed for invoices only: checked with the kind
                parent = doc.first(doc.root, path.rsplit("/", 1)[0]) if "/" in path else None
                line = (parent if parent is not None else doc.root).sourceline
                self.errors.add(line, place, "a required element is missing")
                continue
            document.lines[name] = element.sourceline
            value = (element.text or "").strip()
            if name in ("issue_date", "due_date"):
                value = self._date(element, value, place, date_format)
            elif name in ("amount", "open_amount"):
                value = self._amount(element, value, place)
            elif name == "type":
                if value in CREDIT_NOTE_TYPES:
                    document.kind = ItemKind.CREDIT_NOTE
                continue
            elif not value:
                self.errors.add(element.sourceline, place, "the element is empty")
            setattr(document, name, value)
        if document.kind == ItemKind.INVOICE and "due_date" not in document.lines:
            self.errors.add(
                doc.root.sourceline,
                document.places["due_date"],
                "an invoice needs its payment due date (BT-9), which this one does not give",
            )
        if document.amount.startswith("-"):  # a negative invoice is a credit in effect
            document.kind = (
                ItemKind.CREDIT_NOTE if document.kind == ItemKind.INVOICE else ItemKind.INVOICE
            )
            document.amount = document.amount[1:]
            document.open_amount = document.open_amount.lstrip("-")
        return document

    def _date(self, element, value: str, place: str, date_format: str) -> str:
        """An ISO date from CII's format 102 (YYYYMMDD) or UBL's xs:date."""
        if date_format:
            shown = element.get("format", "")
            if shown != date_format or len(value) != 8 or not value.isdigit():
                self.errors.add(
                    element.sourceline,
                    place,
                    f"{value!r} is not a date written YYYYMMDD (format 102), format {shown!r}",
                )
                return ""
            value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return value

    def _amount(self, element, value: str, place: str) -> str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.errors.add(element.sourceline, place, f"{value!r} is not an amount")
            return ""
        if not number.is_finite():
            self.errors.add(element.sourceline, place, f"{value!r} is not an amount")
            return ""
        return f"{number:f}"

    def _check_seller(self, document: Document) -> None:
        """The seller must be the entity, when both carry a SIREN or VAT number."""
        seller = document.seller
        entity_sirens = {siren_of(value) for value in (self.entity.siren, self.entity.siret)}
        entity_sirens |= {siren_of(self.entity.vat_number)}
        entity_sirens.discard("")
        entity_vat = compact(self.entity.vat_number)
        seller_sirens = {siren_of(value) for value in [*seller.sirens, seller.vat]} - {""}
        known = (entity_sirens or entity_vat) and (seller_sirens or seller.vat)
        if not known:
            return
        if seller_sirens & entity_sirens or (seller.vat and seller.vat == entity_vat):
            return
        ids = ", ".join(sorted({*seller.sirens, *([seller.vat] if seller.vat else [])}))
        line = seller.element.sourceline if seller.element is not None else None
        self.errors.add(
            line,
            document.places["seller"],
            f"the seller {seller.name or ''} ({ids}) is not the entity {self.entity.name}: "
            "import the invoice into the seller's entity",
        )

    def _customer_key(self, document: Document) -> str:
        """The buyer's external id: a stored customer with this identifier, else one with
        its legal id or VAT number, else a new customer keyed by the first of these."""
        buyer = document.buyer
        line = buyer.element.sourceline if buyer.element is not None else None
        place = document.places["buyer"]
        if not buyer.name:
            self.errors.add(line, f"{place}/Name (BT-44)", "the buyer's name is required")
        legal_ids = [value for value in (*buyer.sirens, buyer.vat) if value]
        keys = [value for value in (buyer.identifier, *legal_ids) if value]
        if not keys:
            self.errors.add(
                line,
                place,
                "the buyer has no identifier (BT-46), legal registration (BT-47) or VAT "
                "number (BT-48): Relance cannot tell which customer it is",
            )
            return ""
        customers = Customer.objects.filter(entity=self.entity)
        if buyer.identifier and customers.filter(external_id=buyer.identifier).exists():
            return buyer.identifier
        sirens = {siren_of(value) for value in legal_ids} - {""}
        candidates = {compact(value) for value in legal_ids} | sirens
        if candidates:
            found = (
                customers.filter(legal_id__in=sorted(candidates))
                .order_by("id")
                .values_list("external_id", flat=True)
                .first()
            )
            if found:
                return found
        return keys[0][:50]

    def _fill(self, records: Records, document: Document, external_id: str) -> None:
        buyer = document.buyer
        customer = {"external_id": external_id, "name": buyer.name}
        legal = buyer.sirens[0] if buyer.sirens else buyer.vat
        if legal:
            customer["legal_id"] = legal
        customer.update((key, value) for key, value in buyer.address.items() if value)
        buyer_place = document.places["buyer"]
        records.customer_places = {
            "external_id": f"{buyer_place}/ID (BT-46)",
            "name": f"{buyer_place}/Name (BT-44)",
            "legal_id": f"{buyer_place} legal registration (BT-47)",
            "country": f"{buyer_place} country (BT-55)",
            "address_line1": f"{buyer_place} address (BT-50)",
            "address_line2": f"{buyer_place} address (BT-51)",
            "postal_code": f"{buyer_place} postal code (BT-53)",
            "city": f"{buyer_place} city (BT-52)",
        }
        buyer_line = buyer.element.sourceline if buyer.element is not None else 1
        records.customers = [(buyer_line, customer)]
        item = {
            "customer_external_id": external_id,
            "kind": document.kind,
            "number": document.number,
            "issue_date": document.issue_date,
            "due_date": document.due_date,
            "amount": document.amount,
            "open_amount": document.open_amount,
            "currency": document.currency,
        }
        places = dict(document.places)
        places["customer_external_id"] = records.customer_places["external_id"]
        places["kind"] = places.get("type", "TypeCode (BT-3)")
        places["pdf_path"] = "PDF"
        records.item_places = places
        records.item_lines = dict(document.lines)
        if self.pdf is not None and not self.dry_run:
            item["pdf_path"], created = self._store_pdf(document.number)
            records.on_done = self._cleanup(item["pdf_path"], created)
        records.items = [(document.lines.get("number", 1), item)]

    def _store_pdf(self, number: str) -> tuple[str, bool]:
        """Keep the PDF under items/, named by the invoice number and its content (the same
        file imported twice is stored once). Answers its name and whether it is new."""
        digest = hashlib.sha256(self.pdf).hexdigest()[:16]
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", number).strip("-")[:60] or "invoice"
        name = f"items/{stem}-{digest}.pdf"
        if default_storage.exists(name):
            return name, False
        saved = default_storage.save(name, ContentFile(self.pdf))
        return saved, True

    @staticmethod
    def _cleanup(name: str, created: bool):
        def done(written: bool) -> None:
            if created and not written:
                default_storage.delete(name)

        return done


def root_name_of(root) -> str:
    """`rsm:CrossIndustryInvoice`, or `Invoice` for UBL's root in its default namespace."""
    return f"{root.prefix or ''}:{etree.QName(root).localname}".lstrip(":")


def _cii_level(guideline: str) -> str:
    """The Factur-X profile named by the guideline id (BT-24), for its XSD; an unknown or
    other CII guideline (EN 16931, XRechnung…) is checked against the widest, EXTENDED."""
    text = guideline.lower()
    for level in ("minimum", "basicwl", "basic", "extended"):
        if text.endswith(f":{level}") or f"factur-x.eu:1p0:{level}" in text:
            return level
    if text.rstrip("/") == "urn:cen.eu:en16931:2017":
        return "en16931"
    return "extended"


def read_einvoice_preview(path: Path) -> tuple[list[str], list[list[str]]]:
    """What the import page shows of an e-invoice: the document as an item and its buyer."""
    reader = EInvoiceReader(entity=None, errors=ErrorLog(), dry_run=True)
    data = Path(path).read_bytes()
    xml = reader._xml_of_pdf(data) if data.lstrip().startswith(PDF_MAGIC) else data
    document = reader._parse(xml)
    header = ["number", "kind", "buyer", "issue_date", "due_date", "amount", "open_amount"]
    if document is None:
        return header, []
    row = [
        document.number,
        str(ItemKind(document.kind).label),
        document.buyer.name,
        document.issue_date,
        document.due_date,
        document.amount,
        document.open_amount,
    ]
    return [*header, "currency"], [[*row, document.currency]]
