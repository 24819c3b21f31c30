"""Load on the HTTP API: a store of 1M synthetic events served by `eventwire serve`, and 20 concurrent clients
asking for pages of events and dyad time series; latency percentiles and requests per second.

The events are those of `bench/aggregate.py`'s synthetic world (about 200 actor codes over 60 countries, CAMEO
codes weighted as in news, a third located, dates over a year), stored in date order as ingest stores them; only
the events table is filled, which is all these endpoints read. The clients mix, at random:

- `events`: the first page of `/api/events` unfiltered, or filtered by a month, a CAMEO root, QuadClasses, an actor,
  or a minimum of mentions, or the next page of an earlier answer (its cursor);
- `dyads`: `/api/dyads` for a pair of the 40 most reported actors (code or country prefix), per day, week or month,
  over the year or a quarter.

The server is started on a free loopback port with the store opened read-only; the first dyad request builds the
server's actor index, which is timed apart (it is rebuilt only after a write). The target is p95 < 300 ms.

    python bench/api_load.py                                  # 1M events, 20 clients, 30 s
    python bench/api_load.py --events 200000 --clients 10 --seconds 10 --store /tmp/ew-load.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

from aggregate import DAYS, build_world, day_date, reports, true_event
from eventwire import ontology
from eventwire.store import Store

TARGET_P95_MS = 300.0
BATCH = 100_000


def build(path: Path, n: int, seed: int) -> float:
    """A store of `n` synthetic events in date order; the seconds it took."""
    started = time.perf_counter()
    world = build_world(seed)
    events = sorted((true_event(world, 0, DAYS) for _ in range(n)), key=lambda e: e.day)
    codes = ontology.cameo_codes()
    now = dt.datetime.now(dt.UTC)
    with Store(path) as store:
        for start in range(0, n, BATCH):
            rows = []
            for i, e in enumerate(events[start : start + BATCH], start=start):
                entry = codes[e.code]
                day = day_date(e.day)
                mentions = reports(world, e)
                place = e.place
                rows.append(
                    {
                        "id": "ev" + hashlib.sha1(str(i).encode()).hexdigest()[:16],
                        "code": e.code,
                        "root": entry.root,
                        "plover_type": entry.plover_type,
                        "plover_mode": entry.plover_mode,
                        "goldstein": entry.goldstein,
                        "quad_class": entry.quad_class,
                        "source": list(e.source),
                        "target": list(e.target),
                        "event_date": day,
                        "location": place.name if place else None,
                        "geonameid": place.geonameid if place else None,
                        "country": place.country if place else None,
                        "lat": place.lat if place else None,
                        "lon": place.lon if place else None,
                        "num_mentions": mentions,
                        "num_articles": max(1, mentions // 2),
                        "num_sources": max(1, mentions // 3),
                        "num_stories": max(1, mentions // 3),
                        "first_seen": day,
                        "last_seen": day,
                        "confidence": round(world.rng.uniform(0.5, 1.0), 3),
                        "updated_at": now,
                    }
                )
            store.con.register("_synthetic", pa.Table.from_pylist(rows))
            with store.atomic():
                store.con.execute("INSERT INTO events BY NAME SELECT * FROM _synthetic")
            store.con.unregister("_synthetic")
    return time.perf_counter() - started


def top_actors(path: Path, k: int) -> list[str]:
    """The `k` actor codes in most events."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT a, count(*) FROM (SELECT unnest(list_concat(source, target)) AS a FROM events) "
            "GROUP BY a ORDER BY 2 DESC LIMIT ?",
            [k],
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def free_port() -> int:
    """A free port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(path: Path, port: int) -> subprocess.Popen[bytes]:
    """`eventwire serve` over the store (read-only), answering once it does."""
    env = {k: v for k, v in os.environ.items() if k not in ("EVENTWIRE_TOKEN", "EVENTWIRE_DB")}
    process = subprocess.Popen(
        [sys.executable, "-m", "eventwire", "serve", "--db", str(path), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its children so far (Linux; 0 elsewhere)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        pids += [int(c) for c in children]
    return total


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes, and its cores."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


class Mix:
    """The requests the clients make, drawn at random."""

    def __init__(self, actors: list[str], seed: int) -> None:
        """Requests over these actors, reproducible from the seed."""
        self.actors = actors
        self.rng = random.Random(seed)
        self.cursors: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def next(self) -> tuple[str, str, dict[str, Any]]:
        """The kind of a request, its path and parameters."""
        with self.lock:
            if self.rng.random() < 0.5:
                return "events", "/api/events", self._events()
            return "dyads", "/api/dyads", self._dyad()

    def _events(self) -> dict[str, Any]:
        """Parameters of an event list request."""
        rng = self.rng
        if self.cursors and rng.random() < 0.3:
            return self.cursors.pop(rng.randrange(len(self.cursors)))
        month = rng.randrange(1, 13)
        start = dt.date(2024, month, 1)
        return rng.choice(
            [
                {},
                {"since": start.isoformat(), "until": (start + dt.timedelta(days=27)).isoformat()},
                {"root": f"{rng.randrange(1, 21):02d}"},
                {"quad_class": [3, 4]},
                {"actor": rng.choice(self.actors)},
                {"min_mentions": 5, "sort": "mentions"},
            ]
        )

    def _dyad(self) -> dict[str, Any]:
        """Parameters of a dyad series request."""
        rng = self.rng
        source, target = rng.sample(self.actors, 2)
        if rng.random() < 0.5:
            source, target = source[:3], target[:3]
        params: dict[str, Any] = {
            "source": source,
            "target": target,
            "interval": rng.choice(["day", "week", "month"]),
        }
        if rng.random() < 0.5:
            quarter = rng.randrange(4)
            params["since"] = dt.date(2024, 1 + 3 * quarter, 1).isoformat()
            params["until"] = (dt.date(2024, 1 + 3 * quarter, 1) + dt.timedelta(days=90)).isoformat()
        return params

    def keep(self, params: dict[str, Any], cursor: str | None) -> None:
        """Remember the next page of a request (its parameters and cursor) to ask for later."""
        if cursor:
            with self.lock:
                if len(self.cursors) < 1000:
                    self.cursors.append({**params, "cursor": cursor})


def client(base: str, mix: Mix, until: float, latencies: dict[str, list[float]], errors: list[str]) -> None:
    """One client: requests one after another until the time is up."""
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            kind, path, params = mix.next()
            started = time.perf_counter()
            response = http.get(path, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                errors.append(f"{response.status_code} {path} {params}")
                continue
            latencies[kind].append(elapsed)
            if kind == "events":
                mix.keep(params, response.json()["next_cursor"])


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report(latencies: dict[str, list[float]], seconds: float) -> bool:
    """Print the percentiles of each kind and of all; whether the p95 target is met."""
    everything = [v for values in latencies.values() for v in values]
    print(f"{'kind':8} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}")
    for kind, values in [*sorted(latencies.items()), ("all", everything)]:
        print(
            f"{kind:8} {len(values):9d} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
            f"{percentile(values, 99):8.1f} {len(values) / seconds:7.1f}"
        )
    return percentile(everything, 95) < TARGET_P95_MS


def main() -> None:
    """Build (or reuse) the store, start the server, load it, report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, help="DuckDB file to build once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "load.duckdb"
        if not path.exists():
            print(f"building {args.events:,} events: {build(path, args.events, args.seed):.1f} s")
        actors = top_actors(path, 40)
        port = free_port()
        server = start_server(path, port)
        base = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            httpx.get(f"{base}/api/dyads", params={"source": actors[0]}, timeout=300).raise_for_status()
            print(f"actor index built on first use: {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            httpx.get(f"{base}/api/events", timeout=300).raise_for_status()
            print(f"first page of events: {time.perf_counter() - started:.1f} s")
            print(f"load average before: {load_average()}")
            cpu = cpu_seconds(server.pid)
            mix = Mix(actors, args.seed)
            latencies: dict[str, list[float]] = defaultdict(list)
            errors: list[str] = []
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=client, args=(base, mix, until, latencies, errors))
                for _ in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            cpu = cpu_seconds(server.pid) - cpu
        finally:
            server.terminate()
            server.wait(timeout=30)
        served = sum(len(v) for v in latencies.values())
        print(f"{args.clients} clients · {seconds:.1f} s · {len(errors)} errors")
        print(f"server CPU: {cpu:.1f} s, {1000 * cpu / max(served, 1):.1f} ms a request")
        print(f"load average after: {load_average()}")
        for error in errors[:5]:
            print("  " + error)
        met = report(latencies, seconds)
        print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
