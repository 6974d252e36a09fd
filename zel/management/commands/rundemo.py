"""`make run`: the development server plus one Celery worker on the broker given in CELERY_BROKER_URL
(the Makefile passes `filesystem://`, a queue of files under var/celery/ that needs no server).

Background work (reports, minutes PDFs, e-mails) thus runs off the request as in production: a report
request returns at once and its page shows the progress. The worker stops with the server. Without a
broker URL (the embedded default), tasks run eagerly in the request and no worker is started.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serveur de démonstration : runserver et un worker Celery (file d'attente sans serveur)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        worker = None
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "zel", "worker", "--pool=solo", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                env=os.environ.copy(), cwd=settings.BASE_DIR)
            self.stdout.write(f"Worker Celery démarré (pid {worker.pid}, broker {settings.CELERY_BROKER_URL}).")
        # A plain `kill` of the server stops the worker too (Ctrl-C reaches both already).
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            # No autoreloader: it would run this command twice, and two workers.
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
