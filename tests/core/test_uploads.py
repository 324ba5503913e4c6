"""core.uploads.validate_attachment refuses office documents that are zip bombs, from what their directory
declares, without unpacking them; real documents, pictures inside included, pass."""

import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError

from cooperation.attachments import validate_attachment as validate_group_attachment
from core.uploads import ATTACHMENT_CONTENT_TYPES, validate_attachment
from library.uploads import validate_attachment as validate_library_attachment

from ..cooperation.factories import upload

BOMB_MESSAGE = "bien plus qu'un document réel"
MB = 1024 * 1024


def _office(extension: str, **members: bytes) -> bytes:
    """A document of the format `extension` (docx, xlsx, odt…) with extra `members`, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if extension.startswith("od"):
            archive.writestr(
                "mimetype", ATTACHMENT_CONTENT_TYPES[extension], compress_type=zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[extension]
            archive.writestr(f"{folder}/document.xml", "<document/>")
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb(extension: str, unpacked_bytes: int) -> bytes:
    """A document one member of which is `unpacked_bytes` of zeros: a few hundred KB on disk, written by
    chunks so that the test never holds the unpacked bytes."""
    buffer = io.BytesIO(_office(extension))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive, archive.open(
        "word/media/zeros.bin" if extension == "docx" else "Pictures/zeros.bin", "w"
    ) as out:
        chunk = bytes(MB)
        for _ in range(unpacked_bytes // MB):
            out.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_a_200_mb_zip_bomb_dressed_as_a_document_is_refused_with_a_french_message(extension):
    content = _bomb(extension, 200 * MB)
    assert len(content) < MB  # small on disk
    for validate in (validate_library_attachment, validate_group_attachment):
        with pytest.raises(ValidationError) as error:
            validate(upload(f"rapport.{extension}", content))
        assert BOMB_MESSAGE in error.value.messages[0]
        assert "en 200 Mo," in error.value.messages[0]  # core.dates.filesize, the French way


def test_a_document_under_the_unpacked_limit_but_packed_too_tightly_is_refused():
    # 20 MB of zeros: under the 100 MB limit, but unpacked to about a thousand times its size.
    with pytest.raises(ValidationError) as error:
        validate_library_attachment(upload("note.docx", _bomb("docx", 20 * MB)))
    assert BOMB_MESSAGE in error.value.messages[0]


def test_the_unpacked_limit_is_a_setting(settings):
    settings.ATTACHMENT_MAX_UNPACKED_BYTES = 1024
    content = _office("odt", **{"content2.xml": os.urandom(4096)})
    with pytest.raises(ValidationError) as error:
        validate_group_attachment(upload("note.odt", content))
    assert BOMB_MESSAGE in error.value.messages[0]


def test_an_archive_of_too_many_entries_is_refused():
    members = {f"word/part{n}.xml": b"<p/>" for n in range(5001)}
    with pytest.raises(ValidationError) as error:
        validate_library_attachment(upload("note.docx", _office("docx", **members)))
    assert BOMB_MESSAGE in error.value.messages[0]


@pytest.mark.parametrize("extension", ["docx", "xlsx", "odt", "ods"])
def test_a_real_document_with_its_pictures_and_very_compressible_text_passes(extension):
    members = {
        "media/photo.jpg": os.urandom(3 * MB),  # pictures do not compress
        "styles.xml": b"<style/>" * 200_000,  # 1.6 MB of repeated markup: a high ratio, but small
    }
    validate_attachment(
        upload(f"note.{extension}", _office(extension, **members)),
        formats=(extension,),
        formats_message="",
    )


def test_an_unreadable_zip_is_left_to_the_content_check():
    with pytest.raises(ValidationError) as error:
        validate_library_attachment(upload("note.docx", b"PK\x03\x04" + b"\x00" * 200))
    assert "ne correspond pas à son extension" in error.value.messages[0]
