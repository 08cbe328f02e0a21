"""Plain text from a template's HTML body, for the text part of emails."""

import re
from functools import lru_cache
from html.parser import HTMLParser

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "blockquote", "pre", "table", "ul", "ol", "hr"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.list_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS or tag == "tr":
            self.out.append("\n\n" if tag in BLOCKS else "\n")
        if tag in ("ul", "ol"):
            self.list_depth += 1
        elif tag == "li":
            self.out.append("\n" + "  " * (self.list_depth - 1) + "- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append("\t")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.list_depth = max(self.list_depth - 1, 0)
        if tag in BLOCKS:
            self.out.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http:", "https:", "mailto:")):
                self.out.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data):
        self.out.append(re.sub(r"[ \t\r\n]+", " ", data))


@lru_cache(maxsize=256)
def html_to_text(html: str) -> str:
    """Readable plain text of `html`: paragraphs apart, list items dashed, links in brackets."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text.replace("\t", " | ").replace("\n | ", "\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
