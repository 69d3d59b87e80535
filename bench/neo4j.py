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

`python -m bench.neo4j reform DIR [--no-load] [--plan-dir D] [--cli] [--reference]` runs the
national reform of `bench.reform` on Neo4j: it loads the pre-reform data (`before()` of
DIR) into the wiped server (`--no-load`: the server holds it already), writes the plan,
then in a fresh process applies it over `store.pinned()` and computes its impact (wall,
CPU, peak RSS, the snapshot's queries and whole-table reads, the report's digest); `--cli`
also runs `bomay --backend neo4j scenario run reform.yaml --json` (the CLI's `--backend neo4j`,
or BOMAY_BACKEND=neo4j, opens the store of NEO4J_URI; wall, CPU, peak RSS of
that process, the digest of its report) and `--reference` the embedded store's run of
the same plan (`python -m bench.reform --digest`), whose impact digest the run's must
equal, and with `--cli` the same CLI on the embedded store (`--data`: `before()` written as
CSV files), whose report the Neo4j CLI's must equal. One heavy process at a time: the load, the run, the CLI, the reference.

`python -m bench.neo4j search [--queries N]` times `search_units` on the loaded server,
over a fixed list of texts (names, abbreviations, prefixes, typos), split into the
server's queries and the client's ranking.
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


def _digest(body: Any) -> str:
    """The digest `bench.reform --digest` gives an impact report (`to_dict()`)."""
    from bench.reform import digest, js
    return digest(js(body))


def _child(argv: list[str]) -> tuple[str, dict[str, Any]]:
    """Run `argv` to its end: its standard output, and its wall, CPU and peak RSS."""
    import subprocess
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}")
    return out, {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                 "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def reform_load(folder: Path, plan_dir: Path) -> dict[str, Any]:
    """Load the pre-reform data of `folder` into the wiped server; write the plan."""
    from bench.reform import before, write_plan
    from graph.neo4j.store import Neo4jStore
    from loaders import read_dataset

    dataset = read_dataset(folder)
    write_plan(dataset, plan_dir)
    data = before(dataset)
    store = Neo4jStore.from_env()
    try:
        store.wipe()
        c, t = time.process_time(), time.perf_counter()
        store.replace_dataset(data)
        return {"rows": sum(data.counts().values()), "load_s": round(time.perf_counter() - t, 1),
                "load_client_cpu_s": round(time.process_time() - c, 1)}
    finally:
        store.close()


def reform_run(plan_path: Path) -> dict[str, Any]:
    """The plan applied over the server's `pinned()` snapshot and its impact (this process
    only: its peak RSS is the run's)."""
    import resource

    import orjson

    from graph.neo4j.store import Neo4jStore
    from graph.scenarios import apply, new_state
    from graph.scenarios.files import read_plan
    from graph.scenarios.impact import impact

    plan = read_plan(plan_path)
    store = Neo4jStore.from_env()
    try:
        load0 = os.getloadavg()[0]
        c0, t0 = time.process_time(), time.perf_counter()
        snap = store.pinned()
        state, _ = apply(new_state(snap, plan.at), plan.operations)
        c1, t1 = time.process_time(), time.perf_counter()
        apply_queries = getattr(snap, "queries", 0)
        report = impact(snap, state)
        c2, t2 = time.process_time(), time.perf_counter()
        body = report.to_dict()
        return {
            "apply_s": round(t1 - t0, 2), "apply_cpu_s": round(c1 - c0, 2),
            "impact_s": round(t2 - t1, 2), "impact_cpu_s": round(c2 - c1, 2),
            "wall_s": round(t2 - t0, 2), "cpu_s": round(c2 - c0, 2),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "queries": getattr(snap, "queries", 0), "apply_queries": apply_queries,
            "transactions": getattr(snap, "transactions", 0),
            "bulk_reads": list(getattr(snap, "bulk_reads", [])),
            "units_after": body["units"]["after"], "impact": _digest(body),
            # the same report as the CLI prints it (orjson, `api.cli.print_json`), read back
            "impact_as_cli": _digest(json.loads(orjson.dumps(
                body, default=str, option=orjson.OPT_NON_STR_KEYS))),
            "loadavg": [round(load0, 2), round(os.getloadavg()[0], 2)]}
    finally:
        store.close()


def _cli_run(py: str, plan: Path, store: list[str], data: list[str]) -> dict[str, Any]:
    """`bomay [options] scenario run PLAN --json` (as its console script runs it, on this
    checkout's code): wall, CPU, peak RSS, and the digest of its impact report (the
    report without the scenario's name and the diff, read back from the JSON)."""
    text, usage = _child([py, "-c", "from api.cli import main; main()", *store,
                          "scenario", "run", str(plan), "--json", *data])
    body = json.loads(text)
    body.pop("scenario")
    body.pop("diff")
    return usage | {"impact": _digest(body), "json_mb": round(len(text) / 1e6, 1)}


def reform_before(folder: Path, out: Path) -> dict[str, Any]:
    """Write `before()` of `folder` as CSV files into `out` (the embedded CLI's data)."""
    from bench.reform import before
    from loaders import read_dataset
    from loaders.export import write_dataset
    return {"rows": write_dataset(before(read_dataset(folder)), out)}


def reform(folder: Path, plan_dir: Path, *, load: bool, cli: bool,
           reference: bool) -> dict[str, Any]:
    """`reform`: load, run (a child process), then the CLI and the embedded reference."""
    py = sys.executable
    out: dict[str, Any] = {}
    if load:
        out["load"] = reform_load(folder, plan_dir)
    plan = plan_dir / "reform.yaml"
    text, usage = _child([py, "-m", "bench.neo4j", "reform-run", str(plan)])
    out["neo4j"] = json.loads(text) | {"process": usage}
    if cli:
        out["cli"] = _cli_run(py, plan, ["--backend", "neo4j"], [])
    if reference:
        text, usage = _child([py, "-m", "bench.reform", "--data", str(folder), "--digest"])
        out["embedded"] = usage | {"impact": json.loads(text)["impact"]}
        out["equal"] = out["neo4j"]["impact"] == out["embedded"]["impact"]
    if cli and reference:  # the same CLI on the embedded store (the data as CSV files)
        before_dir = plan_dir / "before"
        _child([py, "-m", "bench.neo4j", "reform-before", str(folder), str(before_dir)])
        out["cli_embedded"] = _cli_run(py, plan, [], ["--data", str(before_dir)])
        out["cli_equal"] = out["cli"]["impact"] == out["cli_embedded"]["impact"]
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return out


#: Search texts as `bench.inproc` asks them (names, abbreviations, prefixes, English).
SEARCH_TEXTS = ["UBKT", "MTTQ", "BTV", "ban to chuc", "Ban Tổ chức Tỉnh ủy", "so noi vu",
                "People's Committee", "hoi nong d", "Đảng ủy xã", "uy ban kiem tra huyen",
                "shared advisory agency", "chi bo thon 3", "Sở Nông nghiệp và Môi trường",
                "van phong tinh uy", "doan thanh nien", "ubnd", "chi bo", "hoi nong dan",
                "mong cay", "ha giag"]


def search_times(places: int = 25, seed: int = 1, rounds: int = 2,
                 answers_to: Path | None = None) -> dict[str, Any]:
    """`search_units` on the loaded server over `SEARCH_TEXTS` and `places` place names
    (bare and as `ubnd <place>`), `rounds` times each after one warm-up round: wall and
    CPU per search, and how much of the wall the server's queries took (sent, answered and
    decoded by the driver) against the client's ranking (decoding, `SearchIndex`)."""
    import random

    from bench.inproc import SEARCH_AT, _fold
    from bench.stats import summarise_ns
    from graph.neo4j.store import Neo4jStore  # first: it imports graph.queries.search in order
    from graph.neo4j import search  # noqa: I001

    store = Neo4jStore.from_env()
    try:
        rng = random.Random(seed)
        names = sorted({u.name for kind in ("province", "district", "commune")
                        for u in store.units(None, kind=kind)})
        texts = list(SEARCH_TEXTS)
        for name in rng.sample(names, min(places, len(names))):
            place = name.split(" ", 1)[1] if " " in name else name
            texts += [_fold(place) if rng.random() < 0.5 else place, f"ubnd {_fold(place)}"]
        snap = store.pinned()
        in_query = [0]
        rows = [0]
        real = search.plumbing.run

        def timed(tx: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            t = time.perf_counter_ns()
            out = real(tx, name, params)
            if name == "search:units:all":
                reread.add(params["lucene"])
            if name.startswith("search:"):
                in_query[0] += time.perf_counter_ns() - t
                rows[0] += len(out)
            return out

        answers: dict[str, list[tuple[str, float]]] = {}
        reread: set[str] = set()  # the Lucene queries read again from every hit

        def one(text: str) -> tuple[int, int, int, int]:
            in_query[0] = rows[0] = 0
            c, t = time.process_time_ns(), time.perf_counter_ns()
            found = snap.search_units(text, SEARCH_AT, 20)
            took = time.perf_counter_ns() - t, time.process_time_ns() - c, in_query[0], rows[0]
            answers[text] = [(u.id, round(score, 6)) for u, score in found]
            return took

        search.plumbing.run = timed  # the one module every read uses
        try:
            for text in texts:
                one(text)
            load0 = os.getloadavg()[0]
            samples = [(text, *one(text)) for _ in range(rounds) for text in texts]
        finally:
            search.plumbing.run = real
    finally:
        store.close()
    if answers_to is not None:
        answers_to.write_text(json.dumps(answers, ensure_ascii=False, indent=0), encoding="utf-8")
    slowest = sorted(samples, key=lambda s: -s[1])[:8]
    return {"searches": len(samples), "wall": summarise_ns([s[1] for s in samples]),
            "cpu": summarise_ns([s[2] for s in samples]),
            "server_queries": summarise_ns([s[3] for s in samples]),
            "client_rest": summarise_ns([s[1] - s[3] for s in samples]),
            # the answers (ids and scores), to compare two versions of the code
            "answers": _digest(sorted(answers.items())), "read_every_hit": sorted(reread),
            "slowest": [{"text": s[0], "ms": round(s[1] / 1e6, 1), "cpu_ms": round(s[2] / 1e6, 1),
                         "query_ms": round(s[3] / 1e6, 1), "rows": s[4]} for s in slowest],
            "loadavg": [round(load0, 2), round(os.getloadavg()[0], 2)]}


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
    ref = sub.add_parser("reform", help="The national reform over the Neo4j snapshot.")
    ref.add_argument("folder", type=Path, help="the national CSV folder (bomay synth)")
    ref.add_argument("--plan-dir", type=Path, default=Path("/tmp/bench-neo4j-reform"))
    ref.add_argument("--no-load", action="store_true", help="the server holds before() already")
    ref.add_argument("--cli", action="store_true", help="also through `bomay scenario run`")
    ref.add_argument("--reference", action="store_true", help="and the embedded store's digest")
    bef = sub.add_parser("reform-before", help="(reform's child) before() as CSV files")
    bef.add_argument("folder", type=Path)
    bef.add_argument("out", type=Path)
    one = sub.add_parser("reform-run", help="(reform's child) one run of a written plan")
    one.add_argument("plan", type=Path)
    srch = sub.add_parser("search", help="search_units timed on the loaded server.")
    srch.add_argument("--places", type=int, default=25)
    srch.add_argument("--rounds", type=int, default=2)
    srch.add_argument("--answers", type=Path, default=None, help="write the answers here")
    args = p.parse_args(argv)
    if args.command == "stats":
        report = stats_times(args.folder, args.at, args.root)
    elif args.command == "reform":
        report = reform(args.folder, args.plan_dir, load=not args.no_load, cli=args.cli,
                        reference=args.reference)
    elif args.command == "search":
        report = search_times(args.places, rounds=args.rounds, answers_to=args.answers)
    elif args.command == "reform-before":
        report = reform_before(args.folder, args.out)
    elif args.command == "reform-run":
        report = reform_run(args.plan)
    else:
        report = load_profile(args.folder, _server_pid(args.server_pid))
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
