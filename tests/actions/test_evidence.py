"""Evidence types are decided from the content, never from the name."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.evidence import MAX_BYTES, evidence_check

from .conftest import PDF_BYTES, PNG_BYTES


def office(parts: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("minutes.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("chart.png", PNG_BYTES, "png", "image/png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg", "image/jpeg"),
        (
            "plan.docx",
            office(["word/document.xml"]),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "kpis.xlsx",
            office(["xl/workbook.xml"]),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "deck.pptx",
            office(["ppt/presentation.xml"]),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("data.csv", "school,count\nSt Mary’s,3\n".encode(), "csv", "text/csv"),
        ("notes.txt", b"Plain notes\r\nsecond line", "txt", "text/plain"),
        ("notes", "Café notes".encode("cp1252"), "txt", "text/plain"),
    ],
)
def test_accepted_types_are_recognised_from_content(name, content, extension, content_type):
    checked = evidence_check(upload(name, content))
    assert (checked.extension, checked.content_type) == (extension, content_type)


def test_a_pdf_named_txt_is_stored_as_a_pdf():
    assert evidence_check(upload("looks-like.txt", PDF_BYTES)).extension == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 40, "report.pdf is not a file type we accept"),
        ("page.html", b"\x00\x01binary", "page.html is not a file type we accept"),
        ("archive.docx", office(["something/else.xml"]), "archive.docx is not a file type we accept"),
        ("broken.xlsx", b"PK\x03\x04not really a zip", "broken.xlsx is not a file type we accept"),
        ("macro.docx", office(["word/document.xml", "word/vbaProject.bin"]), "macro.docx contains macros"),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_other_content_is_refused_with_a_message_naming_the_file(name, content, message):
    with pytest.raises(ValidationError) as exc:
        evidence_check(upload(name, content))
    assert message in exc.value.message_dict["evidence"][0]


def test_files_over_20_mb_are_refused():
    big = upload("big.pdf", PDF_BYTES)
    big.size = MAX_BYTES + 1
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        evidence_check(big)


def test_windows_paths_are_reduced_to_the_file_name():
    assert evidence_check(upload("C:\\Users\\sam\\minutes.pdf", PDF_BYTES)).original_name == "minutes.pdf"
