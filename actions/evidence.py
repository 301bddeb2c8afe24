"""Checking evidence files before they are stored.

The type is worked out from the file's first bytes (and, for Office files, from the parts inside the zip), never
from its name or the browser's Content-Type, both of which the uploader controls. Only the types boards ask for
are accepted; anything else is refused with a message naming the file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
ALLOWED_DESCRIPTION = "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), CSV, text, PNG or JPEG"
# How much of a text file is read to decide it is text; the rest is not looked at.
_TEXT_SAMPLE = 64 * 1024

# An Office Open XML file is a zip holding [Content_Types].xml and the main part of its kind.
_OFFICE_PARTS = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    extension: str  # from the content, used for the stored name
    content_type: str
    original_name: str
    size: int


def evidence_check(upload: UploadedFile) -> CheckedFile:
    """Return the file's real type, or raise ValidationError({"evidence": ...}) saying what is wrong with it."""
    name = _display_name(upload.name or "file")
    size = upload.size or 0
    if size == 0:
        _refuse(f"{name} is empty.")
    if size > MAX_BYTES:
        _refuse(f"{name} is larger than 20 MB.")
    upload.seek(0)
    head = upload.read(_TEXT_SAMPLE)
    upload.seek(0)
    kind = _sniff(upload, head, name)
    if kind is None:
        _refuse(f"{name} is not a file type we accept. Upload a {ALLOWED_DESCRIPTION} file.")
    extension, content_type = kind
    return CheckedFile(upload=upload, extension=extension, content_type=content_type, original_name=name, size=size)


def _refuse(message: str) -> None:
    raise ValidationError({"evidence": message})


def _display_name(name: str) -> str:
    # Browsers send a bare name, but old ones sent a full Windows path; keep only the last part.
    return name.replace("\\", "/").rsplit("/", 1)[-1][:255]


def _sniff(upload: UploadedFile, head: bytes, name: str) -> tuple[str, str] | None:
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_office(upload, name)
    # Text has no signature, so here the name decides between CSV and plain text; text named as another type
    # (an HTML page called report.pdf) is refused rather than guessed at.
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("csv", "txt", "") and _looks_like_text(head):
        return ("csv", "text/csv") if suffix == "csv" else ("txt", "text/plain")
    return None


def _sniff_office(upload: UploadedFile, name: str) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            # Only the table of contents is read: nothing is decompressed, so a zip bomb costs nothing here.
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(part.lower().endswith("vbaproject.bin") for part in names):
        _refuse(f"{name} contains macros. Save it without macros (as docx, xlsx or pptx) and upload it again.")
    for part, kind in _OFFICE_PARTS.items():
        if part in names:
            return kind
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    sample = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    for encoding in ("utf-8", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            # The sample may end part-way through a multi-byte character.
            if encoding == "utf-8" and exc.start >= len(sample) - 3:
                text = sample[: exc.start].decode(encoding)
            else:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return controls == 0
    return False
