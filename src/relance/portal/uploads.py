"""The files a customer may attach (a proof of payment, a dispute's evidence): PDF, PNG or
JPEG as their first bytes say, whatever their name, at most 10 MB."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


def sniff(head: bytes) -> str | None:
    """The file type its first bytes announce, or None for anything else."""
    return next((ext for magic, ext in MAGIC if head.startswith(magic)), None)


def validate_upload(upload):
    """The upload, renamed to a random name with the extension of its real type; refused
    when too large or not a PDF, PNG or JPEG (a renamed executable among them)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    ext = sniff(upload.read(16))
    upload.seek(0)
    if ext is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files are accepted."), code="file_type")
    # The customer's file name is never used on disk.
    upload.name = f"{secrets.token_hex(8)}.{ext}"
    return upload
