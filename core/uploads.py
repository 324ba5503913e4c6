"""Checks on uploaded files: size, extension and content, whatever name or type the browser claims."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

FORMATS_MESSAGE = gettext_lazy("Formats acceptés : PNG, JPEG ou WebP.")
# What the form field says when Pillow cannot read the file (an SVG, a renamed document…).
LOGO_ERROR_MESSAGES = {
    "invalid_image": gettext_lazy(
        "Ce fichier n'est pas une image lisible : formats acceptés PNG, JPEG ou WebP."
    )
}

# Extension -> the format Pillow must recognise in the file's bytes.
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}
MAX_IMAGE_PIXELS = 25_000_000


def validate_image(file, *, max_bytes: int):
    if file.size > max_bytes:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)}
        )
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in IMAGE_FORMATS:
        raise ValidationError(FORMATS_MESSAGE)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            detected = image.format
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("L'image est trop grande (25 mégapixels au plus)."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible.")) from exc
    finally:
        file.seek(position)
    if detected != IMAGE_FORMATS[extension]:
        raise ValidationError(_("Le contenu du fichier ne correspond pas à son extension."))


def validate_logo(file):
    validate_image(file, max_bytes=settings.LOGO_MAX_BYTES)


def logo_upload_to(instance, filename):
    # Generated names: nothing of the uploader's file name reaches the disk or a URL.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"logos/{uuid.uuid4().hex}.{extension}"
