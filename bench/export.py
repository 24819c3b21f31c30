"""Export time and memory: N synthetic events (one article, sentence, mention and link each; a third located) in
a DuckDB file, then every export format written by a fresh process, with its wall time and peak RSS.

Bounded memory shows as peak RSS that stays flat when N grows tenfold (`open` is a process that only opens the
store, the floor every export starts from). DuckDB's own sort and join memory is capped with `--memory-limit`
(`default` leaves DuckDB's own, 80% of RAM); an export that fails, such as out of memory, is reported as failed.
`--repeat` runs each export several times and reports the medians; `--stores DIR` keeps the built stores there and
reuses them on the next run.

    python bench/export.py --sizes 100000 1000000 --memory-limit 256MB --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eventwire.exports import FORMATS
from eventwire.store import Store

# What each child process runs: open the store (the floor), or export it in one format.
CHILD = """
import sys, duckdb
from pathlib import Path
from eventwire import exports
db, fmt, out, limit, rows = sys.argv[1:6]
if rows != "default":
    exports.SLICE_ROWS = int(rows)
con = duckdb.connect(db, read_only=True)
if limit != "default":
    con.execute(f"SET memory_limit = '{limit}'")
if fmt != "open":
    exports.export(con, fmt, Path(out))
"""

_SQL = """
INSERT INTO articles SELECT 'a' || i, 'Title ' || i, DATE '2015-01-01' + CAST(i % 3000 AS INTEGER), 'header',
    'Israel criticised Iran over the strikes. ' || repeat('More words of the article. ', 20), 0, 1, 0, '{{}}',
    'synthetic', now() FROM range({start}, {stop}) t(i);
INSERT INTO sources SELECT 'a' || i, 'feed.jsonl', i + 1, 'jsonl', NULL, 'https://example.org/' || i, now()
    FROM range({start}, {stop}) t(i);
INSERT INTO sentences SELECT 'a' || i, 0, 1, 0, 40, 'Israel criticised Iran over the strikes.'
    FROM range({start}, {stop}) t(i);
INSERT INTO event_mentions (article_id, idx, sentence_idx, trigger_start, trigger_end, trigger_text, code, root,
    source, target, source_spans, target_spans, negated, hypothetical, future, historical, event_date,
    confidence, decided_by)
    SELECT 'a' || i, 0, 0, 7, 17, 'criticised', '111', '11', ['ISRGOV'], ['IRN'],
    [{{'start_char': 0, 'end_char': 6, 'text': 'Israel'}}], [{{'start_char': 18, 'end_char': 22, 'text': 'Iran'}}],
    false, false, false, false, DATE '2015-01-01' + CAST(i % 3000 AS INTEGER), 0.8, 'lexicon'
    FROM range({start}, {stop}) t(i);
INSERT INTO events SELECT 'ev' || left(md5(CAST(i AS VARCHAR)), 16), '111', '11', 'ACCUSE', 'disapprove', -2.0,
    3, ['ISRGOV'], ['IRN'], DATE '2015-01-01' + CAST(i % 3000 AS INTEGER),
    CASE WHEN i % 3 = 0 THEN 'Jerusalem' END, CASE WHEN i % 3 = 0 THEN 281184 END,
    CASE WHEN i % 3 = 0 THEN 'ISR' END, CASE WHEN i % 3 = 0 THEN 31.77 END, CASE WHEN i % 3 = 0 THEN 35.21 END,
    1, 1, 1, 1, DATE '2015-01-01' + CAST(i % 3000 AS INTEGER), DATE '2015-01-01' + CAST(i % 3000 AS INTEGER),
    0.8, now() FROM range({start}, {stop}) t(i);
INSERT INTO event_links SELECT 'a' || i, 0, 'ev' || left(md5(CAST(i AS VARCHAR)), 16)
    FROM range({start}, {stop}) t(i);
"""


def build(path: Path, n: int) -> float:
    """A store of n synthetic events and their mentions, inserted in slices; the seconds it took."""
    start = time.perf_counter()
    with Store(path) as store:
        for lo in range(0, n, 250_000):
            with store.atomic():
                store.con.execute(_SQL.format(start=lo, stop=min(n, lo + 250_000)))
    return time.perf_counter() - start


def main() -> None:
    """Build stores of each size and time every export format on them."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument(
        "--memory-limit", default="512MB", help="DuckDB memory_limit of each export process, or `default`."
    )
    parser.add_argument("--slice-rows", default="default", help="Rows per query (exports.SLICE_ROWS).")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per export; the medians are reported.")
    parser.add_argument("--stores", type=Path, help="Keep the built stores in this directory and reuse them.")
    args = parser.parse_args()
    print("| events | format | seconds | events/s | peak RSS MB | output MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = _store(args.stores or Path(tmp), n)
            print(f"| {n} | (store) | | | | {db.stat().st_size / 2**20:.0f} |", flush=True)
            for fmt in ["open", *args.formats]:
                out = Path(tmp) / f"out-{fmt}"
                print(
                    _row(n, fmt, _runs(db, fmt, out, [args.memory_limit, args.slice_rows], args.repeat), out),
                    flush=True,
                )


def _store(folder: Path, n: int) -> Path:
    """The store of n events in a folder, built unless it is there already."""
    db = folder / f"bench-{n}.duckdb"
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        seconds = build(db, n)
        print(f"| {n} | (build) | {seconds:.1f} | | | |", flush=True)
    return db


def _runs(
    db: Path, fmt: str, out: Path, settings: list[str], repeat: int
) -> list[tuple[float, float]] | None:
    """Seconds and peak RSS of each run of one export (memory limit, slice rows), a fresh output each time; None
    when a run fails."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        out.unlink(missing_ok=True)
        measured = _measure(db, fmt, out, settings)
        if measured is None:
            return None
        runs.append(measured)
    return runs


def _row(n: int, fmt: str, runs: list[tuple[float, float]] | None, out: Path) -> str:
    """A table row: the median seconds and peak RSS of the runs, or that the export failed."""
    if runs is None:
        return f"| {n} | {fmt} | failed | | | |"
    seconds = statistics.median(s for s, _ in runs)
    rss = statistics.median(r for _, r in runs)
    return f"| {n} | {fmt} | {seconds:.1f} | {n / seconds:,.0f} | {rss:.0f} | {_size(out) / 2**20:.0f} |"


def _measure(db: Path, fmt: str, out: Path, settings: list[str]) -> tuple[float, float] | None:
    """Wall seconds and peak RSS (MB) of one export, measured by a wrapper process of its own; None if it fails."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run([sys.executable, '-c', sys.argv[1], *sys.argv[2:]])\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, CHILD, str(db), fmt, str(out), *settings],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        # The export's own error: what made it fail (out of memory, usually).
        lines = done.stderr.strip().splitlines() or [""]
        print(f"{fmt} failed: {next((x for x in lines if 'Error' in x), lines[-1])}", file=sys.stderr)
        return None
    seconds, rss = done.stdout.split("\n")[-2].split()
    return float(seconds), float(rss)


def _size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


if __name__ == "__main__":
    main()
