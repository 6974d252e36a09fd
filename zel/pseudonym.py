"""Keyed hashes of identifiers that retention erases (issue 17, item 2).

Retention replaces an anonymised lease's reference by `ANON-<id>`, but the landlord's accounting
software keeps exporting the real reference every month while the former household is still a tenant.
A keyed hash (HMAC-SHA256, key ZEL_PSEUDONYM_KEY or one derived from SECRET_KEY) lets the import
recognise that reference without ZEL holding it: without the key the digest cannot be reversed or
checked against a list of references, and the landlord's id in the message keeps digests of two
landlords apart.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "zel.pseudonym.v1"


def _secret() -> str:
    return settings.ZEL_PSEUDONYM_KEY or settings.SECRET_KEY


def digest(purpose: str, *parts: object) -> str:
    """64 hex characters; the same inputs always give the same digest under the same key."""
    message = "\x1f".join([purpose, *(str(p) for p in parts)])
    return salted_hmac(SALT, message, secret=_secret(), algorithm="sha256").hexdigest()


def normalise_lease_reference(reference: str) -> str:
    """As the rent import reads a reference from a file: trimmed, upper case."""
    return (reference or "").strip().upper()


def lease_reference_digest(landlord_id: int, reference: str) -> str:
    return digest("lease-reference", landlord_id, normalise_lease_reference(reference))
