"""A scenario's before and after, as two `Chart`s plus a readable change list (pure).

The diff (`graph.scenarios`) says which units were removed, added, merged, moved and
renamed; this module accepts its dict form tolerantly (ids or unit dicts, lists or
mappings) and fills in what it leaves out by comparing the two states on `at`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from graph.store import GraphReader
from viz.chart import Chart, LegendItem
from viz.orgchart import MAX_VISIBLE, build_org_chart
from viz.style import STATUS_STYLES

#: Order in which statuses win when a unit has several (a merged unit is also removed).
STATUS_ORDER = ("merged", "removed", "added", "merge_target", "moved", "renamed", "unchanged")


@dataclass
class Changes:
    removed: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    #: absorbed unit -> the unit it went into
    merged: dict[str, str] = field(default_factory=dict)
    #: unit -> (old parent, new parent)
    moved: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: unit (old id) -> (old name, new name, new id)
    renamed: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: split unit -> the units it was split into
    split: dict[str, list[str]] = field(default_factory=dict)

    @property
    def merge_targets(self) -> set[str]:
        return set(self.merged.values())

    def touched(self) -> set[str]:
        renamed_new = {v[2] for v in self.renamed.values()}
        return (self.removed | self.added | set(self.merged) | self.merge_targets
                | set(self.moved) | set(self.renamed) | renamed_new | set(self.split))


# -- reading the diff tolerantly -----------------------------------------------------------------
def _id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("id", "unit_id"):
            if isinstance(value.get(key), str):
                return value[key]
        if "unit" in value:
            return _id(value["unit"])
    return getattr(value, "id", None)


def _first(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if d.get(k) not in (None, ""):
            return d[k]
    return None


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [{"unit": k, "to": v} if not isinstance(v, dict) else {"unit": k, **v}
                for k, v in value.items()]
    return list(value)


def read_diff(diff: Any) -> Changes:
    """`Changes` from a diff dict (or an object with `as_dict()` / attributes)."""
    if diff is None:
        return Changes()
    if not isinstance(diff, dict):
        diff = diff.as_dict() if hasattr(diff, "as_dict") else vars(diff)
    ch = Changes()
    for item in _items(diff.get("removed")):
        if (uid := _id(item)):
            ch.removed.add(uid)
    for item in _items(diff.get("added")):
        if (uid := _id(item)):
            ch.added.add(uid)
    for item in _items(diff.get("merged")):
        if not isinstance(item, dict):
            continue
        into = _id(_first(item, "into", "to", "target", "output", "survivor"))
        sources = _first(item, "units", "inputs", "from_units", "absorbed")
        sources = ([_id(s) for s in sources] if isinstance(sources, (list, tuple))
                   else [_id(_first(item, "unit", "from", "id", "source"))])
        for s in sources:
            if s and into and s != into:
                ch.merged[s] = into
    for item in _items(diff.get("moved")):
        if not isinstance(item, dict):
            continue
        uid = _id(_first(item, "unit", "id", "unit_id"))
        if uid:
            ch.moved[uid] = (_id(_first(item, "from", "old_parent", "before")),
                             _id(_first(item, "to", "new_parent", "parent", "after")))
    for item in _items(diff.get("renamed")):
        if not isinstance(item, dict):
            continue
        uid = _id(_first(item, "unit", "id", "unit_id", "old_id"))
        if not uid:
            continue
        old = _first(item, "old_name", "from", "before", "old")
        new = _first(item, "new_name", "to", "after", "new", "name")
        new_id = _id(_first(item, "new_id", "successor")) or uid
        ch.renamed[uid] = (_text(old), _text(new), new_id)
    for item in _items(diff.get("split")):
        if not isinstance(item, dict):
            continue
        uid = _id(_first(item, "unit", "id", "input"))
        parts = _first(item, "into", "outputs", "parts")
        if uid and isinstance(parts, (list, tuple)):
            ch.split[uid] = [p for p in (_id(x) for x in parts) if p]
    return ch


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return "" if value is None else str(value)


def derive_changes(before: GraphReader, after: GraphReader, at: dt.date | None,
                   ids: Iterable[str] | None = None) -> Changes:
    """Compare the two states on `at` (over `ids`, default every unit in either)."""
    if ids is None:
        before_ids = {u.id for u in before.units(at)}
        after_ids = {u.id for u in after.units(at)}
        ch = Changes(removed=before_ids - after_ids, added=after_ids - before_ids)
        scope = before_ids & after_ids
    else:
        ch = Changes()
        scope = {uid for uid in ids if _exists(before, uid, at) and _exists(after, uid, at)}
    for uid in scope:
        old_parent, new_parent = before.parent(uid, at), after.parent(uid, at)
        if old_parent != new_parent:
            ch.moved[uid] = (old_parent, new_parent)
        ub, ua = before.get_unit(uid), after.get_unit(uid)
        if ub and ua and ub.name != ua.name:
            ch.renamed[uid] = (ub.name, ua.name, uid)
    return ch


def _exists(reader: GraphReader, uid: str, at: dt.date | None) -> bool:
    unit = reader.get_unit(uid)
    return unit is not None and unit.valid_at(at)


def complete_changes(diff: Any, before: GraphReader, after: GraphReader,
                     at: dt.date | None) -> Changes:
    """The diff's changes, completed by comparing the states (the diff wins)."""
    given = read_diff(diff)
    if diff is None:
        found = derive_changes(before, after, at)
    else:  # trust the diff; only look for moves and renames among the units it names
        found = derive_changes(before, after, at, ids=given.touched())
        found.removed, found.added = set(), set()
    ch = Changes(removed=given.removed | found.removed, added=given.added | found.added,
                 merged=dict(given.merged), moved={**found.moved, **given.moved},
                 renamed={**found.renamed, **given.renamed}, split=dict(given.split))
    # A rename to a new id shows as removed + added: keep it as one rename.
    for old, (_, _, new) in ch.renamed.items():
        if new != old:
            ch.removed.discard(old)
            ch.added.discard(new)
    for src in ch.merged:
        ch.removed.discard(src)
    return ch


def status_of(uid: str, ch: Changes, side: str) -> str:
    """The status a unit shows on the `before` or `after` side."""
    if side == "before":
        if uid in ch.merged:
            return "merged"
        if uid in ch.removed:
            return "removed"
    else:
        if uid in ch.added:
            return "added"
        if uid in ch.merge_targets:
            return "merge_target"
    if uid in ch.moved:
        return "moved"
    renamed_new = {v[2]: k for k, v in ch.renamed.items()}
    if uid in ch.renamed or uid in renamed_new:
        return "renamed"
    if side == "before" and uid in ch.merge_targets:
        return "merge_target"
    return "unchanged"


# -- choosing what to draw -----------------------------------------------------------------------
def _ancestors(reader: GraphReader, uid: str, at: dt.date | None) -> list[str]:
    return [uid, *reader.ancestors(uid, at)]  # the one walk: GraphReader.ancestors


def scenario_root(before: GraphReader, after: GraphReader, at: dt.date | None,
                  ch: Changes) -> str | None:
    """The lowest unit, present on both sides, whose subtree holds every changed unit."""
    chains = []
    for uid in sorted(ch.touched()):
        for reader in (before, after):
            unit = reader.get_unit(uid)
            if unit is not None and unit.valid_at(at):
                chains.append(_ancestors(reader, uid, at))
    if not chains:
        return None
    common = [u for u in chains[0]
              if all(u in c for c in chains[1:])
              and before.get_unit(u) is not None and after.get_unit(u) is not None
              and before.get_unit(u).valid_at(at) and after.get_unit(u).valid_at(at)]
    if common:
        root = common[0]
        # Show the context one level up when the common unit is itself changed.
        if root in ch.touched():
            up = before.parent(root, at)
            if up is not None and after.get_unit(up) is not None:
                return up
        return root
    return None


def _restyle(chart: Chart, ch: Changes, side: str, other: GraphReader,
             at: dt.date | None) -> None:
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
        node["borderWidth"] = 1.5 if status == "unchanged" else 3
        if status == "removed" or status == "merged":
            node["shapeProperties"] = {"borderDashes": [5, 3]}
        node["info"] = [["Change", style["label"]]] + node["info"] + _change_rows(node["id"], ch,
                                                                                 other)
        node["href"] = None  # scenario states have no chart page of their own
    chart.meta["status_counts"] = counts


def _change_rows(uid: str, ch: Changes, reader: GraphReader) -> list[list[str]]:
    rows = []
    if uid in ch.merged:
        rows.append(["Merged into", _name(reader, ch.merged[uid])])
    absorbed = sorted(s for s, t in ch.merged.items() if t == uid)
    if absorbed:
        rows.append(["Absorbs", "; ".join(_name(reader, s) for s in absorbed)])
    if uid in ch.moved:
        old, new = ch.moved[uid]
        rows.append(["Parent before", _name(reader, old) if old else "none"])
        rows.append(["Parent after", _name(reader, new) if new else "none"])
    for old_id, (old, new, new_id) in ch.renamed.items():
        if uid in (old_id, new_id):
            rows.append(["Renamed", f"{old or old_id} → {new or new_id}"])
    return rows


def _name(reader: GraphReader, uid: str | None) -> str:
    if uid is None:
        return "none"
    unit = reader.get_unit(uid)
    return unit.name if unit else uid


def change_lines(ch: Changes, before: GraphReader, after: GraphReader) -> list[tuple[str, str]]:
    """The changes as (status, sentence) pairs, for the list beside the charts."""
    def name(uid: str | None) -> str:
        if uid is None:
            return "none"
        unit = before.get_unit(uid) or after.get_unit(uid)
        return unit.name if unit else uid
    lines = []
    for uid in sorted(ch.merged):
        lines.append(("merged", f"{name(uid)} merged into {name(ch.merged[uid])}"))
    for uid in sorted(ch.removed):
        lines.append(("removed", f"{name(uid)} removed"))
    for uid in sorted(ch.added):
        lines.append(("added", f"{name(uid)} added"))
    for uid, (old, new) in sorted(ch.moved.items()):
        lines.append(("moved", f"{name(uid)} moved from {name(old)} to {name(new)}"))
    for uid, (old, new, new_id) in sorted(ch.renamed.items()):
        lines.append(("renamed", f"{old or name(uid)} renamed {new or name(new_id)}"))
    for uid, parts in sorted(ch.split.items()):
        lines.append(("removed", f"{name(uid)} split into {'; '.join(name(p) for p in parts)}"))
    return lines


def _arrow(d: Any, before: str = "before", after: str = "after") -> str | None:
    if not isinstance(d, dict) or before not in d or after not in d:
        return None
    b, a = d[before], d[after]
    text = f"{_fmt(b)} → {_fmt(a)}"
    if isinstance(b, (int, float)) and isinstance(a, (int, float)):
        change = a - b
        text += f" ({change:+g})" if change else " (no change)"
    return text


def impact_summary(impact: Any) -> list[tuple[str, str]]:
    """The headline figures of an impact report (graph.scenarios.impact), as text rows;
    a report of another shape falls back to `impact_rows`."""
    if impact is None:
        return []
    if not isinstance(impact, dict):
        impact = impact.as_dict() if hasattr(impact, "as_dict") else vars(impact)
    rows: list[tuple[str, str]] = []
    known = False
    if (t := _arrow(impact.get("units"))):
        rows.append(("Units", t))
        known = True
    hc = impact.get("headcount")
    if isinstance(hc, dict):
        known = True
        if (t := _arrow(hc)):
            rows.append(("Headcount", t))
        if hc.get("saving_total"):
            rows.append(("Savings", f"{_fmt(hc['saving_total'])} (after the recorded "
                                    f"{_fmt(hc.get('after_recorded'))})"))
        for saving in hc.get("savings") or ():
            if isinstance(saving, dict):
                what = saving.get("function") or saving.get("role")
                rows.append(("· saving", f"{_fmt(saving.get('amount'))}: {saving.get('reason', '')}"
                                         + (f" ({what})" if what else "")
                                         + f" in {saving.get('unit', '?')}"
                                         + (f": {saving['how']}" if saving.get("how") else "")))
        missing = hc.get("units_without_figure")
        if isinstance(missing, dict) and (missing.get("before") or missing.get("after")):
            rows.append(("Units without a headcount", _arrow(missing) or _fmt(missing)))
    lead = impact.get("leadership")
    if isinstance(lead, dict) and (t := _arrow(lead)):
        known = True
        rows.append(("Leadership posts", t + (f"; {lead['removed']} duplicate removed"
                                               if lead.get("removed") else "")))
    party = impact.get("party")
    if isinstance(party, dict):
        for key, label in (("cells", "Party cells"), ("committees", "Party committees")):
            if (t := _arrow(party.get(key))):
                known = True
                rows.append((label, t))
    span = impact.get("span")
    if isinstance(span, dict):
        b, a = span.get("before"), span.get("after")
        if isinstance(b, dict) and isinstance(a, dict) and "max" in b and "max" in a:
            known = True
            rows.append(("Widest span of control", f"{b['max']} → {a['max']}"))
    if (t := _arrow(impact.get("depth"))):
        rows.append(("Levels", t))
    funcs = impact.get("functions")
    if isinstance(funcs, dict):
        if funcs.get("duplicated"):
            rows.append(("Duplicated functions", str(len(funcs["duplicated"]))))
        if funcs.get("nowhere"):
            rows.append(("Functions left with no unit", "; ".join(
                _fmt(f.get("function") if isinstance(f, dict) else f) for f in funcs["nowhere"])))
    for warning in impact.get("warnings") or ():
        rows.append(("Warning", _fmt(warning)))
    if not known:
        return impact_rows(impact)
    return rows


def impact_rows(impact: Any) -> list[tuple[str, str]]:
    """An impact summary of any shape as (label, text) rows (numbers, lists, nested dicts)."""
    if impact is None:
        return []
    if not isinstance(impact, dict):
        impact = impact.as_dict() if hasattr(impact, "as_dict") else vars(impact)
    rows: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if isinstance(value, dict):
            if all(not isinstance(v, (dict, list, tuple)) for v in value.values()) and len(value) <= 8:
                rows.append((label, ", ".join(f"{k.replace('_', ' ')}: {_fmt(v)}"
                                              for k, v in value.items())))
            else:
                for k, v in value.items():
                    add(f"{label} · {str(k).replace('_', ' ')}", v)
        elif isinstance(value, (list, tuple)):
            shown = [_fmt(v) for v in value[:12]]
            more = f" … (+{len(value) - 12})" if len(value) > 12 else ""
            rows.append((label, ("; ".join(shown) + more) if shown else "none"))
        else:
            rows.append((label, _fmt(value)))
    for key, value in impact.items():
        add(str(key).replace("_", " "), value)
    return rows


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("name", "id", "unit", "message", "text"):
            if key in value and not isinstance(value[key], (dict, list)):
                extra = {k: v for k, v in value.items() if k != key and not isinstance(v, (dict, list))}
                tail = ", ".join(f"{k}: {v}" for k, v in list(extra.items())[:4])
                return f"{value[key]}" + (f" ({tail})" if tail else "")
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    if value is None:
        return "—"
    return str(value)


def build_scenario_charts(before: GraphReader, after: GraphReader, root_id: str | None,
                          at: dt.date | None, diff: Any = None, *,
                          max_nodes: int = MAX_VISIBLE, prefix: str = "",
                          changes: Changes | None = None, lang: str = "vi"
                          ) -> tuple[Chart, Chart, Changes]:
    """The before and after charts under `root_id` (None: chosen from the changes)."""
    ch = changes if changes is not None else complete_changes(diff, before, after, at)
    if root_id is None:
        root_id = scenario_root(before, after, at, ch)
    charts = []
    for side, reader, other in (("before", before, after), ("after", after, before)):
        chart = _side_chart(reader, side, root_id, at, ch, max_nodes, prefix, lang)
        _restyle(chart, ch, side, other if side == "after" else after, at)
        charts.append(chart)
    legend = [LegendItem(STATUS_STYLES[s]["label"], STATUS_STYLES[s]["colour"],
                         STATUS_STYLES[s]["border"]) for s in
              ("unchanged", "removed", "merged", "merge_target", "added", "moved", "renamed")]
    for chart in charts:
        chart.legend = legend
    return charts[0], charts[1], ch


def _side_chart(reader: GraphReader, side: str, root_id: str | None, at: dt.date | None,
                ch: Changes, max_nodes: int, prefix: str, lang: str = "vi") -> Chart:
    title = "Before" if side == "before" else "After"
    root = root_id
    unit = reader.get_unit(root) if root else None
    if unit is None or not unit.valid_at(at):
        # The root itself went away on this side: follow its merge or rename.
        renamed = {k: v[2] for k, v in ch.renamed.items()}
        for mapping in (ch.merged, renamed):
            if root in mapping:
                root = mapping[root]
                break
        unit = reader.get_unit(root) if root else None
    if unit is None or not unit.valid_at(at):
        return Chart(kind="scenario", title=title,
                     notices=[f"No unit to draw on the {side} side."],
                     meta={"root": {"id": root_id or "", "name": ""}, "at": str(at), "total": 0})
    chart = build_org_chart(reader, root, at, max_nodes=max_nodes, prefix=prefix, lang=lang)
    chart.kind = "scenario"
    chart.title = title
    return chart


# -- the impact report as tables ------------------------------------------------------------------
def _as_dict(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    if isinstance(report, dict):
        return report
    for name in ("to_dict", "as_dict"):
        if hasattr(report, name):
            return getattr(report, name)()
    return dict(vars(report))


def _cell(value: Any) -> str:
    """A table cell as text: numbers, names; a nested value as short text, never a repr."""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value) or "—"
    return _fmt(value)


def _count_row(label: str, d: Any) -> list[str] | None:
    if not isinstance(d, dict) or "before" not in d or "after" not in d:
        return None
    b, a = d["before"], d["after"]
    change = d.get("change")
    if change is None and isinstance(b, (int, float)) and isinstance(a, (int, float)):
        change = a - b
    return [label, _cell(b), _cell(a), f"{change:+g}" if isinstance(change, (int, float)) else "—"]


def impact_tables(impact: Any, before: GraphReader, after: GraphReader,
                  lang: str = "vi") -> list[dict[str, Any]]:
    """The impact report (graph.scenarios.impact, its `to_dict()` shape) as tables whose
    totals add up: {"title", "columns", "rows", "total", "note"}; cells are text."""
    from viz.i18n import kind_word, level_word, role_word
    r = _as_dict(impact)
    if not r:
        return []
    en = lang == "en"

    def name(uid: Any) -> str:
        if not isinstance(uid, str):
            return _cell(uid)
        unit = before.get_unit(uid) or after.get_unit(uid)
        return unit.name if unit else uid

    ba = ["", "Before" if en else "Trước", "After" if en else "Sau", "Change" if en else "Thay đổi"]
    tables: list[dict[str, Any]] = []
    hc = r.get("headcount")
    if isinstance(hc, dict):
        savings = [s for s in hc.get("savings") or () if isinstance(s, dict)]
        rows = [[("Headcount before" if en else "Biên chế trước"), _cell(hc.get("before")), "", ""],
                [("After the operations (recorded figures)" if en else
                  "Sau sắp xếp (theo số liệu ghi nhận)"), _cell(hc.get("after_recorded")), "", ""]]
        applied_total = 0
        for s in savings:
            what = s.get("function") or role_word(s.get("role"), lang) or ""
            applied = bool(s.get("applied", True))
            amount = s.get("amount") or 0
            if applied:
                applied_total += amount
            rows.append([f"− {s.get('reason', '')}" + (f" ({what})" if what else ""),
                         name(s.get("unit")),
                         _cell(amount) if applied else f"({_cell(amount)})",
                         ("applied" if en else "áp dụng") if applied else
                         ("not applied: no figure to cut" if en else "không áp dụng: chưa có số liệu")])
        total = hc.get("saving_total", applied_total)
        tables.append({
            "title": "Headcount" if en else "Biên chế",
            "columns": ["", "Unit" if en else "Đơn vị", "Amount" if en else "Số lượng", ""],
            "rows": rows,
            "total": [[("Savings applied (total)" if en else "Tổng tiết kiệm được áp dụng"), "",
                       _cell(total), ""],
                      [("Headcount after" if en else "Biên chế sau"), "", _cell(hc.get("after")),
                       f"{hc.get('change'):+g}" if isinstance(hc.get("change"), (int, float)) else ""]],
            "note": (f"{_cell(hc.get('after_recorded'))} − {_cell(total)} = {_cell(hc.get('after'))}"),
        })
        assumptions = r.get("assumptions")
        if isinstance(assumptions, dict) and assumptions:
            tables.append({"title": "Assumptions" if en else "Giả định",
                           "columns": ["", ""], "rows": [[str(k).replace("_", " "), _cell(v)]
                                                         for k, v in assumptions.items()],
                           "total": [], "note": ""})
    units = r.get("units")
    if isinstance(units, dict):
        rows = [row for row in [_count_row("Units" if en else "Số đơn vị", units)] if row]
        for k, c in (units.get("by_kind") or {}).items():
            if (row := _count_row("· " + kind_word(k, lang), c)):
                rows.append(row)
        tables.append({"title": "Units" if en else "Đơn vị", "columns": ba, "rows": rows,
                       "total": [], "note": ""})
        ended = [name(u) for u in units.get("ended") or ()]
        started = [name(u) for u in units.get("started") or ()]
        tables.append({"title": "Units ended and started" if en else "Đơn vị kết thúc và thành lập",
                       "columns": ["Ended" if en else "Kết thúc", "Started" if en else "Thành lập"],
                       "rows": [[ended[i] if i < len(ended) else "", started[i] if i < len(started) else ""]
                                for i in range(max(len(ended), len(started)))],
                       "total": [[f"{len(ended)}", f"{len(started)}"]], "note": ""})
    funcs = r.get("functions")
    if isinstance(funcs, dict):
        rows = []
        for d in funcs.get("duplicated") or ():
            if isinstance(d, dict):
                rows.append([_cell(d.get("function")), "; ".join(name(u) for u in d.get("units") or ())])
            else:
                rows.append([_cell(d), ""])
        for f in funcs.get("nowhere") or ():
            fn = f.get("function") if isinstance(f, dict) else f
            rows.append([_cell(fn), "no unit left" if en else "không còn đơn vị nào"])
        tables.append({"title": "Duplicated functions" if en else "Chức năng trùng lặp",
                       "columns": ["Function" if en else "Chức năng", "Units" if en else "Đơn vị"],
                       "rows": rows, "total": [], "note": ""})
    rows = []
    lead = r.get("leadership")
    if isinstance(lead, dict) and (row := _count_row("Leadership posts" if en else "Chức danh lãnh đạo", lead)):
        rows.append(row)
    party = r.get("party") or {}
    for key, label in (("cells", "Party cells" if en else "Chi bộ"),
                       ("committees", "Party committees" if en else "Cấp ủy, đảng bộ")):
        if (row := _count_row(label, party.get(key))):
            rows.append(row)
    span = r.get("span")
    if isinstance(span, dict) and isinstance(span.get("before"), dict):
        rows.append(_count_row("Widest span of control" if en else "Số đầu mối trực thuộc lớn nhất",
                               {"before": span["before"].get("max"), "after": span["after"].get("max")}))
    if (row := _count_row("Levels" if en else "Số cấp", r.get("depth"))):
        rows.append(row)
    if rows:
        tables.append({"title": "Leadership, span, depth, Party cells" if en else
                       "Lãnh đạo, đầu mối, số cấp, tổ chức đảng", "columns": ba,
                       "rows": [x for x in rows if x], "total": [], "note": ""})
    warnings = [_cell(w) for w in r.get("warnings") or ()]
    if warnings:
        tables.append({"title": "Warnings" if en else "Lưu ý", "columns": [""],
                       "rows": [[w] for w in warnings], "total": [], "note": ""})
    return tables


def tree_roots(before: GraphReader, after: GraphReader, at: dt.date | None,
               ch: Changes) -> list[str]:
    """The top unit of each tree a change touches (a scenario across two trees draws two
    pairs of charts), in a stable order."""
    from graph.queries.structure import ancestors
    tops: list[str] = []
    for uid in sorted(ch.touched()):
        for reader in (before, after):
            unit = reader.get_unit(uid)
            if unit is None or not unit.valid_at(at):
                continue
            chain = ancestors(reader, uid, at)
            top = chain[-1].id if chain else uid
            if top not in tops and _exists(before, top, at) and _exists(after, top, at):
                tops.append(top)
    return tops


def build_scenario_pairs(before: GraphReader, after: GraphReader, root_id: str | None,
                         at: dt.date | None, diff: Any = None, *, max_nodes: int = MAX_VISIBLE,
                         prefix: str = "", lang: str = "vi"
                         ) -> tuple[list[tuple[Chart, Chart]], Changes]:
    """One (before, after) pair per tree the changes touch (one pair under `root_id`,
    or under the lowest unit holding every change when there is one)."""
    ch = complete_changes(diff, before, after, at)
    roots = [root_id] if root_id else []
    if not roots:
        common = scenario_root(before, after, at, ch)
        roots = [common] if common else tree_roots(before, after, at, ch)
    pairs = []
    for root in roots[:6] or [None]:
        b, a, _ = build_scenario_charts(before, after, root, at, diff, max_nodes=max_nodes,
                                        prefix=prefix, changes=ch, lang=lang)
        pairs.append((b, a))
    return pairs, ch
