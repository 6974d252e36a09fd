"""Idempotent create forms (issue 17, item 5): a repeated submission returns the first result.

A phone on a bad network resubmits a form (retry, double tap, back and send again, a restored draft):
20 identical visit submissions used to create 20 visits. Each create form now carries a hidden
`idempotency_key` (a UUID drawn when the form is rendered, `{% idempotency_field %}`); the view runs
its create through `run_once`, which writes a SubmissionKey row (unique per user and key) in the same
transaction as the object. A second submission with the same key waits for the first one's
transaction (the unique index), then finds the row and is redirected to the first result.

A POST without a key (a page rendered before this change, a script) is processed as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import SubmissionKey

FIELD = "idempotency_key"


def key_from(request) -> uuid.UUID | None:
    """The form's key, or None when absent or not a UUID."""
    try:
        return uuid.UUID(str(request.POST.get(FIELD, "")))
    except ValueError:
        return None


def new_key() -> str:
    return str(uuid.uuid4())


def previous_result(request, *, scope: str, key: uuid.UUID | None = None) -> str | None:
    """The URL of what this key already made (None: not submitted yet). `key`: one sent otherwise than
    in the form's field (a phone's queued visit sends JSON, issue 19)."""
    claim = previous_claim(request, scope=scope, key=key)
    return claim.result_url if claim else None


def previous_claim(request, *, scope: str, key: uuid.UUID | None = None) -> SubmissionKey | None:
    """The row of what this key already made: its URL and the type and id of the object."""
    key = key or key_from(request)
    if key is None or not request.user.is_authenticated:
        return None
    return SubmissionKey.objects.filter(user=request.user, key=key, scope=scope).first()


def run_once(request, *, scope: str, create: Callable[[], tuple[Any, str]],
             key: uuid.UUID | None = None) -> tuple[Any | None, str]:
    """Runs `create` (returning the object and the URL to show it) at most once per key.

    Returns (object, url) for the submission that created, (None, url of the first result) for a
    repeat. Exceptions of `create` (a ValidationError) roll the key back with the object, so the
    corrected form may be sent again with the same key."""
    key = key or key_from(request)
    if key is None:
        return create()
    done = previous_result(request, scope=scope, key=key)
    if done:
        return None, done
    try:
        with transaction.atomic():
            # Inserted first: a concurrent twin blocks here until this transaction ends.
            claim = SubmissionKey.objects.create(user=request.user, key=key, scope=scope)
            obj, url = create()
            claim.result_url = url[:300]
            claim.object_type = obj._meta.label_lower if hasattr(obj, "_meta") else ""
            claim.object_id = str(getattr(obj, "pk", "") or "")
            claim.save(update_fields=["result_url", "object_type", "object_id"])
    except IntegrityError:
        # Lost the race: the twin committed first. Any other integrity error is not ours to hide.
        done = previous_result(request, scope=scope, key=key)
        if done is None:
            raise
        return None, done
    return obj, url


def answer_repeat(request, url: str):
    """The response to a repeated submission: the first result, and why nothing new was made."""
    messages.info(request, _("Ce formulaire avait déjà été envoyé : la saisie enregistrée la première fois "
                             "est affichée, rien n'a été créé en double."))
    return redirect(url)
