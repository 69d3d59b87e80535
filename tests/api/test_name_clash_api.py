"""Through HTTP on a real SQLite store (tests/data/t_names): a scenario whose district
level ends under An Hà says, in its log, that two communes named Xã Tân Lập now stand
under the province; renaming one in the same scenario leaves no clash to report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import _client

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def client(tmp_path):
    with _client(tmp_path, DATA / "t_names") as c:
        yield c


def _warnings(client, operations) -> list[list[str]]:
    r = client.post("/scenarios", json={"name": "Bỏ cấp huyện", "at": "2025-07-01",
                                        "operations": operations})
    assert r.status_code == 201, r.text
    log = client.get(f"/scenarios/{r.json()['id']}").json()["log"]
    return [[w for w in entry["warnings"] if "borne by more than one unit" in w]
            for entry in log]


def test_the_log_names_the_communes_that_now_share_a_name(client):
    ((warning,),) = _warnings(client, [{"op": "dissolve_level", "level": "district",
                                        "within": "pa"}])
    assert "'Xã Tân Lập' under Tỉnh An Hà (pa): pa-d1-c1, pa-d2-c1" in warning, warning


def test_a_rename_first_leaves_nothing_to_report(client):
    assert _warnings(client, [
        {"op": "rename", "unit": "pa-d2-c1", "name": "Xã Tân Lập Đông"},
        {"op": "dissolve_level", "level": "district", "within": "pa"}]) == [[], []]
