"""The Markdown subset of the answers (core.text.render_markdown, markdown-it-py then nh3)."""

from core.text import render_markdown


def test_paragraphs_lists_emphasis_and_links_are_rendered():
    html = render_markdown(
        "Un **projet** *coopératif*.\nDeuxième ligne.\n\n- agents\n- DGS\n\n1. diagnostic\n2. protocole\n\n"
        "[La Fabrique](https://fabriquedestransitions.fr) et [page](/projets/)"
    )
    assert "<p>Un <strong>projet</strong> <em>coopératif</em>.<br>\nDeuxième ligne.</p>" in html
    assert "<ul>\n<li>agents</li>\n<li>DGS</li>\n</ul>" in html
    assert "<ol>\n<li>diagnostic</li>\n<li>protocole</li>\n</ol>" in html
    assert (
        '<a href="https://fabriquedestransitions.fr" rel="noopener noreferrer nofollow">La Fabrique</a>'
        in html
    )
    assert '<a href="/projets/" rel="noopener noreferrer nofollow">page</a>' in html


def test_html_and_dangerous_links_stay_inert_text():
    html = render_markdown(
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_what_is_outside_the_subset_stays_literal():
    html = render_markdown("# Titre\n\n> citation\n\n    code\n\nhttps://exemple.fr\n\n---")
    assert "<h1>" not in html and "<blockquote>" not in html and "<pre>" not in html and "<hr>" not in html
    assert "# Titre" in html and "&gt; citation" in html
    assert "<a " not in html  # no linkify


def test_empty_text_renders_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""
    assert render_markdown("\r\n\r\n") == ""
