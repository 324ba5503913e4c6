"""What the posts of a group may carry: documents, images and plain text, checked by core.uploads."""

from django.utils.translation import gettext_lazy

from core import uploads

FORMATS = ("pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "csv")
FORMATS_MESSAGE = gettext_lazy(
    "Formats acceptés : PDF, documents bureautiques (odt, ods, odp, docx, xlsx, pptx), images (png, jpg), "
    "texte (txt, csv)."
)


def validate_attachment(file) -> None:
    uploads.validate_attachment(file, formats=FORMATS, formats_message=FORMATS_MESSAGE)
