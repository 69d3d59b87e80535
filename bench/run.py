"""Run the benchmark suite and write a JSON report of figures (never pass/fail).

    .venv/bin/python -m bench.run --provinces 63 --out bench/results.json
    .venv/bin/python -m bench.run --provinces 1 --quick --out /tmp/bench.json   # CI smoke

Steps: generate the synthetic dataset (loaders.synth); load it with `bomay load` (wall
time, peak RSS of that process) and again stage by stage; open the store (SQLite ->
memory) and start `bomay serve` until /health answers; time in-process queries over a
fixed random sample; load-test the HTTP API on loopback (wrk, or a Python equivalent)
for a unit lookup and a province subtree beside a trivial endpoint of the same app;
time a two-province consolidation scenario and its impact; replay the national reform as
one plan (bench.reform: apply and impact, CPU beside wall time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

from bench import inproc, loadgen
from bench.stats import machine, proc_status_mib

REPO = Path(__file__).resolve().parent.parent

#: The issue's targets, printed beside the figures (the report never passes or fails).
TARGETS = {
    "load.seconds": "<= 20 s", "load.peak_rss_mib": "<= 3072 MiB",
    "start.server_ready_s": "<= 5 s",
    "queries.unit_lookup.p99_ms": "<= 2 ms", "queries.ancestors.p99_ms": "<= 2 ms",
    "queries.province_subtree_before.median_ms": "<= 10 ms",
    "queries.province_subtree_after.median_ms": "<= 10 ms",
    "queries.search.p99_ms": "<= 20 ms", "queries.national_stats.max_ms": "<= 500 ms",
    "http.unit_lookup_vs_trivial": ">= 0.5",
    "scenario.two_province_impact.median_ms": "<= 300 ms",
    "reform.best.cpu_s": "<= 5 s",
}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _cli(*args: str) -> list[str]:
    """The `bomay` command as this interpreter runs it (same as the console script)."""
    return [sys.executable, "-c", "from api.cli import main; main()", *args]


def _run_measured(cmd: list[str], env: dict | None = None) -> dict[str, Any]:
    """Run cmd; its wall time and the peak RSS of that process (wait4 rusage)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    out, errs = b"", b""
    # Drain the pipes in a thread-free way: the outputs are short.
    with proc.stdout, proc.stderr:
        out = proc.stdout.read()
        errs = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{errs.decode()[-3000:]}")
    return {"seconds": round(seconds, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "stdout": out.decode(errors="replace").strip()}


def _child(*args: str) -> dict:
    res = subprocess.run([sys.executable, "-m", "bench.child", *args], capture_output=True,
                         text=True, cwd=REPO)
    if res.returncode != 0:
        raise RuntimeError(f"bench.child {args[0]} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _start_server(cmd: list[str], port: int, timeout: float) -> tuple[subprocess.Popen, float]:
    log = tempfile.TemporaryFile()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, cwd=REPO)
    proc.bench_log = log  # type: ignore[attr-defined]  # closed by _stop
    deadline = t + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            log.close()
            raise RuntimeError(f"server exited with {proc.returncode}: {' '.join(cmd)}\n{tail}")
        try:
            status, _ = _get(f"http://127.0.0.1:{port}/health", timeout=1.0)
            if status == 200:
                return proc, time.perf_counter() - t
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    log.close()
    raise RuntimeError(f"server not ready after {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log = getattr(proc, "bench_log", None)
    if log is not None:
        log.close()


def _subtree_route(port: int) -> str | None:
    """The API's province-subtree path template, if the API has one."""
    status, body = _get(f"http://127.0.0.1:{port}/openapi.json")
    if status != 200:
        return None
    paths = json.loads(body).get("paths", {})
    for want in ("subtree", "tree", "descendants"):
        for path in sorted(paths, key=len):
            if path.count("{") == 1 and path.split("/")[-1] == want and "get" in paths[path]:
                return path
    return None


def scenario(store, quick: bool) -> dict:
    """Consolidate two provinces in a scenario and compute its impact (graph.scenarios)."""
    from bench import scenario as sc
    return sc.run(store, quick=quick, log=_log)


def _reform(data: Path, quick: bool) -> dict:
    """The national reform replayed as one plan on the generated data (bench.reform: over
    the in-memory baseline, whatever the backend)."""
    from bench import reform
    from loaders import read_dataset
    return reform.run(read_dataset(data), repeat=1 if quick else 2, log=_log)


def _optional_step(skipped_by: str | None, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A step's figures, or why it has none: skipped by an option, or its error (reported,
    never failing the run)."""
    if skipped_by is not None:
        return {"skipped": skipped_by}
    try:
        return step()
    except Exception as exc:
        return {"skipped": f"{type(exc).__name__}: {exc}"}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--provinces", type=int, default=63)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    p.add_argument("--work", type=Path, default=None,
                   help="Folder for the dataset and the store (default: a temporary folder).")
    p.add_argument("--quick", action="store_true",
                   help="Small samples and 2 s HTTP runs (CI); figures are not comparable.")
    p.add_argument("--http-duration", type=float, default=None, help="Seconds per HTTP run.")
    p.add_argument("--connections", type=int, default=None, help="HTTP connections.")
    p.add_argument("--no-http", action="store_true", help="Skip the HTTP measurements.")
    p.add_argument("--no-scenario", action="store_true",
                   help="Skip the two-province scenario (on Neo4j it reads the graph through "
                        "per-unit queries: minutes at national size).")
    p.add_argument("--no-reform", action="store_true",
                   help="Skip the national reform plan (bench.reform, issue 17).")
    p.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded",
                   help="neo4j: the server of NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD (wiped!).")
    args = p.parse_args(argv)
    neo4j = args.backend == "neo4j"
    backend = ["--backend", "neo4j"] if neo4j else []
    duration = args.http_duration or (2.0 if args.quick else 10.0)
    connections = args.connections or (4 if args.quick else 16)

    work = args.work or Path(tempfile.mkdtemp(prefix="bomay-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data, db, db2 = work / "data", work / "store.db", work / "stage.db"
    for path in (db, db2):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    report: dict[str, Any] = {
        "command": " ".join(["python -m bench.run"] + (argv if argv is not None else sys.argv[1:])),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "loadavg_start": list(os.getloadavg()),
        "params": {"provinces": args.provinces, "seed": args.seed, "quick": args.quick,
                   "backend": args.backend,
                   "http_duration_s": duration, "http_connections": connections},
        "targets": TARGETS,
    }
    try:
        _log(f"generating provinces={args.provinces} seed={args.seed} into {data}")
        from loaders.synth import generate
        t = time.perf_counter()
        counts = generate(data, provinces=args.provinces, seed=args.seed)
        report["generate"] = {"seconds": round(time.perf_counter() - t, 3), "rows": counts,
                              "total_rows": sum(counts.values()),
                              "bytes": sum(f.stat().st_size for f in data.glob("*.csv"))}

        _log("load: bomay load (CSV -> store)")
        if neo4j:
            from bench.neo4j import wipe
            wipe()
        load = _run_measured(_cli(*backend, "--store", str(db), "load", str(data)))
        load.pop("stdout")
        load["rows_per_s"] = round(report["generate"]["total_rows"] / load["seconds"])
        _log(f"  {load}")
        _log("load, stage by stage")
        load["stages"] = (_child("load", str(data), str(db2)) if not neo4j else
                          {"skipped": "stages are those of the embedded store"})
        for suffix in ("", "-wal", "-shm"):
            Path(str(db2) + suffix).unlink(missing_ok=True)
        report["load"] = load

        _log("start: open the store, then bomay serve until /health answers")
        start = {"store_open": _child("open", str(db)) if not neo4j else
                 {"skipped": "a Neo4j store reads no table to open"}}
        port = _free_port()
        proc, ready = _start_server(_cli(*backend, "--store", str(db), "serve", "--port",
                                         str(port)), port, 300)
        start["server_ready_s"] = round(ready, 3)
        start["server_rss_mib"] = proc_status_mib(proc.pid, "VmRSS")
        _stop(proc)
        report["start"] = start
        _log(f"  {start}")

        _log("queries in process")
        if neo4j:
            from graph.neo4j.store import Neo4jStore
            store = Neo4jStore.from_env()
        else:
            from graph.embedded.store import EmbeddedStore
            store = EmbeddedStore(db)
        report["queries"] = inproc.run(store, seed=args.seed, quick=args.quick, log=_log)

        _log("scenario: consolidate two provinces, impact")
        report["scenario"] = _optional_step("--no-scenario" if args.no_scenario else None,
                                            lambda: scenario(store, args.quick))
        _log(f"  {report['scenario']}")

        _log("reform: the national reform as one plan (bench.reform), apply + impact")
        report["reform"] = _optional_step("--no-reform" if args.no_reform else None,
                                          lambda: _reform(data, args.quick))
        _log(f"  {report['reform'].get('best', report['reform'])}")

        if not args.no_http:
            report["http"] = _http(store, "neo4j" if neo4j else db, duration, connections,
                                   args.seed)
        store.close()
    except BaseException as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        report["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        report["loadavg_end"] = list(os.getloadavg())
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
        _log(f"wrote {args.out}")
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return report


def _http(store, db: Path | str, duration: float, connections: int, seed: int) -> dict:
    import random
    rng = random.Random(seed)
    ids = [u.id for u in store.dataset().units]
    unit_paths = [f"/units/{ids[rng.randrange(len(ids))]}" for _ in range(2000)]
    provinces = [u for u in store.dataset().units if u.kind == "province"]
    port = _free_port()
    proc, ready = _start_server([sys.executable, "-m", "bench.server", str(db), str(port)], port, 300)
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {"tool": loadgen.tool(), "duration_s": duration, "connections": connections,
                           "server": "uvicorn, 1 process, as `bomay serve` (log level info)"}
    try:
        route = _subtree_route(port)
        runs: list[tuple[str, list[str]]] = [("trivial", ["/_bench/trivial"]), ("unit_lookup", unit_paths)]
        if route:
            paths = []
            for at in (inproc.BEFORE, inproc.AFTER):  # each province on a day it exists
                for u in provinces:
                    if u.valid_at(at):
                        paths.append(route.replace("{unit_id}", u.id).replace("{id}", u.id)
                                     + f"?at={at.isoformat()}")
            rng.shuffle(paths)
            runs.append(("province_subtree", paths))
            out["province_subtree_route"] = route
        else:
            out["province_subtree"] = {"skipped": "the API has no subtree route yet"}
        runs.append(("trivial_again", ["/_bench/trivial"]))
        for name, paths in runs:
            status, _ = _get(base + paths[0], timeout=60)
            _log(f"  http {name}: {paths[0]} -> {status}")
            out[name] = loadgen.run(base, paths, duration, connections)
            _log(f"    {out[name]}")
    finally:
        _stop(proc)
    trivial = (out["trivial"]["requests_per_s"] + out["trivial_again"]["requests_per_s"]) / 2
    out["trivial_mean_requests_per_s"] = round(trivial, 1)
    out["unit_lookup_vs_trivial"] = round(out["unit_lookup"]["requests_per_s"] / trivial, 3)
    if "requests_per_s" in out.get("province_subtree", {}):
        out["province_subtree_vs_trivial"] = round(out["province_subtree"]["requests_per_s"] / trivial, 3)
    return out


if __name__ == "__main__":
    main()
