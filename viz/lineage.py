"""How a unit came to be and what it became, as a `Chart` laid out in time (pure).

Units are columns left to right by the date they came out of a lineage event
(units with no such event in view stand in the first column); events are the
labelled edges (date, type, basis document) from each input to each output.
"""

from __future__ import annotations

from typing import Any

from graph.errors import NotFound
from graph.store import GraphReader
from viz.chart import Chart, LegendItem, lineage_href, static_options, timeline_href, unit_href
from viz.documents import basis_refs
from viz.event_text import event_sentence, is_generated
from viz.i18n import event_word, fmt_date, kind_word, t
from viz.layout import column_positions
from viz.network import ChartNetwork
from viz.orgchart import heads_of, kind_groups, short_label, unit_info, unit_node_options
from viz.style import KIND_COLOURS, kind_colour

EVENT_COLOURS = {"MERGE": "#6a1b9a", "CONSOLIDATE": "#1565c0", "SPLIT": "#e65100",
                 "RENAME": "#2e7d32"}


def lineage_of(reader: GraphReader, unit_id: str) -> dict[str, Any]:
    """`graph.queries.lineage.lineage` (predecessors and successors with their events)."""
    from graph.queries.lineage import lineage
    return lineage(reader, unit_id)


def _edge_label(date: str, type_: str, basis: list[str], lang: str = "vi") -> str:
    return (f"{fmt_date(date)} · {event_word(type_, lang)}"
            + (f"\n{', '.join(basis)}" if basis else ""))


def build_lineage_chart(reader: GraphReader, unit_id: str,
                        data: dict[str, Any] | None = None, *, prefix: str = "",
                        lang: str = "vi") -> Chart:
    """The lineage chart of `unit_id`; `data` is the `graph.queries.lineage.lineage` answer."""
    focal = reader.get_unit(unit_id)
    if focal is None:
        raise NotFound(f"no unit with id {unit_id!r}")
    if data is None:
        data = lineage_of(reader, unit_id)
    units: dict[str, dict[str, Any]] = {unit_id: focal.as_dict()}
    roles: dict[str, str] = {unit_id: "this unit"}
    event_ids: dict[str, dict[str, Any]] = {}
    for side, role in (("predecessors", "predecessor"), ("successors", "successor")):
        for item in data.get(side) or ():
            unit = item.get("unit") or {}
            uid = unit.get("id")
            if not uid:
                continue
            units.setdefault(uid, unit)
            roles.setdefault(uid, f"{role} (step {item.get('depth', '?')})")
            ev = item.get("event") or {}
            if ev.get("id"):
                event_ids.setdefault(ev["id"], ev)

    # Edges: every input -> output pair of each event, both ends in view.
    edges: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    start: dict[str, Any] = {}
    for eid in event_ids:
        ev = reader.get_event(eid)
        if ev is None:
            continue
        date_key = ev.date.first_day()
        refs = basis_refs(reader, ev.basis)
        told = event_sentence(reader, ev, lang)
        basis_codes = [d["code"] for d in refs]
        basis_rows = [["Basis", d["text"]] for d in refs]
        info = ([[t("events", lang), ev.id], [t("date", lang), fmt_date(str(ev.date))],
                 [t("type", lang), event_word(ev.type, lang)]] + basis_rows
                + ([[t("description", lang), told]] if told else [])
                + ([["Source", ev.source]] if ev.source else []))
        pairs = [(i, o) for i in ev.inputs for o in ev.outputs if i in units and o in units
                 and i != o]
        for i, o in pairs:
            edges.append({"from": i, "to": o, "type": ev.type, "event": ev.id,
                          "label": _edge_label(str(ev.date), ev.type, basis_codes, lang),
                          "arrows": "to", "width": 2,
                          "color": {"color": EVENT_COLOURS.get(ev.type, "#455a64")},
                          "font": {"size": 11, "background": "#ffffff", "strokeWidth": 0,
                                   "align": "horizontal"},
                          "smooth": {"enabled": True, "type": "cubicBezier",
                                     "forceDirection": "horizontal", "roundness": 0.4},
                          "info": info})
        for o in ev.outputs:
            if o in units and any(i in units for i in ev.inputs):
                if o not in start or start[o][0] < date_key:
                    start[o] = (date_key, str(ev.date))
        events.append({"id": ev.id, "date": fmt_date(str(ev.date)),
                       "type": event_word(ev.type, lang),
                       "inputs": [_name(reader, units, i) for i in ev.inputs],
                       "outputs": [_name(reader, units, o) for o in ev.outputs],
                       "basis": [r[1] for r in basis_rows], "basis_refs": refs,
                       "description": told,
                       "recorded": ev.description if is_generated(ev) else "",
                       "sort": date_key})
    events.sort(key=lambda e: (e["sort"], e["id"]))
    for e in events:
        del e["sort"]

    # Columns by start date, ordered to limit crossings (barycentre of the inputs' rows).
    keys = sorted({v for v in start.values()})
    column_of = {uid: (keys.index(start[uid]) + 1 if uid in start else 0) for uid in units}
    n_cols = (len(keys) + 1) if keys else 1
    has_origin = any(c == 0 for c in column_of.values())
    columns: list[list[str]] = [[] for _ in range(n_cols)]
    for uid, col in column_of.items():
        columns[col].append(uid)
    row: dict[str, float] = {}
    incoming: dict[str, list[str]] = {}
    for e in edges:
        incoming.setdefault(e["to"], []).append(e["from"])
    for col in columns:
        def bary(uid: str) -> tuple:
            rows = [row[p] for p in incoming.get(uid, ()) if p in row]
            return (sum(rows) / len(rows) if rows else 0.0, units[uid].get("name", uid), uid)
        col.sort(key=bary)
        for r, uid in enumerate(col):
            row[uid] = r - (len(col) - 1) / 2
    if not has_origin:  # no unit before the first event: drop the empty first column
        columns = columns[1:]
    positions = column_positions(columns, x_gap=300, y_gap=120)
    axis = []
    for ci, column in enumerate(columns if edges else ()):
        if not column:
            continue
        key_index = ci if not has_origin else ci - 1
        label = fmt_date(keys[key_index][1]) if key_index >= 0 else t("before", lang)
        axis.append({"x": positions[column[0]][0], "label": label})

    net = ChartNetwork(static_options())
    kinds = set()
    for uid, unit in units.items():
        info = unit_info(unit, None, heads_of(reader, uid, None, lang),
                         [[t("lineage", lang), _role_text(roles[uid], lang)]],
                         show_headcount=False, lang=lang)
        options = unit_node_options(unit, None, info,
                                    None if uid == unit_id else lineage_href(uid, prefix, lang),
                                    role=roles[uid], shape="dot",
                                    size=22 if uid == unit_id else 14)
        options.pop("shapeProperties", None)
        # A dot's label is drawn under it, on the white canvas: the kind group's text colour
        # (white on dark fills) would not show.
        options["font"] = {"color": "#212121"}
        kinds.add(unit.get("kind") or "other")
        if uid == unit_id:
            options["borderWidth"] = 4
            fill = kind_colour(unit.get("kind") or "other")
            options["color"] = {"background": fill, "border": "#000000",
                                "highlight": {"background": fill, "border": "#000000"}}
        options["x"], options["y"] = positions[uid]
        net.add_unit(uid, short_label(unit.get("name") or uid), **options)
    for e in edges:
        e = dict(e)
        net.add_edge(e.pop("from"), e.pop("to"), **e)
    kinds_sorted = sorted(kinds, key=lambda k: (list(KIND_COLOURS).index(k)
                                                if k in KIND_COLOURS else 99, k))
    legend = [LegendItem(kind_word(k, lang), kind_colour(k)) for k in kinds_sorted]
    legend += [LegendItem(event_word(ty, lang), c, shape="edge")
               for ty, c in EVENT_COLOURS.items() if any(e["type"] == ty for e in edges)]
    notices = []
    if len(units) == 1:
        notices.append("Không có sự kiện sáp nhập, hợp nhất, chia tách hay đổi tên nào liên quan "
                       "đến đơn vị này." if lang != "en" else
                       "No merge, consolidation, split or rename involves this unit: it has "
                       "no recorded predecessor or successor.")
    net.options["groups"] = kind_groups(kinds)
    payload = net.payload()
    return Chart(kind="lineage", title=f"{t('lineage', lang)}: {focal.name}",
                 nodes=payload["nodes"], edges=payload["edges"], options=payload["options"],
                 legend=legend, notices=notices, axis=axis, network=net,
                 meta={"root": focal.as_dict(), "events": events,
                       "predecessors": sum(1 for r in roles.values() if r.startswith("pred")),
                       "successors": sum(1 for r in roles.values() if r.startswith("succ")),
                       "chart_href": unit_href(unit_id, prefix=prefix, lang=lang),
                       "timeline_href": timeline_href(unit_id, prefix, lang)})


def _name(reader: GraphReader, units: dict[str, dict[str, Any]], uid: str) -> str:
    unit = units.get(uid)
    if unit:
        return unit.get("name") or uid
    other = reader.get_unit(uid)
    return other.name if other else uid


def _role_text(role: str, lang: str) -> str:
    if lang == "en":
        return role
    return (role.replace("this unit", "đơn vị này").replace("predecessor", "tiền thân")
            .replace("successor", "kế thừa").replace("step", "bước"))
