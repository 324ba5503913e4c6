"""The shared pieces of the platform's SVG drawings."""

from core.svg import coord, shorten, svg_document


def test_the_root_names_the_image_by_its_title_and_desc_and_escapes_them():
    svg = svg_document(
        width=600,
        height="120",
        id_prefix="t<1>",
        title="Étapes & jalons",
        desc="Une <frise>",
        body=["<g/>"],
        css_class="chart-timeline",
    )
    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-timeline" role="img" '
        'viewBox="0 0 600 120" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="t&lt;1&gt;-title t&lt;1&gt;-desc" font-family="system-ui, sans-serif">'
        '<title id="t&lt;1&gt;-title">Étapes &amp; jalons</title>'
        '<desc id="t&lt;1&gt;-desc">Une &lt;frise&gt;</desc><g/></svg>'
    )


def test_a_drawing_without_a_class_takes_none_of_the_charts_styles():
    svg = svg_document(width=1, height=1, id_prefix="m", title="", desc="", body=[], css_class=None)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=')


def test_a_long_label_is_cut_with_an_ellipsis_and_a_short_one_kept_on_one_line():
    assert shorten("Un  titre\ncourt", 20) == "Un titre court"
    assert shorten("Une étape au titre bien trop long", 12) == "Une étape a…"


def test_coordinates_have_one_decimal():
    assert (coord(3), coord(2.25), coord(-0.04)) == ("3.0", "2.2", "-0.0")
