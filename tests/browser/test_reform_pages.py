"""The pages of a territorial reform, looked at as a planner does, in a real headless
Chromium against the real app: tests/data/r_tuyen_quang with its plan
tests/data/r_tuyen_quang_plans/reform.yaml (Tỉnh Hà Giang + Tỉnh Tuyên Quang -> Tỉnh Tuyên
Quang, communes consolidated from a mapping table, the district level ended), kept as the
dataset's plan (adopted 12/06/2025 by Resolution 202/2025/QH15, applying from 01/07/2025).

Screenshots of every page go to the `artefacts` folder ($BOMAY_ARTEFACTS)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"
PLAN = "reform"
#: What the plan file does not say as a dataset's plan must (docs/data-format.md, `plans`).
PLAN_HEAD = ("status: adopted\ndate: 2025-06-12\nadopted: 2025-06-12\nbasis: [nq-202-2025]\n"
             "at: 2025-07-01")


@pytest.fixture(scope="module")
def reform_server(tmp_path_factory):
    """The app over r_tuyen_quang with reform.yaml in its plans/ (its table in plans/tables/)."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    folder = tmp_path_factory.mktemp("reform") / "r_tuyen_quang"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    shutil.copy(DATA / "r_tuyen_quang_plans" / "communes.csv",
                folder / "plans" / "tables" / "communes.csv")
    body = (DATA / "r_tuyen_quang_plans" / "reform.yaml").read_text(encoding="utf-8")
    body = body.replace("mapping: communes.csv", "mapping: tables/communes.csv")
    body = body.replace("at: 2025-07-01", PLAN_HEAD, 1)
    (folder / "plans" / f"{PLAN}.yaml").write_text(body, encoding="utf-8")
    store = EmbeddedStore(folder.parent / "r.db")
    store.replace_dataset(read_dataset(folder))
    yield from serve(store, "2025-06-30", [])


def open_plan(page, server, artefacts, lang: str = "", check=None) -> str:
    """Open the plan's page; `check(page)` runs on the first view, before the screenshots
    (a whole-page one makes the charts as tall as the page for a moment)."""
    page.goto(server.url(f"/viz/scenarios/{PLAN}" + (f"?lang={lang}" if lang else "")))
    wait_drawn(page)
    page.wait_for_timeout(300)
    if check is not None:
        check(page)
    suffix = f"-{lang}" if lang else ""
    page.screenshot(path=str(artefacts / f"reform-scenario{suffix}.png"))
    page.screenshot(path=str(artefacts / f"reform-scenario{suffix}-full.png"), full_page=True)
    unfold(page)
    return page.locator("main").inner_text()


def unfold(page) -> None:
    """Open every collapsible list of the page (a long list of changes or a long table is
    a closed `<details>` on arrival): the tests below read every line."""
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")


def on_screen(page, chart: str, node_id: str) -> bool:
    """Whether the node is drawn inside its chart's visible box."""
    return page.evaluate("""([name, id]) => {
        const entry = window.bomay.charts[name];
        if (!entry.nodes.get(id)) return false;
        const p = entry.network.canvasToDOM(entry.network.getPosition(id));
        const box = document.querySelector(`[data-chart="${name}"]`).getBoundingClientRect();
        return p.x > 40 && p.x < box.width - 40 && p.y > 20 && p.y < box.height - 20;
    }""", [chart, node_id])


def test_the_first_view_shows_the_provinces_that_end_and_the_one_they_form(page, reform_server,
                                                                          artefacts):
    def first_view(page) -> None:
        for chart in ("before", "after"):
            page.locator(f"[data-chart='{chart}']").screenshot(
                path=str(artefacts / f"reform-scenario-{chart}.png"))
        # before: the two provinces, marked as consolidated; after: the new one, marked new
        statuses = page.evaluate("""() => Object.fromEntries(['before', 'after'].map(k => [k,
            Object.fromEntries(window.bomay.charts[k].nodes.get().map(n => [n.id, n.status]))]))""")
        assert statuses["before"]["hg"] == statuses["before"]["tq"] == "merged"
        assert statuses["after"]["tq25"] == "added"
        assert on_screen(page, "before", "hg") and on_screen(page, "before", "tq"), \
            "the provinces that end are off the first view"
        assert on_screen(page, "after", "tq25"), "the new province is off the first view"
    open_plan(page, reform_server, artefacts, check=first_view)


def test_the_list_of_changes_says_old_and_new_where_they_bear_one_name(page, reform_server,
                                                                       artefacts):
    text = open_plan(page, reform_server, artefacts)
    changes = page.locator(".bv-changes li").all_inner_texts()
    assert changes
    # consolidated into a new unit is "hợp nhất", not "sáp nhập vào" (into one that goes on);
    # one line per new unit, with what it is formed from
    assert "Tỉnh Tuyên Quang (mới) được hợp nhất từ 2 đơn vị: Tỉnh Hà Giang; " \
           "Tỉnh Tuyên Quang (cũ)" in changes
    assert "Xã Quản Bạ (mới) được hợp nhất từ 3 đơn vị: Xã Quản Bạ (cũ); Thị trấn Tam Sơn; " \
           "Xã Thanh Vân" in changes
    for line in changes:  # no "X ... từ: X": a reader cannot tell what went where
        m = re.fullmatch(r"(.+) (?:được hợp nhất từ|tiếp nhận) \d+ đơn vị(?: sáp nhập vào)?: "
                         r"(.+)", line)
        if m:
            assert m.group(1) not in m.group(2).split("; "), line
        # "P (từ Q): a; b" (all from one place) or "P: a (từ Q); b (từ R)"
        m = re.fullmatch(r"Chuyển sang trực thuộc (.+?)(?: \(từ ((?:[^()]|\([^()]*\))+)\))?: "
                         r"(.+)", line)
        if m:
            froms = [m.group(2)] if m.group(2) else re.findall(
                r"\(từ ([^()]+(?:\([^()]+\))?)\)", m.group(3))
            for moved in froms:
                assert moved != m.group(1), line
    # the people table: the Tuyên Quang chair moves from the old council to the new one
    people = page.locator(".bv-impact-tables tr", has_text="Trần Văn Hùng").all_inner_texts()
    # (the new council's name writes out the head Tuyên Quang's abbreviates: the two names
    # differ, neither takes `(cũ)` / `(mới)`)
    assert any("HĐND tỉnh Tuyên Quang" in r and "chuyển sang Hội đồng nhân dân tỉnh Tuyên Quang"
               in r for r in people), people
    assert "Tỉnh Tuyên Quang (mới)" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_warnings_are_in_the_page_s_language_with_names_and_dates(page, reform_server,
                                                                      artefacts, lang):
    open_plan(page, reform_server, artefacts, lang if lang == "en" else "")
    title = "Lưu ý" if lang == "vi" else "Warnings"
    section = page.locator(".bv-impact-tables section", has=page.locator(f"h3:text-is('{title}')"))
    assert section.count() == 1
    section.screenshot(path=str(artefacts / f"reform-warnings-{lang}.png"))
    rows = section.locator("tbody tr").all_inner_texts()
    # 8 headcount figures missing, and the two Chi bộ Văn phòng Tỉnh ủy now under one office
    assert len(rows) == 9
    for row in rows:
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", row), f"an ISO date: {row}"
        assert not re.search(r"\b(?:hg|tq|tq25)-[a-z-]+\b", row), f"a raw id: {row}"
    if lang == "vi":
        assert "Chưa có số liệu biên chế của HĐND huyện Quản Bạ tại ngày 01/07/2025: biên chế " \
               "của Hội đồng nhân dân tỉnh Tuyên Quang chỉ cộng các đơn vị còn lại" in rows \
               or any("Hội đồng nhân dân huyện Quản Bạ tại ngày 01/07/2025" in r for r in rows)
        assert not any("headcount" in r or "figure" in r for r in rows)
        assert any(r.startswith("1 tên được dùng cho hơn một đơn vị cùng trực thuộc một cấp "
                                "trên: “Chi bộ Văn phòng Tỉnh ủy” (2 đơn vị) trực thuộc Văn "
                                "phòng Tỉnh ủy") for r in rows), rows
    else:
        (clash,) = [r for r in rows if "borne by more than one unit" in r]
        assert clash.startswith("1 name is now borne by more than one unit under one parent: "
                                "“Chi bộ Văn phòng Tỉnh ủy” (2 units) under Văn phòng Tỉnh ủy"), clash
        assert all(r.startswith("No headcount figure for ") and " on 01/07/2025: " in r
                   for r in rows if r != clash)


def test_the_reform_s_other_pages(page, reform_server, artefacts):
    """The start page, the lineage of a body the plan merges and the timeline of an old
    commune: each names the plan, with the date it applies from."""
    page.goto(reform_server.url("/"))
    item = page.locator(f"[data-plans] [data-plan='{PLAN}']")
    assert "áp dụng từ 01/07/2025" in item.inner_text()
    # adopted, on its date: said once ("đã thông qua, thông qua ngày" before)
    assert "— đã thông qua ngày 12/06/2025, lập ngày 12/06/2025, áp dụng từ 01/07/2025" \
        in item.inner_text()
    page.screenshot(path=str(artefacts / "reform-landing.png"), full_page=True)
    page.goto(reform_server.url("/viz/units/hg-btc/lineage"))
    wait_drawn(page)
    assert "áp dụng từ 01/07/2025" in page.locator("[data-plans]").inner_text()
    page.screenshot(path=str(artefacts / "reform-lineage-hg-btc.png"), full_page=True)
    page.goto(reform_server.url("/viz/units/hg-tp-mk/timeline"))
    mark = page.locator(f"[data-plan-mark='{PLAN}']")
    assert mark.count() == 1 and "01/07/2025" in mark.text_content()
    page.screenshot(path=str(artefacts / "reform-timeline-hg-tp-mk.png"), full_page=True)
    page.goto(reform_server.url("/viz/units/hg?at=2025-06-30"))
    wait_drawn(page)
    page.screenshot(path=str(artefacts / "reform-orgchart-hg.png"), full_page=True)


def table(page, title: str):
    """The impact report's table under the heading `title` (exactly)."""
    section = page.locator(".bv-impact-tables section", has=page.locator(f"h3:text-is('{title}')"))
    assert section.count() == 1, f"no table {title!r}"
    return section


def test_the_units_ended_and_started_are_two_lists(page, reform_server, artefacts):
    """Not one table of two columns, whose rows would pair Tỉnh Tuyên Quang (cũ) with HĐND
    tỉnh Tuyên Quang (mới) as if one became the other."""
    open_plan(page, reform_server, artefacts)
    assert page.locator(".bv-impact-tables h3", has_text="kết thúc và thành lập").count() == 0
    ended, started = table(page, "Đơn vị kết thúc"), table(page, "Đơn vị thành lập")
    for section in (ended, started):
        assert section.locator("thead th").count() == 1
    ended_rows = ended.locator("tbody tr:not(.bv-total)").all_inner_texts()
    started_rows = started.locator("tbody tr:not(.bv-total)").all_inner_texts()
    assert "Tỉnh Hà Giang" in ended_rows and "Tỉnh Tuyên Quang (cũ)" in ended_rows
    assert "Tỉnh Tuyên Quang (mới)" in started_rows and "Xã Quản Bạ (mới)" in started_rows
    assert ended.locator("tr.bv-total").inner_text() == f"{len(ended_rows)} đơn vị kết thúc"
    assert started.locator("tr.bv-total").inner_text() == f"{len(started_rows)} đơn vị thành lập"


def test_a_duplicated_function_is_one_row_per_unit_and_matches_the_headcount(page,
                                                                            reform_server,
                                                                            artefacts):
    """The district level merged up brings the Department of Finance one duplicate per
    district: one row, six holders (two provinces' departments, four districts' offices),
    the saving the headcount table subtracts for it: (6 − 1) × 2 × 0,5 = 5, each number
    with what it counts, written as the page's language writes it (a decimal comma)."""
    open_plan(page, reform_server, artefacts)
    rows = table(page, "Chức năng trùng lặp").locator("tbody tr").all_inner_texts()
    cells = [tuple(c.strip() for c in r.split("\t")) for r in rows]
    assert len(cells) == len(set(cells[i][:2] for i in range(len(cells)))), "repeated rows"
    assert ("Tài chính, kế toán", "Sở Tài chính tỉnh Tuyên Quang (mới)", "6", "5") in cells
    assert ("Tổ chức, cán bộ", "Ban Tổ chức Tỉnh ủy Tuyên Quang (mới)", "6", "—") in cells
    headcount = table(page, "Biên chế").locator("tbody tr",
                                                 has_text="Sở Tài chính tỉnh Tuyên Quang")
    assert "(6 − 1) đơn vị trùng × 2 người × 0,5" in headcount.inner_text()
    assert "\t5\t" in headcount.inner_text()
    # a post removed: how many posts, how many people each
    secretary = table(page, "Biên chế").locator("tbody tr", has_text="(Bí thư): 5 chức danh")
    assert "5 chức danh × 1 người" in secretary.first.inner_text()


@pytest.mark.parametrize("lang, words", [("vi", "0 đơn vị tiền thân · 0 đơn vị kế tục"),
                                         ("en", "0 predecessors · 0 successors")])
def test_the_lineage_counts_say_what_they_count(page, reform_server, lang, words):
    page.goto(reform_server.url("/viz/units/hg-btc/lineage" + ("?lang=en" if lang == "en" else "")))
    wait_drawn(page)
    assert page.locator("[data-lineage-counts]").inner_text() == words


#: The boxes of a chart, as vis-network drew them (its shapes' sizes, after wrapping).
BOXES = """() => { const out = {}; for (const name of Object.keys(window.bomay.charts)) {
    const e = window.bomay.charts[name], net = e.network;
    out[name] = e.nodes.get({filter: n => !n.hidden}).map(n => net.body.nodes[n.id])
      .filter(Boolean).map(b => { const p = net.getPosition(b.id), w = b.shape.width,
        h = b.shape.height; return [b.id, p.x - w / 2, p.x + w / 2, p.y - h / 2, p.y + h / 2]; });
  } return out; }"""


def touching(boxes, gap: float = 4.0) -> list[tuple[str, str, float]]:
    """Pairs of boxes that overlap or stand closer than `gap` one above the other."""
    out = []
    for i, (a, al, ar, at, ab) in enumerate(boxes):
        for b, bl, br, bt, bb in boxes[i + 1:]:
            if min(ar, br) - max(al, bl) > 0 and min(ab, bb) - max(at, bt) > -gap:
                out.append((a, b, round(min(ab, bb) - max(at, bt), 1)))
    return out


@pytest.mark.parametrize("unit", ["hg", "tq"])
def test_the_boxes_of_a_province_s_chart_do_not_touch(page, reform_server, artefacts, unit):
    """A list of bodies under its parent: each box as tall as vis-network wraps its name
    (`Sở Y tế Hà Giang` on two lines), so that the next one starts below it."""
    page.goto(reform_server.url(f"/viz/units/{unit}?at=2025-06-30"))
    wait_drawn(page)
    boxes = page.evaluate(BOXES)["main"]
    assert len(boxes) > 20
    assert touching(boxes) == []
    page.screenshot(path=str(artefacts / f"reform-orgchart-{unit}.png"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_side_says_how_many_units_it_shows_of_how_many(page, reform_server, artefacts,
                                                            lang):
    """The first view opens only the highest changed units: a side's heading says how many
    it shows of all the units under its root (not "15 units", for a before side of 124)."""
    import httpx

    def subtree_size(tree: dict) -> int:
        return 1 + sum(subtree_size(c) for c in tree.get("children") or ())
    r = httpx.get(reform_server.url("/units/vn/subtree"), params={"at": "2025-07-01"}, timeout=10)
    total = subtree_size(r.json())
    open_plan(page, reform_server, artefacts, lang if lang == "en" else "")
    heading = page.locator("h3", has=page.locator("#bv-count-before")).inner_text()
    shown = page.evaluate("() => window.bomay.charts.before.nodes.get({filter: n => !n.hidden}).length")
    # the root (the country, which no operation acts on) is not in the figure, and the
    # heading says the figure counts the units under it
    if lang == "vi":
        assert heading == (f"Trước · {shown} đơn vị đang hiển thị, trong tổng số {total - 1} "
                           "đơn vị dưới gốc")
    else:
        assert heading == f"Before · {shown} units shown, of {total - 1} units under the root"
    assert shown < total


def test_the_people_table_says_the_plan_does_not_say_who_stays(page, reform_server, artefacts):
    """Hoàng Văn Minh and Trần Văn Hùng, both secretaries, move to the new Party Committee:
    both are marked (trùng), and the table says what that leaves open."""
    open_plan(page, reform_server, artefacts)
    section = table(page, "Người có chức danh thay đổi")
    rows = section.locator("tbody tr").all_inner_texts()
    secretaries = [r for r in rows if "\tBí thư\t" in r and "Tỉnh ủy Tuyên Quang (mới)" in r]
    assert any("Hoàng Văn Minh" in r for r in secretaries)
    assert any("Trần Văn Hùng" in r for r in secretaries)
    duplicated = sum(1 for r in rows if r.endswith("(trùng)"))
    note = section.locator("p.bv-muted").inner_text()
    assert note.startswith(f"(trùng), {duplicated} người: ")
    assert "phương án không nói ai được giữ lại" in note


@pytest.mark.parametrize("unit, open_start", [("hg-tp-mk", True), ("hg", False)])
def test_a_bar_with_no_recorded_start_says_so(page, reform_server, unit, open_start):
    """Phường Minh Khai has no start date in units.csv: its bars begin where the axis does
    (01/01/2025) and would read as begun then; they open with "…", as their tooltips do.
    Tỉnh Hà Giang, recorded from 01/10/1991, does not."""
    page.goto(reform_server.url(f"/viz/units/{unit}/timeline"))
    name_bar = page.locator(".bv-timeline g.bv-tl-life text").first.text_content()
    parent_bars = page.locator(".bv-timeline g.bv-tl-parent text").all_text_contents()
    if open_start:
        assert name_bar == "… Phường Minh Khai" and parent_bars == ["… Thành phố Hà Giang"]
    else:
        assert name_bar == "Tỉnh Hà Giang"
        assert "1991" in page.locator(".bv-timeline svg").text_content()


def test_the_bodies_brought_together_are_one_row_per_body(page, reform_server, artefacts):
    """The new People's Council takes the two provinces' councils, then one district's
    council per district dissolved: one row, all six, and totals that say what they count."""
    open_plan(page, reform_server, artefacts)
    section = table(page, "Cơ quan, tổ chức của các địa bàn được hợp nhất, sáp nhập")
    rows = [r.split("\t") for r in section.locator("tbody tr:not(.bv-total)").all_inner_texts()]
    bodies = [r[0] for r in rows]
    assert len(bodies) == len(set(bodies)), "a body on several rows"
    council = dict(rows)["Hội đồng nhân dân tỉnh Tuyên Quang"].split("; ")
    assert council == ["Hội đồng nhân dân tỉnh Hà Giang", "HĐND tỉnh Tuyên Quang",
                       "Hội đồng nhân dân huyện Quản Bạ", "HĐND thành phố Hà Giang",
                       "HĐND huyện Na Hang", "Hội đồng nhân dân thành phố Tuyên Quang"]
    total = section.locator("tr.bv-total").inner_text().split("\t")
    inputs = sum(len(r[1].split("; ")) for r in rows)
    assert total == [f"{len(rows)} cơ quan", f"từ {inputs} cơ quan"]


#: The scenario engine's warnings as it writes them (graph/scenarios/apply.py, impact.py,
#: territory.py), with the ids of tests/data/r_tuyen_quang.
ENGINE_WARNINGS = [
    "no headcount figure for hg-qb-hdnd, hg-tp-hdnd on 2025-07-01: tq-hdnd's figure counts "
    "only the others",
    "headcount figures of hg-snv dated after 2025-07-01 (2026-01-01: 40) no longer apply and "
    "are left out",
    "the headcount of hg-snv (41) is divided evenly: hg-stc 21, hg-syt 20 (give `headcount` "
    "per new unit to choose)",
    "no member holds personnel on 2025-07-01: the agency starts it as a new function",
    "recorded event ev-1 (MERGE on 2025-08-01) is overridden from 2025-07-01; the units it "
    "started (hg-snv, hg-stc) stay in the baseline",
    "orphan: hg-snv is part of hg-ubnd, which does not exist on 2025-07-01",
    "orphan: hg-snv had a parent (hg-ubnd) and has none in the scenario",
    "two parents: hg-snv is part of hg-ubnd and tq-ubnd on 2025-07-01",
    "cycle: hg-snv → hg-ubnd → hg-snv",
    "2 bodies name no area: taken as bodies of the area their PART_OF chain reaches: "
    "hg-snv (hg), tq-snv (tq) (give `area` in units.csv to say otherwise, or `bodies: keep`)",
]


@pytest.mark.parametrize("warning", ENGINE_WARNINGS)
def test_every_engine_warning_reads_in_vietnamese_with_names(reform_server, warning):
    """Each warning the engine writes has its Vietnamese words, the units' names for their
    ids and dd/mm/yyyy dates (the store's names: the reform's dataset)."""
    from viz.scenario import warning_text

    def name(uid):
        unit = reform_server.store.get_unit(uid)
        return unit.name if unit else uid
    text = warning_text(warning, name, "vi")
    assert not re.search(r"\b(?:hg|tq)-[a-z]+\b", text), text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), text
    english = {"figure", "headcount", "parent", "orphan", "cycle", "event", "bodies", "function",
               "divided", "taken", "only", "others"}
    assert not english & set(re.findall(r"[a-z]+", text.split("(ghi `")[0])), text
    assert "Sở Nội vụ tỉnh Hà Giang" in text or "Hội đồng nhân dân huyện Quản Bạ" in text \
        or "Tổ chức, cán bộ" in text, text


# -- what the plan does to the page's own unit -----------------------------------------------------
def _api(server, path: str):
    import httpx
    r = httpx.get(server.url(path), timeout=30)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.json()


def _into(server, unit: str) -> str:
    """The unit the plan's log says `unit` goes into (`GET /scenarios/{plan}`: its log)."""
    log = _api(server, f"/scenarios/{PLAN}")["log"]
    found = {b["unit"] for entry in log for b in entry["bodies"] if unit in b["from"]}
    found |= {e["outputs"][0] for entry in log for e in entry["events"]
              if unit in e["inputs"] and e["type"] in ("MERGE", "CONSOLIDATE")}
    assert len(found) == 1, found
    return found.pop()


@pytest.mark.parametrize("view", ["lineage", "timeline"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plan_note_says_what_the_plan_does_to_this_unit(page, reform_server, artefacts,
                                                            view, lang):
    """Hà Giang's Organisation Board: not only "a plan would change this unit", but what it
    does: consolidated into the new province's board, named and with its id, and when."""
    into = _into(reform_server, "hg-btc")
    new_name = _api(reform_server, f"/scenarios/{PLAN}/units/{into}?at=2025-07-01")["unit"]["name"]
    page.goto(reform_server.url(f"/viz/units/hg-btc/{view}" + ("?lang=en" if lang == "en" else "")))
    if view == "lineage":
        wait_drawn(page)
    effect = page.locator(f"[data-plans] [data-plan='{PLAN}'] [data-plan-effect='hg-btc']")
    assert effect.count() == 1, "the plan note does not say what the plan does to the unit"
    verb, since = ("hợp nhất thành", "từ") if lang == "vi" else ("consolidated into", "from")
    assert effect.inner_text() == (f"Ban Tổ chức Tỉnh ủy Hà Giang: {verb} {new_name} ({into}) "
                                   f"{since} 01/07/2025")
    assert into == "tq25-btc" and new_name == "Ban Tổ chức Tỉnh ủy Tuyên Quang"
    page.locator("[data-plans]").screenshot(
        path=str(artefacts / f"reform-plan-effect-{view}-{lang}.png"))


@pytest.mark.parametrize("unit, lang, words", [
    # a body without a peer: moved to the new area as it is, under the new People's Committee
    ("hg-sngv", "vi", "Sở Ngoại vụ tỉnh Hà Giang: giữ nguyên (không có cơ quan tương ứng để hợp "
                      "nhất), chuyển từ địa bàn Tỉnh Hà Giang (hg) sang địa bàn Tỉnh Tuyên Quang "
                      "(tq25); chuyển từ Ủy ban nhân dân tỉnh Hà Giang (hg-ubnd) sang trực thuộc "
                      "Ủy ban nhân dân tỉnh Tuyên Quang (tq25-ubnd) từ 01/07/2025"),
    # a district: moved into the new province, then ended with the district level
    ("hg-qb", "en", "Huyện Quản Bạ: moves from under Tỉnh Hà Giang (hg) to under Tỉnh Tuyên "
                    "Quang (tq25); ends (dissolved) from 01/07/2025"),
    # a district's board, merged up into the province's new board
    ("hg-qb-btc", "vi", "Ban Tổ chức Huyện ủy Quản Bạ: hợp nhất thành Ban Tổ chức Tỉnh ủy Tuyên "
                        "Quang (tq25-btc) từ 01/07/2025"),
    # the root: what the plan does under it
    ("vn", "vi", "Nước Cộng hòa xã hội chủ nghĩa Việt Nam: đơn vị trực thuộc: 2 kết thúc, "
                 "1 thành lập từ 01/07/2025"),
])
def test_the_timeline_s_plan_note_says_moved_as_it_is_ended_or_merged(page, reform_server,
                                                                     unit, lang, words):
    page.goto(reform_server.url(f"/viz/units/{unit}/timeline" + ("?lang=en" if lang == "en" else "")))
    effect = page.locator(f"[data-plans] [data-plan='{PLAN}'] [data-plan-effect='{unit}']")
    assert effect.inner_text() == words


def test_the_org_chart_note_says_what_the_plan_does_to_its_units(page, reform_server, artefacts):
    """The province's chart: what the plan does to the province itself, then, folded (there
    are 61), to every other unit of the chart the plan changes, one line each."""
    from viz import plan_effects
    page.goto(reform_server.url("/viz/units/hg?at=2025-06-30"))
    wait_drawn(page)
    item = page.locator(f"[data-plans] [data-plan='{PLAN}']")
    assert item.locator("[data-plan-effect='hg']").first.inner_text() == \
        "Tỉnh Hà Giang: hợp nhất thành Tỉnh Tuyên Quang (tq25) từ 01/07/2025"
    more = item.locator("[data-plan-effects-more]")
    lines = more.locator("li[data-plan-effect]")
    n = lines.count()
    count = int(re.search(r"\d+", item.locator("[data-plan-head]").inner_text().split("(")[-1]
                          ).group(0))
    assert n == count - 1 == 61  # every unit of the chart the plan changes, but the province
    assert more.get_attribute("open") is None  # long: closed, its summary says how many
    assert more.locator("summary").inner_text() == f"Kế hoạch thay đổi {n} đơn vị khác trên sơ đồ"
    chart_units = set(page.locator("table.bv-units tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.unit)"))
    assert set(lines.evaluate_all("els => els.map(e => e.dataset.planEffect)")) <= chart_units
    page.screenshot(path=str(artefacts / "reform-orgchart-hg-note.png"))
    more.locator("summary").click()
    board = more.locator("[data-plan-effect='hg-btc']")
    assert board.is_visible()
    assert board.inner_text() == ("Ban Tổ chức Tỉnh ủy Hà Giang: hợp nhất thành Ban Tổ chức "
                                  "Tỉnh ủy Tuyên Quang (tq25-btc) từ 01/07/2025")
    page.locator("[data-plans]").screenshot(path=str(artefacts / "reform-orgchart-hg-note-open.png"))
    # the plan is read once per plan and baseline, not once per unit nor per page
    built = plan_effects.BUILDS["count"]
    for unit in ("hg-tu", "hg-btc", "hg-ubnd"):
        page.goto(reform_server.url(f"/viz/units/{unit}/timeline"))
        assert page.locator(f"[data-plan-effect='{unit}']").count() == 1
    page.goto(reform_server.url("/viz/units/tq?at=2025-06-30&lang=en"))
    wait_drawn(page)
    assert page.locator("[data-plan-effects-more] li").count() > 20
    assert plan_effects.BUILDS["count"] == built


# -- the scenario page: summary first, changes grouped, long lists folded ----------------------------
def test_the_first_screen_shows_the_key_figures_and_the_charts(page, reform_server, artefacts):
    """The page was 14,800 px tall; its first screen now holds the key figures (each as the
    report gives it) above the legend and the charts."""
    impact = _api(reform_server, f"/scenarios/{PLAN}/impact")
    figures = {}

    def first_view(page) -> None:
        summary = page.locator("[data-summary]")
        box = summary.bounding_box()
        assert box and box["y"] + box["height"] < 900, "the key figures are off the first screen"
        chart = page.locator("[data-chart='before']").bounding_box()
        assert chart["y"] < 900 - 300, "the charts are off the first screen"
        for fig in summary.locator("[data-figure]").all():
            figures[fig.get_attribute("data-figure")] = fig.locator("dd").inner_text()
        height = page.evaluate("() => document.documentElement.scrollHeight")
        assert height < 5000, f"the page is {height} px tall"
    open_plan(page, reform_server, artefacts, check=first_view)
    units, hc = impact["units"], impact["headcount"]

    def vi(n: int, sign: str = "") -> str:  # grouped as Vietnamese writes it: 1.226
        return f"{n:{sign},}".replace(",", ".")
    assert figures["units"] == (f"{vi(units['before'])} → {vi(units['after'])} "
                                f"({vi(units['after'] - units['before'], '+')})")
    assert figures["ended"] == str(len(units["ended"])) == "106"
    assert figures["started"] == str(len(units["started"]))
    assert figures["headcount"] == (f"{vi(hc['before'])} → {vi(hc['after'])} "
                                    f"({vi(hc['after'] - hc['before'], '+')})")
    assert figures["headcount"] == "1.226 → 1.196 (-30)"  # the national figures read grouped
    assert figures["saving"] == vi(int(hc['saving_total']))
    # each figure links to the table that details it
    for key in figures:
        href = page.locator(f"[data-figure='{key}'] a").get_attribute("href")
        assert page.locator(href).count() == 1, href


def test_the_changes_are_one_line_per_new_unit_in_sections_that_fold(page, reform_server,
                                                                    artefacts):
    """Each new (or absorbing) body on one line with what it is formed from, instead of one
    line per old body; a section of more than 12 lines is closed, its summary counting what
    it holds; every merged unit of the diff is in one line."""
    diff = _api(reform_server, f"/scenarios/{PLAN}/diff")
    into: dict[str, set[str]] = {}
    for m in diff["merged"]:
        into.setdefault(m["into"], set()).update(i for i in m["inputs"] if i != m["into"])
    merged_units = set().union(*into.values())
    page.goto(reform_server.url(f"/viz/scenarios/{PLAN}"))
    wait_drawn(page)
    merged = page.locator("[data-changes='merged']")
    assert merged.get_attribute("open") is None  # 35 lines: closed on arrival
    assert merged.locator("summary").inner_text() == (
        f"Hợp nhất, sáp nhập ({len(into)} đơn vị mới hoặc tiếp nhận, từ {len(merged_units)} "
        "đơn vị)")
    assert page.locator("[data-changes='removed']").get_attribute("open") is not None  # 4 lines
    merged.locator("summary").click()
    lines = merged.locator("li").all_inner_texts()
    assert len(lines) == len(into)
    listed = 0
    for line in lines:
        m = re.fullmatch(r"(.+) (?:được hợp nhất từ|tiếp nhận) (\d+) đơn vị(?: sáp nhập vào)?: "
                         r"(.+)", line)
        assert m, line
        assert len(m.group(3).split("; ")) == int(m.group(2)), line
        listed += int(m.group(2))
    assert listed == len(merged_units)
    board = [x for x in lines if x.startswith("Ban Tổ chức Tỉnh ủy Tuyên Quang (mới) ")]
    assert board == ["Ban Tổ chức Tỉnh ủy Tuyên Quang (mới) được hợp nhất từ 6 đơn vị: Ban Tổ "
                     "chức Tỉnh ủy Hà Giang; Ban Tổ chức Huyện ủy Quản Bạ; Ban Tổ chức Thành ủy; "
                     "Ban Tổ chức Tỉnh ủy Tuyên Quang (cũ); Ban Tổ chức Huyện ủy; Ban Tổ chức "
                     "Thành ủy Tuyên Quang"]
    total = page.locator(".bv-changes li").count()
    assert total < 100, f"{total} lines (204 before they were grouped)"
    # every section's count is what its lines hold
    moved = page.locator("[data-changes='moved']")
    assert moved.get_attribute("data-count") == str(len(diff["moved"]))
    assert sum(len(re.findall(r"\(từ ", x)) for x in moved.locator("li").all_inner_texts()) \
        == len(diff["moved"])
    page.locator(".bv-change-sections").screenshot(path=str(artefacts / "reform-changes.png"))


def test_long_tables_fold_with_their_count_and_every_row_stays(page, reform_server, artefacts):
    impact = _api(reform_server, f"/scenarios/{PLAN}/impact")
    page.goto(reform_server.url(f"/viz/scenarios/{PLAN}"))
    wait_drawn(page)
    ended = page.locator("[data-table='ended']")
    fold = ended.locator("details[data-fold]")
    assert fold.count() == 1 and fold.get_attribute("open") is None
    n = len(impact["units"]["ended"])
    assert fold.locator("summary").inner_text() == f"Danh sách {n} dòng · {n} đơn vị kết thúc"
    fold.locator("summary").click()
    assert ended.locator("tbody tr:not(.bv-total)").count() == n
    # the rows flow in columns, not in one column of 106
    boxes = [r.bounding_box() for r in ended.locator("tbody tr:not(.bv-total)").all()]
    assert len({round(b["x"]) for b in boxes}) >= 2
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 40 * n / 2
    # a short table is not folded (the warnings: 8 rows)
    assert page.locator("[data-table='warnings'] details").count() == 0
    # every folded table says how many rows it holds, and holds them
    for section in page.locator(".bv-impact-tables section:has(details[data-fold])").all():
        summary = section.locator("summary").inner_text()
        rows = int(re.match(r"Danh sách (\d+) dòng", summary).group(1))
        assert section.locator("tbody tr:not(.bv-total)").count() == rows, summary
    ended.screenshot(path=str(artefacts / "reform-ended-open.png"))


@pytest.mark.parametrize("lang, word, node_word", [
    ("vi", "sáp nhập / hợp nhất vào đơn vị khác", "hợp nhất thành đơn vị mới"),
    ("en", "merged or consolidated into another unit", "consolidated into a new unit")])
def test_the_legend_says_merged_or_consolidated(page, reform_server, lang, word, node_word):
    """The purple of the two provinces is a consolidation, not a merge: the legend names
    both, the province's own tooltip says which."""
    page.goto(reform_server.url(f"/viz/scenarios/{PLAN}" + ("?lang=en" if lang == "en" else "")))
    wait_drawn(page)
    legend = page.locator(".bv-legend-bar li").all_inner_texts()
    assert word in legend
    info = dict(page.evaluate("""() => [...window.bomay.charts.before.nodes.get('hg').title
        .querySelectorAll('tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])"""))
    assert info["Thay đổi" if lang == "vi" else "Change"] == node_word
