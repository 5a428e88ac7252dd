"""The Django admin, for site administrators and scoped district or province staff: one module
per app whose models it shows; who sees and changes which rows is decided by accounts.access."""

from backoffice.admin import accounts, communes, criteria, notices, records, steering  # noqa: F401
