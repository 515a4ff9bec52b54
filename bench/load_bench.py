"""Readers and writers against a running server, through the web as people use it (issue 12, point 5).

    .venv/bin/python bench/load_bench.py --base http://127.0.0.1:8000 [--readers 20] [--writers 2]
        [--seconds 60] [--user canbo.sontrung] [--password giamngheo2023]

Each reader logs in and loads, in turn, the dashboard (``/``) and the register (``/ho-gia-dinh/``); each
writer logs in and saves a household's edit form (the phone number changed), a household of its own so
that the writers never conflict with each other. A bounded thread pool (readers + writers threads), for a
bounded time and at most ``--max-requests`` requests; loopback addresses only (this is not a tool to aim at
someone else's server). It prints, per kind, requests, p50 and p95 latency and errors: a 5xx, a page saying
"database is locked", a refused connection or a timeout; a save that does not redirect counts as an error.

Start the server first, e.g. ``giamngheo runserver --noreload 127.0.0.1:8000`` on the database to measure
(with the demo loaded: ``giamngheo demo``).

``--import FILE --import-year Y [--import-after 5]``: also run ``giamngheo import households FILE --year Y``
(a subprocess, with this process's environment: run it with the server's ``DATABASE_URL`` and
``GIAMNGHEO_DATA_DIR``) that many seconds after the load starts, and report its time and exit code. The
load average of the machine is printed before and after.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 30


class _Form(HTMLParser):
    """The fields of the page's form whose action is empty or ``action``: what a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
            elif kind != "submit":
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.fields):
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


class LoginFailed(Exception):
    pass


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, body, Location) — redirects are not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base + path  # http(s) only: ``main`` checks the base address
        req = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace"), ""
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return error.code, text, error.headers.get("Location", "")

    def form(self, path: str) -> dict[str, str]:
        _status, html, _ = self.request(path)
        parser = _Form()
        parser.feed(html)
        return parser.fields

    def login(self, user: str, password: str) -> None:
        fields = self.form("/dang-nhap/")
        fields.update({"username": user, "password": password})
        status, _body, _ = self.request("/dang-nhap/", fields)
        if status != 302:
            raise LoginFailed(f"login as {user} answered {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"read": [], "write": []}
        self.errors: dict[str, list[str]] = {"read": [], "write": []}

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def timed(results: Results, kind: str, call) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        status, body, location = call()
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        results.add(kind, time.perf_counter() - started, f"{type(error).__name__}: {error}")
        return 0, "", ""
    error = None
    if status >= 500:
        error = f"HTTP {status}"
    elif "database is locked" in body:
        error = "database is locked"
    results.add(kind, time.perf_counter() - started, error)
    return status, body, location


def logged_in(args: argparse.Namespace, results: Results, kind: str, deadline: float) -> Session:
    """A logged-in session; a login that fails (timeout, 5xx) is an error of ``kind`` and is tried again."""
    while True:
        session = Session(args.base)
        started = time.perf_counter()
        try:
            session.login(args.user, args.password)
            return session
        except (urllib.error.URLError, TimeoutError, ConnectionError, LoginFailed) as error:
            results.add(kind, time.perf_counter() - started, f"login: {type(error).__name__}: {error}")
            if time.monotonic() >= deadline:
                return session


def reader(args: argparse.Namespace, results: Results, deadline: float, budget: list[int]) -> None:
    session = logged_in(args, results, "read", deadline)
    pages = ["/", "/ho-gia-dinh/"]
    n = 0
    while time.monotonic() < deadline and _take(budget):
        timed(results, "read", lambda page=pages[n % 2]: session.request(page))
        n += 1


def writer(args: argparse.Namespace, results: Results, deadline: float, budget: list[int], pk: int) -> None:
    session = logged_in(args, results, "write", deadline)
    while time.monotonic() < deadline and _take(budget):
        fields = session.form(f"/ho-gia-dinh/{pk}/sua/")
        fields["phone"] = f"09{random.randrange(10**8):08d}"
        status, _body, _ = timed(
            results, "write", lambda data=fields: session.request(f"/ho-gia-dinh/{pk}/sua/", data)
        )
        if status and status != 302:
            with results.lock:
                results.errors["write"].append(f"save answered {status}, not a redirect")


def run_import(args: argparse.Namespace, report: list[str]) -> None:
    """The household list imported by the console script, ``--import-after`` seconds into the load."""
    time.sleep(args.import_after)
    script = os.path.join(os.path.dirname(sys.executable), "giamngheo")
    command = [script, "import", "households", args.import_file, "--year", str(args.import_year)]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)  # noqa: S603
    lines = (done.stdout + done.stderr).strip().splitlines()
    tail = [line for line in lines if "transaction" in line] + lines[-3:]  # with LOG_LEVEL=INFO: lock times
    report.append(
        f"import: started {args.import_after:.0f} s in, took {time.monotonic() - started:.1f} s,"
        f" exit {done.returncode}: " + " / ".join(tail)
    )


def _take(budget: list[int]) -> bool:
    with _BUDGET_LOCK:
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        return True


_BUDGET_LOCK = threading.Lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--user", default="canbo.sontrung")
    parser.add_argument("--password", default="giamngheo2023")
    parser.add_argument("--import", dest="import_file", help="a household list to import during the load")
    parser.add_argument("--import-year", type=int, default=2024)
    parser.add_argument("--import-after", type=float, default=5.0)
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.base)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        raise SystemExit("--base must be an http(s) address")
    if host not in LOOPBACK:
        raise SystemExit(f"{host}: only a server on this machine (127.0.0.1) may be loaded")
    if not (1 <= args.readers + args.writers <= 64 and 1 <= args.seconds <= 600):
        raise SystemExit("at most 64 threads and 600 seconds")

    probe = Session(args.base)
    probe.login(args.user, args.password)
    _s, listing, _l = probe.request("/ho-gia-dinh/")
    pks = sorted({int(pk) for pk in re.findall(r'href="/ho-gia-dinh/(\d+)/"', listing)})
    if len(pks) < args.writers:
        raise SystemExit("not enough households on the register's first page for the writers")

    results = Results()
    budget = [args.max_requests]
    load_before = os.getloadavg()
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    importing: list[str] = []
    with ThreadPoolExecutor(max_workers=args.readers + args.writers + 1) as pool:
        futures = [pool.submit(reader, args, results, deadline, budget) for _ in range(args.readers)]
        futures += [pool.submit(writer, args, results, deadline, budget, pks[i]) for i in range(args.writers)]
        if args.import_file:
            futures.append(pool.submit(run_import, args, importing))
        for future in futures:
            future.result()
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    print(f"{args.readers} readers, {args.writers} writers, {elapsed:.0f} s against {args.base}")
    loads = [" ".join(f"{x:.1f}" for x in load) for load in (load_before, load_after)]
    print(f"load average (1, 5, 15 min): before {loads[0]}, after {loads[1]}")
    for line in importing:
        print(line)
    for kind in ("read", "write"):
        times = results.times[kind]
        errors = results.errors[kind]
        median = statistics.median(times) * 1000 if times else 0
        print(
            f"{kind:5}: {len(times):5} requests, p50 {median:6.0f} ms,"
            f" p95 {percentile(times, 0.95) * 1000:6.0f} ms,"
            f" errors {len(errors)}"
            + (f", of them {sum(e.startswith('login') for e in errors)} logins" if errors else "")
            + (f" (e.g. {errors[0]})" if errors else "")
        )
    sys.exit(1 if any(results.errors.values()) else 0)


if __name__ == "__main__":
    main()
