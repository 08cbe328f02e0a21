"""The HTML that a template body may keep: formatting, links, lists and tables, nothing that
runs (scripts, event handlers) or loads from elsewhere (images, styles with url())."""

import re

import nh3

TAGS = {
    "p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "h1", "h2", "h3", "h4", "blockquote", "hr", "pre", "code",
    "a", "ul", "ol", "li",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
}  # fmt: skip
CELL_ATTRIBUTES = {"style", "colspan", "rowspan", "align", "valign", "width"}
ATTRIBUTES = {
    "*": {"style"},
    "a": {"href", "title", "target"},
    "table": {"style", "border", "cellpadding", "cellspacing", "width"},
    "td": CELL_ATTRIBUTES,
    "th": CELL_ATTRIBUTES,
    "col": {"style", "width", "span"},
    "ol": {"style", "start", "type"},
}
STYLE_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "font-size", "text-decoration",
    "text-align", "vertical-align", "width", "height", "border", "border-collapse",
    "border-color", "border-style", "border-width", "padding", "padding-left", "margin-left",
    "list-style-type",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# A style value may not fetch anything nor run an old IE expression.
_UNSAFE_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import", re.IGNORECASE)


def _drop_unsafe_styles(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style" and _UNSAFE_STYLE.search(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    filter_style_properties=STYLE_PROPERTIES,
    attribute_filter=_drop_unsafe_styles,
)


def sanitize_html(html: str) -> str:
    """`html` with only the tags, attributes and styles that a message may keep."""
    return _CLEANER.clean(html or "").strip()


# What a sent email's HTML may hold besides a template's: the inline images that hashtags put
# in (#company_logo, #payment_qr), as data URIs and nothing else.
_SENT_ATTRIBUTES = {**ATTRIBUTES, "img": {"src", "alt", "width", "height", "style"}}


def _sent_attribute(tag: str, attribute: str, value: str) -> str | None:
    url = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if url.startswith("data:image/") else None
    if url.startswith("data:"):  # a data: link opens a page of the sender's making
        return None
    return _drop_unsafe_styles(tag, attribute, value)


_SENT_CLEANER = nh3.Cleaner(
    tags=TAGS | {"img"},
    attributes=_SENT_ATTRIBUTES,
    url_schemes=URL_SCHEMES | {"data"},
    link_rel="noopener noreferrer",
    strip_comments=True,
    filter_style_properties=STYLE_PROPERTIES,
    attribute_filter=_sent_attribute,
)


def sanitize_sent_html(html: str) -> str:
    """The HTML of a message as it left (Outbox.html), safe to show in a page: what a
    template may keep, plus inline images (data URIs only, nothing fetched from elsewhere)."""
    return _SENT_CLEANER.clean(html or "").strip()
