import pytest

from relance.templating.sanitize import sanitize_html, sanitize_sent_html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="https://evil.example/x.png">',
        '<img src=x onerror="alert(1)">',
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<span style="background-image: url(https://evil.example/t.gif)">x</span>',
        '<link rel="stylesheet" href="https://evil.example/s.css">',
        "<style>@import url(https://evil.example/s.css);</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"></svg>',
        '<object data="https://evil.example/x.swf"></object>',
    ],
)
def test_nothing_that_runs_or_loads_survives(attack):
    clean = sanitize_html(f"<p>Hello</p>{attack}")
    for word in ("script", "onerror", "onclick", "onload", "javascript", "evil", "<img", "url("):
        assert word not in clean.lower()


def test_formatting_links_lists_and_tables_are_kept():
    html = (
        '<p><strong>Bold</strong> <span style="color: #e03e2d;">red</span> '
        '<a href="https://acme.example/pay">pay</a> #total_due</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol>"
        '<table style="border-collapse: collapse; width: 100%;" border="1">'
        "<tbody><tr><td>cell</td></tr></tbody></table>"
    )
    clean = sanitize_html(html)
    assert "<strong>Bold</strong>" in clean
    assert 'style="color:#e03e2d"' in clean
    assert 'href="https://acme.example/pay"' in clean
    assert "<ul><li>one</li></ul>" in clean
    assert "<td>cell</td>" in clean
    assert "#total_due" in clean


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="https://evil.example/x.png">',
        '<img src="data:image/png;base64,AAAA" onerror="alert(1)">',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="javascript:alert(1)">x</a>',
        '<span style="background-image: url(https://evil.example/t.gif)">x</span>',
    ],
)
def test_sent_html_keeps_nothing_that_runs_or_loads(attack):
    clean = sanitize_sent_html(f"<p>Hello</p>{attack}")
    for word in ("script", "onerror", "javascript", "evil", "data:text", "url("):
        assert word not in clean.lower()


def test_sent_html_keeps_the_inline_images_of_hashtags():
    logo = '<img class="company-logo" src="data:image/png;base64,AAAA" alt="Acme France">'
    clean = sanitize_sent_html(f"<p>{logo}<strong>Pay</strong></p>")
    assert '<img src="data:image/png;base64,AAAA" alt="Acme France">' in clean
    assert "<strong>Pay</strong>" in clean
