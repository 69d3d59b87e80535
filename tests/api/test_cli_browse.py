"""`bomay units / children / tree / snapshot / ancestors / history / posts / stats / diff /
path / events / event / documents / document / people / person / relations / holders`, run
as a user runs them over a store file loaded with data/seed: the tables say the right
facts, `--json` is the API's JSON for the same request over the same file (but the `next`
link the HTTP layer adds to a listing), a bad date, kind or unit is one line and exit 1, no
traceback, and the API's bounds hold (a page's size, a tree's depth, the 20,000-unit cap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings


def bomay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "250"}, timeout=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("browse") / "seed.db"
    loaded = bomay("--store", str(path), "load", str(BUNDLED_DATASET))
    assert loaded.returncode == 0, loaded.stderr
    return str(path)


@pytest.fixture(scope="module")
def api(store):
    from graph.embedded.store import EmbeddedStore
    reader = EmbeddedStore(store)
    with TestClient(create_app(reader, Settings(tokens={"t": "x" * 32}))) as client:
        yield client
    reader.close()


def ok(store: str, *args: str) -> str:
    result = bomay("--store", store, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(store: str, args: list[str], code: int) -> str:
    """The stderr of `bomay ARGS`, which must exit `code` with no output and no traceback."""
    result = bomay("--store", store, *args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and not result.stdout
    return result.stderr


def api_json(api: TestClient, url: str) -> dict:
    response = api.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("next", None)  # the HTTP layer's link to the next page
    return body


@pytest.mark.parametrize("args, url", [
    (["units", "--at", "2018-08-07", "--level", "district", "--limit", "5", "--offset", "2"],
     "/units?at=2018-08-07&level=district&limit=5&offset=2"),
    (["units", "--at", "2018-08-07", "--kind", "party_board", "--area", "mc"],
     "/units?at=2018-08-07&kind=party_board&area=mc"),
    (["children", "qn-ckhoi-dang-bo", "--at", "2020-02-11"],
     "/units/qn-ckhoi-dang-bo/children?at=2020-02-11"),
    (["tree", "qn-tu", "--at", "2018-08-07"], "/units/qn-tu/subtree?at=2018-08-07&depth=2"),
    (["snapshot", "--at", "2018-08-07"], "/snapshot?at=2018-08-07"),
    (["snapshot", "--at", "2018-08-07", "--depth", "1", "--limit", "5", "--offset", "2"],
     "/snapshot?at=2018-08-07&depth=1&limit=5&offset=2"),
    (["snapshot", "--root", "qn-tu", "--at", "2018-08-07", "--depth", "2"],
     "/snapshot?root=qn-tu&at=2018-08-07&depth=2"),
    (["snapshot", "--root", "qn-tu", "--at", "2018-08-07", "--offset", "1"],
     "/snapshot?root=qn-tu&at=2018-08-07&offset=1"),
    (["ancestors", "mc-to-chuc-noi-vu", "--at", "2018-08-07"],
     "/units/mc-to-chuc-noi-vu/ancestors?at=2018-08-07"),
    (["history", "mc-to-chuc-noi-vu"], "/units/mc-to-chuc-noi-vu/history"),
    (["posts", "mc-tu", "--at", "2018-08-07"], "/units/mc-tu/posts?at=2018-08-07"),
    (["stats", "--at", "2018-08-07"], "/stats?at=2018-08-07"),
    (["stats", "--root", "mc"], "/stats?root=mc"),
    (["diff", "--from", "2018-08-06", "--to", "2018-08-07", "--root", "mc"],
     "/diff?from=2018-08-06&to=2018-08-07&root=mc"),
    (["events", "--type", "CONSOLIDATE", "--from", "2018"], "/events?type=CONSOLIDATE&from=2018"),
    (["documents", "--issuer", "vn-bch-tw"], "/documents?issuer=vn-bch-tw"),
    (["path", "mc-to-chuc-noi-vu", "qn-ban-to-chuc", "--at", "2018-08-07"],
     "/path?from=mc-to-chuc-noi-vu&to=qn-ban-to-chuc&at=2018-08-07"),
    (["event", "mc-2018-hop-nhat-ubkt-thanh-tra"], "/events/mc-2018-hop-nhat-ubkt-thanh-tra"),
    (["document", "doc-18-nq-tw"], "/documents/doc-18-nq-tw"),
    (["people", "--name", "nguyen van"], "/people?q=nguyen%20van"),
    (["person", "pham-minh-chinh"], "/people/pham-minh-chinh"),
    (["relations", "--unit", "mc-ubkt", "--at", "all"], "/relations?unit=mc-ubkt&at=all"),
    (["relations", "--type", "SERVES", "--at", "2018-08-07", "--limit", "3"],
     "/relations?type=SERVES&at=2018-08-07&limit=3"),
    (["holders", "--role", "secretary", "--at", "all"], "/posts?role=secretary&at=all"),
    (["holders", "--unit", "mc-tu", "--at", "2019-01-01"], "/posts?unit=mc-tu&at=2019-01-01"),
    (["holders", "--person", "ngo-hoang-ngan", "--at", "all", "--limit", "1"],
     "/posts?person=ngo-hoang-ngan&at=all&limit=1"),
])
def test_json_is_the_api_answer_for_the_same_request(store, api, args, url):
    assert json.loads(ok(store, *args, "--json")) == api_json(api, url)


def test_units_shows_the_page_and_the_total(store):
    out = ok(store, "units", "--at", "2018-08-07", "--limit", "5")
    assert "showing 1–5 of 86 units (next: --offset 5) on 2018-08-07" in out
    assert "Thành phố Móng Cái" in out and "mc-ban-dan-van" in out
    boards = ok(store, "units", "--at", "2018-08-07", "--kind", "party_board", "--area", "mc")
    assert "showing 1–3 of 3 units" in boards
    assert "mc-to-chuc-noi-vu" in boards and "mc-ban-to-chuc " not in boards  # merged away
    assert "no units (all 86 skipped by --offset)" in ok(
        store, "units", "--at", "2018-08-07", "--offset", "100")


def test_children_before_and_after_a_consolidation(store):
    """The Móng Cái Party Committee's boards: the Organisation Board the day before the
    2018-08-07 consolidation, the consolidated board on the day."""
    cells = ok(store, "children", "qn-ckhoi-dang-bo", "--at", "2020-02-10")
    assert "showing 1–9 of 9 children of qn-ckhoi-dang-bo on 2020-02-10" in cells
    assert "qn-ckhoi-chi-bo-cu-9" in cells and "party_cell" in cells
    before = ok(store, "children", "mc-tu", "--at", "2018-08-06")
    assert "mc-ban-to-chuc " in before and "mc-to-chuc-noi-vu" not in before
    after = ok(store, "children", "mc-tu", "--at", "2018-08-07")
    assert "mc-ban-to-chuc " not in after and "mc-to-chuc-noi-vu" in after
    assert "structure:standard" in after  # the source of each PART_OF link


def test_tree_is_cut_at_its_depth_saying_how_many_more(store):
    out = ok(store, "tree", "qn-tu", "--at", "2018-08-07", "--depth", "1")
    assert out.splitlines()[1].startswith("Tỉnh ủy Quảng Ninh (qn-tu)")
    assert "Thành ủy Móng Cái (mc-tu)" in out
    assert "… 6 more below (a larger --depth, or bomay tree mc-tu)" in out
    deeper = ok(store, "tree", "qn-tu", "--at", "2018-08-07", "--depth", "2")
    assert "Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)" in deeper
    assert "more below (a larger --depth, or bomay tree mc-tu)" not in deeper


def test_snapshot_shows_a_page_of_the_roots_trees_or_the_one_under_root(store):
    out = ok(store, "snapshot", "--at", "2018-08-07", "--depth", "1", "--limit", "5")
    lines = out.splitlines()
    # 33 units without a parent that day (the seed's provinces, fronts, mass organisations)
    assert lines[0] == "showing 1–5 of 33 trees (next: --offset 5) on 2018-08-07, 1 level(s) below"
    assert lines[1].startswith("Cơ quan tham mưu, giúp việc chung Khối Mặt trận Tổ quốc")
    assert "Hội Cựu chiến binh thành phố Móng Cái (mc-hoi-ccb) mass_org" in out
    assert "Tỉnh ủy Quảng Ninh" not in out  # on a later page
    last = ok(store, "snapshot", "--at", "2018-08-07", "--offset", "30")
    assert last.startswith("showing 31–33 of 33 trees on 2018-08-07, all levels below")
    assert "Ban Chấp hành Trung ương" in last and "Ban Tổ chức Trung ương (vn-ban-to-chuc-tw)" in last
    under = ok(store, "snapshot", "--root", "qn-tu", "--at", "2018-08-07", "--depth", "1")
    assert under.startswith("showing 1–1 of 1 trees under qn-tu on 2018-08-07, 1 level(s) below")
    assert under.splitlines()[1] == "Tỉnh ủy Quảng Ninh (qn-tu) party_committee"
    assert "├── Thành ủy Móng Cái (mc-tu) party_committee" in under
    assert "… 6 more below (a larger --depth, or bomay tree mc-tu)" in under
    whole = ok(store, "snapshot", "--root", "qn-tu", "--at", "2018-08-07")
    assert "Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)" in whole
    assert "more below" not in whole
    assert ok(store, "snapshot", "--root", "qn-tu", "--offset", "1").startswith(
        "no trees (all 1 skipped by --offset) under qn-tu")


def test_ancestors_parent_first(store):
    out = ok(store, "ancestors", "mc-to-chuc-noi-vu", "--at", "2018-08-07")
    rows = [line for line in out.splitlines() if "│ 1 " in line or "│ 2 " in line]
    assert "mc-tu" in rows[0] and "qn-tu" in rows[1]
    assert "qn-tu has no parent on 2018-08-07" in ok(store, "ancestors", "qn-tu",
                                                      "--at", "2018-08-07")


def test_history_names_events_and_sources(store):
    out = ok(store, "history", "mc-to-chuc-noi-vu")
    assert "History of Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)" in out
    assert "CONSOLIDATE mc-2018-hop-nhat-to-chuc-noi-vu (as output)" in out
    assert "basis doc-18-nq-tw, doc-19-nq-tw" in out
    assert "started by mc-2018-hop-nhat-to-chuc-noi-vu" in out
    assert "link from: SERVES → Ủy ban nhân dân thành phố Móng Cái (mc-ubnd)" in out
    assert "seed:001" in out and "structure:standard" in out
    assert "Names" in out and "2018-08-07 → …" in out


def test_posts_stats_diff_events_documents(store):
    posts = ok(store, "posts", "mc-tu", "--at", "2018-08-07")
    assert "secretary" in posts and "Ngô Hoàng Ngân" in posts
    stats = ok(store, "stats", "--at", "2018-08-07")
    assert "86 units everywhere on 2018-08-07" in stats and "party_cell 9" in stats
    assert "Phạm Minh Chính (3)" in stats
    diff = ok(store, "diff", "--from", "2018-08-06", "--to", "2018-08-07", "--root", "mc")
    assert "under mc: 19 → 17 units; 2 added, 4 removed" in diff
    assert "Added (2)" in diff and "mc-ubkt-thanh-tra" in diff and "Removed (4)" in diff
    assert "TRANSFER_FUNCTION" in diff
    events = ok(store, "events", "--unit", "mc-ubkt")
    assert "showing 1–1 of 1 events" in events and "mc-2018-hop-nhat-ubkt-thanh-tra" in events
    docs = ok(store, "documents", "--limit", "2")
    assert "showing 1–2 of 15 documents (next: --offset 2)" in docs and "18-NQ/TW" in docs


def test_stats_of_an_area_without_a_figure_says_unknown_not_0(store):
    stats = ok(store, "stats", "--at", "2025-06-30", "--area", "qn")
    assert "units in area qn on 2025-06-30" in stats
    assert "unknown (no unit with a figure)" in stats and "headcount          0" not in stats
    with_figure = ok(store, "stats", "--at", "2018-08-07")
    assert "units with a figure)" in with_figure


def test_path_event_document_people_relations(store):
    path = ok(store, "path", "mc-to-chuc-noi-vu", "qn-ban-to-chuc", "--at", "2018-08-07")
    assert "3 step(s) over PART_OF via qn-tu" in path
    assert "PART_OF ↓ (down) │ Ban Tổ chức Tỉnh ủy Quảng Ninh (qn-ban-to-chuc)" in path
    event = ok(store, "event", "mc-2018-hop-nhat-ubkt-thanh-tra")
    assert "CONSOLIDATE mc-2018-hop-nhat-ubkt-thanh-tra on 2018-08-07" in event
    assert "input  │ Thanh tra thành phố Móng Cái (mc-thanh-tra)" in event
    assert "18-NQ/TW" in event and "source: seed:001" in event
    doc = ok(store, "document", "doc-18-nq-tw")
    assert "Events it is the basis of (3)" in doc and "TRANSFER_FUNCTION" in doc
    people = ok(store, "people", "--name", "nguyen van")
    assert "showing 1–1 of 1 people" in people and "Nguyễn Văn Đọc" in people
    chinh = ok(store, "person", "pham-minh-chinh")
    assert "Posts (3, oldest first)" in chinh and "Ban Tổ chức Trung ương (vn-ban-to-chuc-tw)" in chinh
    assert "3 posts at once 2018-08-07 → …: member of vn-ban-bi-thu; head of vn-ban-to-chuc-tw" in chinh
    rels = ok(store, "relations", "--unit", "mc-ubkt", "--at", "all")
    assert "showing 1–2 of 2 relations ever recorded" in rels
    assert "mc-ubkt │ PART_OF   │ mc-tu" in rels and "… → 2018-08-07" in rels
    assert "no relations" in ok(store, "relations", "--unit", "mc-ubkt", "--at", "2019")


def test_holders_lists_who_held_a_role_across_units(store):
    text = ok(store, "holders", "--role", "secretary", "--at", "all")
    assert "showing 1–2 of 2 posts ever held" in text
    assert "Nguyễn Văn Đọc" in text and "qn-tu" in text
    assert "Ngô Hoàng Ngân" in text and "mc-tu" in text
    assert "no posts on 2010-01-01" in ok(store, "holders", "--role", "secretary", "--at",
                                          "2010")


def test_a_bracket_in_the_data_is_printed_not_read_as_markup(store):
    # `[hợp nhất]`-style text would vanish if read as rich markup; names print as stored
    out = ok(store, "units", "--at", "2018-08-07", "--kind", "party_board", "--area", "mc")
    assert "(hợp nhất)" in out


@pytest.mark.parametrize("args, line", [
    (["units", "--at", "2018-13"], "error: --at: impossible date: there is no month 13"),
    (["units", "--kind", "nope"], "error: kind: unknown value 'nope'"),
    (["units", "--level", "town"], "error: level: unknown value 'town'"),
    (["children", "nope"], "error: no unit with id 'nope'"),
    (["tree", "mc-to-chuc-noi-vu", "--at", "2018-01-01"], "error: "),
    (["snapshot", "--at", "2018-13"], "error: --at: impossible date: there is no month 13"),
    (["snapshot", "--at", "soon", "--root", "qn-tu"], "error: --at: "),
    (["snapshot", "--root", "nope"], "error: no unit with id 'nope'"),
    (["snapshot", "--root", "mc-to-chuc-noi-vu", "--at", "2018-01-01"],
     "error: unit 'mc-to-chuc-noi-vu' (Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái "
     "(hợp nhất)) did not exist on 2018-01-01"),
    (["history", "nope"], "error: no unit with id 'nope'"),
    (["stats", "--root", "nope"], "error: no unit with id 'nope'"),
    (["diff", "--from", "2019", "--to", "2018"], "error: from must not be after to"),
    (["diff", "--from", "x", "--to", "2018"], "error: --from: expected an ISO 8601 date"),
    (["events", "--type", "FOO"], "error: type: unknown event type 'FOO'"),
    (["events", "--basis", "doc-none"], "error: no document with id 'doc-none'"),
    (["event", "nope"], "error: no event with id 'nope'"),
    (["person", "nope"], "error: no person with id 'nope'"),
    (["document", "nope"], "error: no document with id 'nope'"),
    (["path", "mc-tu", "nope"], "error: no unit with id 'nope'"),
    (["relations", "--type", "OWNS"], "error: type: unknown value 'OWNS'"),
    (["relations", "--at", "soon"], "error: --at: "),
    (["holders", "--at", "soon"], "error: --at: "),
])
def test_a_bad_date_kind_or_unit_is_one_line_and_exit_1(store, args, line):
    stderr = refused(store, args, 1)
    assert stderr.startswith(line), stderr


def test_the_api_says_the_same_about_a_bad_kind(api):
    """The CLI's wording is the API's: one check, two front ends."""
    problem = api.get("/units?kind=nope").json()
    assert problem["detail"] == "kind: unknown value 'nope'"


@pytest.mark.parametrize("args, option", [
    (["snapshot", "--limit", "0"], "--limit"),
    (["snapshot", "--limit", "1001"], "--limit"),
    (["snapshot", "--offset", "-1"], "--offset"),
    (["snapshot", "--depth", "101"], "--depth"),
    (["snapshot", "--depth", "-1"], "--depth"),
])
def test_snapshot_refuses_what_the_api_refuses_as_a_usage_error(store, args, option):
    assert f"Invalid value for '{option}'" in refused(store, args, 2)


@pytest.fixture(scope="module")
def forest(tmp_path_factory) -> str:
    """A store of three roots of 8,001 units each (a root, 80 children, 99 grandchildren
    each): 24,003 units, above the 20,000-unit cap together, under it one or two at a time."""
    from graph.embedded.store import EmbeddedStore
    from graph.model import Dataset, Relation, Unit
    units, relations = [], []
    for r in ("r1", "r2", "r3"):
        units.append(Unit(id=r, name=f"Tỉnh {r}", kind="province", level="province"))
        for i in range(80):
            units.append(Unit(id=f"{r}-{i}", name=f"Huyện {r}.{i}", kind="district",
                              level="district"))
            relations.append(Relation(source_id=f"{r}-{i}", type="PART_OF", target_id=r))
            for j in range(99):
                units.append(Unit(id=f"{r}-{i}-{j}", name=f"Xã {r}.{i}.{j}", kind="commune",
                                  level="commune"))
                relations.append(Relation(source_id=f"{r}-{i}-{j}", type="PART_OF",
                                          target_id=f"{r}-{i}"))
    path = tmp_path_factory.mktemp("forest") / "forest.db"
    store = EmbeddedStore(path)
    store.replace_dataset(Dataset(units=tuple(units), relations=tuple(relations)))
    store.close()
    return str(path)


@pytest.fixture(scope="module")
def forest_api(forest):
    from graph.embedded.store import EmbeddedStore
    reader = EmbeddedStore(forest)
    with TestClient(create_app(reader, Settings()), raise_server_exceptions=False) as client:
        yield client
    reader.close()


def test_snapshot_above_the_cap_is_refused_as_the_api_refuses_it(forest, forest_api):
    """The cap is the API's 20,000 units, counted over the page of roots asked for."""
    for args, url in [(["--at", "2020"], "/snapshot?at=2020"),
                      (["--at", "2020", "--limit", "3", "--depth", "2"],
                       "/snapshot?at=2020&limit=3&depth=2")]:
        stderr = refused(forest, ["snapshot", *args, "--json"], 1)
        problem = forest_api.get(url)
        assert problem.status_code == 422
        assert stderr.splitlines()[0] == f"error: {problem.json()['detail']}"
        assert stderr.startswith("error: the snapshot of 2020-01-01 (roots 1 to 3) holds more "
                                 "than 20000 units")
    # two roots, a level less deep, or one root at a time: under the cap
    two = json.loads(ok(forest, "snapshot", "--at", "2020", "--limit", "2", "--depth", "1",
                        "--json"))
    assert [t["unit"]["id"] for t in two["items"]] == ["r1", "r2"] and two["total"] == 3
    assert two == api_json(forest_api, "/snapshot?at=2020&limit=2&depth=1")
    assert "showing 3–3 of 3 trees on 2020-01-01, 1 level(s) below" in ok(
        forest, "snapshot", "--at", "2020", "--offset", "2", "--depth", "1")
    whole_root = bomay("--store", forest, "snapshot", "--at", "2020", "--root", "r2")
    assert whole_root.returncode == 0, whole_root.stderr
    assert "… 30 more children (bomay children r2 --offset 50)" in whole_root.stdout
