"""Attachments: only documents and images whose bytes match their extension, 10 MB at most."""

import pytest
from django.core.exceptions import ValidationError

from cooperation.attachments import validate_attachment

from ..factories import png_bytes
from .factories import VALID, docx_bytes, exe_bytes, odt_bytes, pdf_bytes, upload


@pytest.mark.parametrize("name", sorted(VALID))
def test_each_accepted_format_passes(name):
    validate_attachment(upload(name, VALID[name]()))


@pytest.mark.parametrize("name", ["rapport.pdf", "photo.png", "notes.txt", "note.docx", "installer.exe"])
def test_a_renamed_executable_is_refused_with_a_french_message(name):
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload(name, exe_bytes()))
    assert "programme exécutable" in error.value.messages[0] or "format accepté" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", png_bytes()),
        ("note.pdf", docx_bytes()),
        ("note.docx", odt_bytes()),
        ("note.odt", docx_bytes()),
        ("note.xlsx", docx_bytes()),
        ("tableau.csv", b"\x00\x01\x02binary"),
        ("script.txt", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_attachment(upload(name, content))


@pytest.mark.parametrize("name", ["page.html", "image.svg", "macro.docm", "archive.zip", "sans-extension"])
def test_other_formats_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload(name, pdf_bytes()))
    assert "Formats acceptés" in error.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("gros.pdf", pdf_bytes() + b" " * 2000))
    assert "la limite est de" in error.value.messages[0]


def test_the_default_limit_is_ten_megabytes():
    validate_attachment(upload("gros.pdf", pdf_bytes() + b" " * (10 * 1024 * 1024 - 100)))
    with pytest.raises(ValidationError):
        validate_attachment(upload("trop-gros.pdf", pdf_bytes() + b" " * (10 * 1024 * 1024)))
