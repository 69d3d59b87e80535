"""Two processes commit two scenarios over the same revision of one Neo4j store at the same
moment: the Meta lock orders them, the first writes its change set, the second is refused
with a Conflict (the baseline moved) and writes nothing; the store then holds exactly the
winner's changes, its change log one commit, and the loser's scenario stays uncommitted.

Each process is a real Python process with its own driver; they wait for each other right
before writing (`graph.scenarios.service.commit_changes` wrapped), so both have read the
same revision and computed their change sets when the writes race."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders import read_dataset
from tests.graph.neo4j.test_commit import CITY_PLAN, DATA, define
from tests.graph.neo4j.test_commit import neo4j  # noqa: F401  (the fixture: a wiped server)

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[3]
COMMIT = r"""
import json, sys, time
from pathlib import Path
from graph.errors import Conflict
from graph.neo4j.store import Neo4jStore
from graph.scenarios import service as service_module
from graph.scenarios.service import ScenarioService
from tests.graph.conftest import neo4j_settings

sid, folder = sys.argv[1], Path(sys.argv[2])
store = Neo4jStore.from_env(neo4j_settings())
real = service_module.commit_changes

def together(s, changes, **kwargs):
    (folder / f"ready-{sid}").touch()
    while not (folder / "go").exists():
        time.sleep(0.002)
    return real(s, changes, **kwargs)

service_module.commit_changes = together
try:
    result = ScenarioService(store).commit(sid)
    print(json.dumps({"sid": sid, "ok": True, "revision": result.revision}))
except Conflict as exc:
    print(json.dumps({"sid": sid, "ok": False, "error": str(exc)}))
finally:
    store.close()
"""


def test_two_processes_committing_at_once_one_wins_the_other_writes_nothing(neo4j, tmp_path):  # noqa: F811
    city = neo4j
    city.replace_dataset(read_dataset(DATA / "s_city"))
    define(city, CITY_PLAN, scenario_id="plan-a")
    define(city, [{"op": "move", "unit": "cb3", "parent": "tu"}], scenario_id="plan-b")
    before, log_before = city.revision, len(city.changes())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", COMMIT, sid, str(tmp_path)], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for sid in ("plan-a", "plan-b")]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{sid}").exists() for sid in ("plan-a", "plan-b")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), \
            [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    (tmp_path / "go").touch()  # both have read `before` and computed their change sets
    results = {}
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        row = json.loads(out.strip().splitlines()[-1])
        results[row["sid"]] = row
    won = [sid for sid, r in results.items() if r["ok"]]
    assert len(won) == 1, results
    (winner,) = won
    (loser,) = {"plan-a", "plan-b"} - {winner}
    assert "the baseline changed since revision" in results[loser]["error"], results
    # the store holds the winner's changes alone, one commit more in its log
    assert city.revision == results[winner]["revision"] != before
    assert len(city.changes()) == log_before + 1
    assert city.changes()[0].what == f"scenario {winner}"
    assert city.get_scenario(winner).committed and not city.get_scenario(loser).committed
    tcnv = city.get_unit("tcnv")
    moved = city.parent("cb3", None)
    if winner == "plan-a":
        assert tcnv is not None and moved != "tu"
    else:
        assert tcnv is None and moved == "tu"
