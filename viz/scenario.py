"""A scenario's before and after as `Chart`s, its list of changes and its impact tables (pure).

Reads the scenario engine's typed results and nothing else: `ScenarioDiff`
(graph/scenarios/diff.py) says which units were added, removed, merged, split, moved
and renamed, and `ImpactReport` (graph/scenarios/impact.py) gives the figures. Nothing
here recomputes them; `Changes` only indexes the diff by unit for the charts' colours.
A committed scenario's kept JSON is read back into those classes by
`viz.scenario_record`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, TypeVar

from graph.scenarios.diff import ScenarioDiff
from graph.scenarios.diff_areas import AreaChange
from graph.scenarios.impact import Count, ImpactReport
from graph.store import GraphReader
from viz.chart import Chart, LegendItem
from viz.i18n import (assumption_word, fmt_date, fmt_number, function_word, kind_word,
                      level_word, natural_key, role_word, saving_reason, status_word)
from viz.orgchart import MAX_VISIBLE, build_org_chart
from viz.style import STATUS_STYLES, text_colour

#: The statuses in the legend, in reading order.
LEGEND_ORDER = ("unchanged", "removed", "merged", "merge_target", "added", "moved", "renamed")


# -- the one bound of the page's lists -----------------------------------------------------------
#: The most rows any list of the page shows: lines of changes, rows of a table, units named
#: in the lines of a grouped section. A national plan forms 30,000 bodies, moves 100,000
#: units and 150,000 posts: every line would make megabytes of HTML. Past it a list says
#: "… and N more" and where the whole list is (`FullLists`, `more_note`).
TABLE_ROWS = 200

T = TypeVar("T")
K = TypeVar("K")
#: What a note counts: (English singular, English plural, Vietnamese).
UNITS = ("unit", "units", "đơn vị")
ROWS = ("row", "rows", "dòng")
MOVES = ("move", "moves", "lượt chuyển")
SAVINGS = ("saving", "savings", "khoản giảm")
BODIES = ("body", "bodies", "cơ quan")
PEOPLE = ("person", "people", "người")
WARNINGS = ("warning", "warnings", "lưu ý")
PARENTS = ("new parent", "new parents", "cấp trên mới")


@dataclass(frozen=True)
class FullLists:
    """Where the page's lists are in full, for its "… and N more" notes: the API endpoint
    and CLI command that answer the scenario's JSON diff and impact report (none known:
    the notes name the JSON diff and report only)."""

    diff: tuple[str, ...] = ()
    impact: tuple[str, ...] = ()

    @classmethod
    def of_scenario(cls, scenario_id: str) -> "FullLists":
        """A saved scenario or a dataset's plan (both answer under /scenarios/{id})."""
        return cls(diff=(f"GET /scenarios/{scenario_id}/diff",
                         f"bomay scenario diff {scenario_id} --json"),
                   impact=(f"GET /scenarios/{scenario_id}/impact",
                           f"bomay scenario impact {scenario_id} --json"))

    @classmethod
    def of_plan_file(cls, plan: str) -> "FullLists":
        """A plan run from its file (`bomay scenario run PLAN --html`): its `--json` prints
        the report with the diff."""
        run = f"bomay scenario run {plan} --json"
        return cls(diff=(run,), impact=(run,))


def first_rows(items: Sequence[T]) -> tuple[list[T], int]:
    """The first `TABLE_ROWS` of `items`, and how many more there are."""
    shown = list(items[:TABLE_ROWS])
    return shown, len(items) - len(shown)


def first_of_groups(groups: Sequence[tuple[K, Sequence[T]]]
                    ) -> tuple[list[tuple[K, list[T], int]], int]:
    """The groups' items in order, `TABLE_ROWS` of them in all (a new parent may take in
    hundreds of units: bounding the lines alone would not bound the page): each group
    shown as (head, its items named, how many of its own are left out), and how many items
    the groups left out hold in all."""
    shown: list[tuple[K, list[T], int]] = []
    room = TABLE_ROWS
    for head, items in groups:
        if room <= 0:
            break
        named = list(items[:room])
        room -= len(named)
        shown.append((head, named, len(items) - len(named)))
    total = sum(len(items) for _, items in groups)
    return shown, total - sum(len(named) for _, named, _ in shown)


def _n(value: Any, en: bool) -> str:
    """A count as the page writes it, grouped by thousands (`viz.i18n.fmt_number`)."""
    return fmt_number(value, "en" if en else "vi")


def _counted(n: int, noun: tuple[str, str, str], en: bool) -> str:
    return f"{_n(n, en)} {(noun[0] if n == 1 else noun[1]) if en else noun[2]}"


def line_more(more: int, noun: tuple[str, str, str], en: bool) -> str:
    """The end of a line whose items the bound cut: `; … and 3 more units`."""
    if more <= 0:
        return ""
    return (f"; … and {_counted(more, noun, True).replace(' ', ' more ', 1)}" if en else
            f"; … và {_counted(more, noun, False)} khác")


def more_note(more: int, key: str, full: FullLists, en: bool,
              noun: tuple[str, str, str] = UNITS, doc: str = "diff") -> str:
    """`… and 3463 more units; the JSON diff (moved) lists them all: GET /scenarios/x/diff
    or bomay scenario diff x --json` ('' when none more). `doc`: "diff" or "impact"
    (the report), `key` the list's key in that JSON ('': the whole of it)."""
    if more <= 0:
        return ""
    where = full.diff if doc == "diff" else full.impact
    if en:
        what = "the JSON diff" if doc == "diff" else "the JSON report"
        text = (f"… and {_counted(more, noun, True).replace(' ', ' more ', 1)}; "
                f"{what}{f' ({key})' if key else ''} lists them all")
        return text + (f": {' or '.join(where)}" if where else "")
    what = "bản so sánh JSON" if doc == "diff" else "báo cáo JSON"
    text = (f"… và {_counted(more, noun, False)} khác; {what}{f' ({key})' if key else ''} "
            "liệt kê đầy đủ")
    return text + (f": {' hoặc '.join(where)}" if where else "")


@dataclass
class Changes:
    """The diff indexed by unit (what colours a box)."""

    removed: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    #: absorbed unit -> the unit it went into
    merged: dict[str, str] = field(default_factory=dict)
    #: unit -> (old parent, new parent)
    moved: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: unit -> (area before, area after), for the moved units whose area changes
    moved_area: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: unit (old id) -> (old name, new name, new id)
    renamed: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: split unit -> the units it was split into
    split: dict[str, list[str]] = field(default_factory=dict)
    #: (function, from unit, to unit or None)
    functions: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: the diff's `area_changes` as it lists them (a national plan: tens of thousands;
    #: the page names only the first `TABLE_ROWS`)
    areas: tuple[AreaChange, ...] = ()
    #: names as the diff read them (baseline for removed units, scenario for added ones)
    names: dict[str, str] = field(default_factory=dict)
    _shared: set[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, diff: ScenarioDiff | None) -> "Changes":
        ch = cls()
        if diff is None:
            return ch
        for a in diff.added:
            ch.added.add(a.id)
            ch.names[a.id] = a.name
        for r in diff.removed:
            ch.removed.add(r.id)
            ch.names[r.id] = r.name
        for m in diff.merged:
            for i in m.inputs:
                if i != m.into:
                    ch.merged[i] = m.into
        for mv in diff.moved:
            ch.moved[mv.id] = (mv.old_parent, mv.new_parent)
            if mv.old_area != mv.new_area:
                ch.moved_area[mv.id] = (mv.old_area, mv.new_area)
        for rn in diff.renamed:
            ch.renamed[rn.id] = (rn.old_name, rn.new_name, rn.new_id or rn.id)
        for sp in diff.split:
            ch.split[sp.unit] = list(sp.into)
        ch.functions = [(f.function, f.source, f.destination) for f in diff.functions]
        ch.areas = tuple(diff.area_changes)
        # A rename to a new id ends one unit and starts another: it reads as one rename;
        # a merged unit reads as merged, not as removed.
        for old, (_, _, new) in ch.renamed.items():
            if new != old:
                ch.removed.discard(old)
                ch.added.discard(new)
        ch.removed -= set(ch.merged)
        return ch

    @property
    def merge_targets(self) -> set[str]:
        return set(self.merged.values())

    def shared_names(self) -> set[str]:
        """Names borne both by a unit that ends and by one the scenario starts (a new
        province named after an old one, and its bodies: `Tỉnh Tuyên Quang` consolidated
        into `Tỉnh Tuyên Quang`): where they are written, each says old or new."""
        if self._shared is None:
            ended = self.removed | set(self.merged) | set(self.split)
            old = {self.names[u] for u in ended if self.names.get(u)}
            self._shared = old & {self.names[u] for u in self.added if self.names.get(u)}
        return self._shared

    def touched(self) -> set[str]:
        renamed_new = {v[2] for v in self.renamed.values()}
        return (self.removed | self.added | set(self.merged) | self.merge_targets
                | set(self.moved) | set(self.renamed) | renamed_new | set(self.split))


def status_of(uid: str, ch: Changes, side: str) -> str:
    """The status a unit shows on the `before` or `after` side."""
    if side == "before":
        if uid in ch.merged:
            return "merged"
        if uid in ch.removed or uid in ch.split:
            return "removed"
    else:
        if uid in ch.added:
            return "added"
        if uid in ch.merge_targets:
            return "merge_target"
    if uid in ch.moved:
        return "moved"
    renamed_new = {v[2] for v in ch.renamed.values()}
    if uid in ch.renamed or uid in renamed_new:
        return "renamed"
    if side == "before" and uid in ch.merge_targets:
        return "merge_target"
    return "unchanged"


# -- choosing what to draw -----------------------------------------------------------------------
def _exists(reader: GraphReader, uid: str | None, at: dt.date | None) -> bool:
    unit = reader.get_unit(uid) if uid else None
    return unit is not None and unit.valid_at(at)


def _chain(reader: GraphReader, uid: str, at: dt.date | None) -> list[str]:
    from graph.queries.structure import ancestors  # the one ancestors walk
    return [uid, *(u.id for u in ancestors(reader, uid, at))]


@dataclass(frozen=True)
class Sides:
    """The two readers and the date each is drawn on (a committed scenario's before and
    after are both the baseline, on the day before its events and on its date)."""

    before: GraphReader
    after: GraphReader
    at_before: dt.date | None
    at_after: dt.date | None

    def both(self) -> tuple[tuple[GraphReader, dt.date | None], ...]:
        return ((self.before, self.at_before), (self.after, self.at_after))

    def on_both(self, uid: str | None) -> bool:
        return all(_exists(r, uid, at) for r, at in self.both())


def scenario_root(sides: Sides, ch: Changes) -> str | None:
    """The lowest unit, present on both sides, whose subtree holds every changed unit."""
    chains = [_chain(reader, uid, at) for uid in sorted(ch.touched())
              for reader, at in sides.both() if _exists(reader, uid, at)]
    if not chains:
        return None
    common = [u for u in chains[0] if all(u in c for c in chains[1:]) and sides.on_both(u)]
    if not common:
        return None
    root = common[0]
    if root in ch.touched():  # show the context one level up when the root itself changed
        up = sides.before.parent(root, sides.at_before)
        if sides.on_both(up):
            return up
    return root


def successor(ch: Changes, uid: str | None) -> str | None:
    """What a unit became: the unit it merged or consolidated into, or its new id after a
    rename, followed to the last one (a province consolidated, then renamed)."""
    renamed = {k: v[2] for k, v in ch.renamed.items() if v[2] != k}
    seen: set[str] = set()
    while uid is not None and uid not in seen and (uid in ch.merged or uid in renamed):
        seen.add(uid)
        uid = ch.merged.get(uid) or renamed.get(uid)
    return uid


def tree_roots(sides: Sides, ch: Changes) -> list[str]:
    """The top unit of each tree a change touches (a scenario across two trees draws two
    pairs of charts), in a stable order. A top that ends is drawn beside what it became
    (two provinces consolidated with their Party Committees: each before, the new one
    after), and before the trees that stay: they carry the larger change."""
    ending: list[str] = []
    staying: list[str] = []
    for uid in sorted(ch.touched()):
        for reader, at in sides.both():
            if _exists(reader, uid, at):
                top = _chain(reader, uid, at)[-1]
                if top in ending or top in staying:
                    continue
                if sides.on_both(top):
                    staying.append(top)
                elif reader is sides.before and _exists(sides.after, successor(ch, top),
                                                        sides.at_after):
                    ending.append(top)
    return ending + staying


def _name(readers: tuple[GraphReader, ...], uid: str | None, ch: Changes, lang: str) -> str:
    """The unit's name; `(cũ)` / `(mới)` after it when a unit that ends and one the
    scenario starts bear that name (else `Xã Quản Bạ sáp nhập vào Xã Quản Bạ`)."""
    if uid is None:
        return "—" if lang != "en" else "none"
    text = ch.names.get(uid) or ""
    if not text:
        for reader in readers:
            unit = reader.get_unit(uid)
            if unit is not None:
                text = unit.name
                break
    if not text:
        return uid
    if text in ch.shared_names():
        if uid in ch.added:
            return f"{text} ({'new' if lang == 'en' else 'mới'})"
        if uid in ch.removed or uid in ch.merged or uid in ch.split:
            return f"{text} ({'old' if lang == 'en' else 'cũ'})"
    return text


def _restyle(chart: Chart, ch: Changes, side: str, sides: Sides, lang: str) -> None:
    en = lang == "en"
    readers = (sides.after, sides.before) if side == "after" else (sides.before, sides.after)
    counts: dict[str, int] = {}
    for node in chart.nodes:
        if node.get("cluster"):
            continue
        status = status_of(node["id"], ch, side)
        counts[status] = counts.get(status, 0) + 1
        style = STATUS_STYLES[status]
        node["status"] = status
        node["color"] = {"background": style["colour"], "border": style["border"],
                         "highlight": {"background": style["colour"], "border": "#000000"},
                         "hover": {"background": style["colour"], "border": "#000000"}}
        node["font"] = {"color": text_colour(style["colour"])}  # the kind's would not read
        node["borderWidth"] = 1.5 if status == "unchanged" else 3
        if status in ("removed", "merged"):
            node["shapeProperties"] = {"borderDashes": [5, 3]}
        uid = node["id"]
        # The legend's colour covers both; the unit's own change says which it is.
        word = status if status != "merged" or uid not in ch.merged else (
            "consolidated_into" if ch.merged[uid] in ch.added else "merged_into")
        rows = [["Change" if en else "Thay đổi", status_word(word, lang)]]
        if uid in ch.merged:
            verb = _merge_verb(ch, ch.merged[uid], en)
            rows.append([verb[:1].upper() + verb[1:], _name(readers, ch.merged[uid], ch, lang)])
        absorbed = sorted(s for s, t in ch.merged.items() if t == uid)
        if absorbed:
            rows.append(["Absorbs" if en else "Tiếp nhận",
                         "; ".join(_name(readers, s, ch, lang) for s in absorbed)])
        if uid in ch.moved:
            old, new = ch.moved[uid]
            rows.append(["Parent before" if en else "Cấp trên trước",
                         _name(readers, old, ch, lang)])
            rows.append(["Parent after" if en else "Cấp trên sau", _name(readers, new, ch, lang)])
        if uid in ch.moved_area:
            was, now = ch.moved_area[uid]
            rows.append(["Area" if en else "Địa bàn",
                         f"{_name(readers, was, ch, lang)} → {_name(readers, now, ch, lang)}"])
        for old_id, (old, new, new_id) in ch.renamed.items():
            if uid in (old_id, new_id):
                rows.append(["Renamed" if en else "Đổi tên", f"{old} → {new}"])
        node["info"] = rows[:1] + node["info"] + rows[1:]
        node["href"] = None  # scenario states have no chart page of their own
    chart.meta["status_counts"] = counts


def _merge_verb(ch: Changes, into: str, en: bool) -> str:
    """`sáp nhập vào` (merged into a unit that goes on) or `hợp nhất thành` (consolidated
    into a unit the scenario starts): the law tells the two apart, and so does a planner."""
    if into in ch.added:
        return "consolidated into" if en else "hợp nhất thành"
    return "merged into" if en else "sáp nhập vào"


#: What a unit the plan ends (dissolves) does, by language (False: Vietnamese): it ends
#: on the plan's date and its history stays, so English says what the Vietnamese says
#: ("chấm dứt hoạt động"), not "removed" (which reads as deleted from the data).
_ENDS = {True: "ceases to operate", False: "chấm dứt hoạt động"}
#: What a unit the plan establishes from no unit does ("được thành lập").
_STARTS = {True: "is established", False: "được thành lập"}


def _units(n: int, en: bool) -> str:
    """`n` units, in words: "1 unit", "3 units", "3 đơn vị"."""
    return f"{_n(n, en)} {('unit' if n == 1 else 'units') if en else 'đơn vị'}"


def change_lines(ch: Changes, before: GraphReader, after: GraphReader,
                 lang: str = "vi") -> list[tuple[str, str]]:
    """The changes as (status, sentence) pairs, for the list beside the charts."""
    en = lang == "en"
    readers = (before, after)

    def name(uid: str | None) -> str:
        return _name(readers, uid, ch, lang)
    lines = []
    for uid in sorted(ch.merged):
        lines.append(("merged", f"{name(uid)} {_merge_verb(ch, ch.merged[uid], en)} "
                                f"{name(ch.merged[uid])}"))
    for uid in sorted(ch.removed - set(ch.split)):
        lines.append(("removed", f"{name(uid)} {_ENDS[en]}"))
    for uid in sorted(ch.added):
        lines.append(("added", f"{name(uid)} {_STARTS[en]}"))
    for uid, (old, new) in sorted(ch.moved.items()):
        lines.append(("moved", _move_line(ch, uid, old, new, name, en)))
    for old, new, _ in (v for _, v in sorted(ch.renamed.items())):
        lines.append(("renamed", f"{old} {'renamed' if en else 'đổi tên thành'} {new}"))
    for uid, parts in sorted(ch.split.items()):
        lines.append(("removed", f"{name(uid)} {'split into' if en else 'chia tách thành'} "
                                 f"{'; '.join(name(p) for p in parts)}"))
    for function, src, dest in ch.functions:
        what = (f"{'Function' if en else 'Chức năng'} “{function_word(function, lang)}”: "
                f"{name(src)} → ")
        lines.append(("moved", what + (name(dest) if dest else
                                       ("no unit" if en else "không còn đơn vị nào"))))
    return lines


def _move_line(ch: Changes, uid: str, old: str | None, new: str | None,
               name: Callable[[str | None], str], en: bool) -> str:
    """One line of a move: its parents, and its areas when they change (a body without a
    peer keeps its parent and moves to the new area: saying "from P to P" would hide it)."""
    area = ""
    if uid in ch.moved_area:
        was, now = ch.moved_area[uid]
        area = (f"area {name(was)} → {name(now)}" if en else f"địa bàn {name(was)} → {name(now)}")
    if old == new and area:
        return (f"{name(uid)} moves to another area, under {name(new)} still: {area}" if en
                else f"{name(uid)} chuyển địa bàn, vẫn trực thuộc {name(new)}: {area}")
    text = (f"{name(uid)} {'moved from' if en else 'chuyển từ'} {name(old)} "
            f"{'to' if en else 'sang'} {name(new)}")
    return f"{text} ({area})" if area else text


def _moved_from(ch: Changes, uid: str, word: str, name: Callable[[str | None], str],
                en: bool) -> str:
    """Where a moved unit came from, in the moves' section: its former parent, or, when it
    keeps its parent, its former area."""
    old, new = ch.moved[uid]
    if uid in ch.moved_area and old == new:
        return f"{'area' if en else 'địa bàn'} {word} {name(ch.moved_area[uid][0])}"
    return f"{word} {name(old)}"


def _moved_group(ch: Changes, parent: str | None, named: list[str], left: int, word: str,
                 name: Callable[[str | None], str], en: bool) -> str:
    """One line of the moves' section: the new parent, then the units moved under it, each
    with where it came from; said once when they all came from one place (a district
    merged into another: its 20 communes, "from" the same district 20 times otherwise)."""
    head = f"{'Moved under' if en else 'Chuyển sang trực thuộc'} {name(parent)}"
    froms = [_moved_from(ch, u, word, name, en) for u in named]
    if len(named) > 1 and len(set(froms)) == 1:
        return (f"{head} ({froms[0]}): " + "; ".join(name(u) for u in named)
                + line_more(left, UNITS, en))
    return (f"{head}: " + "; ".join(f"{name(u)} ({f})" for u, f in zip(named, froms))
            + line_more(left, UNITS, en))


def _by_name(ids: Sequence[str], name: Callable[[str | None], str]) -> list[str]:
    """`ids` in the natural order of their names (`natural_key`), then of their ids."""
    return sorted(ids, key=lambda u: (natural_key(name(u)), natural_key(u), u))


def _depth(reader: GraphReader, uid: str | None, at: dt.date | None) -> int:
    """How many parents a unit has on `at` (the list of changes opens with the top)."""
    depth, seen = 0, set()
    while uid and uid not in seen and depth < 64:
        seen.add(uid)
        try:
            uid = reader.parent(uid, at)
        except Exception:  # noqa: BLE001 - a unit the reader does not know
            uid = None
        depth += uid is not None
    return depth


def change_sections(ch: Changes, before: GraphReader, after: GraphReader, lang: str = "vi",
                    at: dt.date | None = None, full: FullLists = FullLists()
                    ) -> list[dict[str, Any]]:
    """The changes grouped, for the scenario page: each new (or absorbing) unit on one line
    with what it is formed from, the units moved grouped by their new parent, the functions
    by the unit that takes them; then the units ended, started, renamed and split, and the
    units whose effective area changes (`area_changes`).
    Each section: {"key", "title", "count", "items" (units or functions it counts), "lines":
    [(status, text)], "note"}. Its count is of them all; its lines name the first
    `TABLE_ROWS` of what it counts (a grouped line cut short ends `; … and N more`), and
    "note" says how many more and where the whole list is (`more_note`, `full`); names are
    looked up for what is shown only."""
    en = lang == "en"
    readers = (before, after)

    def name(uid: str | None) -> str:
        return _name(readers, uid, ch, lang)
    sections: list[dict[str, Any]] = []
    into: dict[str, list[str]] = {}
    for uid in sorted(ch.merged):
        into.setdefault(ch.merged[uid], []).append(uid)
    targets = sorted(into, key=lambda t: (_depth(after, t, at), name(t), t))
    if targets:
        shown, more = first_of_groups([(t, into[t]) for t in targets])
        lines = []
        for t, named, left in shown:
            ins = "; ".join(name(i) for i in named) + line_more(left, UNITS, en)
            k = len(into[t])
            if t in ch.added:
                text = (f"{name(t)} consolidated from {_counted(k, UNITS, True)}: {ins}"
                        if en else f"{name(t)} được hợp nhất từ {_n(k, en)} đơn vị: {ins}")
            else:
                text = (f"{name(t)} takes in {_counted(k, UNITS, True)} merged into it: "
                        f"{ins}" if en else
                        f"{name(t)} tiếp nhận {_n(k, en)} đơn vị sáp nhập vào: {ins}")
            lines.append(("merged", text))
        sections.append({
            "key": "merged", "title": "Consolidated and merged" if en else "Hợp nhất, sáp nhập",
            "items": len(ch.merged),
            "count": (f"{_n(len(targets), en)} new or receiving units, from "
                      f"{_n(len(ch.merged), en)} units" if en
                      else f"{_n(len(targets), en)} đơn vị mới hoặc tiếp nhận, từ "
                           f"{_n(len(ch.merged), en)} đơn vị"),
            "lines": lines, "note": more_note(more, "merged", full, en)})
    formed = set(into)
    added = [u for u in sorted(ch.added, key=lambda u: (_depth(after, u, at), name(u), u))
             if u not in formed]
    if added:
        shown_ids, more = first_rows(added)
        sections.append({
            "key": "added", "title": "Started (formed from no unit)" if en else
            "Thành lập mới (không từ đơn vị nào)", "items": len(added),
            "count": _units(len(added), en),
            "lines": [("added", f"{name(u)} {_STARTS[en]}") for u in shown_ids],
            "note": more_note(more, "added", full, en)})
    removed = sorted(ch.removed - set(ch.split))
    if removed:
        shown_ids, more = first_rows(removed)
        sections.append({
            "key": "removed", "title": "Ended" if en else "Chấm dứt hoạt động",
            "items": len(removed), "count": _units(len(removed), en),
            "lines": [("removed", f"{name(u)} {_ENDS[en]}") for u in shown_ids],
            "note": more_note(more, "removed", full, en)})
    if ch.split:
        splits, more = first_rows(sorted(ch.split.items()))
        sections.append({
            "key": "split", "title": "Split" if en else "Chia tách", "items": len(ch.split),
            "count": _units(len(ch.split), en),
            "lines": [("removed", f"{name(u)} {'split into' if en else 'chia tách thành'} "
                                  f"{'; '.join(name(p) for p in parts)}")
                      for u, parts in splits],
            "note": more_note(more, "split", full, en)})
    under: dict[str | None, list[str]] = {}
    for uid, (_old, new) in sorted(ch.moved.items()):
        under.setdefault(new, []).append(uid)
    if under:
        word = "from" if en else "từ"
        parents = sorted(under, key=lambda p: (_depth(after, p, at), name(p), p or ""))
        # 100,000 units moved under 30,000 parents: the first TABLE_ROWS units are named.
        groups: list[tuple[str | None, list[str]]] = [(p, under[p]) for p in parents]
        shown_moved, more = first_of_groups(groups)
        # A group names its units in the order of their names as shown (`Xã 2` before
        # `Xã 10`), not of their ids; which groups are shown, and how many of each, depend
        # on the groups' sizes only, so only the shown groups' names are looked up.
        shown_moved = [(p, _by_name(under[p], name)[:len(named)], left)
                       for p, named, left in shown_moved]
        sections.append({
            "key": "moved", "title": "Moved to a new parent" if en else "Chuyển trực thuộc",
            "items": len(ch.moved),
            "count": (f"{_counted(len(ch.moved), UNITS, True)}, under "
                      f"{_counted(len(parents), PARENTS, True)}" if en else
                      f"{_n(len(ch.moved), en)} đơn vị, sang {_n(len(parents), en)} cấp trên mới"),
            "lines": [("moved", _moved_group(ch, p, named, left, word, name, en))
                      for p, named, left in shown_moved],
            "note": more_note(more, "moved", full, en)})
    if ch.areas:
        sections.append(_areas_section(ch.areas, name, en, full))
    if ch.renamed:
        renames, more = first_rows([v for _, v in sorted(ch.renamed.items())])
        sections.append({
            "key": "renamed", "title": "Renamed" if en else "Đổi tên", "items": len(ch.renamed),
            "count": _units(len(ch.renamed), en),
            "lines": [("renamed", f"{old} {'renamed' if en else 'đổi tên thành'} {new}")
                      for old, new, _ in renames],
            "note": more_note(more, "renamed", full, en)})
    if ch.functions:
        taken: dict[str | None, list[tuple[str, str]]] = {}
        for function, src, dest in ch.functions:
            taken.setdefault(dest, []).append((function, src))
        dests = sorted(taken, key=lambda d: (d is None, name(d)))
        shown_moves, more = first_of_groups([(d, taken[d]) for d in dests])
        lines = []
        for dest, named_moves, left in shown_moves:
            by_function: dict[str, list[str]] = {}
            for function, src in named_moves:
                by_function.setdefault(function, []).append(src)
            parts = "; ".join(f"“{function_word(f, lang)}” ({'from' if en else 'từ'} "
                              f"{', '.join(name(x) for x in srcs)})"
                              for f, srcs in by_function.items()) + line_more(left, MOVES, en)
            lines.append(("moved", (f"{name(dest)} {'takes the functions' if en else 'nhận chức năng'}"
                                    f": {parts}") if dest else
                          (f"{'Functions no unit takes' if en else 'Chức năng không còn đơn vị nào'}"
                           f": {parts}")))
        sections.append({
            "key": "functions", "title": "Functions moved" if en else "Chuyển chức năng",
            "items": len(ch.functions),
            "count": (f"{_n(len(ch.functions), en)} moves, to {_n(len(taken), en)} units" if en
                      else f"{_n(len(ch.functions), en)} lượt chuyển, đến "
                           f"{_n(len(taken), en)} đơn vị"),
            "lines": lines, "note": more_note(more, "functions", full, en, MOVES)})
    return sections


def _area_line(a: AreaChange, name: Callable[[str | None], str], en: bool) -> str:
    """One unit of the diff's `area_changes`: its old area and new one by name, what brought
    it along (`via`, when not the unit itself: a Party cell under a body that moved) and its
    new parent when that changes too."""
    text = (f"{a.name or name(a.id)}: {'area' if en else 'địa bàn'} "
            f"{name(a.old_area)} → {name(a.new_area)}")
    if a.via and a.via != a.id:
        text += f" ({'via' if en else 'chuyển theo'} {name(a.via)})"
    elif a.via is None and a.by == "inferred":
        text += (" (by its chain of parents)" if en else " (theo chuỗi trực thuộc)")
    if a.new_parent != a.old_parent:
        text += f"; {'now under' if en else 'nay trực thuộc'} {name(a.new_parent)}"
    return text


def _areas_section(areas: tuple[AreaChange, ...], name: Callable[[str | None], str],
                   en: bool, full: FullLists = FullLists()) -> dict[str, Any]:
    """The units whose effective area changes (`ScenarioDiff.area_changes`): the count of
    them all, the first `TABLE_ROWS` named (a national reform changes 64,000 units' areas),
    then how many more the JSON diff lists."""
    shown, more = first_rows(areas)
    return {"key": "areas", "title": "Area changes" if en else "Thay đổi địa bàn",
            "items": len(areas), "count": _units(len(areas), en),
            "lines": [("moved", _area_line(a, name, en)) for a in shown],
            "note": more_note(more, "area_changes", full, en)}


def summary_figures(report: ImpactReport | None, lang: str = "vi") -> list[dict[str, str]]:
    """The report's key figures for the top of the scenario page, each linked to the table
    that details it: {"key", "label", "value", "href"}."""
    if report is None:
        return []
    en = lang == "en"

    def arrow(before: Any, after: Any, change: Any = None) -> str:
        if before is None and after is None:
            return "unknown" if en else "chưa rõ"
        delta = change if change is not None else (
            after - before if isinstance(before, (int, float)) and isinstance(after, (int, float))
            else None)
        return f"{_num(before, lang)} → {_num(after, lang)}" + (
            f" ({_signed(delta, lang)})" if delta is not None else "")
    u, hc, lead = report.units, report.headcount, report.leadership
    out = [
        ("units", "Units" if en else "Số đơn vị", arrow(u.total.before, u.total.after,
                                                         u.total.change), "units"),
        ("ended", "Ended" if en else "Kết thúc", _num(len(u.ended), lang), "ended"),
        ("started", "Started" if en else "Thành lập", _num(len(u.started), lang), "started"),
        ("headcount", "Headcount" if en else "Biên chế", arrow(hc.before, hc.after, hc.change),
         "headcount"),
        ("saving", "Savings applied" if en else "Số giảm áp dụng", _num(hc.saving_total, lang),
         "headcount"),
        ("leadership", "Leadership posts" if en else "Chức danh lãnh đạo",
         arrow(lead.before, lead.after), "leadership"),
        ("committees", "Party committees" if en else "Cấp ủy, đảng bộ",
         arrow(report.party_committees.count.before, report.party_committees.count.after,
               report.party_committees.count.change), "leadership"),
    ]
    if report.warnings:
        out.append(("warnings", "Warnings" if en else "Lưu ý", _num(len(report.warnings), lang),
                    "warnings"))
    return [{"key": k, "label": label, "value": value, "href": f"#bv-t-{target}"}
            for k, label, value, target in out]


def legend(lang: str = "vi") -> list[LegendItem]:
    return [LegendItem(status_word(s, lang), STATUS_STYLES[s]["colour"], STATUS_STYLES[s]["border"])
            for s in LEGEND_ORDER]


def build_scenario_charts(sides: Sides, root_id: str | None, ch: Changes, *,
                          max_nodes: int = MAX_VISIBLE, prefix: str = "", lang: str = "vi"
                          ) -> tuple[Chart, Chart]:
    """The before and after charts under `root_id` (None: chosen from the changes)."""
    if root_id is None:
        root_id = scenario_root(sides, ch)
    charts = []
    for side, reader, at in (("before", sides.before, sides.at_before),
                             ("after", sides.after, sides.at_after)):
        chart = _side_chart(reader, side, root_id, at, ch, max_nodes, prefix, lang)
        _restyle(chart, ch, side, sides, lang)
        chart.legend = legend(lang)
        charts.append(chart)
    return charts[0], charts[1]


def _side_chart(reader: GraphReader, side: str, root_id: str | None, at: dt.date | None,
                ch: Changes, max_nodes: int, prefix: str, lang: str) -> Chart:
    en = lang == "en"
    title = ("Before" if en else "Trước") if side == "before" else ("After" if en else "Sau")
    root = root_id
    if not _exists(reader, root, at):
        # The root itself went away on this side: follow its merge or rename.
        root = successor(ch, root)
    if not _exists(reader, root, at):
        notice = (f"No unit to draw on the {side} side." if en else
                  "Không có đơn vị nào để vẽ ở phía này.")
        return Chart(kind="scenario", title=title, notices=[notice],
                     meta={"root": {"id": root_id or "", "name": ""}, "at": str(at), "total": 0})
    chart = build_org_chart(reader, root, at, max_nodes=max_nodes, prefix=prefix, lang=lang)
    chart.kind = "scenario"
    chart.title = title
    return chart


def build_scenario_pairs(sides: Sides, root_id: str | None, diff: ScenarioDiff | None, *,
                         max_nodes: int = MAX_VISIBLE, prefix: str = "", lang: str = "vi"
                         ) -> tuple[list[tuple[Chart, Chart]], Changes]:
    """One (before, after) pair per tree the changes touch (one pair under `root_id`,
    or under the lowest unit holding every change when there is one)."""
    ch = Changes.of(diff)
    roots = [root_id] if root_id else []
    if not roots:
        common = scenario_root(sides, ch)
        roots = [common] if common else tree_roots(sides, ch)
    pairs = [build_scenario_charts(sides, root, ch, max_nodes=max_nodes, prefix=prefix,
                                   lang=lang) for root in roots[:6] or [None]]
    return pairs, ch


# -- the impact report as tables ------------------------------------------------------------------
def _num(value: Any, lang: str) -> str:
    """A figure of the report, grouped as `lang` writes it; "—" when unknown."""
    return "—" if value is None else fmt_number(value, lang)


def _signed(value: Any, lang: str) -> str:
    """A change, with its sign: `+1.234`, `-56`, `+0`."""
    return fmt_number(value, lang, sign=True) if isinstance(value, (int, float)) else "—"


def _count_row(label: str, c: Count, lang: str) -> list[str]:
    return [label, _num(c.before, lang), _num(c.after, lang), _signed(c.change, lang)]


def impact_tables(report: ImpactReport | None, before: GraphReader, after: GraphReader,
                  lang: str = "vi", ch: Changes | None = None,
                  full: FullLists = FullLists()) -> list[dict[str, Any]]:
    """The impact report as tables whose totals add up: {"title", "columns", "rows",
    "total", "note"}; every cell is text (numbers, names, words; never a repr). A table
    lists its first `TABLE_ROWS` rows (its totals are of them all; "rows_total" counts
    them all), its note saying how many more and where the whole list is (`full`)."""
    if report is None:
        return []
    en = lang == "en"
    ch = ch or Changes()

    def name(uid: str | None) -> str:
        return _name((before, after), uid, ch, lang)

    ba = ["", "Before" if en else "Trước", "After" if en else "Sau",
          "Change" if en else "Thay đổi"]
    tables: list[dict[str, Any]] = []
    not_applied = ("(in brackets): not applied, the unit has no headcount figure to cut" if en
                   else "(số trong ngoặc): không áp dụng vì đơn vị chưa có số liệu biên chế")

    hc = report.headcount
    without = hc.units_without_figure
    rows = [["Headcount before" if en else "Biên chế trước", "", _num(hc.before, lang), ""],
            ["After the operations (recorded figures)" if en else
             "Sau sắp xếp (theo số liệu ghi nhận)", "", _num(hc.after_recorded, lang), ""]]
    saving_rows, more_savings = first_rows(hc.savings)
    for s in saving_rows:
        what = function_word(s.function, lang) if s.function else role_word(s.role, lang)
        # `how` is the engine's formula, e.g. "(6 - 1) duplicates × 2 staff × 0.5": its
        # numbers with what they count, in the page's language (not bare numbers).
        how = formula_words(s.how or "", lang)
        rows.append([f"− {saving_reason(s.reason, lang)}" + (f" ({what})" if what else "")
                     + (f": {how}" if how else ""), name(s.unit),
                     _num(s.amount, lang) if s.applied else f"({_num(s.amount, lang)})",
                     ("applied" if en else "áp dụng") if s.applied else
                     ("not applied: no figure to cut" if en else "không áp dụng: chưa có số liệu")])
    tables.append({
        "key": "headcount",
        "title": "Headcount" if en else "Biên chế", "num": [2], "wide": True,
        "columns": ["", "Unit" if en else "Đơn vị", "Number" if en else "Số người", ""],
        "rows": rows,
        "total": [["Savings applied (total)" if en else "Tổng số giảm được áp dụng", "",
                   _num(hc.saving_total, lang), ""],
                  ["Headcount after" if en else "Biên chế sau", "", _num(hc.after, lang),
                   _signed(hc.change, lang)]],
        "note": f"{_num(hc.after_recorded, lang)} − {_num(hc.saving_total, lang)} = "
                f"{_num(hc.after, lang)}"
                + ("" if not (without.before or without.after)
                   else (f"; units without a figure: {_n(without.before, en)} before, "
                         f"{_n(without.after, en)} after" if en else
                         f"; đơn vị chưa có số liệu biên chế: {_n(without.before, en)} "
                         f"trước, {_n(without.after, en)} sau"))
                + ("" if all(x.applied for x in hc.savings) else f"; {not_applied}")
                + ("" if not more_savings else
                   "; " + more_note(more_savings, "headcount.savings", full, en, SAVINGS,
                                    "impact")),
        "rows_total": len(rows) + more_savings,
    })

    a = report.assumptions
    yes, no = ("yes", "no") if en else ("có", "không")
    tables.append({"key": "assumptions",
                   "title": "Assumptions" if en else "Giả định", "columns": ["", ""], "num": [],
                   "rows": [
        [assumption_word("remove_duplicate_leadership", lang),
         yes if a.remove_duplicate_leadership else no],
        [assumption_word("leadership_post_saving", lang), _num(a.leadership_post_saving, lang)],
        *[[f"{assumption_word('support_saving', lang)}: {function_word(k, lang)}", _num(v, lang)]
          for k, v in sorted(a.support_saving.items())],
        [assumption_word("support_staff", lang), _num(a.support_staff, lang)],
        [assumption_word("max_span", lang), _num(a.max_span, lang)],
        [assumption_word("single_holder_roles", lang),
         ", ".join(role_word(r, lang) for r in a.single_holder_roles)],
    ], "total": [], "note": ""})

    u = report.units
    rows = [_count_row("Units" if en else "Số đơn vị", u.total, lang)]
    rows.append(["By kind" if en else "Theo loại đơn vị", "", "", ""])
    rows += [_count_row("· " + kind_word(k, lang), c, lang) for k, c in u.by_kind]
    rows.append(["By level" if en else "Theo cấp", "", "", ""])
    rows += [_count_row("· " + level_word(k, lang), c, lang) for k, c in u.by_level]
    tables.append({"key": "units", "fold": False,
                   "title": "Units (the part of the structure the scenario touches)" if en
                   else "Đơn vị (phần cơ cấu phương án tác động)", "columns": ba, "rows": rows,
                   "num": [1, 2, 3],
                   "total": [], "note": ""})
    # Two lists, not one table of two columns: side by side, a row reads as "this ended and
    # that started from it" (Tỉnh Tuyên Quang beside HĐND tỉnh Tuyên Quang), which it is not.
    # What each ended unit went into is in the list of changes and the bodies' table.
    for key, title, ids, word in (("ended", "Units ended" if en else "Đơn vị kết thúc",
                                   u.ended, "ended" if en else "kết thúc"),
                                  ("started", "Units started" if en else "Đơn vị thành lập",
                                   u.started, "started" if en else "thành lập")):
        tables.append({"key": key, "title": title, "num": [], "cols": True,
                       "wide": len(ids) > 12, "columns": ["Unit" if en else "Đơn vị"],
                       "rows": [[name(x)] for x in first_rows(ids)[0]],
                       "total": [[f"{_units(len(ids), en)} {word}"]], "rows_total": len(ids),
                       "note": more_note(len(ids) - TABLE_ROWS, f"units.{key}", full, en,
                                         UNITS, "impact")})

    b = report.bodies
    if b.groups:
        # One row per body formed or absorbing: the district level merged up brings the new
        # council one group per district, which would be as many rows of one name.
        by_body: dict[str, list[str]] = {}
        for u, ins, _ in b.groups:
            into = by_body.setdefault(u, [])
            into.extend(i for i in ins if i not in into)
        ended_bodies = sum(len(ins) for ins in by_body.values())
        rows = [[name(u), "; ".join(name(i) for i in ins)]
                for u, ins in first_rows(list(by_body.items()))[0]]
        tables.append({
            "key": "bodies",
            "title": "Bodies of the areas brought together" if en else
                     "Cơ quan, tổ chức của các địa bàn được hợp nhất, sáp nhập",
            "num": [], "wide": True,
            "columns": ["Body (new, or the peer it merges into)" if en else
                        "Cơ quan (mới, hoặc cơ quan tiếp nhận)",
                        "From" if en else "Từ các cơ quan"],
            "rows": rows,
            "total": [[f"{_n(len(by_body), en)} {'bodies' if en else 'cơ quan'}",
                       f"{'from' if en else 'từ'} {_n(ended_bodies, en)} "
                       f"{'bodies' if en else 'cơ quan'}"]],
            "rows_total": len(by_body),
            "note": more_note(len(by_body) - TABLE_ROWS, "bodies.groups", full, en, BODIES,
                              "impact")})
    if b.unpaired:
        new = " (new)" if en else " (mới)"  # the new area often takes an old one's name
        rows = [[name(u), name(a), name(t) + (new if t in ch.added and not
                                                name(t).endswith(new) else "")]
                for u, a, t, _ in first_rows(b.unpaired)[0]]
        tables.append({
            "key": "unpaired",
            "title": "Bodies without a peer (moved as they are)" if en else
                     "Cơ quan, tổ chức không có cơ quan tương ứng (giữ nguyên, chuyển địa bàn)",
            "num": [], "wide": True,
            "columns": ["Body" if en else "Cơ quan", "From area" if en else "Từ địa bàn",
                        "To area" if en else "Sang địa bàn"],
            "rows": rows, "total": [[_n(len(b.unpaired), en), "", ""]],
            "rows_total": len(b.unpaired),
            "note": more_note(len(b.unpaired) - TABLE_ROWS, "bodies.unpaired", full, en,
                              BODIES, "impact")})

    f = report.functions
    # One row per function and unit: a function a unit takes over again and again (the
    # district level merged up brings the Organisation Board one duplicate per district)
    # is one row, held by the unit and every unit that brought it, its savings added up.
    rows = []
    held: list[Any] = [*_by_function_and_unit(f.duplicated), *f.nowhere]
    shown_held, more_held = first_rows(held)
    for item in shown_held:
        if not isinstance(item, tuple):  # a function no unit takes any more
            rows.append([function_word(item.function, lang), name(item.source),
                         "", "no unit left" if en else "không còn đơn vị nào"])
            continue
        (function, unit), ds = item
        savings = [d.saving for d in ds if d.saving is not None]
        applied = [d.saving for d in ds if d.saving is not None and d.saving_applied]
        cell = ("—" if not savings else _num(sum(applied), lang) if len(applied) == len(savings)
                else f"{_num(sum(applied), lang)} ({_num(sum(savings) - sum(applied), lang)})")
        rows.append([function_word(function, lang), name(unit),
                     _num(1 + sum(d.holders - 1 for d in ds), lang), cell])
    tables.append({"key": "functions",
                   "title": "Duplicated functions" if en else "Chức năng trùng lặp",
                   "num": [2, 3], "wide": True,
                   "columns": ["Function" if en else "Chức năng", "Unit" if en else "Đơn vị",
                               "Units holding it" if en else "Số đơn vị cùng giữ",
                               "Saving" if en else "Số giảm"],
                   "rows": rows, "total": [], "rows_total": len(held),
                   "note": "; ".join(x for x in (
                       not_applied if any(d.saving is not None and not d.saving_applied
                                          for d in f.duplicated) else "",
                       more_note(more_held, "functions.duplicated", full, en, ROWS, "impact"))
                       if x)})

    lead = report.leadership
    rows = [["Leadership posts" if en else "Chức danh lãnh đạo", _num(lead.before, lang),
             _num(lead.after, lang), _signed(lead.after - lead.before, lang)],
            _count_row("Party cells" if en else "Chi bộ", report.party_cells.count, lang),
            _count_row("Party committees" if en else "Cấp ủy, đảng bộ",
                       report.party_committees.count, lang),
            ["Widest span of control" if en else "Số đầu mối trực thuộc lớn nhất",
             _num(report.span.before.max, lang), _num(report.span.after.max, lang),
             _signed(report.span.after.max - report.span.before.max, lang)],
            _count_row("Levels" if en else "Số cấp", report.depth, lang)]
    tables.append({"key": "leadership", "fold": False,
                   "title": "Leadership, span, depth, Party cells" if en else
                   "Lãnh đạo, đầu mối, số cấp, tổ chức đảng", "columns": ba, "rows": rows,
                   "num": [1, 2, 3],
                   "total": [], "note": (f"{_n(lead.removed, en)} duplicated post(s) removed"
                                         if en else f"bỏ {_n(lead.removed, en)} chức danh trùng")
                   if lead.removed else ""})
    if lead.people_affected:
        tables.append({
            "key": "people",
            "title": "People whose post changes" if en else "Người có chức danh thay đổi",
            "num": [], "wide": True,
            "columns": ["Name" if en else "Họ tên", "Post" if en else "Chức danh",
                        "Unit" if en else "Đơn vị", "Change" if en else "Thay đổi"],
            "rows": [[p.name or p.person, role_word(p.role, lang), name(p.unit),
                      (f"{'moves to' if en else 'chuyển sang'} {name(p.to)}" if p.to else
                       ("post ends" if en else "thôi giữ chức danh"))
                      + (" (duplicated)" if en and p.duplicated else
                         " (trùng)" if p.duplicated else "")]
                     for p in first_rows(lead.people_affected)[0]], "total": [],
            "rows_total": len(lead.people_affected),
            "note": "; ".join(x for x in (
                _duplicated_note(lead.people_affected, en),
                more_note(len(lead.people_affected) - TABLE_ROWS, "leadership.people_affected",
                          full, en, PEOPLE, "impact")) if x)})
    if report.warnings:
        tables.append({"key": "warnings",
                       "title": "Warnings" if en else "Lưu ý", "columns": [""], "num": [],
                       "wide": True,
                       "rows": [[warning_text(w, name, lang)]
                                for w in first_rows(report.warnings)[0]],
                       "total": [], "rows_total": len(report.warnings),
                       "note": more_note(len(report.warnings) - TABLE_ROWS, "warnings", full,
                                         en, WARNINGS, "impact")})
    return tables


_ID = r"[A-Za-z0-9][A-Za-z0-9_.:-]*"
_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_IDS = rf"{_ID}(?:, {_ID})*"
#: The scenario engine's warnings (graph/scenarios/apply.py, impact.py), each as a pattern
#: and its words: (Vietnamese, English); {n} are the groups, read as the names of units
#: (ids), dates, counts (`#`) or text (see `warning_text`).
_WARNINGS: list[tuple[re.Pattern[str], str, tuple[str, str]]] = [
    (re.compile(rf"no headcount figure for ({_IDS}) on ({_DAY}): ({_ID})'s figure counts only "
                r"the others"), "udu",
     ("Chưa có số liệu biên chế của {0} tại ngày {1}: biên chế của {2} chỉ cộng các đơn vị "
      "còn lại", "No headcount figure for {0} on {1}: the figure of {2} counts only the others")),
    (re.compile(rf"headcount figures of ({_ID}) dated after ({_DAY}) \((.*)\) no longer apply "
                r"and are left out"), "udt",
     ("Số liệu biên chế của {0} ghi sau ngày {1} ({2}) không còn áp dụng và được bỏ qua",
      "Headcount figures of {0} dated after {1} ({2}) no longer apply and are left out")),
    (re.compile(rf"the headcount of ({_ID}) \((\d+)\) is divided evenly: (.*) \(give "
                r"`headcount` per new unit to choose\)"), "u#p",
     ("Biên chế của {0} ({1} người) được chia đều: {2} (ghi `headcount` cho từng đơn vị mới "
      "để tự chọn)", "The headcount of {0} ({1} people) is divided evenly: {2} (give "
      "`headcount` per new unit to choose)")),
    (re.compile(rf"no member holds ({_ID}) on ({_DAY}): the agency starts it as a new "
                r"function"), "fd",
     ("Không thành viên nào giữ chức năng “{0}” tại ngày {1}: cơ quan mới đảm nhiệm như một "
      "chức năng mới", "No member holds the function “{0}” on {1}: the agency starts it as a "
      "new function")),
    (re.compile(rf"recorded event ({_ID}) \((\w+) on ({_DAY})\) is overridden from ({_DAY}); "
                rf"the units it started \(({_IDS})\) stay in the baseline"), "teddu",
     ("Sự kiện đã ghi nhận {0} ({1} ngày {2}) bị thay thế từ ngày {3}; các đơn vị do sự kiện "
      "đó thành lập ({4}) vẫn giữ trong dữ liệu gốc",
      "Recorded event {0} ({1} on {2}) is overridden from {3}; the units it started ({4}) "
      "stay in the baseline")),
    (re.compile(rf"orphan: ({_ID}) is part of ({_ID}), which does not exist on ({_DAY})"), "uud",
     ("Đơn vị mồ côi: {0} trực thuộc {1}, đơn vị không tồn tại vào ngày {2}",
      "Orphan: {0} is part of {1}, which does not exist on {2}")),
    (re.compile(rf"orphan: ({_ID}) had a parent \(({_ID})\) and has none in the scenario"),
     "uu", ("Đơn vị mồ côi: {0} có cấp trên ({1}) nhưng không còn cấp trên nào trong phương án",
            "Orphan: {0} had a parent ({1}) and has none in the scenario")),
    (re.compile(rf"two parents: ({_ID}) is part of ({_ID}(?: and {_ID})*) on ({_DAY})"), "uad",
     ("Hai cấp trên: {0} trực thuộc cả {1} vào ngày {2}",
      "Two parents: {0} is part of {1} on {2}")),
    (re.compile(r"(\d+) (?:body names|bodies name) no area: taken as bodies of the area their "
                r"PART_OF chain reaches: (.+?)(?:, and (\d+) more)? \(give `area` in units\.csv "
                r"to say otherwise, or `bodies: keep`\)"), "#qm",
     ("{0} cơ quan không ghi địa bàn (`area`): được tính là cơ quan của địa bàn mà chuỗi trực "
      "thuộc dẫn đến: {1}{2} (ghi `area` trong units.csv nếu khác, hoặc `bodies: keep`)",
      "{0} bodies name no area: taken as bodies of the area their PART_OF chain reaches: "
      "{1}{2} (give `area` in units.csv to say otherwise, or `bodies: keep`)")),
    (re.compile(rf"({_ID}) brings together ({_IDS}), which hung under ({_IDS}): it hangs "
                rf"under ({_ID})"), "uuuu",
     ("{0} hợp nhất {1}, vốn trực thuộc các đơn vị khác nhau ({2}): đơn vị mới trực thuộc {3}",
      "{0} brings together {1}, which hung under {2}: it hangs under {3}")),
    (re.compile(rf"bodies: keep: (\d+) units keep an area that ends on ({_DAY}) \((.+)\); "
                rf"they are neither brought together nor moved to ({_ID})"), "#dtu",
     ("bodies: keep: {0} đơn vị giữ địa bàn chấm dứt ngày {1} ({2}); không được hợp nhất, "
      "cũng không chuyển sang {3}",
      "bodies: keep: {0} units keep an area that ends on {1} ({2}); they are neither brought "
      "together nor moved to {3}")),
    (re.compile(r"(\d+) names? (?:is|are) now borne by more than one unit under one parent: "
                r"(.+?)(?:; and (\d+) more)? \(rename one of each, e\.g\. with a `rename` "
                r"operation, so that they are told apart by name\)"), "nsM",
     ("{0} được dùng cho hơn một đơn vị cùng trực thuộc một cấp trên: {1}{2} (đổi tên "
      "một trong số đó, ví dụ bằng thao tác `rename`, để phân biệt theo tên)",
      "{0} now borne by more than one unit under one parent: {1}{2} (rename one "
      "of each, e.g. with a `rename` operation, so that they are told apart by name)")),
    (re.compile(rf"cycle: ({_ID}(?: → {_ID})*)"), "c",
     ("Vòng lặp trực thuộc: {0}", "A cycle of parents: {0}")),
]


def warning_text(text: str, name: Any, lang: str = "vi") -> str:
    """A warning of the scenario engine in the page's language, with the units' names for
    their ids and dates as dd/mm/yyyy (`name`: id -> name). A warning the page does not
    know keeps its words, with names and dates put in all the same."""
    from viz.i18n import event_word

    def count(value: str | None) -> str:
        return fmt_number(int(value or 0), lang)

    def part(kind: str, value: str | None) -> str:
        if kind == "#":
            return count(value)
        if kind == "u":
            return "; ".join(name(i) for i in value.split(", "))
        if kind == "d":
            return fmt_date(value)
        if kind == "f":
            return function_word(value, lang)
        if kind == "e":
            return event_word(value, lang)
        if kind == "a":  # "x and y"
            return (" và " if lang != "en" else " and ").join(name(i)
                                                             for i in value.split(" and "))
        if kind == "c":
            return " → ".join(name(i) for i in value.split(" → "))
        if kind == "q":  # "u (a), v (b)": a body and the area it is taken into
            return "; ".join(f"{name(u)} ({name(a)})" for u, a in
                             re.findall(rf"({_ID}) \(({_ID})\)", value))
        if kind == "m":  # ", and N more" (None: none more)
            return "" if value is None else (f", and {count(value)} more" if lang == "en"
                                             else f", và {count(value)} cơ quan khác")
        if kind == "n":  # a count of names, with its verb in English
            return (f"{count(value)} {'name is' if value == '1' else 'names are'}"
                    if lang == "en" else f"{count(value)} tên")
        if kind == "s":  # "'N' under P (p): u, v; ...": a name, its parent, the units
            en = lang == "en"
            return "; ".join(
                f"“{n}” ({_n(len(units.split(', ')), en)} {'units' if en else 'đơn vị'}) "
                f"{'under' if en else 'trực thuộc'} {name(p)}"
                for _, n, p, units in re.findall(
                    rf"(['\"])(.+?)\1 under .+? \(({_ID})\): ({_IDS})(?=; |$)", value))
        if kind == "M":  # "; and N more" (None: none more)
            return "" if value is None else (f"; and {count(value)} more" if lang == "en"
                                             else f"; và {count(value)} tên khác")
        if kind == "p":  # "a 3, b 2": a unit and its share
            return "; ".join(f"{name(i)}: {count(v) if v.isdigit() else v}" for i, _, v in
                             (x.rpartition(" ") for x in value.split(", ")))
        return re.sub(_DAY, lambda m: fmt_date(m.group(0)), value)
    for pattern, kinds, (vi, en) in _WARNINGS:
        m = pattern.fullmatch(text.strip())
        if m:
            values = [part(k, v) for k, v in zip(kinds, m.groups())]
            return (en if lang == "en" else vi).format(*values)
    return re.sub(rf"\b{_DAY}\b", lambda m: fmt_date(m.group(0)),
                  re.sub(rf"(?<![\w-]){_ID}(?![\w-])",
                         lambda m: name(m.group(0)) if "-" in m.group(0) else m.group(0), text))


def formula_words(how: str, lang: str = "vi") -> str:
    """The engine's formula of a saving with its units in the page's language:
    `(6 - 1) duplicates × 2 staff × 0.5` -> `(6 − 1) đơn vị trùng × 2 người × 0,5`,
    `5 posts × 1` -> `5 chức danh × 1 người` (graph/scenarios/impact.py writes them); its
    numbers written as the page writes them (`fmt_number`)."""
    en = lang == "en"
    how = how.replace(" - ", " − ")
    post = re.fullmatch(r"(\d+) posts? × ([\d.]+)", how)
    if post:
        n, k = post.groups()
        if en:
            text = f"{n} post{'s' if n != '1' else ''} × {k} {'person' if k == '1' else 'people'}"
        else:
            text = f"{n} chức danh × {k} người"
    elif en:
        text = how
    else:
        text = re.sub(r"\bstaff\b", "người", re.sub(r"\bduplicates?\b", "đơn vị trùng", how))
    return _FIGURE.sub(lambda m: fmt_number(float(m.group(0)) if "." in m.group(0)
                                            else int(m.group(0)), lang), text)


#: A figure in the engine's text: digits, maybe with a decimal point.
_FIGURE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def _duplicated_note(people: Any, en: bool) -> str:
    """What "(duplicated)" means, and what the plan leaves open: two holders of a post one
    person holds now hold it in one unit; who stays is not the plan's to say."""
    n = sum(1 for p in people if p.duplicated)
    if not n:
        return ""
    return (f"(duplicated), {_n(n, en)} people: a post one person holds (secretary, chair, head) has "
            "several holders in the unit they move to; the plan does not say who keeps it: "
            "the report counts the posts removed, not who leaves" if en else
            f"(trùng), {_n(n, en)} người: chức danh chỉ một người giữ (bí thư, chủ tịch, trưởng) có "
            "nhiều người cùng giữ ở đơn vị chuyển đến; phương án không nói ai được giữ lại: "
            "báo cáo chỉ tính số chức danh bỏ, không chỉ định người thôi giữ")


def _by_function_and_unit(duplicated: Any) -> list[tuple[tuple[str, str], list[Any]]]:
    """The duplicated functions of the report grouped by (function, unit), in the report's
    order."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for d in duplicated:
        groups.setdefault((d.function, d.unit), []).append(d)
    return list(groups.items())


def dates_line(report: ImpactReport | None, lang: str) -> str:
    """'Trước: ngày dd/mm/yyyy · Sau: ngày dd/mm/yyyy' for the report's two dates."""
    from viz.i18n import t
    if report is None:
        return ""
    return t("sides_dates", lang).format(before=fmt_date(report.at_before),
                                         after=fmt_date(report.at_after))
