"""Evidence files (minh chứng): where they are kept and which files are accepted.

Files live under EVIDENCE_ROOT, outside MEDIA_ROOT and outside anything the web server serves;
the only way to read one is `entry.views.evidence_download`, which checks the reader's scope.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension -> (content type, accepted leading bytes). Word and Excel files are either the old
# OLE compound format or the zip-based Office Open XML one.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".doc": ("application/msword", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
}


class EvidenceStorage(FileSystemStorage):
    """Private file storage: the location follows settings.EVIDENCE_ROOT and there is no URL."""

    @property
    def base_location(self):
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Evidence files have no public URL; use the evidence_download view.")


def evidence_path(instance, filename):
    """A random name per file, so names never collide and never carry the user's text to disk."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{instance.record.unit.code}/{uuid.uuid4().hex}{extension}"


def evidence_check(upload):
    """The content type of an acceptable upload; ValidationError in Vietnamese otherwise.

    The extension must be one we accept and the file must start the way such a file starts, so
    a renamed executable is refused.
    """
    limit = settings.NTM_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s); tối đa %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in ACCEPTED:
        raise ValidationError(
            _("Tệp “%(name)s” không được nhận: chỉ nhận PDF, ảnh (JPG, PNG), Word hoặc Excel.") % {"name": upload.name}
        )
    content_type, signatures = ACCEPTED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng với loại %(ext)s.") % {"name": upload.name, "ext": extension}
        )
    return content_type
