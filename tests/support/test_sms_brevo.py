"""The Brevo SMS adapter against a fake HTTP server on 127.0.0.1 (no network)."""

import pytest

from zel.lib import sms

from .fake_sms import FakeSmsServer


@pytest.fixture
def fake_sms():
    server = FakeSmsServer()
    yield server
    server.close()


def test_brevo_adapter_posts_the_message_and_returns_the_provider_id(fake_sms):
    backend = sms.BrevoSmsBackend(api_key="k-123", sender="AMLI", url=fake_sms.url)
    assert backend.send(to="+33612345678", text="Rappel : rendez-vous") == "1001"
    [request] = fake_sms.requests
    assert request["api_key"] == "k-123"
    assert request["body"] == {"sender": "AMLI", "recipient": "33612345678", "content": "Rappel : rendez-vous",
                               "type": "transactional", "unicodeEnabled": True}


def test_a_server_error_is_a_temporary_failure(fake_sms):
    fake_sms.fail_next(1)
    backend = sms.BrevoSmsBackend(api_key="k", sender="AMLI", url=fake_sms.url)
    with pytest.raises(sms.SmsError) as error:
        backend.send(to="+33612345678", text="x")
    assert not error.value.permanent
    assert backend.send(to="+33612345678", text="x") == "1002"


def test_an_unreachable_provider_is_an_error_not_a_crash():
    backend = sms.BrevoSmsBackend(api_key="k", sender="AMLI", url="http://127.0.0.1:9/none", timeout=2)
    with pytest.raises(sms.SmsError):
        backend.send(to="+33612345678", text="x")


def test_backend_is_chosen_by_setting(settings, fake_sms):
    settings.ZEL_SMS_BACKEND = "brevo"
    settings.ZEL_SMS_API_KEY = "k"
    settings.ZEL_SMS_API_URL = fake_sms.url
    assert isinstance(sms.get_backend(), sms.BrevoSmsBackend)
    settings.ZEL_SMS_BACKEND = "console"
    assert isinstance(sms.get_backend(), sms.ConsoleSmsBackend)


def test_brevo_webhook_reply_is_read():
    inbound = sms.BrevoSmsBackend(api_key="k", sender="A", url="x").parse_webhook(
        {"msg_status": "replied", "to": "33612345678", "reply": "STOP", "messageId": 1001})
    assert (inbound.phone, inbound.reply, inbound.message_id) == ("33612345678", "STOP", "1001")


@pytest.mark.parametrize(("provider", "backend"), [("", "console"), ("brevo", "anymail.backends.brevo.EmailBackend"),
                                                    ("mailjet", "anymail.backends.mailjet.EmailBackend"),
                                                    ("amazon_ses", "anymail.backends.amazon_ses.EmailBackend")])
def test_email_provider_is_chosen_by_environment(provider, backend):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZEL_EMAIL_PROVIDER": provider, "DJANGO_SETTINGS_MODULE": "zel.settings"}
    env.pop("EMAIL_URL", None)
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert backend in out
