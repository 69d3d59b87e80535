"""The bundled dataset (data/seed) pins the facts of the source documents, read through the API."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("seed") / "seed.db")
    store.replace_dataset(read_dataset(BUNDLED_DATASET))
    yield TestClient(create_app(store))
    store.close()


def test_the_dataset_loads_with_zero_warnings():
    result = subprocess.run([sys.executable, "-m", "api.cli", "check", str(BUNDLED_DATASET)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower()
    assert read_dataset(BUNDLED_DATASET).warnings == ()


def test_every_row_cites_its_source():
    dataset = read_dataset(BUNDLED_DATASET)
    for table in ("units", "relations", "events", "functions", "headcounts", "people", "posts",
                  "documents"):
        assert all(record.source for record in getattr(dataset, table)), table


def test_mong_cai_organisation_and_home_affairs_merger(client):
    lineage = client.get("/units/mc-to-chuc-noi-vu/lineage").json()
    preds = {item["unit"]["id"]: item for item in lineage["predecessors"]}
    assert set(preds) == {"mc-ban-to-chuc", "mc-phong-noi-vu"}
    for item in preds.values():
        event = item["event"]
        assert (event["id"], event["type"], event["date"]) == (
            "mc-2018-hop-nhat-to-chuc-noi-vu", "CONSOLIDATE", "2018-08-07")
        assert event["basis"] == ["doc-18-nq-tw", "doc-19-nq-tw"]
        assert item["depth"] == 1
    codes = {d["code"] for d in preds["mc-ban-to-chuc"]["event"]["documents"]}
    assert codes == {"18-NQ/TW", "19-NQ/TW"}
    # The day before, the two former units stand; on the day, only the merged one.
    assert client.get("/units/mc-ban-to-chuc", params={"at": "2018-08-06"}).status_code == 200
    assert client.get("/units/mc-ban-to-chuc", params={"at": "2018-08-07"}).status_code == 404
    assert client.get("/units/mc-to-chuc-noi-vu", params={"at": "2018-08-07"}).status_code == 200


def test_mong_cai_inspection_merger_and_training_transfer(client):
    lineage = client.get("/units/mc-ubkt-thanh-tra/lineage").json()
    assert {i["unit"]["id"] for i in lineage["predecessors"]} == {"mc-ubkt", "mc-thanh-tra"}
    events = client.get("/events", params={"type": "TRANSFER_FUNCTION"}).json()["items"]
    (transfer,) = [e for e in events if e["id"] == "mc-2018-chuyen-chuc-nang-dao-tao"]
    assert (transfer["inputs"], transfer["outputs"]) == (["mc-trung-tam-bdct"], ["mc-ban-tuyen-giao"])


@pytest.mark.parametrize("at,expected", [("2015-06-01", None), ("2017-12-31", None), ("2018-06-01", 21)])
def test_mong_cai_bloc_agency_headcount(client, at, expected):
    """Seed 001 gives 21 for 2018 and "14 fewer than in 2015", when the agency did not exist
    yet: the 35 belonged to the bloc organisations, so the agency has no figure before 2018."""
    body = client.get("/units/mc-co-quan-khoi", params={"at": at}).json()
    figure = body["headcount"]["headcount"] if body["headcount"] else None
    assert figure == expected


def test_quang_ninh_bloc_agency_party_cells_before_and_after_the_plan(client):
    def children(at):
        items = client.get("/units/qn-ckhoi-dang-bo/children", params={"at": at,
                                                                      "limit": 100}).json()["items"]
        return sorted(i["kind"] for i in items)

    # Seed 000 says 'dự kiến' (planned): the baseline keeps the 9 cells after the plan's date.
    assert children("2020-02-10") == ["party_cell"] * 9
    assert children("2020-02-11") == ["party_cell"] * 9
    assert children("2025-01-01") == ["party_cell"] * 9
    assert client.get("/units/qn-ckhoi-chi-bo-moi-1").status_code == 404
    # The plan, listed with its status, basis and source, and read as a scenario: 4 + 2.
    listed = {s["id"]: s for s in client.get("/scenarios").json()["items"]}
    plan = listed["qn-ckhoi-2020-regroup"]
    assert (plan["plan"], plan["status"], plan["basis"], plan["source"], plan["date"]) == (
        True, "planned", ["doc-212-qd-tw"], "seed:000", "2020-02-11")
    items = client.get("/scenarios/qn-ckhoi-2020-regroup/units/qn-ckhoi-dang-bo/children",
                       params={"at": "2020-02-11", "limit": 100}).json()["items"]
    assert sorted(i["kind"] for i in items) == ["party_cell"] * 4 + ["party_committee"] * 2
    # A unit the plan would change says so; its answer stays the baseline's.
    body = client.get("/units/qn-ckhoi-chi-bo-cu-1", params={"at": "2021-01-01"}).json()
    assert body["status"] == "active" and body["unit"]["valid_to"] is None
    assert [(p["id"], p["status"], p["date"]) for p in body["plans"]] == [
        ("qn-ckhoi-2020-regroup", "planned", "2020-02-11")]
    for path in ("lineage", "history"):
        got = client.get(f"/units/qn-ckhoi-dang-bo/{path}").json()["plans"]
        assert [p["id"] for p in got] == ["qn-ckhoi-2020-regroup"], path
    impact = client.get("/scenarios/qn-ckhoi-2020-regroup/impact").json()
    assert impact["party"]["cells"]["change"] == -5


def test_the_board_offices_fold_of_seed_002_is_a_plan(client):
    """Kế hoạch 86-KH/TU (seed 002): a plan; the boards keep their offices in the baseline,
    the plan folds them (and their drivers and accountants) into the Provincial Party Office."""
    listed = {s["id"]: s for s in client.get("/scenarios").json()["items"]}
    plan = listed["p002-fold-board-offices"]
    assert (plan["status"], plan["basis"], plan["source"]) == (
        "planned", ["doc-86-kh-tu-p002", "doc-18-nq-tw"], "seed:002")
    assert client.get("/units/p002-ubkt-van-phong", params={"at": "2019-01-01"}).status_code == 200
    office = "/scenarios/p002-fold-board-offices/units/p002-van-phong-tu"
    held = client.get(office, params={"at": "2018-06-30"}).json()["functions"]
    assert {"transport", "finance_accounting"} <= {f["function"] for f in held}
    assert client.get("/scenarios/p002-fold-board-offices/units/p002-ubkt-van-phong",
                      params={"at": "2018-06-30"}).status_code == 404
    body = client.get("/units/p002-van-phong-tu").json()
    assert [p["id"] for p in body["plans"]] == ["p002-fold-board-offices"]
    # read-only: a plan of the dataset is changed by editing its file
    assert client.delete("/scenarios/p002-fold-board-offices").status_code in (401, 409)


def test_quang_ninh_bloc_agency_serves_each_bloc_member(client):
    body = client.get("/units/qn-co-quan-khoi", params={"at": "2020-02-11"}).json()
    served = {u["kind"] for u in body["serves"]}
    # the Front and four mass organisations; the seeds do not say the trade union is served
    assert served == {"front", "mass_org"} and len(body["serves"]) == 5
    assert "qn-ldld" not in {u["id"] for u in body["serves"]}


def test_concurrent_posts_of_the_provincial_secretary(client):
    body = client.get("/people/nguyen-van-doc").json()
    assert body["name"] == "Nguyễn Văn Đọc"
    roles = {(p["unit"]["id"], p["role"]) for p in body["posts"]}
    assert roles == {("qn-tu", "secretary"), ("qn-hdnd", "chair")}
    (together,) = body["concurrent"]
    assert {(p["unit_id"], p["role"]) for p in together["posts"]} == roles
    hits = client.get("/search", params={"q": "tinh uy quang ninh"}).json()["items"]
    assert hits[0]["unit"]["id"] == "qn-tu"


def test_the_unnamed_province_is_not_given_a_name(client):
    body = client.get("/units/prov-unnamed-002").json()
    assert "not named" in (body["unit"]["note"] + body["unit"]["name_en"]).lower() or \
        "unnamed" in body["unit"]["name_en"].lower()
