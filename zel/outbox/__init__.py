"""Transactional outbox: background work is recorded in the same transaction as the row it is about,
then handed to Celery after the commit and, whatever happened then, by a periodic sweep.

Why an outbox and not `on_commit(task.delay)`: when the broker is down, `.delay()` raises after the
request's rows are committed (a report "en attente" for ever, a 500 to the user). Here the request's
transaction holds the intent; a broker outage only delays the work (zel.outbox.services)."""
