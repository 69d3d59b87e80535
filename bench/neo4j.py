"""The Neo4j side of the benchmark (`python -m bench.run --backend neo4j`).

The run loads, serves and queries the server named by NEO4J_URI / NEO4J_USER /
NEO4J_PASSWORD exactly as the embedded run does its SQLite file; this module only
empties that server's bomay data first (the load is then a first load, as the embedded
run's is into a new file).

`python -m bench.neo4j loadprof DIR [--server-pid PID]` breaks a load down: it reads DIR
once, wipes the server, runs `Neo4jStore.replace_dataset` and reports per kind of batch
(`load:Unit`, `load:relate:PART_OF`, ...) the transactions, their wall time and - when
the server runs on this machine (its pid from --server-pid, or the `pid` file of
BOMAY_NEO4J_STATE / .neo4j) - the server's CPU time, beside the client's CPU time and
the load average: on a shared machine the CPU times say what the work costs, the wall
times what it took.

`python -m bench.neo4j stats DIR --at DATE [--at DATE ...] [--root ID]` loads DIR into the
wiped server, then times `GET /stats` over `create_app` (Starlette's TestClient) twice for
each date (and root): the first answer of a revision aggregates the generation, a repeated
one comes from the counts the store keeps per revision.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def wipe() -> None:
    """Delete every bomay node of the benchmark's Neo4j database."""
    from graph.neo4j.store import Neo4jStore
    store = Neo4jStore.from_env()
    try:
        store.wipe()
    finally:
        store.close()


def _server_pid(explicit: int | None) -> int | None:
    if explicit:
        return explicit
    state = Path(os.environ.get("BOMAY_NEO4J_STATE") or Path(__file__).resolve().parent.parent
                 / ".neo4j")
    try:
        return int((state / "pid").read_text().strip())
    except (OSError, ValueError):
        return None


def _cpu_s(pid: int | None) -> float:
    """User + system CPU seconds of process `pid` so far (0 when unknown)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_profile(folder: Path, server_pid: int | None = None) -> dict[str, Any]:
    """Load `folder` into the (wiped) server of NEO4J_URI; the figures of each batch kind."""
    import neo4j

    from graph.neo4j import plumbing
    from graph.neo4j.store import Neo4jStore
    from loaders import read_dataset

    t = time.perf_counter()
    dataset = read_dataset(folder)
    read_s = time.perf_counter() - t
    store = Neo4jStore.from_env()
    store.wipe()
    first: dict[str, str | None] = {"name": None}  # a transaction is named by its first query
    kinds: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])
    real_run, real_write = plumbing.run, neo4j.Session.execute_write

    def run(tx: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if first["name"] is None:
            first["name"] = name
        return real_run(tx, name, params)

    def execute_write(session: Any, work: Any, *args: Any, **kw: Any) -> Any:
        # one transaction: its query, its commit, and the server's CPU meanwhile
        first["name"] = None
        t0, c0 = time.perf_counter(), _cpu_s(server_pid)
        try:
            return real_write(session, work, *args, **kw)
        finally:
            kind = kinds[":".join((first["name"] or "?").split(":")[:2])]
            kind[0] += 1
            kind[1] += time.perf_counter() - t0
            kind[2] += _cpu_s(server_pid) - c0

    plumbing.run, neo4j.Session.execute_write = run, execute_write  # type: ignore[method-assign]
    try:
        rows = sum(dataset.counts().values())
        load0, c0, s0 = os.getloadavg()[0], time.process_time(), _cpu_s(server_pid)
        t = time.perf_counter()
        store.replace_dataset(dataset)
        wall = time.perf_counter() - t
        client, server = time.process_time() - c0, _cpu_s(server_pid) - s0
    finally:
        plumbing.run, neo4j.Session.execute_write = real_run, real_write  # type: ignore[method-assign]
        store.close()
    return {
        "rows": rows, "read_validate_s": round(read_s, 2),
        "replace_dataset_s": round(wall, 2), "rows_per_s": round(rows / wall),
        "client_cpu_s": round(client, 2),
        "server_cpu_s": round(server, 2) if server_pid else None,
        "loadavg": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "batches": {k: {"transactions": int(n), "wall_s": round(w, 2),
                        "server_cpu_s": round(c, 2) if server_pid else None}
                    for k, (n, w, c) in sorted(kinds.items(), key=lambda kv: -kv[1][1])},
    }


def stats_times(folder: Path, dates: list[str], roots: list[str]) -> dict[str, Any]:
    """Load `folder` into the (wiped) server of NEO4J_URI; `GET /stats` timed, first and
    repeated, for each date and root (None: the whole country)."""
    from starlette.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.neo4j.store import Neo4jStore
    from loaders import read_dataset

    dataset = read_dataset(folder)
    store = Neo4jStore.from_env()
    store.wipe()
    try:
        t = time.perf_counter()
        store.replace_dataset(dataset)
        load_s = time.perf_counter() - t
        client = TestClient(create_app(store, Settings()))
        asked = []
        for at in dates:
            for root in [None, *roots]:
                url = f"/stats?at={at}" + (f"&root={root}" if root else "")
                ms = []
                for _ in range(2):
                    t = time.perf_counter()
                    r = client.get(url)
                    ms.append(round((time.perf_counter() - t) * 1000, 1))
                    if r.status_code != 200:
                        raise SystemExit(f"{url}: {r.status_code} {r.text[:300]}")
                asked.append({"url": url, "first_ms": ms[0], "repeated_ms": ms[1]})
    finally:
        store.close()
    return {"rows": sum(dataset.counts().values()), "load_s": round(load_s, 1),
            "stats": asked, "loadavg": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.neo4j", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    prof = sub.add_parser("loadprof", help="A load broken down by batch kind (wipes the server).")
    prof.add_argument("folder", type=Path)
    prof.add_argument("--server-pid", type=int, default=None)
    times = sub.add_parser("stats", help="GET /stats first and repeated (wipes the server).")
    times.add_argument("folder", type=Path)
    times.add_argument("--at", action="append", required=True, help="a date (repeatable)")
    times.add_argument("--root", action="append", default=[], help="a root (repeatable)")
    args = p.parse_args(argv)
    if args.command == "stats":
        report = stats_times(args.folder, args.at, args.root)
    else:
        report = load_profile(args.folder, _server_pid(args.server_pid))
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
