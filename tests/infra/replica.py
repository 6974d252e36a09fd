"""A real PostgreSQL streaming replica for tests: a throwaway primary and its hot standby.

The test database lives on the shared server (127.0.0.1:5432), whose configuration a test must not
touch (no wal_level change, no restart, no pg_hba entry). So the fixture builds a pair of its own:
`initdb` a primary (wal_level=replica, trust on 127.0.0.1 and a replication entry in pg_hba),
`pg_basebackup -R` it into a second directory (which writes standby.signal and primary_conninfo),
and starts that copy as a hot standby. Both servers listen on 127.0.0.1 only, on free ports
(ZEL_TEST_PG_PORTS="55432-55439" restricts the choice on a shared machine), and are stopped and
their directories removed at teardown, even when the test fails.

The binaries come from ZEL_PG_BIN, else `pg_config --bindir`, else /usr/lib/postgresql/*/bin.
Without them the test is skipped with its reason, except under CI=true, where it fails. PostgreSQL
refuses to run as root: as root the servers run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
START_TIMEOUT = 30


def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    if _ci():
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def server_bindir() -> Path | None:
    candidates = [os.environ.get("ZEL_PG_BIN", "")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in filter(None, candidates):
        if all((Path(candidate) / tool).is_file() for tool in TOOLS):
            return Path(candidate)
    return None


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    wanted = os.environ.get("ZEL_TEST_PG_PORTS", "")
    if wanted:
        low, _sep, high = wanted.partition("-")
        ports = [p for p in range(int(low), int(high or low) + 1) if _port_free(p)][:count]
        if len(ports) < count:
            skip_or_fail(f"no {count} free ports in ZEL_TEST_PG_PORTS={wanted}")
        return ports
    ports = []
    for _ in range(count):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    return ports


@dataclass
class Cluster:
    """The pair, as URLs the application's settings understand."""

    primary_port: int
    standby_port: int
    root: Path
    user: str = "postgres"

    def url(self, port: int, name: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{port}/{name}"

    def primary_url(self, name: str = "postgres") -> str:
        return self.url(self.primary_port, name)

    def standby_url(self, name: str = "postgres") -> str:
        return self.url(self.standby_port, name)

    def log(self, which: str) -> str:
        path = self.root / f"{which}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


class _Runner:
    """Runs the server binaries, as `postgres` when we are root (initdb refuses root)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.as_postgres = os.geteuid() == 0

    def owner(self) -> tuple[int, int] | None:
        if not self.as_postgres:
            return None
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            skip_or_fail("running as root and there is no `postgres` user to run the servers")
        return entry.pw_uid, entry.pw_gid

    def run(self, tool: str, *args: str, timeout: int = START_TIMEOUT) -> None:
        command = [str(self.bindir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-2000:] or done.stdout[-2000:]}")


PRIMARY_CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 30
jit = off
"""

HBA = """
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
host    replication  all   127.0.0.1/32  trust
"""


def _wait_ready(cluster: Cluster, port: int, which: str) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(f"host=127.0.0.1 port={port} user={cluster.user} dbname=postgres",
                                 connect_timeout=2):
                return
        except psycopg.OperationalError as exc:
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"the {which} did not accept connections: {last}\n{cluster.log(which)}")


@contextmanager
def streaming_replica() -> Iterator[Cluster]:
    """A primary and its hot standby, running for the block; stopped and removed after it."""
    bindir = server_bindir()
    if bindir is None:
        skip_or_fail("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found: set ZEL_PG_BIN")
    runner = _Runner(bindir)
    owner = runner.owner()
    # Not pytest's tmp_path: its parents are private to the test's user, and the servers may run as
    # another one (postgres).
    root = Path(tempfile.mkdtemp(prefix="zel-replica-"))
    primary_port, standby_port = free_ports(2)
    cluster = Cluster(primary_port, standby_port, root)
    started: list[Path] = []
    try:
        if owner:
            os.chown(root, *owner)
        primary, standby = root / "primary", root / "standby"
        runner.run("initdb", "-D", str(primary), "-U", cluster.user, "--auth=trust", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(PRIMARY_CONF.format(port=primary_port, sockets=root))
        (primary / "pg_hba.conf").write_text(HBA)
        runner.run("pg_ctl", "-D", str(primary), "-l", str(root / "primary.log"), "-w", "-t", str(START_TIMEOUT),
                   "start")
        started.append(primary)
        _wait_ready(cluster, primary_port, "primary")
        # -R: standby.signal + primary_conninfo; the copy streams from the primary once started.
        runner.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", cluster.user, "-D",
                   str(standby), "-R", "-X", "stream", "--no-sync")
        with open(standby / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {standby_port}\nhot_standby = on\n")
        runner.run("pg_ctl", "-D", str(standby), "-l", str(root / "standby.log"), "-w", "-t", str(START_TIMEOUT),
                   "start")
        started.append(standby)
        _wait_ready(cluster, standby_port, "standby")
        yield cluster
    finally:
        for data in reversed(started):
            # On failure, removing its directory below is all that is left to do.
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                runner.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def wait_for_replay(cluster: Cluster, name: str, timeout: float = 20) -> float:
    """Wait until the standby has replayed everything the primary has written; returns the lag
    (seconds from the primary's WAL position being read to the standby reaching it)."""
    import psycopg

    with psycopg.connect(cluster.primary_url(name).replace("postgres://", "postgresql://", 1)) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    started = time.monotonic()
    with psycopg.connect(cluster.standby_url(name).replace("postgres://", "postgresql://", 1),
                         autocommit=True) as standby:
        while time.monotonic() - started < timeout:
            behind = standby.execute("SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())",
                                     [target]).fetchone()[0]
            if behind <= 0:
                return time.monotonic() - started
            time.sleep(0.01)
    raise AssertionError(f"standby still behind the primary after {timeout} s")


def commit_to_standby_lag(cluster: Cluster, samples: int = 10, timeout: float = 10) -> list[float]:
    """Seconds from a commit on the primary to the row being readable on the standby, per sample
    (in the servers' own `postgres` database, so the application's data is left alone)."""
    import psycopg

    lags = []
    with psycopg.connect(cluster.primary_url().replace("postgres://", "postgresql://", 1),
                         autocommit=True) as primary, \
            psycopg.connect(cluster.standby_url().replace("postgres://", "postgresql://", 1),
                            autocommit=True) as standby:
        primary.execute("CREATE TABLE IF NOT EXISTS lag_probe (n int)")
        wait_for_replay(cluster, "postgres", timeout)
        for n in range(samples):
            started = time.monotonic()
            primary.execute("INSERT INTO lag_probe VALUES (%s)", [n])
            while not standby.execute("SELECT 1 FROM lag_probe WHERE n = %s", [n]).fetchone():
                if time.monotonic() - started > timeout:
                    raise AssertionError(f"row {n} not on the standby after {timeout} s")
                time.sleep(0.001)
            lags.append(time.monotonic() - started)
    return lags


def copy_schema(cluster: Cluster, source: dict, name: str) -> bool:
    """Create `name` on the primary with the schema and migration history of `source` (the Django
    settings of the already migrated pytest database), so that `migrate` there only has its
    post-migrate work left: a full `migrate` costs minutes on a shared 2-core machine. False when
    that database was made without migrations or pg_dump cannot read it: the caller migrates then."""
    import psycopg

    bindir = server_bindir()
    source_info = (f"host={source.get('HOST') or '127.0.0.1'} port={source.get('PORT') or 5432} "
                   f"user={source.get('USER') or 'postgres'} dbname={source['NAME']}")
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    with psycopg.connect(source_info, password=source.get("PASSWORD") or None) as conn:
        if not conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]:
            return False
    dumps = []
    for extra in (["--schema-only"], ["--data-only", "-t", "django_migrations"]):
        done = subprocess.run([str(bindir / "pg_dump"), "--no-owner", "--no-privileges", *extra, "-d", source_info],
                              capture_output=True, text=True, env=env, timeout=60, check=False)
        if done.returncode != 0:  # e.g. a server newer than this pg_dump
            return False
        dumps.append(done.stdout)
    with psycopg.connect(cluster.primary_url().replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    done = subprocess.run([str(bindir / "psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                           str(cluster.primary_port), "-U", cluster.user, "-d", name], input="\n".join(dumps),
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loading the schema failed: {done.stderr[-2000:]}")
    return True
