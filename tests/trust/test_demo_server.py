"""`make run`'s settings: demo mode turns DEBUG off (ZEL's own error pages) and the file broker needs
no server; without a broker URL the tasks still run in-process on any machine."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import json, django; from django.conf import settings as s; django.setup(); "
         "print(json.dumps({'debug': s.DEBUG, 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
         "'folder': s.CELERY_BROKER_TRANSPORT_OPTIONS.get('data_folder_in'), 'finders': s.WHITENOISE_USE_FINDERS}))")


def _settings(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CELERY_BROKER_URL", "REDIS_URL",
                                                                "ZEL_DEMO_MODE", "ZEL_ENV"}}
    clean.update(DJANGO_SETTINGS_MODULE="zel.settings", ZEL_CELERY_QUEUE_DIR=str(tmp_path / "queue"), **env)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_make_run_settings_serve_error_pages_and_use_a_file_broker(tmp_path):
    demo = _settings(tmp_path, ZEL_DEMO_MODE="true", CELERY_BROKER_URL="filesystem://")
    assert demo["debug"] is False and demo["finders"] is True
    assert demo["eager"] is False and demo["broker"] == "filesystem://"
    assert demo["folder"] == str(tmp_path / "queue") and (tmp_path / "queue").is_dir()


def test_embedded_default_runs_tasks_in_process(tmp_path):
    default = _settings(tmp_path)
    assert default["eager"] is True and default["debug"] is True
