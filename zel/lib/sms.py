"""Sending an SMS: one small interface, a console backend by default and Brevo's transactional SMS API.

`ZEL_SMS_BACKEND` chooses the backend ("console", "locmem" for tests, "brevo"); the Brevo adapter
reads `ZEL_SMS_API_KEY`, `ZEL_SMS_SENDER` and `ZEL_SMS_API_URL`. A backend returns the provider's
message id or raises `SmsError` (the caller retries with backoff, then marks the message failed).
The adapter uses the standard library's HTTP client: one POST, no extra dependency.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused the message or could not be reached. `permanent`: retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Inbound:
    """What a provider's webhook tells: a delivery report for `message_id`, or a reply from `phone`."""

    message_id: str = ""
    status: str = ""
    phone: str = ""
    reply: str = ""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> str: ...

    def parse_webhook(self, payload: dict) -> Inbound: ...


def _e164_digits(to: str) -> str:
    return to.lstrip("+")


def _generic_webhook(payload: dict) -> Inbound:
    return Inbound(message_id=str(payload.get("messageId") or payload.get("message_id") or ""),
                   status=str(payload.get("msg_status") or payload.get("event") or payload.get("status") or ""),
                   phone=str(payload.get("to") or payload.get("from") or payload.get("phone") or ""),
                   reply=str(payload.get("reply") or payload.get("text") or ""))


class ConsoleSmsBackend:
    """Development default: the message is written to the log, nothing leaves the machine."""

    def send(self, *, to: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.info("SMS (console) to …%s: %s", to[-2:], text)
        return message_id

    parse_webhook = staticmethod(_generic_webhook)


class LocmemSmsBackend:
    """Tests: messages kept in `outbox` (like Django's locmem e-mail backend)."""

    outbox: list[dict] = []

    def send(self, *, to: str, text: str) -> str:
        message_id = f"locmem-{len(self.outbox) + 1}"
        self.outbox.append({"to": to, "text": text, "id": message_id})
        return message_id

    parse_webhook = staticmethod(_generic_webhook)


class BrevoSmsBackend:
    """Brevo transactional SMS: POST {sender, recipient, content, type} with the `api-key` header;
    201 answers {"messageId": …}. Delivery reports and replies come back on the webhook
    (`msg_status`, `to`, `reply`, `messageId`)."""

    def __init__(self, *, api_key: str, sender: str, url: str, timeout: float = 10):
        self.api_key, self.sender, self.url, self.timeout = api_key, sender, url, timeout

    def send(self, *, to: str, text: str) -> str:
        body = json.dumps({"sender": self.sender, "recipient": _e164_digits(to), "content": text,
                           "type": "transactional", "unicodeEnabled": True}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "api-key": self.api_key, "content-type": "application/json", "accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            # 4xx (bad number, no credit, bad key) will not get better by retrying; 5xx and 429 may.
            permanent = 400 <= error.code < 500 and error.code != 429
            raise SmsError(f"Brevo HTTP {error.code}", permanent=permanent) from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise SmsError(f"Brevo injoignable : {type(error).__name__}") from error
        message_id = answer.get("messageId")
        if not message_id:
            raise SmsError("Brevo : réponse sans identifiant de message")
        return str(message_id)

    parse_webhook = staticmethod(_generic_webhook)


def get_backend() -> SmsBackend:
    name = settings.ZEL_SMS_BACKEND
    if name == "brevo":
        return BrevoSmsBackend(api_key=settings.ZEL_SMS_API_KEY, sender=settings.ZEL_SMS_SENDER,
                               url=settings.ZEL_SMS_API_URL)
    if name == "locmem":
        return LocmemSmsBackend()
    return ConsoleSmsBackend()
