"""`python -m bench.neo4j loadprof`: a load broken down by batch kind, on a real server.

No timing is asserted (figures on a shared machine mean nothing); only that the load it
times is the real one (the data is in the store afterwards) and that every batch kind of
a load is accounted for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.graph.conftest import neo4j_settings

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parent.parent.parent
CHAIN = REPO / "tests" / "data" / "chain"


def test_loadprof_times_every_batch_kind_of_a_real_load():
    from bench.neo4j import load_profile
    from graph.neo4j.store import Neo4jStore
    from loaders import read_dataset

    settings = neo4j_settings()
    report = load_profile(CHAIN, server_pid=None)
    dataset = read_dataset(CHAIN)
    assert report["rows"] == sum(dataset.counts().values())
    assert report["server_cpu_s"] is None  # no pid: no server figure rather than a wrong one
    kinds = set(report["batches"])
    assert {"load:Unit", "load:Event", "load:relate", "load:link", "lock_meta"} <= kinds
    assert all(b["transactions"] >= 1 and b["wall_s"] >= 0 for b in report["batches"].values())
    store = Neo4jStore.from_env(settings)
    try:
        assert store.dataset() == dataset  # what was timed is the real load
    finally:
        store.close()


def test_loadprof_command_prints_json_with_the_server_cpu(tmp_path):
    settings = neo4j_settings()
    # this process stands in for the server: any live pid gives a CPU figure
    res = subprocess.run([sys.executable, "-m", "bench.neo4j", "loadprof", str(CHAIN),
                          "--server-pid", str(subprocess.os.getpid())],
                         capture_output=True, text=True, cwd=REPO, env={**subprocess.os.environ,
                                                                      **settings}, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout)
    assert report["server_cpu_s"] is not None and report["server_cpu_s"] >= 0
    assert report["rows_per_s"] > 0 and report["loadavg"][0] >= 0


def test_the_stats_command_times_each_answer_first_and_repeated(tmp_path):
    """`python -m bench.neo4j stats`: every URL answered (a non-200 stops the command), first
    and repeated, after a real load of the folder."""
    settings = neo4j_settings()
    res = subprocess.run([sys.executable, "-m", "bench.neo4j", "stats", str(CHAIN),
                          "--at", "2018-07-01", "--at", "2020-01-01", "--root", "city"],
                         capture_output=True, text=True, cwd=REPO,
                         env={**subprocess.os.environ, **settings}, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout)
    from loaders import read_dataset
    assert report["rows"] == sum(read_dataset(CHAIN).counts().values())
    assert [s["url"] for s in report["stats"]] == [
        "/stats?at=2018-07-01", "/stats?at=2018-07-01&root=city",
        "/stats?at=2020-01-01", "/stats?at=2020-01-01&root=city"]
    assert all(s["first_ms"] > 0 and s["repeated_ms"] > 0 for s in report["stats"])
