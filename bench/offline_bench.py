"""Benchmark of the offline field app (issue 13), in Debian's Chromium through the whole stack (runserver,
SQLite file database, session + CSRF, the service worker, IndexedDB):

    .venv/bin/python bench/offline_bench.py [--households 500] [--surveys 100] [--runs 3] [--write-results]
                                            [--trace] [--probe]

A village of ``--households`` households (Mai Hà of the demo, in a database of its own under
/tmp/offline-bench-data) is listed in an open 2024 round. The village head logs in, then, on a link emulated
with the Chrome DevTools protocol (``Network.emulateNetworkConditions``: 1.6 Mbps down and up, 150 ms
latency):
1. downloads the assignment and stores it in IndexedDB (click → every household stored). Target ≤ 5 s.
2. offline, opens Phiếu B of a household (navigation → the form filled from IndexedDB, served by the
   service worker). Target ≤ 300 ms.
3. syncs ``--surveys`` Phiếu B queued in the outbox (back online → every one accepted). Target ≤ 10 s.
4. offline again, opens Phiếu B as in 2 with the synced surveys in the outbox ("open_full_outbox_page_ms").

``--trace`` prints where the sync's time goes, in the browser: each upload request (start, first byte, end,
bytes each way, from the page's fetch and Resource Timing), the IndexedDB write transactions (count and time)
and the outbox list's redraws. ``--probe`` measures the server alone, in-process on a copy of the database
(Django's test client, the village head's session): time and queries per ``POST /api/surveys/batch`` of 1,
10 and 25 surveys.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("OFFLINE_BENCH_DIR", "/tmp/offline-bench-data"))  # noqa: S108 (a scratch copy)
PORT = int(os.environ.get("OFFLINE_BENCH_PORT", "8132"))  # another port when 8132 is taken
# SQLite in DATA unless this names a PostgreSQL database of your own, created empty (OFFLINE_BENCH_DIR then
# only keeps the marker that it was filled).
DATABASE = os.environ.get("OFFLINE_BENCH_DATABASE_URL", "")


def database(env: dict[str, str]) -> dict[str, str]:
    """``env`` with the benchmark's database: its PostgreSQL URL, or none (SQLite in GIAMNGHEO_DATA_DIR)."""
    env.pop("DATABASE_URL", None)
    if DATABASE:
        env["DATABASE_URL"] = DATABASE
    return env


LINK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 1_600_000 / 8,
}


def prepare(households: int) -> None:
    """A fresh SQLite database: the demo, then ``households`` households in Mai Hà, all in a 2024 round."""
    marker = DATA / f"ready-{households}"
    if marker.exists():
        return  # built by an earlier run (delete the folder to start again)
    if DATA.exists():
        shutil.rmtree(DATA)
    DATA.mkdir(parents=True)
    env = {**os.environ, "GIAMNGHEO_DATA_DIR": str(DATA), "FAST_PASSWORD_HASHER": "1"}
    env = database(env)
    manage = [str(ROOT / ".venv" / "bin" / "giamngheo")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "demo"], env=env, check=True, capture_output=True)
    script = f"""
import datetime
from giamngheo.units.models import Unit
from giamngheo.households.services import household_create, member_add
from giamngheo.reviews.models import ListReason, RoundHousehold
from giamngheo.reviews.services import review_round_open, round_household_add
village = Unit.objects.select_related('level').get(code='18133-01')
review_round = review_round_open(commune=village.parent, year=2024)
for i in range({households}):
    h = household_create(
        actor=None, village=village, code=f'BN-{{i:04d}}', head_name=f'Chủ hộ {{i}}', size=4,
        safe_water=True, hygienic_latrine=i % 2 == 0, internet_use=i % 3 == 0, owns_info_device=True,
    )
    member_add(
        actor=None, household=h, full_name=f'Chủ hộ {{i}}', relation='head', citizen_id=f'0381{{i:08d}}',
        birth_date=datetime.date(1975, 1, 1), sex='male', has_health_insurance=i % 4 != 0,
        able_to_work=True, employment='self_employed',
    )
    round_household_add(review_round=review_round, household=h, reason=ListReason.ADDED)
print(RoundHousehold.objects.filter(review_round=review_round, household__village=village).count())
"""
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, capture_output=True)
    marker.touch()


def serve() -> subprocess.Popen:
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
        raise SystemExit(f"port {PORT} is in use: stop that server first")
    except OSError:
        pass
    env = {
        **os.environ,
        "GIAMNGHEO_DATA_DIR": str(DATA),
        "FAST_PASSWORD_HASHER": "1",
        "API_RATE_LIMIT": "100000/60",
    }
    env = database(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "giamngheo"), "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


QUEUE = """async ([entries, count]) => {
  const now = new Date().toISOString();
  const records = entries.slice(0, count).map((h, i) => ({
    key: crypto.randomUUID(), entry_id: h.entry_id, form: "B", household_code: h.household_code,
    head_name: h.head_name, state: "queued", attempted: false, created: now, updated: now,
    payload: {entry_id: h.entry_id, household_version: h.household_version, form: "B",
              surveyed_on: now.slice(0, 10), interviewer: "bench", respondent: "", note: "",
              b1_score: null, income_per_capita: 1000000 + i * 20000, answers: {}},
  }));
  await GNStore.put("outbox", ...records);
  return records.length;
}"""


# Wraps fetch and the store's writes, and watches the outbox list, before the sync (--trace).
TRACE = """() => {
  const t = (window.__trace = {fetches: [], writes: [], redraws: [], longtasks: []});
  const realFetch = window.fetch;
  window.fetch = async (url, options) => {
    const sent = options && options.body ? options.body.length : 0;
    const item = {url: String(url), start: performance.now(), sent};
    t.fetches.push(item);
    let response;
    try {
      response = await realFetch(url, options);
    } catch (error) {
      item.failed = true;
      throw error;
    }
    item.head = performance.now();
    const copy = response.clone();
    copy.text().then((text) => {
      item.end = performance.now();
      item.received = text.length;
      item.status = response.status;
    });
    return response;
  };
  for (const name of ["put", "remove"]) {
    const real = GNStore[name];
    GNStore[name] = async (store, ...values) => {
      const start = performance.now();
      await real(store, ...values);
      t.writes.push({store, n: values.length, start, ms: performance.now() - start});
    };
  }
  const list = document.querySelector("#outbox");
  if (list) new MutationObserver((records) => {
    for (const r of records) if (r.removedNodes.length > 1) t.redraws.push(performance.now());
  }).observe(list, {childList: true});
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) t.longtasks.push([e.startTime, e.duration]);
    }).observe({type: "longtask", buffered: false});
  } catch (e) { /* no longtask entries in this browser */ }
  t.origin = performance.now();
  return true;
}"""


# The record, with each upload's body size on the wire (gzip'd or not) from Resource Timing.
TRACE_READ = """() => Object.assign(window.__trace, {
  wire: performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/surveys"))
    .map((e) => e.encodedBodySize),
})"""


def trace_report(trace: dict) -> dict:
    """A summary of the --trace record (times in ms from the start of the sync) and a printed timeline."""
    origin = trace["origin"]
    uploads = [f for f in trace["fetches"] if "/api/surveys" in f["url"] and not f.get("failed")]
    for f in uploads:
        print(
            f"  upload {f['url'].rsplit('/', 1)[-1]:6} start {f['start'] - origin:7.0f}  first byte "
            f"{f.get('head', 0) - f['start']:6.0f}  end {f.get('end', 0) - origin:7.0f}  "
            f"sent {f['sent']:6} B  received {f.get('received', 0):6} B  status {f.get('status')}"
        )
    writes = trace["writes"]
    busy = sum(d for _, d in trace["longtasks"])
    summary = {
        "uploads": len(uploads),
        "uploads_failed": sum(1 for f in trace["fetches"] if f.get("failed")),
        "upload_sent_bytes": sum(f["sent"] for f in uploads),
        "upload_received_bytes": sum(f.get("received", 0) for f in uploads),
        "upload_received_on_wire_bytes": sum(trace.get("wire", [])),
        "upload_first_byte_ms": [round(f.get("head", 0) - f["start"]) for f in uploads],
        "idb_writes": len(writes),
        "idb_records_written": sum(w["n"] for w in writes),
        "idb_write_ms_sum": round(sum(w["ms"] for w in writes)),
        "outbox_redraws": len(trace["redraws"]),
        "long_tasks": len(trace["longtasks"]),
        "long_task_ms": round(busy),
        "last_upload_end_ms": round(max((f.get("end", 0) for f in uploads), default=origin) - origin),
    }
    print("  trace:", json.dumps(summary))
    return summary


PROBE = """
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from giamngheo.accounts.models import User
from giamngheo.reviews.models import RoundHousehold
client = Client()
client.force_login(User.objects.get(username='truongthon.maiha'))
entries = list(RoundHousehold.objects.filter(household__village__code='18133-01', review_round__year=2024)
               .select_related('household').order_by('pk'))
def body(entry, i, tag):
    return {'idempotency_key': f'probe-{tag}-{i:05d}', 'entry_id': entry.pk, 'form': 'B',
            'household_version': entry.household.version, 'surveyed_on': '2024-10-02', 'interviewer': 'probe',
            'income_per_capita': 1000000 + i * 20000, 'answers': {}}
JSON = 'application/json'
client.post('/api/surveys/batch', {'surveys': [body(entries[-1], 0, 'warm')]}, content_type=JSON)
out = []
at = 0
for size in SIZES:
    for round_ in range(ROUNDS):
        batch = [body(entries[at + i], at + i, 'p') for i in range(size)]
        at += size
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            answer = client.post('/api/surveys/batch', {'surveys': batch}, content_type=JSON)
            took = time.perf_counter() - t0
        assert answer.status_code == 200, answer.content[:300]
        outcomes = {r['outcome'] for r in answer.json()['results']}
        out.append({'size': size, 'ms': round(took * 1000), 'queries': len(queries),
                    'outcomes': sorted(outcomes)})
print('PROBE ' + json.dumps(out))
"""


def probe(sizes: tuple[int, ...] = (1, 10, 25), rounds: int = 3) -> list[dict]:
    """Server time and queries per batch request, in-process on a scratch copy of the benchmark database."""
    scratch = DATA.with_name(DATA.name + "-probe")
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(DATA, scratch)
    env = {**os.environ, "GIAMNGHEO_DATA_DIR": str(scratch), "FAST_PASSWORD_HASHER": "1"}
    env["API_RATE_LIMIT"] = "100000/60"
    env.pop("DATABASE_URL", None)
    script = PROBE.replace("SIZES", repr(sizes)).replace("ROUNDS", str(rounds))
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "giamngheo"), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    shutil.rmtree(scratch)
    rows = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("PROBE "))[6:])
    for size in sizes:
        mine = [r for r in rows if r["size"] == size]
        ms = statistics.median(r["ms"] for r in mine)
        queries = statistics.median(r["queries"] for r in mine)
        print(f"probe: batch of {size:2}: {ms:5.0f} ms ({ms / size:4.0f} ms a survey), {queries:.0f} queries")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--surveys", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--opens", type=int, default=10)
    parser.add_argument("--write-results", action="store_true")
    parser.add_argument("--trace", action="store_true", help="where the sync's time goes, in the browser")
    parser.add_argument("--probe", action="store_true", help="server time and queries per batch request")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.time()
    prepare(args.households)
    prepared = time.time() - started
    if args.probe and DATABASE:
        raise SystemExit("--probe works on a copy of the SQLite database only")
    probed = probe() if args.probe else None
    traced = None
    server = serve()
    url = f"http://127.0.0.1:{PORT}"
    figures: dict[str, list[float]] = {
        "download": [],
        "open": [],
        "open_page": [],
        "open_full": [],
        "open_full_page": [],
        "sync": [],
    }
    sizes: list[int] = []
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"], headless=True
            )
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
            page = context.new_page()
            page.goto(f"{url}/dang-nhap/?next=/field/")
            page.fill("#id_username", "truongthon.maiha")
            page.fill("#id_password", "giamngheo2023")
            page.click("button.primary")
            page.wait_for_url(f"{url}/field/")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", LINK)
            total = args.households + 5  # the demo's own Mai Hà households are not in the 2024 round
            for run in range(args.runs):
                page.goto(f"{url}/field/")
                page.locator("body[data-ready='1']").wait_for()
                t0 = time.perf_counter()
                page.click("#download")
                page.locator("body[data-downloaded]").wait_for(timeout=120_000)
                figures["download"].append(time.perf_counter() - t0)
                meta = page.evaluate("GNStore.get('meta', 'assignment')")
                sizes.append(meta["bytes"])
                total = meta["households"]
                page.evaluate("document.body.removeAttribute('data-downloaded')")
                took = figures["download"][-1]
                print(f"download {run + 1}: {took:.2f} s, {total} households, {meta['bytes']} bytes")
            entries = page.evaluate("GNStore.all('households')")
            cdp.send("Network.emulateNetworkConditions", {**LINK, "offline": True})
            context.set_offline(True)

            def opens(outside: str, inside: str) -> None:
                for i in range(args.opens):
                    entry = entries[(i * 7 + len(figures[outside])) % len(entries)]["entry_id"]
                    t0 = time.perf_counter()
                    page.goto(f"{url}/field/phieu-b/?e={entry}")
                    page.locator("body[data-ready='1']").wait_for()
                    figures[outside].append(time.perf_counter() - t0)
                    figures[inside].append(int(page.get_attribute("body", "data-ready-ms")) / 1000)
                print(f"offline opens, {outside} (s):", [round(v, 3) for v in figures[outside]])
                print(f"offline opens, in the page, {inside} (s):", [round(v, 3) for v in figures[inside]])

            opens("open", "open_page")
            page.goto(f"{url}/field/hop-thu-di/")
            page.locator("body[data-ready='1']").wait_for()
            queued = page.evaluate(QUEUE, [entries, args.surveys])
            if args.trace:
                page.evaluate(TRACE)
            t0 = time.perf_counter()
            # the emulated link first: the 'online' event starts a sync at once, which must find the link up
            cdp.send("Network.emulateNetworkConditions", LINK)
            context.set_offline(False)
            page.evaluate("GNField.sync()")
            page.evaluate("GNField.sync()")  # the run the 'online' event started, then an empty one
            figures["sync"].append(time.perf_counter() - t0)
            accepted = page.evaluate(
                "GNStore.all('outbox').then((r) => r.filter((x) => x.state === 'accepted').length)"
            )
            print(f"sync of {queued}: {figures['sync'][-1]:.2f} s, accepted {accepted}")
            if args.trace:
                traced = trace_report(page.evaluate(TRACE_READ))
            # the same opens with the synced surveys in the outbox (a phone after a day's work)
            cdp.send("Network.emulateNetworkConditions", {**LINK, "offline": True})
            context.set_offline(True)
            opens("open_full", "open_full_page")
            browser.close()
    finally:
        server.terminate()
        server.wait()
    load_after = os.getloadavg()
    summary = {
        "households": total,
        "bytes": sizes,
        "download_s": [round(v, 2) for v in figures["download"]],
        "open_ms": [round(v * 1000) for v in figures["open"]],
        "open_median_ms": round(statistics.median(figures["open"]) * 1000),
        "open_max_ms": round(max(figures["open"]) * 1000),
        "open_page_ms": [round(v * 1000) for v in figures["open_page"]],
        "open_full_outbox_page_ms": [round(v * 1000) for v in figures["open_full_page"]],
        "sync_s": [round(v, 2) for v in figures["sync"]],
        "surveys": args.surveys,
        "accepted": accepted,
        "prepare_s": round(prepared, 1),
        "load": [round(v, 1) for v in (*load_before[:1], *load_after[:1])],
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "database": "postgresql" if DATABASE else "sqlite",
    }
    if traced is not None:
        summary["trace"] = traced
    if probed is not None:
        summary["probe"] = probed
    print(json.dumps(summary))
    if args.write_results:
        with (ROOT / "bench" / "offline-runs.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
