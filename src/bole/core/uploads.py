"""The one check every uploaded file passes (case attachments, growth evidence, ...): its size, and its type read
from its first bytes: images (JPEG, PNG, GIF, WebP) and PDF only. The name and the Content-Type the browser
declares are never trusted; the file is stored under a random name with the extension its content gave.

Excel imports are not uploads in this sense: `bole.core.excel` checks them (size, unpacked size, the workbook).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

# Magic bytes at an offset → (content type, extension).
_MAGIC: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
]


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the check: its bytes, the type they show, and the name the user gave it."""

    data: bytes
    content_type: str
    extension: str
    name: str


def max_upload_bytes() -> int:
    return settings.BOLE_UPLOAD_MAX_BYTES


def _too_big(name: str, field: str) -> ValidationError:
    return ValidationError(
        {field: _("文件超过 %(mb)s MB：%(n)s") % {"mb": round(max_upload_bytes() / 1024 / 1024), "n": name}}
    )


def upload_check(data: bytes, name: str, *, field: str = "attachments") -> tuple[str, str]:
    """Content type and extension from the file's bytes; a ValidationError on `field` for an empty, too large
    or unaccepted file."""
    if not data:
        raise ValidationError({field: _("文件为空：%(n)s") % {"n": name}})
    if len(data) > max_upload_bytes():
        raise _too_big(name, field)
    for magic, offset, ctype, ext in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return ctype, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    raise ValidationError({field: _("只能上传图片（JPG/PNG/GIF/WEBP）或 PDF：%(n)s") % {"n": name}})


def upload_read(upload, *, field: str = "attachments") -> CheckedFile:
    """Read an uploaded file (Django's UploadedFile or any object with read/name/size) and check it; the size the
    upload declares is checked before reading it."""
    name = str(getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][-200:]
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise _too_big(name, field)
    data = upload.read(max_upload_bytes() + 1)
    ctype, ext = upload_check(data, name, field=field)
    return CheckedFile(data=data, content_type=ctype, extension=ext, name=name)


def upload_store(checked: CheckedFile, folder: str) -> str:
    """Save a checked file as `<folder>/<random>.<ext>` in the default storage; returns the stored path."""
    return default_storage.save(f"{folder}/{secrets.token_urlsafe(18)}.{checked.extension}", ContentFile(checked.data))
