"""Read replicas against a real PostgreSQL hot standby (issue 15, part 3; ``giamngheo/common/replicas.py``).

The module starts its own pair, once, in a temporary folder on loopback ports: ``initdb`` a primary with
``wal_level=replica``, ``pg_basebackup -R`` a standby from it, both started with the machine's PostgreSQL
binaries (``/usr/lib/postgresql/*/bin``, else ``pg_config --bindir``); skipped with a message when they are
missing. The application runs as a real server process (``runserver``) with ``DATABASE_URL`` on the primary
and ``DATABASE_REPLICA_URL`` on the standby, so these tests do not use the suite's own test database and run
the same under SQLite or PostgreSQL, in one process or under pytest-xdist (each worker its own ports).
Since it does not depend on the suite's database, it runs once, in the PostgreSQL pass of ``make test``: in
the SQLite pass it is skipped with a message (it took ~45 s of that pass for the same checks).

Which database answered is read from the data: the standby's replay is paused
(``pg_wal_replay_pause()``) and a row changed on the primary, so a page showing the old value was read from
the replica and a page showing the new one from the primary.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

requests = pytest.importorskip("requests")
psycopg = pytest.importorskip("psycopg")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the read replicas are tested once, in the PostgreSQL pass (make test-postgres): "
        "they start their own PostgreSQL pair, whatever database the suite uses",
    ),
]

BASE_DIR = Path(__file__).resolve().parents[3]
PASSWORD = "giamngheo2023"
MAX_LAG = 4  # DATABASE_REPLICA_MAX_LAG of the server under test
CHECK = 1  # DATABASE_REPLICA_CHECK_SECONDS
PROVINCE_CODE = "42"  # Hà Tĩnh, the demo tree's province


def _postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder with the four programs the test needs."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folders.insert(0, found.stdout.strip())
    for folder in reversed(folders):
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres")):
            return Path(folder)
    return None


def _run_as() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as the ``postgres`` user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        pytest.skip("PostgreSQL cannot run as root and runuser is missing: read-replica tests skipped")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("PostgreSQL cannot run as root and there is no postgres user: read-replica tests skipped")
    return ["runuser", "-u", "postgres", "--"]


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports() -> tuple[int, int, int]:
    """Three free loopback ports: primary, standby, web server (each xdist worker its own range)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    start = int(os.environ.get("REPLICA_TEST_PORT", "55401")) + 6 * int(re.sub(r"\D", "", worker) or 0)
    for base in range(start, start + 300, 3):
        if all(_free(base + i) for i in range(3)):
            return base, base + 1, base + 2
    pytest.skip("no free loopback ports for the read-replica tests")


@dataclass
class Pair:
    """A primary, its hot standby and a giamngheo server reading from both."""

    folder: Path
    bin: Path
    run_as: list[str]
    primary_port: int
    standby_port: int
    web_port: int
    server: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [*self.run_as, str(self.bin / args[0]), *args[1:]]
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0 or not check, f"{args[0]}: {done.stdout}{done.stderr}"
        return done

    def sql(self, port: int, query: str, params: tuple[Any, ...] = (), dbname: str = "giamngheo") -> Any:
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
        ) as c:
            cursor = c.execute(query, params) if params else c.execute(query)
            rows = cursor.fetchall() if cursor.description else []
        return rows[0][0] if rows and len(rows[0]) == 1 and len(rows) == 1 else rows

    def primary(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        return self.sql(self.primary_port, query, params)

    def standby(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        return self.sql(self.standby_port, query, params)

    def caught_up(self, timeout: float = 20) -> None:
        """Wait until the standby has replayed everything the primary wrote so far."""
        target = self.primary("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.standby("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)):
                return
            time.sleep(0.05)
        raise AssertionError("the standby did not catch up")

    def stop_standby(self) -> None:
        self.pg("pg_ctl", "-D", str(self.folder / "standby"), "-m", "fast", "-w", "stop", check=False)


def _configure(data: Path, port: int, folder: Path) -> None:
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{folder}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
            # A throw-away cluster: no need to survive a power cut.
            "fsync = off\nfull_page_writes = off\nmax_connections = 40\n"
        )


SETUP = """
from giamngheo.demo.sontrung import demo_load
demo_load()
"""


def _manage(pair: Pair, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args], env=pair.env, cwd=BASE_DIR, capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {args[0]}: {done.stdout}{done.stderr}"


def _template(pair: Pair) -> Path:
    """A stopped primary, migrated, with the demo tree and users: built once per set of migrations and kept in
    the temporary folder (migrating takes 10-40 s on this machine; copying the folder well under a second)."""
    key = hashlib.sha256(f"{pair.bin}\n{SETUP}".encode())
    for migration in sorted(
        [*BASE_DIR.glob("giamngheo/*/migrations/*.py"), *BASE_DIR.glob("giamngheo/demo/*.py")]
    ):
        key.update(migration.read_bytes())
    final = Path(tempfile.gettempdir()) / f"giamngheo-replica-template-{key.hexdigest()[:16]}"
    if (final / "PG_VERSION").exists():
        return final
    build = pair.folder / "template"
    pair.pg("initdb", "-D", str(build), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N")
    _configure(build, pair.primary_port, pair.folder)
    pair.pg("pg_ctl", "-D", str(build), "-l", str(pair.folder / "template.log"), "-w", "start")
    try:
        pair.sql(pair.primary_port, "CREATE DATABASE giamngheo", dbname="postgres")
        _manage(pair, "migrate", "--noinput")
        _manage(pair, "shell", "-c", SETUP)
    finally:
        pair.pg("pg_ctl", "-D", str(build), "-m", "fast", "-w", "stop")
    try:
        build.rename(final)
    except OSError:  # another xdist worker made it meanwhile
        shutil.rmtree(build, ignore_errors=True)
    return final


def _start_pair(pair: Pair) -> None:
    folder, primary, standby = pair.folder, pair.folder / "primary", pair.folder / "standby"
    subprocess.run(["cp", "-a", str(_template(pair)), str(primary)], check=True)  # keeps the owner, mode 700
    _configure(primary, pair.primary_port, folder)
    pair.pg("pg_ctl", "-D", str(primary), "-l", str(folder / "primary.log"), "-w", "start")
    pair.pg(
        "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
        "-D", str(standby), "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    _configure(standby, pair.standby_port, folder)
    pair.pg("pg_ctl", "-D", str(standby), "-l", str(folder / "standby.log"), "-w", "start")


def _start_server(pair: Pair) -> None:
    log = (pair.folder / "server.log").open("ab")
    command = ["runserver", "--noreload", "--skip-checks", f"127.0.0.1:{pair.web_port}"]
    pair.server = subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), *command],
        env=pair.env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"{pair.url}/dang-nhap/", timeout=60)  # the first page imports much: slow
            return
        except requests.ConnectionError:
            if pair.server.poll() is not None:
                raise AssertionError((pair.folder / "server.log").read_text()) from None
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    pg_bin = _postgres_bin()
    if pg_bin is None:
        pytest.skip(
            "PostgreSQL's initdb/pg_ctl/pg_basebackup not found: read-replica tests skipped (CI has them)"
        )
    run_as = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="giamngheo-replica-"))
    if run_as:
        shutil.chown(folder, "postgres")
    primary_port, standby_port, web_port = _ports()
    pair = Pair(folder, pg_bin, run_as, primary_port, standby_port, web_port)
    data = folder / "app-data"
    data.mkdir()
    pair.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/giamngheo",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby_port}/giamngheo",
        "DATABASE_REPLICA_MAX_LAG": str(MAX_LAG),
        "DATABASE_REPLICA_CHECK_SECONDS": str(CHECK),
        "GIAMNGHEO_DATA_DIR": str(data),
        "AUDIT_LOG_FILE": str(data / "audit.log"),
        "FAST_PASSWORD_HASHER": "1",
        "TASKS_IMMEDIATE": "1",
        "DEBUG": "0",
        "API_RATE_LIMIT": "100000/60",
    }
    try:
        _start_pair(pair)
        _start_server(pair)
        yield pair
    finally:
        if pair.server is not None:
            pair.server.kill()  # a throw-away server: nothing to finish
            pair.server.wait(10)
        for name in ("standby", "primary"):
            if (folder / name / "postmaster.pid").exists():
                pair.pg("pg_ctl", "-D", str(folder / name), "-m", "immediate", "-w", "stop", check=False)
        if os.environ.get("REPLICA_TEST_KEEP"):  # the logs, to read after a failure
            print(f"read-replica test folder kept: {folder}")
        else:  # ~110 MB of small files: removed in the background (seconds under load)
            subprocess.Popen(["rm", "-rf", str(folder)], start_new_session=True)


def _login(pair: Pair, username: str) -> Any:
    session = requests.Session()
    page = session.get(f"{pair.url}/dang-nhap/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = session.post(
        f"{pair.url}/dang-nhap/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        headers={"Referer": f"{pair.url}/dang-nhap/"},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


@pytest.fixture(scope="module")
def users(pair: Pair) -> dict[str, Any]:
    """Logged-in browsers of the province viewer and the commune officer. A login writes only what is always
    read from the primary (the session, the last login): it does not pin the browser to the primary."""
    sessions = {name: _login(pair, name) for name in ("tinh.hatinh", "canbo.sontrung")}
    assert not any("giamngheo_wrote" in session.cookies for session in sessions.values())
    return sessions


def _tick(pair: Pair) -> None:
    """A fresh commit, replayed: the standby's lag is counted from now."""
    pair.primary("CREATE TABLE IF NOT EXISTS replica_test_tick (at timestamptz)")
    pair.primary("INSERT INTO replica_test_tick VALUES (now())")
    pair.caught_up()


@contextmanager
def replay_paused(pair: Pair) -> Iterator[None]:
    """The standby stops applying what the primary writes: it keeps the data of this moment."""
    _tick(pair)
    pair.standby("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        pair.standby("SELECT pg_wal_replay_resume()")
        pair.caught_up()


@contextmanager
def province_renamed(pair: Pair, name: str) -> Iterator[None]:
    old = pair.primary("SELECT name FROM units_unit WHERE code = %s", (PROVINCE_CODE,))
    pair.primary("UPDATE units_unit SET name = %s WHERE code = %s", (name, PROVINCE_CODE))
    try:
        yield
    finally:
        pair.primary("UPDATE units_unit SET name = %s WHERE code = %s", (old, PROVINCE_CODE))


def _get(session: Any, pair: Pair, path: str) -> Any:
    answer = session.get(f"{pair.url}{path}", timeout=60, allow_redirects=False)
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return answer


def _found(session: Any, pair: Pair, text: str) -> int:
    """How many households the register API finds for ``text`` (a list: read from a replica)."""
    return int(_get(session, pair, f"/api/households?q={text}").json()["total"])


def _add_household(session: Any, pair: Pair, head_name: str, code: str) -> None:
    form = _get(session, pair, "/ho-gia-dinh/them/").text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    village = re.search(r'<select name="village"[^>]*>.*?<option value="(\d+)"', form, re.S)
    assert csrf and village, form[:500]
    answer = session.post(
        f"{pair.url}/ho-gia-dinh/them/",
        data={
            "csrfmiddlewaretoken": csrf.group(1), "village": village.group(1), "code": code,
            "head_name": head_name, "size": "3", "area": "rural", "version": "1",
        },
        headers={"Referer": f"{pair.url}/ho-gia-dinh/them/"},
        timeout=60,
        allow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 302, answer.text[-3000:]


def test_report_pages_and_api_lists_read_from_the_replica(pair: Pair, users: dict[str, Any]) -> None:
    viewer = users["tinh.hatinh"]
    province_id = pair.primary("SELECT id FROM units_unit WHERE code = %s", (PROVINCE_CODE,))
    # The dashboard, the progress report and the units list show the name the replica still has...
    for path in ("/", "/ho-tro/bao-cao/"):
        with replay_paused(pair), province_renamed(pair, "Hà Tĩnh Mới Đổi"):
            page = _get(viewer, pair, path).text
        assert "Hà Tĩnh Mới Đổi" not in page, path
        assert "Hà Tĩnh" in page, path
    with replay_paused(pair), province_renamed(pair, "Hà Tĩnh Mới Đổi"):
        units = _get(viewer, pair, "/api/units").json()["items"]
        assert [u["name"] for u in units if u["code"] == PROVINCE_CODE] == ["Hà Tĩnh"]
        # ... while a page not marked read-only (one unit through the API) reads the primary.
        assert _get(viewer, pair, f"/api/units/{province_id}").json()["name"] == "Hà Tĩnh Mới Đổi"


def test_a_user_reads_their_own_write_from_the_primary(pair: Pair, users: dict[str, Any]) -> None:
    officer, viewer = users["canbo.sontrung"], users["tinh.hatinh"]
    with replay_paused(pair):
        _add_household(officer, pair, "Người Vừa Ghi", "RYW-1")
        assert _found(officer, pair, "Người Vừa Ghi") == 1  # the writer: the primary
        assert _found(viewer, pair, "Người Vừa Ghi") == 0  # anyone else: the replica, paused
    assert _found(viewer, pair, "Người Vừa Ghi") == 1  # replayed


def test_a_lagging_replica_is_skipped(pair: Pair, users: dict[str, Any]) -> None:
    viewer = users["tinh.hatinh"]
    with replay_paused(pair), province_renamed(pair, "Hà Tĩnh Trễ"):
        assert "Hà Tĩnh Trễ" not in _get(viewer, pair, "/").text  # a little behind: still used
        deadline = time.monotonic() + 30
        while pair.standby("SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())") <= MAX_LAG:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(CHECK + 0.2)  # the last health answer has expired
        assert "Hà Tĩnh Trễ" in _get(viewer, pair, "/").text  # too far behind: the primary


@dataclass
class _Traffic:
    reads: int = 0
    read_retries: list[str] = field(default_factory=list)  # first tries that failed (the user retries)
    read_failures: list[str] = field(default_factory=list)  # failed again on the retry
    written: list[str] = field(default_factory=list)  # household codes whose form answered "added"
    write_failures: list[str] = field(default_factory=list)


def _loop(stop: threading.Event, step: Callable[[int], None]) -> None:
    number = 0
    while not stop.is_set():
        step(number)
        number += 1


def test_stopping_the_replica_loses_no_read_and_no_write(pair: Pair, users: dict[str, Any]) -> None:
    """The standby is stopped while a viewer reads lists and reports and an officer adds households: every
    read is answered (a user would at most retry once), and every household the form said it added is in
    the primary. This test runs last in the module: the standby stays stopped."""
    viewer, officer, traffic, stop = (
        users["tinh.hatinh"],
        users["canbo.sontrung"],
        _Traffic(),
        threading.Event(),
    )
    paths = ["/api/households?limit=20", "/", "/api/units", "/ho-tro/bao-cao/"]

    def read(number: int) -> None:
        path = paths[number % len(paths)]
        for attempt in range(2):
            try:
                answer = viewer.get(f"{pair.url}{path}", timeout=60, allow_redirects=False)
                if answer.status_code == 200:
                    traffic.reads += 1
                    return
                error = f"{path}: {answer.status_code}"
            except requests.RequestException as failure:
                error = f"{path}: {failure}"
            (traffic.read_retries if attempt == 0 else traffic.read_failures).append(error)

    def write(number: int) -> None:
        code = f"STOP-{number}"
        try:
            _add_household(officer, pair, f"Hộ Lúc Dừng {number}", code)
        except (AssertionError, requests.RequestException) as failure:
            traffic.write_failures.append(f"{code}: {failure}")
        else:
            traffic.written.append(code)

    threads = [threading.Thread(target=_loop, args=(stop, step)) for step in (read, read, write)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        reads_before = traffic.reads
        pair.stop_standby()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert reads_before > 0 and traffic.reads > reads_before
    assert traffic.read_failures == []
    assert traffic.read_retries == []  # the server read again from the primary itself
    assert traffic.write_failures == []
    assert traffic.written
    stored = pair.primary(
        "SELECT array_agg(code ORDER BY code) FROM households_household WHERE code LIKE 'STOP-%%'"
    )
    assert sorted(stored) == sorted(traffic.written)
    assert _found(viewer, pair, "Hộ Lúc Dừng") == len(traffic.written)  # lists now read the primary
