"""`bomay check` on a dataset whose plan has several failing operations (tests/data/t_names
with a plan of our own): each failing operation is reported at its line, the later ones
checked without the earlier failures and saying so; a name with several candidates lists
them, one a line in the text and structured in `--json`, as the API's `errors` give them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.problems import install_problem_handlers
from loaders import read_dataset
from tests.api.seed_plans import bomay

DATA = Path(__file__).resolve().parents[1] / "data"

#: Operations 1, 3 and 4 fail: 1 names an unknown unit, 3 a commune two units bear within
#: `Huyện Yên Sơn` (one in each province), 4 moves a commune under the unit 1 would create.
PLAN = """\
name: Sắp xếp xã Đông Hòa
status: planned
date: 2025-06-01
at: 2025-07-01
operations:
  - op: consolidate
    units: [pa-d2-c3, pa-d2-c8]
    new: {id: dh-moi, name: Xã Đông Hòa Mới, kind: commune}
  - op: rename
    unit: pa-d2-c2
    name: Thị trấn Đông Hòa Mới
  - op: consolidate_map
    rows:
      - new: {id: ys, name: Xã Tân Lập}
        names: [Tân Lập, Tân Tiến]
        within: Huyện Yên Sơn
  - op: move
    unit: pa-d2-c1
    parent: dh-moi
  - op: rename
    unit: pa-d1-c3
    name: Xã Hòa Bình Mới
"""
TAN_LAP = [{"id": "pa-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
            "area": "Huyện Yên Sơn, Tỉnh An Hà"},
           {"id": "pb-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
            "area": "Huyện Yên Sơn, Tỉnh Bắc Sơn"}]
FIRST = "plans/plan.yaml:6: [operations] operation 1 (consolidate): unit pa-d2-c8 is unknown"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", out)
    (out / "plans").mkdir()
    (out / "plans" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    return out


def test_every_failing_operation_is_reported_at_its_line(folder, tmp_path):
    r = bomay("check", str(folder))
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    problems = [line for line in lines if not line.startswith("  ")]
    assert len(problems) == 5 and problems[-1] == "4 problems found; nothing was changed"
    # the first failure as a plan failing there alone reports it
    assert problems[0] == FIRST
    without_1 = " (checked without operation 1, which failed)"
    assert problems[1] == (
        "plans/plan.yaml:15: [operations[2].rows[0].names] operation 3 (consolidate_map): "
        "row 1: 2 units are named 'Tân Lập' on 2025-07-01 within Huyện Yên Sơn: Xã Tân Lập "
        "(pa-d1-c1, Huyện Yên Sơn, Tỉnh An Hà); Xã Tân Lập (pb-d1-c1, Huyện Yên Sơn, Tỉnh "
        "Bắc Sơn); add `within` (a district or province, by id or name) or give the id"
        + without_1 + " (got 'Tân Lập')")
    assert problems[2].startswith("plans/plan.yaml:15: [operations[2].rows[0].names] "
                                  "operation 3 (consolidate_map): row 1: 3 units are named "
                                  "'Tân Tiến'") and problems[2].endswith(without_1 + " (got 'Tân Tiến')")
    # the unit operation 1 would have made is missing: operation 4 says why it may fail
    assert problems[3] == ("plans/plan.yaml:17: [operations] operation 4 (move): parent dh-moi "
                           "is unknown (checked without operations 1 and 3, which failed)")
    # the candidates one a line under their problem
    at = lines.index(problems[1])
    assert lines[at + 1:at + 3] == [
        "  candidate pa-d1-c1: Xã Tân Lập (commune), in Huyện Yên Sơn, Tỉnh An Hà",
        "  candidate pb-d1-c1: Xã Tân Lập (commune), in Huyện Yên Sơn, Tỉnh Bắc Sơn"]
    assert len([line for line in lines if line.startswith("  candidate ")]) == 5
    # refused as a whole: nothing stored, not even a store file
    store = tmp_path / "s.db"
    loaded = bomay("--store", str(store), "load", str(folder))
    assert loaded.returncode == 1 and loaded.stderr.strip().splitlines()[-1] == \
        "the store was not changed"
    assert not store.exists()


def test_the_first_failure_reads_as_when_it_fails_alone(folder):
    plan = folder / "plans" / "plan.yaml"
    plan.write_text(PLAN.split("  - op: rename")[0], encoding="utf-8")
    r = bomay("check", str(folder))
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [FIRST, "1 problem found; nothing was changed"]


def test_check_json_lists_the_problems_with_their_candidates(folder):
    r = bomay("check", "--json", str(folder))
    assert r.returncode == 1 and r.stderr == ""
    found = json.loads(r.stdout)
    assert [(p["file"], p["line"], p["column"], p["field"], p["value"]) for p in found] == [
        ("plans/plan.yaml", 6, None, "operations", None),
        ("plans/plan.yaml", 15, None, "operations[2].rows[0].names", "Tân Lập"),
        ("plans/plan.yaml", 15, None, "operations[2].rows[0].names", "Tân Tiến"),
        ("plans/plan.yaml", 17, None, "operations", None)]
    assert found[1]["candidates"] == TAN_LAP
    assert [c["id"] for c in found[2]["candidates"]] == ["pa-d1-c2", "pb-d1-c2", "pb-d1-c3"]
    # namesakes, not nearest names; a unit operation has no candidates at all
    assert "nearest" not in found[1]
    assert set(found[0]) == set(found[3]) == {"file", "line", "column", "field", "message",
                                              "value"}
    assert found[3]["message"].endswith("(checked without operations 1 and 3, which failed)")


def test_check_json_gives_the_nearest_names_of_an_unknown_name(folder):
    plan = folder / "plans" / "plan.yaml"
    plan.write_text(PLAN.replace("[Tân Lập, Tân Tiến]", "[Tân Lập (Tỉnh An Hà), Tan Tienn]"),
                    encoding="utf-8")
    found = json.loads(bomay("check", "--json", str(folder)).stdout)
    (typo,) = [p for p in found if p["value"] == "Tan Tienn"]
    assert typo["nearest"] == ["Xã Tân Tiến", "Phường Tân Tiến"]
    assert [c["id"] for c in typo["candidates"]] == ["pa-d1-c2", "pb-d1-c2", "pb-d1-c3"]
    text = bomay("check", str(folder)).stderr.splitlines()
    assert "  nearest pb-d1-c2: Phường Tân Tiến (commune), in Huyện Yên Sơn, Tỉnh Bắc Sơn" \
        in text


def test_check_json_on_a_valid_folder_gives_the_counts(folder):
    plan = folder / "plans" / "plan.yaml"
    ok = PLAN.split("  - op: consolidate_map")[0].replace("pa-d2-c8", "pa-d2-c1")
    plan.write_text(ok, encoding="utf-8")
    r = bomay("check", "--json", str(folder))
    assert r.returncode == 0, r.stdout + r.stderr
    body = json.loads(r.stdout)
    counts = read_dataset(folder).counts()
    assert body == {"ok": True, **counts, "warnings": []} and body["plans"] == 1
    assert counts["units"] > 20


def test_the_problem_json_errors_of_a_refused_folder_carry_the_same_candidates(folder):
    """The one problem+json handler, over HTTP: a refused dataset's `errors` are the items
    `bomay check --json` prints (no route loads a folder; a route of our own reads one)."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/check")
    def check() -> dict:
        read_dataset(folder)
        return {"ok": True}

    r = TestClient(app).get("/check")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["detail"] == "4 problems found; nothing was changed"
    assert body["errors"][1]["candidates"] == TAN_LAP
    assert body["errors"] == json.loads(bomay("check", "--json", str(folder)).stdout)


def test_an_operation_that_does_not_parse_is_skipped_too(folder):
    plan = folder / "plans" / "plan.yaml"
    # operation 2 without its `name` (the lines after it one up)
    plan.write_text(PLAN.replace("    name: Thị trấn Đông Hòa Mới\n", ""), encoding="utf-8")
    found = json.loads(bomay("check", "--json", str(folder)).stdout)
    assert [(p["line"], p["field"], p["message"].split(" (checked")[0][:30]) for p in found] == [
        (6, "operations", "operation 1 (consolidate): uni"),
        (9, "name", "operation 2 (rename): is requi"),
        (14, "operations[2].rows[0].names", "operation 3 (consolidate_map):"),
        (14, "operations[2].rows[0].names", "operation 3 (consolidate_map):"),
        (16, "operations", "operation 4 (move): parent dh-"),
    ]
    assert found[2]["message"].endswith("(checked without operations 1 and 2, which failed)")
    assert found[4]["message"].endswith("(checked without operations 1, 2 and 3, which failed)")
    # a shape problem does not depend on the state: said as when alone
    assert found[1]["message"] == "operation 2 (rename): is required"
