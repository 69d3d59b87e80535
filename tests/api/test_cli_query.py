"""`bomay show / lineage / search`, run as a user runs them; and `bomay --store X serve`
started as a real process and queried over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest


def bomay(*args, env=None):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "200", **(env or {})},
                          timeout=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "town.db"
    from pathlib import Path
    data = Path(__file__).resolve().parent.parent / "data" / "q_town"
    result = bomay("--store", str(path), "load", str(data))
    assert result.returncode == 0, result.stderr
    return str(path)


def test_show_prints_the_unit_its_children_posts_and_links(store):
    result = bomay("--store", store, "show", "hu", "--at", "2019-06-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Huyện ủy Mẫu" in out and "as of" in out and "2019-06-01" in out
    assert "Children (5)" in out and "Trung tâm Hành chính công huyện Mẫu" in out
    assert "secretary" in out and "Nguyễn Văn An" in out
    assert "chair of Hội đồng nhân dân huyện Mẫu" in out  # the concurrent post


def test_show_without_at_shows_an_ended_unit_on_its_last_day(store):
    result = bomay("--store", store, "show", "thanhtra")
    assert result.returncode == 0 and "2018-12-31" in result.stdout


def test_show_json_is_the_api_answer(store):
    result = bomay("--store", store, "show", "ubkt", "--at", "2019-01-01", "--json")
    body = json.loads(result.stdout)
    assert body["headcount"]["headcount"] == 9 and body["unit"]["id"] == "ubkt"


def test_lineage_prints_both_directions(store):
    result = bomay("--store", store, "lineage", "thanhtra")
    assert result.returncode == 0, result.stderr
    assert "Came from" in result.stdout and "Thanh tra Nhà nước huyện Mẫu" in result.stdout
    assert "RENAME" in result.stdout and "Became" in result.stdout and "MERGE" in result.stdout
    assert "05-QĐ/UBND" in result.stdout


def test_search_prints_a_ranked_table(store):
    result = bomay("--store", store, "search", "doi quan ly do thi", "--at", "2019-06-01")
    assert result.returncode == 0
    assert "Đội Quản lý Đô thị huyện Mẫu" in result.stdout
    none = bomay("--store", store, "search", "zzz", "--at", "2019-06-01")
    assert none.returncode == 0 and "no unit matches 'zzz'" in none.stdout


def test_show_says_the_status_and_what_a_unit_became_and_came_from(store):
    """As GET /units/{id}: `status` with the reason and the day, `superseded_by`,
    `supersedes` (here a renamed inspectorate later merged into the inspection committee)."""
    result = bomay("--store", store, "show", "thanhtra")
    assert result.returncode == 0, result.stderr
    lines = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    assert "closed (merged) on 2019-01-01" in lines["status"]
    assert "Ủy ban Kiểm tra Huyện ủy Mẫu (ubkt), 2019-01-01, MERGE" in lines["superseded by"]
    assert "Thanh tra Nhà nước huyện Mẫu (thanhtra-cu), 2016-01-01, RENAME" in lines["supersedes"]
    active = bomay("--store", store, "show", "hu", "--at", "2019-06-01").stdout
    assert any(line.startswith("status") and "active" in line for line in active.splitlines())
    # every fact shown says where it comes from: the parent link's source, the figure's
    ubkt = bomay("--store", store, "show", "ubkt", "--at", "2019-06-01").stdout.splitlines()
    assert any(line.startswith("parent") and "Huyện ủy Mẫu (hu); source: test" in line
               for line in ubkt)
    assert any(line.startswith("headcount") and "(approved of 2019-01-01); source: test" in line
               for line in ubkt)


def test_search_at_any_date_finds_ended_units_with_typos_and_counts_every_match(store):
    """As GET /search: `--at any` finds a unit whatever its lifetime (its lifetime shown),
    a typo still finds it, `total` counts every match, not the page shown."""
    ended = bomay("--store", store, "search", "trung tam chinh tri", "--at", "any")
    assert ended.returncode == 0, ended.stderr
    assert "Trung tâm Chính trị huyện Mẫu" in ended.stdout and "at any date" in ended.stdout
    assert "2000 → 2017-03-01" in ended.stdout  # the lifetime column
    today = bomay("--store", store, "search", "trung tam chinh tri")
    assert "Trung tâm Chính trị huyện Mẫu" not in today.stdout  # ended in 2017
    typo = bomay("--store", store, "search", "trung tam chin tri", "--at", "any", "--json")
    hits = json.loads(typo.stdout)
    assert hits["at"] == "any" and hits["items"][0]["unit"]["id"] == "ttct"
    api_like = json.loads(bomay("--store", store, "search", "huyen mau", "--at", "2019-06-01",
                                "--limit", "2", "--json").stdout)
    assert len(api_like["items"]) == 2 and api_like["total"] > 2
    assert (api_like["limit"], api_like["offset"]) == (2, 0)
    second = json.loads(bomay("--store", store, "search", "huyen mau", "--at", "2019-06-01",
                              "--limit", "2", "--offset", "2", "--json").stdout)
    assert second["total"] == api_like["total"]
    assert {h["unit"]["id"] for h in second["items"]}.isdisjoint(
        {h["unit"]["id"] for h in api_like["items"]})
    text = bomay("--store", store, "search", "huyen mau", "--at", "2019-06-01", "--limit", "2")
    assert f"{api_like['total']} match(es)" in text.stdout and "1–2 shown" in text.stdout
    kind = json.loads(bomay("--store", store, "search", "huyen mau", "--at", "2019-06-01",
                            "--kind", "centre", "--json").stdout)
    assert kind["items"] and {h["unit"]["kind"] for h in kind["items"]} == {"centre"}


@pytest.mark.parametrize("args,message", [
    (["show", "nope"], "error: no unit with id 'nope'"),
    (["show", "ttct", "--at", "2018"], "did not exist on 2018-01-01"),
    (["show", "hu", "--at", "2018-02-30"], "error: --at: impossible date"),
    (["lineage", "nope"], "error: no unit with id 'nope'"),
    (["search", "   "], "error: q must not be empty"),
    (["search", "mau", "--at", "anytime"], "error: --at: expected an ISO 8601 date"),
    (["search", "mau", "--kind", "nope"], "error: kind: unknown value 'nope'"),
])
def test_errors_are_one_line_without_a_traceback(store, args, message):
    result = bomay("--store", store, *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_names_with_brackets_are_printed_not_read_as_markup(tmp_path, data_dir):
    path = str(tmp_path / "x.db")
    assert bomay("--store", path, "load", str(data_dir / "v_xss")).returncode == 0
    units = (data_dir / "v_xss" / "units.csv").read_text(encoding="utf-8").splitlines()[1:]
    for line in units:
        unit = line.split(",")[0]
        result = bomay("--store", path, "show", unit)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_served_api_answers_queries_over_http(tmp_path):
    """`bomay --store X serve --port P` on an empty store loads the bundled dataset."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "BOMAY_STORE"}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(tmp_path / "s.db"),
                             "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as http:
            detail = http.get("/units/mc-to-chuc-noi-vu", params={"at": "2018-08-07"})
            assert detail.status_code == 200 and detail.headers["etag"]
            assert detail.headers["content-type"] == "application/json"
            assert detail.json()["parent"]["id"] == "mc-tu"
            again = http.get("/units/mc-to-chuc-noi-vu", params={"at": "2018-08-07"},
                             headers={"If-None-Match": detail.headers["etag"]})
            assert again.status_code == 304
            hits = http.get("/search", params={"q": "uy ban kiem tra mong cai",
                                               "at": "2018-08-07"}).json()["items"]
            assert hits[0]["unit"]["id"] == "mc-ubkt-thanh-tra"
            lineage = http.get("/units/mc-to-chuc-noi-vu/lineage").json()
            assert {i["unit"]["id"] for i in lineage["predecessors"]} == {"mc-ban-to-chuc",
                                                                          "mc-phong-noi-vu"}
            gone = http.get("/units/mc-ban-to-chuc", params={"at": "2018-08-07"})
            assert gone.status_code == 404
            assert gone.headers["content-type"] == "application/problem+json"
            assert http.get("/stats", params={"at": "2018-08-07"}).json()["units"] > 50
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


def test_search_says_which_former_name_a_unit_was_found_by(tmp_path):
    from pathlib import Path
    data = Path(__file__).resolve().parent.parent / "data" / "t_names"
    db = str(tmp_path / "names.db")
    assert bomay("--store", db, "load", str(data)).returncode == 0
    found = bomay("--store", db, "search", "dong thanh", "--at", "2024-01-01")
    assert found.returncode == 0, found.stderr
    assert "Thị trấn Đông Hòa" in found.stdout  # its name on the date
    assert "formerly Xã Đông Thành (2010 → 2020-01-01)" in found.stdout
    body = json.loads(bomay("--store", db, "search", "dong thanh", "--at", "2024-01-01",
                            "--json").stdout)
    assert body["items"][0]["formerly"]["name"] == "Xã Đông Thành"
    shown = bomay("--store", db, "show", "pa-d2-c2", "--at", "2015-01-01").stdout
    assert "Xã Đông Thành  (pa-d2-c2)" in shown  # its name on the date
    assert "Xã Đông Thành (2010 → 2020-01-01); Thị trấn Đông Hòa (2020-01-01 → …)" in shown


def test_show_names_the_plans_that_would_change_the_unit_apart_from_the_record(tmp_path):
    from pathlib import Path
    seed = Path(__file__).resolve().parents[2] / "data" / "seed"
    db = str(tmp_path / "seed.db")
    assert bomay("--store", db, "load", str(seed)).returncode == 0
    shown = bomay("--store", db, "show", "qn-ckhoi-dang-bo", "--at", "2020-02-11").stdout
    assert "Children (9)" in shown  # the record: nine cells
    assert "Plans that would change it (1; not facts)" in shown
    assert "qn-ckhoi-2020-regroup" in shown and "2020-02-11" in shown
    plain = bomay("--store", db, "show", "mc-tu", "--at", "2018-08-07").stdout
    assert "Plans that would change it" not in plain
