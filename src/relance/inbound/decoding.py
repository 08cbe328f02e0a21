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
}
# Codecs that are text encodings to Python but would interpret the bytes, not decode them.
UNSAFE_CODECS = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
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
    declared = codec_name(charset) if charset else None
    for name in (declared, "utf-8", "cp1252"):
        if name:
            try:
                return payload.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
    return payload.decode("utf-8", "replace")


def codec_name(charset: str) -> str | None:
    """Python's codec for a declared charset; None when unknown, unsafe, or plain ASCII
    (which mail clients declare for 8-bit text too: UTF-8 then Windows-1252 are tried)."""
    name = charset.strip().strip("\"'").lower()[:40]
    name = CHARSET_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    return None if codec in UNSAFE_CODECS or codec == "ascii" else codec


def charset_known(charset: str | None) -> bool:
    if not charset or charset.strip().strip("\"'").lower() in ("us-ascii", "ascii"):
        return True
    return codec_name(charset) is not None


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed text as paragraphs: a line ending with a space goes on with
    the next one of the same quote depth (Thunderbird wraps at 72 characters this way)."""
    out: list[str] = []
    current, current_depth = None, 0
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content  # space-stuffing
        flowed = content.endswith(" ") and content != "-- "
        piece = content[:-1] if flowed and delsp else content
        if current is not None and depth == current_depth:
            current += piece
        else:
            if current is not None:
                out.append(_quoted(current, current_depth))
            current, current_depth = piece, depth
        if not flowed:
            out.append(_quoted(current, current_depth))
            current = None
    if current is not None:
        out.append(_quoted(current, current_depth))
    return "\n".join(out)


def _quoted(line: str, depth: int) -> str:
    return f"{'>' * depth} {line}" if depth else line


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
        if tag == "blockquote":
            self.out.append(QUOTE_START)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "blockquote":
            self.out.append(QUOTE_END)
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            data = data.replace(QUOTE_START, "").replace(QUOTE_END, "")
            self.out.append(re.sub(r"[ \t\r\n\xa0]+", " ", data))


QUOTE_START, QUOTE_END = "\x01", "\x02"


def _quote_lines(text: str) -> str:
    """Lines inside <blockquote> prefixed with "> ", once per level, as a plain-text client
    quotes them (so that the reply is told from the history without an attribution)."""
    depth, lines = 0, []
    for line in text.split("\n"):
        start_depth = depth
        depth = max(depth + line.count(QUOTE_START) - line.count(QUOTE_END), 0)
        content = line.replace(QUOTE_START, "").replace(QUOTE_END, "").strip()
        level = max(start_depth, depth) if content else 0
        lines.append(f"{'> ' * level}{content}".rstrip() if level else content)
    return "\n".join(lines)


def html_to_text(html: str) -> str:
    """Plain text of `html` (a received body, possibly hostile): never its scripts or styles."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; this only guards against the unexpected
        pass
    text = _quote_lines(re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.out)))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
