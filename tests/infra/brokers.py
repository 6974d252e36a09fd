"""A Celery app pointed at a broker that does not answer (a closed port on 127.0.0.1), and back."""

import socket
from contextlib import contextmanager

import pytest


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed when the block ends: nothing listens there


def forget_connections(app) -> None:
    """Drops the app's cached producer pools and routing, so the next publish builds them for the
    broker now configured. kombu's `pools.reset()` closes every pool of its global registry, the app's
    cached ones included: kept, they answer "Acquire on closed pool" to the next publish, eager
    ones too (Celery acquires a producer even for an eager task)."""
    from kombu import pools

    pools.reset()
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.__dict__.pop("amqp", None)


@contextmanager
def celery_broker(url: str | None):
    """url=None: eager mode (the broker "is back" for an in-process test); else that broker."""
    from zel.celery import app

    saved = {key: getattr(app.conf, key) for key in ("task_always_eager", "broker_url")}
    forget_connections(app)
    app.conf.task_always_eager = url is None
    if url is not None:
        app.conf.broker_url = url
        app.conf.broker_connection_timeout = 1
    try:
        yield app
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)
        forget_connections(app)


@pytest.fixture
def dead_broker():
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    with celery_broker(url) as app:
        yield app


def sweep_later() -> int:
    """What the beat sweep does once the broker answers again (here: eager, in-process), with the
    messages' waiting times already past."""
    from django.utils import timezone

    from zel.outbox import services
    from zel.outbox.models import OutboxMessage

    OutboxMessage.objects.filter(dispatched_at__isnull=True).update(available_at=timezone.now())
    with celery_broker(None):
        return services.dispatch_pending()
