"""The shared pieces of the platform's SVG drawings."""

from core.svg import Radar, coord, shorten, svg_document, svg_text, text_width, wrap


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


def test_a_wide_letter_counts_more_than_a_narrow_one_and_the_size_scales_the_width():
    assert text_width("mmmm", 10) > text_width("aaaa", 10) > text_width("iiii", 10) > 0
    assert text_width("Une étape", 20) == 2 * text_width("Une étape", 10)


def test_wrapped_lines_hold_in_their_width_and_a_word_too_long_is_cut():
    name = "Conférence territoriale des maires " + "x" * 80
    lines = wrap(name, 120, 13)
    assert all(text_width(line, 13) <= 120 for line in lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    assert wrap("", 120, 13) == [""] and wrap("  \n ", 120, 13) == [""]


def test_what_goes_beyond_the_last_line_allowed_ends_it_with_an_ellipsis_that_fits():
    words = "Une très longue suite de mots qui ne tient jamais sur deux lignes étroites"
    lines = wrap(words, 90, 13, max_lines=2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(text_width(line, 13) <= 90 for line in lines)
    assert wrap("Court", 90, 13, max_lines=1) == ["Court"]


def test_a_text_element_escapes_its_content_and_writes_only_the_attributes_given():
    assert svg_text(1, 2.25, "<b> & co", size=13, fill="#000") == (
        '<text x="1.0" y="2.2" font-size="13" fill="#000">&lt;b&gt; &amp; co</text>'
    )
    bold = svg_text(0, 0, "", size=1, fill="", anchor="middle", weight=700)
    assert ' text-anchor="middle" font-weight="700"' in bold


def test_a_radar_value_off_its_scale_is_drawn_at_the_scale_s_end_never_off_the_drawing():
    radar = Radar(count=4, cx=100, cy=100, outer=50, inner=10, low=-2, high=2)
    assert radar.radius(-2) == 10 and radar.radius(2) == 50 and radar.radius(0) == 30
    assert radar.radius(99) == 50 and radar.radius(-99) == 10
    x, y = radar.at(0, 2)
    assert (round(x), round(y)) == (100, 50)  # the first axis points up


def test_a_radar_ring_is_a_polygon_through_its_axes_and_a_circle_under_three_axes():
    assert Radar(count=5, cx=0, cy=0, outer=1, low=0, high=1).ring(1, 'fill="none"').startswith("<polygon")
    assert Radar(count=2, cx=0, cy=0, outer=1, low=0, high=1).ring(1, 'fill="none"') == (
        '<circle cx="0.0" cy="0.0" r="1.0" fill="none"/>'
    )
    assert Radar(count=0, cx=0, cy=0, outer=1, low=0, high=1).count == 1
