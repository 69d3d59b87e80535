"""Listings for people: CSV (header, BOM, neutralised cells, every row), the new listings
(/people, /documents, /posts, /relations), `next` links, and the problem type pages."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qsl, urlsplit

import pytest

from api.csv_answers import neutralise, rows_of, to_csv, wants_csv

LISTINGS = [
    "/units", "/units/mc-tu/children", "/units/mc-tu/subtree", "/units/mc-tu/posts",
    "/units/mc-to-chuc-noi-vu/ancestors", "/units/mc-to-chuc-noi-vu/history",
    "/search?q=ban%20to%20chuc", "/events", "/documents", "/people", "/posts?at=all",
    "/relations", "/diff?from=2018-01-01&to=2019-01-01&root=mc-tu",
]


def _csv(r) -> list[dict[str, str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert "accept" in r.headers["vary"].lower()
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def _with(url: str, **params) -> str:
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("url", LISTINGS)
def test_every_listing_answers_csv_by_parameter_and_by_accept(seed, url):
    by_param = _csv(seed.get(_with(url, format="csv")))
    by_accept = _csv(seed.get(url, headers={"Accept": "text/csv"}))
    assert by_param == by_accept and by_param
    body = seed.get(url).json()
    if "total" in body:
        # Every row of the listing, not one page.
        assert len(by_param) == body["total"]


def test_csv_rows_equal_the_json_total_across_pages(seed):
    body = seed.get("/units?limit=5").json()
    assert body["total"] > 50  # more than the default page
    rows = _csv(seed.get("/units?format=csv"))
    assert len(rows) == body["total"]
    assert {r["id"] for r in rows} == {u["id"] for u in seed.get("/units?limit=1000").json()["items"]}
    # Vietnamese survives the round trip.
    assert any("Ủy ban" in r["name"] for r in rows)
    # A page asked for is a page.
    assert len(_csv(seed.get("/units?format=csv&limit=5&offset=10"))) == 5


def test_json_stays_the_default(seed):
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json, text/csv;q=0.5"}):
        r = seed.get("/units", headers=headers)
        assert r.headers["content-type"].startswith("application/json")


def test_formula_cells_are_neutralised():
    assert [neutralise(v) for v in ("=1+1", "+x", "-2", "@SUM(A1)", "ok", "a=b")] == [
        "'=1+1", "'+x", "'-2", "'@SUM(A1)", "ok", "a=b"]
    data = to_csv([{"name": "=HYPERLINK(\"http://x\")", "n": -3, "tags": ["@a", "b"]}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "n", "tags"], ["'=HYPERLINK(\"http://x\")", "-3", "'@a;b"]]


def test_nested_answers_become_rows():
    tree = {"unit": {"id": "a"}, "children": [{"unit": {"id": "b"}, "children": []}]}
    assert rows_of(tree) == [{"depth": 0, "unit.id": "a"}, {"depth": 1, "unit.id": "b"}]
    diff = {"from": "x", "summary": {"added": 1}, "added": [{"id": "n"}], "removed": [{"id": "o"}]}
    assert rows_of(diff) == [{"change": "added", "id": "n"}, {"change": "removed", "id": "o"}]
    assert wants_csv({"format": "CSV"}, "") and wants_csv({"format": "xml"}, "") is None


def test_subtree_and_diff_csv(seed):
    rows = _csv(seed.get("/units/mc-tu/subtree?format=csv&depth=1&at=2019-01-01"))
    assert rows[0]["unit.id"] == "mc-tu" and rows[0]["depth"] == "0"
    children = seed.get("/units/mc-tu/children?at=2019-01-01").json()["total"]
    assert len(rows) == 1 + children
    diff = _csv(seed.get("/diff?from=2018-01-01&to=2019-01-01&root=mc-tu&format=csv"))
    summary = seed.get("/diff?from=2018-01-01&to=2019-01-01&root=mc-tu").json()["summary"]
    assert sum(r["change"] == "added" for r in diff) == summary["added"]


def test_an_unknown_format_on_a_listing_is_a_problem(seed):
    r = seed.get("/units?format=xlsx")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "format"


def test_a_missing_unit_stays_a_problem_in_csv(seed):
    r = seed.get("/units/nope/children?format=csv")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_csv_etag_revalidates(seed):
    r = seed.get("/events?format=csv")
    etag = r.headers["etag"]
    assert etag != seed.get("/events").headers["etag"]
    again = seed.get("/events?format=csv", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_the_new_listings(seed, tmp_path):
    from api.settings import BUNDLED_DATASET
    from loaders import read_dataset
    dataset = read_dataset(BUNDLED_DATASET)
    assert seed.get("/people").json()["total"] == len(dataset.people)
    assert seed.get("/documents").json()["total"] == len(dataset.documents)
    assert seed.get("/posts?at=all").json()["total"] == len(dataset.posts)
    assert seed.get("/relations?at=all").json()["total"] == len(dataset.relations)
    found = seed.get("/people?q=nguyen van doc").json()["items"]
    assert [p["id"] for p in found] == ["nguyen-van-doc"]
    posts = seed.get("/posts?unit=mc-tu&at=2020-06-01").json()
    assert posts["at"] == "2020-06-01" and {p["unit"] for p in posts["items"]} == {"Thành ủy Móng Cái"}
    assert all(p["person"] for p in posts["items"])
    serves = seed.get("/relations?type=SERVES&at=all").json()["items"]
    assert serves and {r["type"] for r in serves} == {"SERVES"}
    assert seed.get("/relations?type=OWNS").status_code == 422
    issued = seed.get("/documents?issuer=vn-bch-tw").json()["items"]
    assert issued and {d["issuer"] for d in issued} == {"vn-bch-tw"}


def test_next_links_on_paged_answers(seed):
    r = seed.get("/units?limit=10&offset=0&kind=party_board")
    body = r.json()
    assert body["total"] > 10
    nxt = urlsplit(body["next"])
    assert (nxt.path, dict(parse_qsl(nxt.query))) == (
        "/units", {"limit": "10", "offset": "10", "kind": "party_board"})
    assert r.headers["link"] == f"<{body['next']}>; rel=\"next\""
    seen, url = [], "/units?limit=10&kind=party_board"
    while url:
        page = seed.get(url).json()
        seen += [u["id"] for u in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == body["total"]
    last = seed.get("/units?limit=1000").json()
    assert last["next"] is None and "link" not in seed.get("/units?limit=1000").headers


def test_problem_types_are_served_by_bomay(seed):
    r = seed.get("/units/nope")
    kind = r.json()["type"]
    assert kind == "/problems/not-found"
    doc = seed.get(kind)
    assert doc.status_code == 200 and doc.json()["status"] == 404
    assert doc.json()["title"] == r.json()["title"]
    invalid = seed.get("/units?at=2018-13").json()["type"]
    assert seed.get(invalid).json()["title"] == "Invalid parameter"
    page = seed.get(kind, headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.headers["content-type"].startswith("text/html") and "Not found" in page.text
    listed = {p["type"] for p in seed.get("/problems").json()["items"]}
    assert {kind, invalid} <= listed
    assert seed.get("/problems/no-such-problem").status_code == 404


def test_a_tree_too_deep_for_csv_is_a_problem_not_a_500(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.embedded.store import EmbeddedStore
    from graph.model import Dataset, Relation, Unit
    depth = 1500  # orjson parses 1024 levels of nesting; each tree level is two
    store = EmbeddedStore(tmp_path / "deep.db")
    store.replace_dataset(Dataset(
        units=tuple(Unit(id=f"u{i}", name=f"=Unit {i}", kind="party_cell", level="commune")
                    for i in range(depth)),
        relations=tuple(Relation(source_id=f"u{i}", type="PART_OF", target_id=f"u{i - 1}")
                        for i in range(1, depth))))
    client = TestClient(create_app(store), raise_server_exceptions=False)
    r = client.get("/units/u0/subtree?format=csv")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "depth" in r.json()["detail"]
    assert client.get("/units/u0/subtree").status_code == 200
    rows = _csv(client.get("/units/u0/subtree?format=csv&depth=20"))
    assert len(rows) == 21 and rows[5]["unit.name"] == "'=Unit 5"
    store.close()
