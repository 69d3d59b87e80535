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
    return page.locator("main").inner_text()


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
    # consolidated into a new unit is "hợp nhất thành", not "sáp nhập vào" (into one that goes on)
    assert "Tỉnh Tuyên Quang (cũ) hợp nhất thành Tỉnh Tuyên Quang (mới)" in changes
    assert "Tỉnh Hà Giang hợp nhất thành Tỉnh Tuyên Quang (mới)" in changes
    assert "Xã Quản Bạ (cũ) hợp nhất thành Xã Quản Bạ (mới)" in changes
    for line in changes:  # no "X sáp nhập vào X": a reader cannot tell what went where
        m = re.fullmatch(r"(.+) (?:sáp nhập vào|hợp nhất thành|chuyển từ .+ sang) (.+)", line)
        if m:
            assert m.group(1) != m.group(2), line
        m = re.fullmatch(r".+ chuyển từ (.+) sang (.+)", line)
        if m:
            assert m.group(1) != m.group(2), line
    # the people table: the Tuyên Quang chair moves from the old council to the new one
    people = page.locator(".bv-impact-tables tr", has_text="Trần Văn Hùng").all_inner_texts()
    assert any("HĐND tỉnh Tuyên Quang (cũ)" in r and "chuyển sang HĐND tỉnh Tuyên Quang (mới)"
               in r for r in people), people
    assert "Tỉnh Tuyên Quang (mới)" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_warnings_are_in_the_page_s_language_with_names_and_dates(page, reform_server,
                                                                      artefacts, lang):
    open_plan(page, reform_server, artefacts, lang if lang == "en" else "")
    title = "Lưu ý" if lang == "vi" else "Warnings"
    section = page.locator(".bv-impact-tables section", has=page.locator(f"h3:text-is('{title}')"))
    assert section.count() == 1
    rows = section.locator("tbody tr").all_inner_texts()
    assert len(rows) == 8
    for row in rows:
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", row), f"an ISO date: {row}"
        assert not re.search(r"\b(?:hg|tq|tq25)-[a-z-]+\b", row), f"a raw id: {row}"
    if lang == "vi":
        assert "Chưa có số liệu biên chế của HĐND huyện Quản Bạ tại ngày 01/07/2025: biên chế " \
               "của HĐND tỉnh Tuyên Quang (mới) chỉ cộng các đơn vị còn lại" in rows \
               or any("Hội đồng nhân dân huyện Quản Bạ tại ngày 01/07/2025" in r for r in rows)
        assert not any("headcount" in r or "figure" in r for r in rows)
    else:
        assert all(r.startswith("No headcount figure for ") and " on 01/07/2025: " in r
                   for r in rows)


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
    the saving the headcount table subtracts for it: (6 − 1) × 2 × 0.5 = 5, each number
    with what it counts."""
    open_plan(page, reform_server, artefacts)
    rows = table(page, "Chức năng trùng lặp").locator("tbody tr").all_inner_texts()
    cells = [tuple(c.strip() for c in r.split("\t")) for r in rows]
    assert len(cells) == len(set(cells[i][:2] for i in range(len(cells)))), "repeated rows"
    assert ("Tài chính, kế toán", "Sở Tài chính tỉnh Tuyên Quang (mới)", "6", "5") in cells
    assert ("Tổ chức, cán bộ", "Ban Tổ chức Tỉnh ủy Tuyên Quang (mới)", "6", "—") in cells
    headcount = table(page, "Biên chế").locator("tbody tr",
                                                 has_text="Sở Tài chính tỉnh Tuyên Quang")
    assert "(6 − 1) đơn vị trùng × 2 người × 0.5" in headcount.inner_text()
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
    if lang == "vi":
        assert heading == f"Trước · {shown} đơn vị đang hiển thị, trong tổng số {total}"
    else:
        assert heading == f"Before · {shown} units shown, of {total}"
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
    council = dict(rows)["HĐND tỉnh Tuyên Quang (mới)"].split("; ")
    assert council == ["Hội đồng nhân dân tỉnh Hà Giang", "HĐND tỉnh Tuyên Quang (cũ)",
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
