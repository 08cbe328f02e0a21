"""Text out of received bytes: charsets declared, wrong or unknown, RFC 2047 headers,
and HTML bodies turned to plain text without their scripts or styles. Pure functions that
never raise on what a message contains."""

import codecs
import email.header
import re
from html.parser import HTMLParser

CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "x-sjis": "shift_jis",
    "windows-874": "cp874",
    "unicode-1-1-utf-7": "utf-7",
    "ascii": "cp1252",  # "ascii" with 8-bit bytes is almost always Windows text
    "us-ascii": "cp1252",
}
# Codecs that are text encodings to Python but would interpret the bytes, not decode them.
UNSAFE_CODECS = {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def decode_header(value: str) -> str:
    """A header's text: folding undone, encoded words decoded, control characters removed."""
    value = re.sub(r"\r?\n[ \t]+", " ", value).strip()
    if any("\udc80" <= char <= "\udcff" for char in value):  # raw 8-bit bytes, undeclared
        value = decode_bytes(value.encode("ascii", "surrogateescape"), None)
    if "=?" in value:
        try:
            chunks = email.header.decode_header(value)
            value = "".join(
                decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
                for chunk, charset in chunks
            )
        except Exception:  # a broken encoded word: keep it as written
            pass
    return CONTROL.sub("", value)


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Text of `payload`: the declared charset, else UTF-8, else Windows-1252, else UTF-8
    with replacement characters; never raises."""
    candidates = []
    if charset:
        name = charset.strip().strip("\"'").lower()
        name = CHARSET_ALIASES.get(name, name)
        try:
            if codecs.lookup(name).name not in UNSAFE_CODECS:
                candidates.append(name)
        except LookupError:
            pass
    for name in (*candidates, "utf-8", "cp1252"):
        try:
            return payload.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return payload.decode("utf-8", "replace")


def charset_known(charset: str | None) -> bool:
    if not charset:
        return True
    try:
        codecs.lookup(CHARSET_ALIASES.get(charset.lower(), charset.lower()))
    except LookupError:
        return False
    return True


class _HtmlText(HTMLParser):
    """Readable text of an HTML body: blocks on their own lines, scripts, styles and hidden
    elements left out entirely."""

    BLOCKS = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
        "ul", "ol", "li", "hr", "section", "article", "header", "footer", "address",
    }  # fmt: skip
    SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg", "object"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.skipping or tag in self.SKIPPED:
            if tag in self.SKIPPED:
                self.skipping.append(tag)
            return
        if tag == "br":
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in self.BLOCKS:
            self.out.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(re.sub(r"[ \t\r\n\xa0]+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of `html` (a received body, possibly hostile): never its scripts or styles."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; this only guards against the unexpected
        pass
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.out))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
