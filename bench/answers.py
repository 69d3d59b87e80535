"""Per-answer latency of the API over real HTTP, one request at a time, with the CPU each
answer costs the API process and the database server, and the queries it sends.

    python -m bench.answers --backend neo4j [--cold] [--out FILE]   # the store of NEO4J_URI
    python -m bench.answers --store bomay.db

Serves the store as `bomay serve` does (`bench.server`, uvicorn, one process) and asks each
kind of answer in turn (province subtree, unit lookup, unit detail on a date, a units
page, a unit's history, lineage, a district diff, search) over one keep-alive connection
without gzip. Figures per kind: p50 / p99 wall (ms), API-process CPU and database-server
CPU per answer (ms, from /proc), and the load average. `--cold` starts the server with the
Neo4j answer cache off (`BOMAY_NEO4J_ANSWER_CACHE_UNITS=0`): every answer walks; without
it each path is asked once before the timed rounds (warm). On a shared machine the wall
times move with the load; the CPU figures less so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.run import _free_port

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def _cpu_ms(pid: int | None) -> float:
    """utime + stime of a process and its waited-for children, in ms."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks * 1000.0 / os.sysconf("SC_CLK_TCK")


def _paths(store, rng: random.Random) -> dict[str, list[str]]:
    units = store.unit_page(BEFORE, limit=1_000_000).items
    ids = [u.id for u in units]
    provinces = [(u.id, at) for at in (BEFORE, AFTER)
                 for u in store.units(at, kind="province")]
    districts = [u.id for u in units if u.level == "district" and u.kind == "district"]
    return {
        "province_subtree": [f"/units/{p}/subtree?at={at}" for p, at in provinces],
        "unit_lookup": [f"/units/{rng.choice(ids)}" for _ in range(200)],
        "unit_detail_at": [f"/units/{rng.choice(ids)}?at={BEFORE}" for _ in range(200)],
        "units_page": [f"/units?at={BEFORE}&limit=50&offset={rng.randrange(len(ids) - 50)}"
                       for _ in range(50)],
        "history": [f"/units/{rng.choice(ids)}/history" for _ in range(100)],
        "lineage": [f"/units/{p}/lineage" for p, _ in provinces],
        "district_diff": [f"/diff?from={BEFORE}&to={AFTER}&root={d}"
                          for d in rng.sample(districts, min(20, len(districts)))],
        "search": [f"/search?q={q}&at={BEFORE}" for q in
                   ("ubnd", "ban to chuc", "UBKT", "so noi vu", "hoi nong dan", "chi bo")],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    import httpx

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="embedded", choices=("embedded", "neo4j"))
    ap.add_argument("--store", default="bomay.db")
    ap.add_argument("--cold", action="store_true", help="Neo4j answer cache off")
    ap.add_argument("--rounds", type=int, default=3, help="Passes over each kind's paths.")
    ap.add_argument("--per-kind", type=int, default=None,
                    help="At most this many paths of each kind (a slow baseline).")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.backend == "neo4j":
        from graph.neo4j.store import Neo4jStore
        store, db = Neo4jStore.from_env(), "neo4j"
    else:
        from graph.embedded.store import EmbeddedStore
        store, db = EmbeddedStore(args.store), args.store
    paths = _paths(store, random.Random(args.seed))
    if args.per_kind:
        paths = {kind: urls[:args.per_kind] for kind, urls in paths.items()}
    store.close()
    env = dict(os.environ)
    if args.cold:
        env["BOMAY_NEO4J_ANSWER_CACHE_UNITS"] = "0"
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.server", db, str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = Path(os.environ.get("BOMAY_NEO4J_STATE") or ".neo4j") / "pid"
    db_pid = int(state.read_text()) if args.backend == "neo4j" and state.exists() else None
    report: dict[str, Any] = {"backend": args.backend, "cold": args.cold,
                              "loadavg_start": list(os.getloadavg()), "answers": {}}
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120,
                              headers={"Accept-Encoding": "identity"})
        for _ in range(600):
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        for kind, urls in paths.items():
            if not args.cold:
                for url in urls:  # each path once before the timed rounds
                    client.get(url)
            else:
                client.get(urls[0])  # the server's query plans, not the answers
            walls: list[float] = []
            api0, db0 = _cpu_ms(server.pid), _cpu_ms(db_pid)
            statuses: dict[int, int] = {}
            size = 0
            for _ in range(args.rounds):
                for url in urls:
                    t = time.perf_counter()
                    r = client.get(url)
                    walls.append((time.perf_counter() - t) * 1000)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    size += len(r.content)
            n = len(walls)
            walls.sort()
            report["answers"][kind] = {
                "n": n, "p50_ms": round(statistics.median(walls), 1),
                "p99_ms": round(walls[min(n - 1, int(n * 0.99))], 1),
                "api_cpu_ms": round((_cpu_ms(server.pid) - api0) / n, 1),
                "db_cpu_ms": round((_cpu_ms(db_pid) - db0) / n, 1) if db_pid else None,
                "mean_bytes": size // n, "statuses": statuses}
            print(kind, report["answers"][kind], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report["loadavg_end"] = list(os.getloadavg())
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
