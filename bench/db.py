"""The bench databases: one PostgreSQL database per scale, created on demand, with a marker table
that records what was seeded so a second run reuses the data instead of seeding again."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zel_bench"
SCALES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def parse_scale(label: str) -> int:
    label = label.strip()
    if label in SCALES:
        return SCALES[label]
    lowered = label.lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if lowered.endswith(suffix):
            return int(float(lowered[:-1]) * factor)
    return int(label)


def scale_label(count: int) -> str:
    for label, value in SCALES.items():
        if value == count:
            return label
    return str(count)


def url_for_scale(label: str) -> str:
    """BENCH_DATABASE_URL names the base database; each scale gets its own (zel_bench_100k) so that
    switching scales never reseeds."""
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "zel_bench"
    return urlunsplit(parts._replace(path=f"/{name}_{scale_label(parse_scale(label)).lower()}"))


def _admin_conninfo(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin.replace("postgres://", "postgresql://", 1), parts.path.lstrip("/")


def ensure_database(url: str, *, drop: bool = False) -> bool:
    """Create the database if missing (drop it first when asked). Returns True if created."""
    import psycopg
    from psycopg import sql

    admin, name = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


MARKER_DDL = """
CREATE TABLE IF NOT EXISTS bench_marker (
    component varchar(40) PRIMARY KEY,
    scale integer NOT NULL,
    seconds double precision NOT NULL,
    done_at timestamptz NOT NULL DEFAULT now()
)"""


def markers() -> dict[str, tuple[int, float]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MARKER_DDL)
        cursor.execute("SELECT component, scale, seconds FROM bench_marker")
        return {component: (scale, seconds) for component, scale, seconds in cursor.fetchall()}


def mark(component: str, scale: int, seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MARKER_DDL)
        cursor.execute(
            "INSERT INTO bench_marker (component, scale, seconds) VALUES (%s, %s, %s) "
            "ON CONFLICT (component) DO UPDATE SET scale = EXCLUDED.scale, seconds = EXCLUDED.seconds, "
            "done_at = now()", [component, scale, seconds])
