"""Files for the attachment tests: real documents of each accepted format, and disguised programs."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from ..factories import png_bytes


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


VALID = {
    "compte-rendu.pdf": pdf_bytes,
    "note.docx": docx_bytes,
    "note.odt": odt_bytes,
    "photo.png": png_bytes,
    "liste.csv": lambda: "nom;epci\nAntoine;Carmausin-Ségala\n".encode(),
    "notes.txt": lambda: "Points à aborder\n".encode("cp1252"),
}
