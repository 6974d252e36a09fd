import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zel.settings")

app = Celery("zel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
