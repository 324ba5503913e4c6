"""SVG charts as PNG pictures, for the formats that cannot show SVG (Word) and as the fallback picture of an
OpenDocument frame.

No system package is needed: WeasyPrint (already the PDF engine) lays the SVG on a page of exactly its size,
with the same fonts as the PDF documents, and PDFium (the `pypdfium2` wheel, which carries its own binary)
rasterises that page. The picture is thus the one the PDF shows, pixel for pixel.
"""

import io
import re

# Pixels per CSS pixel of the picture: twice the screen resolution reads sharp in print and on screen.
DEFAULT_SCALE = 2
# CSS pixels are 1/96 in; PDF points 1/72 in.
_POINTS_PER_PX = 72 / 96
_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')
# Never a picture larger than this on either side (CSS px), whatever an SVG declares.
MAX_SIDE = 4000


def svg_size(svg: str) -> tuple[float, float]:
    """The drawing's width and height in CSS pixels, from its viewBox (every chart of the platform has one);
    a square of 400 px when it has none."""
    match = _VIEWBOX.search(svg)
    if match is None:
        return 400.0, 400.0
    width, height = (min(max(float(value), 1.0), MAX_SIDE) for value in match.groups())
    return width, height


def svg_to_png(svg: str, *, scale: float = DEFAULT_SCALE) -> bytes:
    import pypdfium2
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    width, height = svg_size(svg)
    page = (
        f"<!DOCTYPE html><html><head><style>@page {{ size: {width}px {height}px; margin: 0 }} "
        f"html, body {{ margin: 0 }} svg {{ display: block; width: {width}px; height: {height}px }}"
        f"</style></head><body>{svg}</body></html>"
    )
    pdf = HTML(string=page, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=scale / _POINTS_PER_PX, fill_color=(255, 255, 255, 255))
        output = io.BytesIO()
        bitmap.to_pil().save(output, format="PNG", optimize=True)
    finally:
        document.close()
    return output.getvalue()
