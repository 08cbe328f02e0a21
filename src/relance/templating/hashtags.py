"""The hashtag catalogue: every `#name` a template may use, in one registry.

A hashtag has a category, a description in French and English, a plain-text value and an
HTML value. Values taken from data are escaped in HTML (the default HTML value is the escaped
text, line breaks as <br>); a hashtag with its own `html` function must escape what it puts
in. Values are computed from a `CustomerContext` and a `Formatter` only, never from the
database.
"""

import base64
import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from relance.customers.selectors import address_lines
from relance.templating.choices import HashtagCategory
from relance.templating.context import CustomerContext, ItemLine
from relance.templating.formatting import Formatter

# `#name` outside tags; in HTML `&#x27;` is an entity, not a hashtag, hence the look-behind.
NAME = r"[a-z][a-z0-9_]*"
TEXT_HASHTAG = re.compile(rf"(?<![\w&])#({NAME})")
# In HTML, a whole tag is matched first (and kept) so that `href="#top"` or
# `color:#ff0000` inside a tag is never taken for a hashtag.
HTML_HASHTAG = re.compile(rf"(<[^>]*>)|(?<![\w&])#({NAME})")

Value = Callable[[CustomerContext, Formatter], str]


@dataclass(frozen=True)
class Hashtag:
    name: str
    category: str
    description_lazy: Promise  # pgettext_lazy("hashtag", English): read in the reader's language
    text: Value
    html_value: Value | None = None
    print_value: Value | None = None

    def html(self, ctx: CustomerContext, fmt: Formatter) -> str:
        if self.html_value is not None:
            return self.html_value(ctx, fmt)
        return escape_html(self.text(ctx, fmt))

    def print_html(self, ctx: CustomerContext, fmt: Formatter) -> str:
        """The HTML for a printed letter (WeasyPrint), where it differs from an email's."""
        if self.print_value is not None:
            return self.print_value(ctx, fmt)
        return self.html(ctx, fmt)

    def description(self, language: str) -> str:
        with translation.override(language):
            return str(self.description_lazy)


HASHTAGS: dict[str, Hashtag] = {}


def hashtag(
    name: str,
    category: str,
    description: Promise,
    *,
    html: Value | None = None,
    print_html: Value | None = None,
):
    """Register the decorated function as the text value of `#name`."""

    def decorator(text: Value) -> Value:
        assert name not in HASHTAGS, f"#{name} registered twice"
        HASHTAGS[name] = Hashtag(name, category, description, text, html, print_html)
        return text

    return decorator


def escape_html(value: str) -> str:
    return html.escape(value, quote=True).replace("\n", "<br>")


def find_hashtags(text: str, *, is_html: bool) -> list[str]:
    """The hashtag names used in `text`, in order, each once."""
    if is_html:
        names = [match.group(2) for match in HTML_HASHTAG.finditer(text) if match.group(2)]
    else:
        names = TEXT_HASHTAG.findall(text)
    return list(dict.fromkeys(names))


def suggest(name: str) -> str | None:
    """The known hashtag closest to the unknown `name`, if any is close enough."""
    matches = difflib.get_close_matches(name, HASHTAGS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_hashtags(text: str, *, is_html: bool) -> list[tuple[str, str | None]]:
    """(name, suggestion) for each hashtag of `text` that is not in the catalogue."""
    names = find_hashtags(text, is_html=is_html)
    return [(name, suggest(name)) for name in names if name not in HASHTAGS]


def by_category() -> list[tuple[str, str, list[Hashtag]]]:
    """(category, label, hashtags) in the catalogue's order, for the picker and the docs."""
    return [
        (category.value, category.label, [h for h in HASHTAGS.values() if h.category == category])
        for category in HashtagCategory
        if any(h.category == category for h in HASHTAGS.values())
    ]


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _address(obj, fmt: Formatter, home_country: str) -> str:
    """A postal address laid out as its country's post expects; the country only when it
    is not the sender's own."""
    return "\n".join(address_lines(obj, home_country=home_country, country_name=fmt.country))


# --- customer ------------------------------------------------------------------------------

C = HashtagCategory.CUSTOMER


@hashtag("customer_name", C, pgettext_lazy("hashtag", "Customer's name"))
def customer_name(ctx, fmt):
    return ctx.customer.name


@hashtag("customer_number", C, pgettext_lazy("hashtag", "Customer's account number"))
def customer_number(ctx, fmt):
    return ctx.customer.external_id


@hashtag("customer_legal_id", C, pgettext_lazy("hashtag", "Customer's legal id"))
def customer_legal_id(ctx, fmt):
    return ctx.customer.legal_id


@hashtag("customer_address", C, pgettext_lazy("hashtag", "Customer's postal address"))
def customer_address(ctx, fmt):
    return _address(ctx.customer, fmt, ctx.entity.country)


@hashtag(
    "contact_name",
    C,
    pgettext_lazy("hashtag", "Full name of the collection contact (else the customer's name)"),
)
def contact_name(ctx, fmt):
    return (ctx.contact.full_name if ctx.contact else "") or ctx.customer.name


@hashtag("contact_first_name", C, pgettext_lazy("hashtag", "Contact's first name"))
def contact_first_name(ctx, fmt):
    return ctx.contact.first_name if ctx.contact else ""


@hashtag("contact_last_name", C, pgettext_lazy("hashtag", "Contact's last name"))
def contact_last_name(ctx, fmt):
    return ctx.contact.last_name if ctx.contact else ""


# --- account -------------------------------------------------------------------------------

A = HashtagCategory.ACCOUNT


@hashtag(
    "total_due",
    A,
    pgettext_lazy("hashtag", "Amount owed: open invoices less credits, per currency"),
)
def total_due(ctx, fmt):
    return fmt.amounts([(f.total_due, f.currency) for f in ctx.figures]) or fmt.money(
        0, ctx.customer.currency
    )


@hashtag("overdue_amount", A, pgettext_lazy("hashtag", "Overdue amount"))
def overdue_amount(ctx, fmt):
    pairs = [(f.overdue, f.currency) for f in ctx.figures if f.overdue]
    return fmt.amounts(pairs) or fmt.money(0, ctx.customer.currency)


@hashtag("not_due_amount", A, pgettext_lazy("hashtag", "Amount not yet due"))
def not_due_amount(ctx, fmt):
    pairs = [(f.not_due, f.currency) for f in ctx.figures if f.not_due]
    return fmt.amounts(pairs) or fmt.money(0, ctx.customer.currency)


def _interest_cell(ctx: CustomerContext, line: ItemLine, fmt: Formatter) -> str:
    """An overdue item's late interest at `ctx.today`; empty for the others."""
    if line.days_overdue is None or ctx.late_terms.schedule is None:
        return ""
    return fmt.money(ctx.interest_of(line).amount, line.currency)


def _items_text(
    ctx: CustomerContext, lines: list[ItemLine], fmt: Formatter, totals: list[tuple], label: str
) -> str:
    if not lines:
        return fmt.labels["no_items"]
    labels = fmt.labels
    rows = []
    for line in lines:
        amount = fmt.money(line.signed_open_amount, line.currency)
        interest = _interest_cell(ctx, line, fmt)
        if interest:
            amount = labels["with_interest"].format(amount=amount, interest=interest)
        values = {"kind": labels[line.kind], "number": line.number, "amount": amount}
        if line.due_date:
            rows.append(labels["item_line_due"].format(due_date=fmt.date(line.due_date), **values))
        else:
            rows.append(labels["item_line"].format(**values))
    rows += [
        labels["total_line"].format(label=label, amount=fmt.money(amount, currency))
        for amount, currency in totals
    ]
    return "\n".join(rows)


# Emails need inline styles: mail clients drop <style>.
_CELL = ' style="border:1px solid #999;padding:3px 6px"'
_NUM = ' style="border:1px solid #999;padding:3px 6px;text-align:right"'
_TABLE = ' style="border-collapse:collapse;width:100%"'
_NUMERIC = {"days_overdue", "amount", "open_amount", "interest"}


_KEYS = ("number", "issue_date", "due_date", "days_overdue", "amount", "open_amount", "interest")
_PRINT_KEYS = _KEYS


def _items_print(
    ctx: CustomerContext, lines: list[ItemLine], fmt: Formatter, totals: list[tuple], label: str
) -> str:
    """The items as a table for letters, in the body's font: columns of fixed widths
    (letters.html, `table-layout: fixed`), which WeasyPrint lays out without measuring every
    cell first, so a thousand letters still print in well under a minute."""
    if not lines:
        return f"<p>{escape_html(fmt.labels['no_items'])}</p>"
    labels = fmt.labels
    head = "".join(
        f'<th class="num">{escape_html(labels[key])}</th>'
        if key in _NUMERIC
        else f"<th>{escape_html(labels[key])}</th>"
        for key in _PRINT_KEYS
    )
    rows = "".join(
        f"<tr><td>{escape_html(('' if line.is_invoice else f'{labels[line.kind]} ') + line.number)}"
        f"</td><td>{fmt.date(line.issue_date)}</td><td>{fmt.date(line.due_date)}</td>"
        f'<td class="num">{"" if line.days_overdue is None else line.days_overdue}</td>'
        f'<td class="num">{fmt.money(line.signed_amount, line.currency)}</td>'
        f'<td class="num">{fmt.money(line.signed_open_amount, line.currency)}</td>'
        f'<td class="num">{_interest_cell(ctx, line, fmt)}</td></tr>'
        for line in lines
    )
    foot = "".join(
        f'<tr><th class="num" colspan="5">{escape_html(label)}</th>'
        f'<th class="num">{fmt.money(amount, currency)}</th><th></th></tr>'
        for amount, currency in totals
    )
    cols = "".join(f'<col class="col-{key}">' for key in _PRINT_KEYS)
    return (
        f'<table class="items-table"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody><tfoot>{foot}</tfoot></table>"
    )


@lru_cache(maxsize=64)
def _items_html_head(fmt: Formatter) -> str:
    """The items table's header cells in `fmt`'s language (formatters are kept, one per
    language and region: the same for a whole batch)."""
    return "".join(
        f"<th{_NUM if key in _NUMERIC else _CELL}>{escape_html(fmt.labels[key])}</th>"
        for key in _KEYS
    )


def _items_html(
    ctx: CustomerContext, lines: list[ItemLine], fmt: Formatter, totals: list[tuple], label: str
) -> str:
    if not lines:
        return f"<p>{escape_html(fmt.labels['no_items'])}</p>"
    labels, head = fmt.labels, _items_html_head(fmt)
    rows = []
    for line in lines:
        kind = "" if line.is_invoice else f"{labels[line.kind]} "
        rows.append(
            f"<tr><td{_CELL}>{escape_html(kind + line.number)}</td>"
            f"<td{_CELL}>{fmt.date(line.issue_date)}</td>"
            f"<td{_CELL}>{fmt.date(line.due_date)}</td>"
            f'<td class="num"{_NUM}>{"" if line.days_overdue is None else line.days_overdue}</td>'
            f'<td class="num"{_NUM}>{fmt.money(line.signed_amount, line.currency)}</td>'
            f'<td class="num"{_NUM}>{fmt.money(line.signed_open_amount, line.currency)}</td>'
            f'<td class="num"{_NUM}>{_interest_cell(ctx, line, fmt)}</td></tr>'
        )
    foot = "".join(
        f'<tr><th class="num" colspan="5"{_NUM}>{escape_html(label)}</th>'
        f'<th class="num"{_NUM}>{fmt.money(amount, currency)}</th><th{_NUM}></th></tr>'
        for amount, currency in totals
    )
    return (
        f'<table class="items-list"{_TABLE}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody><tfoot>{foot}</tfoot></table>"
    )


@hashtag(
    "items_list",
    A,
    pgettext_lazy("hashtag", "Table of the open invoices and credits, with the total due"),
    html=lambda ctx, fmt: _items_html(
        ctx, ctx.items, fmt, [(f.total_due, f.currency) for f in ctx.figures], fmt.labels["total"]
    ),
    print_html=lambda ctx, fmt: _items_print(
        ctx, ctx.items, fmt, [(f.total_due, f.currency) for f in ctx.figures], fmt.labels["total"]
    ),
)
def items_list(ctx, fmt):
    totals = [(f.total_due, f.currency) for f in ctx.figures]
    return _items_text(ctx, ctx.items, fmt, totals, fmt.labels["total"])


@hashtag(
    "overdue_items_list",
    A,
    pgettext_lazy("hashtag", "Table of the overdue invoices, with the overdue total"),
    html=lambda ctx, fmt: _items_html(
        ctx,
        ctx.overdue_items,
        fmt,
        [(f.overdue, f.currency) for f in ctx.figures if f.overdue],
        fmt.labels["total_overdue"],
    ),
    print_html=lambda ctx, fmt: _items_print(
        ctx,
        ctx.overdue_items,
        fmt,
        [(f.overdue, f.currency) for f in ctx.figures if f.overdue],
        fmt.labels["total_overdue"],
    ),
)
def overdue_items_list(ctx, fmt):
    totals = [(f.overdue, f.currency) for f in ctx.figures if f.overdue]
    return _items_text(ctx, ctx.overdue_items, fmt, totals, fmt.labels["total_overdue"])


@hashtag(
    "oldest_due_date",
    A,
    pgettext_lazy("hashtag", "Earliest due date of the open invoices"),
)
def oldest_due_date(ctx, fmt):
    return fmt.date(ctx.oldest_due_date)


@hashtag(
    "max_days_overdue",
    A,
    pgettext_lazy("hashtag", "Days overdue of the oldest overdue invoice"),
)
def max_days_overdue(ctx, fmt):
    return fmt.number(ctx.max_days_overdue)


@hashtag(
    "reference_number",
    A,
    pgettext_lazy(
        "hashtag", "Number of the invoice concerned (the action's, else the oldest open one)"
    ),
)
def reference_number(ctx, fmt):
    item = ctx.reference_item
    return item.number if item else ""


@hashtag("reference_due_date", A, pgettext_lazy("hashtag", "Due date of that invoice"))
def reference_due_date(ctx, fmt):
    item = ctx.reference_item
    return fmt.date(item.due_date) if item else ""


@hashtag(
    "late_interest_amount",
    A,
    pgettext_lazy(
        "hashtag",
        "Late interest to date, per overdue invoice and per rate period, under the country's law "
        "(or the contractual rate)",
    ),
)
def late_interest_amount(ctx, fmt):
    pairs = [(f.late_interest, f.currency) for f in ctx.figures if f.late_interest]
    return fmt.amounts(pairs) or fmt.money(0, ctx.customer.currency)


@hashtag(
    "recovery_fee",
    A,
    pgettext_lazy(
        "hashtag",
        "Fixed recovery compensation of each overdue invoice, under the country's law (EUR 40 in "
        "the EU; £40, £70 or £100 in the UK) or the contract",
    ),
)
def recovery_fee(ctx, fmt):
    return fmt.amounts([(amount, currency) for amount, currency in ctx.recovery_fees])


def _percents(values, fmt) -> str:
    return " / ".join(fmt.percent(value) for value in dict.fromkeys(values))


@hashtag(
    "legal_mentions",
    A,
    pgettext_lazy(
        "hashtag",
        "Sentence citing the country's law: late-interest rate, amount to date, fixed "
        "compensation (or the contractual terms)",
    ),
)
def legal_mentions(ctx, fmt):
    terms = ctx.late_terms
    if terms.pack is None and not terms.is_contractual:
        return ""
    cited = ctx.cited_rates
    values = {
        "rate": _percents([rate for rate, _ in cited], fmt),
        "reference_rate": _percents([ref for _, ref in cited if ref is not None], fmt),
        "interest": late_interest_amount(ctx, fmt),
        "fee": recovery_fee(ctx, fmt),
    }
    if terms.pack is None:
        return fmt.labels["contractual_terms"].format(**values)
    sentences = terms.pack.sentences[terms.pack.sentence_language(fmt.language)]
    key = "contractual" if terms.is_contractual else "statutory"
    return sentences[key].format(**values)


# --- company -------------------------------------------------------------------------------

K = HashtagCategory.COMPANY


@hashtag("company_name", K, pgettext_lazy("hashtag", "Entity's name"))
def company_name(ctx, fmt):
    return ctx.entity.name


@hashtag("company_address", K, pgettext_lazy("hashtag", "Entity's address"))
def company_address(ctx, fmt):
    return _address(ctx.entity, fmt, ctx.entity.country)


def _logo_html(ctx, fmt):
    if not ctx.logo_data_uri:
        return ""
    return (
        f'<img class="company-logo" src="{escape_html(ctx.logo_data_uri)}" '
        f'alt="{escape_html(ctx.entity.name)}" style="max-height:60px;max-width:200px">'
    )


@hashtag(
    "company_logo",
    K,
    pgettext_lazy("hashtag", "Entity's logo (empty in plain text)"),
    html=_logo_html,
)
def company_logo(ctx, fmt):
    return ""


@hashtag(
    "company_legal_id",
    K,
    pgettext_lazy("hashtag", "Entity's legal ids (SIREN/SIRET, VAT)"),
)
def company_legal_id(ctx, fmt):
    entity = ctx.entity
    parts = []
    if entity.siret or entity.siren:
        parts.append(f"SIRET {entity.siret}" if entity.siret else f"SIREN {entity.siren}")
    if entity.company_number:
        parts.append(f"{fmt.labels['company_number']} {entity.company_number}")
    if entity.vat_number:
        parts.append(f"{fmt.labels['vat']} {entity.vat_number}")
    return " · ".join(parts)


@hashtag(
    "late_penalty_rate",
    K,
    pgettext_lazy(
        "hashtag",
        "Yearly rate of the late interest applied (contractual, else statutory: per period)",
    ),
)
def late_penalty_rate(ctx, fmt):
    return _percents([rate for rate, _ in ctx.cited_rates], fmt) or fmt.percent(0)


def _grouped_iban(iban: str) -> str:
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


@hashtag("bank_details", K, pgettext_lazy("hashtag", "Bank details (IBAN, BIC)"))
def bank_details(ctx, fmt):
    entity = ctx.entity
    if not entity.iban:
        return ""
    return _lines(f"IBAN {_grouped_iban(entity.iban)}", f"BIC {entity.bic}" if entity.bic else "")


def epc_qr_data_uri(ctx: CustomerContext) -> str:
    """A PNG data URI of the EPC QR code (SEPA credit transfer) of the amount due in euros;
    empty without an IBAN or a positive amount in euros."""
    import segno
    from segno import helpers

    entity = ctx.entity
    due = next((f.total_due for f in ctx.figures if f.currency == "EUR"), None)
    if not entity.iban or due is None or due <= 0 or due > 999_999_999:
        return ""
    reference = ctx.reference_item.number if ctx.reference_item else ""
    text = f"{ctx.customer.external_id} {reference}".strip()[:140]
    qr = helpers.make_epc_qr(
        name=entity.name[:70],
        iban=entity.iban.replace(" ", ""),
        amount=due,
        text=text,
        bic=entity.bic or None,
        encoding="UTF-8",
    )
    assert isinstance(qr, segno.QRCode)
    return qr.png_data_uri(scale=3, border=2)


def _qr_html(ctx, fmt):
    uri = epc_qr_data_uri(ctx)
    if not uri:
        return ""
    alt = escape_html(fmt.labels["qr_alt"])
    return f'<img class="payment-qr" src="{uri}" alt="{alt}" width="120" height="120">'


@hashtag(
    "payment_qr",
    K,
    pgettext_lazy("hashtag", "EPC QR code for a SEPA transfer of the amount due in euros"),
    html=_qr_html,
)
def payment_qr(ctx, fmt):
    return ""


# --- customer's page ------------------------------------------------------------------------

PAGE_WORDS = {
    "fr": {"button": "Voir mon compte et répondre", "qr_alt": "QR code de votre espace client"},
    "en": {"button": "See my account and reply", "qr_alt": "QR code of your customer page"},
}


def text_colour_on(background: str) -> str:
    """White or black text on `background` (#rrggbb) by the WCAG contrast ratio: a pale
    brand colour gets dark text on its buttons."""
    try:
        red, green, blue = (int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return "#ffffff"

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    on_white = 1.05 / (luminance + 0.05)
    # White while it meets WCAG AA (4.5:1), as buttons usually are; else the better of two.
    return "#ffffff" if on_white >= 4.5 or on_white > (luminance + 0.05) / 0.05 else "#000000"


def _page_words(fmt: Formatter) -> dict:
    return PAGE_WORDS.get(fmt.language, PAGE_WORDS["en"])


def _button_html(ctx, fmt):
    url = escape_html(ctx.interactive_url)
    label = escape_html(_page_words(fmt)["button"])
    colour = ctx.entity.brand_color or "#0d6efd"
    return (
        f'<a class="interactive-button" href="{url}" style="display:inline-block;'
        f"padding:12px 20px;border-radius:6px;background:{escape_html(colour)};"
        f"color:{text_colour_on(colour)};"
        f'font-weight:bold;text-decoration:none">{label}</a>'
    )


def interactive_qr_svg(ctx: CustomerContext) -> str:
    """The page link as a QR code, a data URI of an SVG (WeasyPrint and mail readers)."""
    import segno

    return segno.make(ctx.interactive_url, error="m").svg_data_uri(scale=3, border=2)


def _qr_page_html(ctx, fmt):
    alt = escape_html(_page_words(fmt)["qr_alt"])
    uri = interactive_qr_svg(ctx)
    return f'<img class="interactive-qr" src="{uri}" alt="{alt}" width="120" height="120">'


@hashtag(
    "interactive_link",
    A,
    pgettext_lazy("hashtag", "Link to the customer's page (invoices, PDFs, online answers)"),
)
def interactive_link(ctx, fmt):
    return ctx.interactive_url


@hashtag(
    "interactive_button",
    A,
    pgettext_lazy("hashtag", "Button to the customer's page (the link in plain text)"),
    html=_button_html,
)
def interactive_button(ctx, fmt):
    return ctx.interactive_url


@hashtag(
    "interactive_qr",
    A,
    pgettext_lazy(
        "hashtag", "QR code of the customer's page, for letters (the link in plain text)"
    ),
    html=_qr_page_html,
)
def interactive_qr(ctx, fmt):
    return ctx.interactive_url


# --- sender --------------------------------------------------------------------------------

S = HashtagCategory.SENDER


@hashtag(
    "user_name",
    S,
    pgettext_lazy(
        "hashtag",
        "Sender's name: the customer's collector, the user in a call script "
        "(else “Credit department”)",
    ),
)
def user_name(ctx, fmt):
    sender = ctx.sender
    name = (sender.get_full_name() or sender.username) if sender else ""
    return name or fmt.labels["credit_department"]


@hashtag(
    "user_email",
    S,
    pgettext_lazy("hashtag", "Sender's email (else the entity's)"),
)
def user_email(ctx, fmt):
    return (ctx.sender.email if ctx.sender else "") or ctx.entity.email


@hashtag(
    "user_phone",
    S,
    pgettext_lazy("hashtag", "Sender's phone (else the entity's)"),
)
def user_phone(ctx, fmt):
    phone = (ctx.sender.phone if ctx.sender else "") or ctx.entity.phone
    return fmt.phone(phone, ctx.entity.country)


@hashtag("today", S, pgettext_lazy("hashtag", "Today's date"))
def today(ctx, fmt):
    return fmt.long_date(ctx.today)


def file_data_uri(file_field) -> str:
    """A data URI of a stored image (the entity's logo), empty when it cannot be read."""
    import mimetypes

    if not file_field:
        return ""
    try:
        with file_field.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(file_field.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
