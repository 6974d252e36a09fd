"""Load test: gunicorn on the bench database, locust headless for a bounded time, 127.0.0.1 only.

    python -m bench.loadtest                     # 100k database, 50 users, 60 s, 4 gunicorn workers
    python -m bench.loadtest --scale 10k --users 20 --duration 30s --workers 2

Social workers browse their caseload and files and log visits, managers list and search the
organisation's households, litigation staff list procedures and import rent accounts. The users
start logged in: sessions are prepared in the database beforehand (a PBKDF2 login per user would
only measure password hashing). Throughput, p95 and errors are appended to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:loadtest:start -->", "<!-- bench:loadtest:end -->"
SECRET_KEY = "bench-only-not-secret-" + "x" * 40
PERSONAS = {"worker": "bench-ts", "manager": "responsable", "litigation": "contentieux"}


def _fixtures(sessions_per_persona: int) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.urls import reverse

    from accounts.models import User
    from households.models import Household
    from zel.lib.text import normalize

    from .pages import _moselle, _rent_csv, _url, list_positions

    sessions = {}
    for persona, username in PERSONAS.items():
        user = User.objects.get(username=username)
        keys = []
        for _ in range(sessions_per_persona):
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "accounts.backends.ZelModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store["zel_last_seen"] = int(time.time())
            store.create()
            keys.append(store.session_key)
        sessions[persona] = keys
    worker = User.objects.get(username=PERSONAS["worker"])
    names = (Household.objects.filter(assigned_workers=worker).values_list("last_name", flat=True))
    urls = {"dashboard": reverse("support:dashboard")}
    for key, name in (("visit_new", "support:visit_new"), ("litigation", "litigation:procedure_list"),
                      ("rent_import", "litigation:rent_import")):
        with contextlib.suppress(Exception):  # an app not built yet: its tasks are skipped
            urls[key] = _url(name)
    rent_csv = ""
    try:  # 500 lines in the landlord's own format (Windows-1252, CRLF, "1 045,20 €")
        lines = _rent_csv(0).decode("cp1252").split("\r\n")
        rent_csv = "\r\n".join(lines[:501]) + "\r\n\r\n"
    except Exception:  # noqa: BLE001
        urls.pop("rent_import", None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM households_household")
        total = cursor.fetchone()[0]
    return {
        "sessions": sessions,
        "worker_households": list(Household.objects.filter(assigned_workers=worker).values_list("pk", flat=True)),
        "fragments": sorted({normalize(n)[:4] for n in names})[:30] or ["mart"],
        "manager_pages": max(1, total // 25),
        "manager_lists": list_positions(),  # first, spread and last pages of a département's list
        "moselle": _moselle(),
        "urls": urls,
        "rent_csv": rent_csv,
    }


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not listen on 127.0.0.1:{port}")


def _read_stats(prefix: Path) -> tuple[dict, list[dict]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return total, [r for r in rows if r["Name"] != "Aggregated"]


def _markdown(args, total: dict, rows: list[dict], env_note: str) -> str:
    def num(row, key):
        return float(row[key] or 0)

    lines = [
        f"Run {datetime.now(ZoneInfo('Europe/Paris')):%Y-%m-%d %H:%M}: `python -m bench.loadtest --scale {args.scale} "
        f"--users {args.users} --duration {args.duration} --workers {args.workers}` — {env_note}.",
        "",
        f"**{num(total, 'Request Count'):.0f} requests, {num(total, 'Requests/s'):.1f} req/s, "
        f"p50 {num(total, '50%'):.0f} ms, p95 {num(total, '95%'):.0f} ms, p99 {num(total, '99%'):.0f} ms, "
        f"{num(total, 'Failure Count'):.0f} errors.**",
        "",
        "| Request | Count | Errors | Median ms | p95 ms | Max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: -num(r, "Request Count")):
        lines.append(f"| {row['Type']} {row['Name']} | {num(row, 'Request Count'):.0f} | "
                     f"{num(row, 'Failure Count'):.0f} | {num(row, '50%'):.0f} | {num(row, '95%'):.0f} | "
                     f"{num(row, 'Max Response Time'):.0f} | {num(row, 'Requests/s'):.1f} |")
    return "\n".join(lines)


def _write_doc(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START not in text:
        text = text.rstrip() + f"\n\n## Load test\n\n{START}\n{END}\n"
    before, _sep, rest = text.partition(START)
    _old, _sep2, after = rest.partition(END)
    DOC.write_text(f"{before}{START}\n{section}\n{END}{after}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from .run_scale import prepare

    # The sessions prepared here are signed with the key the server will use.
    os.environ["SECRET_KEY"] = SECRET_KEY
    prepare(args.scale, log=lambda m: print(m, file=sys.stderr))
    from django.conf import settings

    fixtures = _fixtures(sessions_per_persona=args.users)
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures_path = OUT / "loadtest-fixtures.json"
    fixtures_path.write_text(json.dumps(fixtures))

    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"], "DEBUG": "False",
           "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1",
           "ZEL_STATIC_ROOT": str(OUT / "static"), "ZEL_OTP_ENFORCED": "False", "AXES_ENABLED": "False",
           "ZEL_LOG_LEVEL": "WARNING", "ZEL_LOADTEST_FIXTURES": str(fixtures_path),
           "DJANGO_SETTINGS_MODULE": "bench.settings_loadtest"}
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = subprocess.Popen(
        [str(Path(python).with_name("gunicorn")), "zel.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env)
    prefix = OUT / "locust"
    try:
        _wait_port(args.port)
        subprocess.run(
            [str(Path(python).with_name("locust")), "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", args.duration, "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix),
             "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    total, rows = _read_stats(prefix)
    env_note = (f"gunicorn {args.workers} sync workers, DEBUG off, database "
                f"`{settings.DATABASES['default']['NAME']}`, locust on the same 2-core machine, "
                f"wait 1–3 s between tasks")
    section = _markdown(args, total, rows, env_note)
    print(section)
    if not args.no_write:
        _write_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
