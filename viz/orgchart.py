"""The org chart under a unit as of a date, as a `Chart` (pure: reads, never renders).

The structure comes from `graph.queries.subtree` (the same query the API answers),
so the page draws exactly the units the API returns. Beyond `max_nodes` units the
deeper levels are collapsed into cluster nodes, one per unit whose children were
hidden; clicking a cluster opens that unit's own chart.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from graph.model import LEADERSHIP_ROLES
from graph.store import GraphReader
from viz.chart import Chart, LegendItem, static_options, unit_href
from viz.layout import tree_positions
from viz.style import (CLUSTER_BORDER, CLUSTER_COLOUR, EDGE_COLOURS, EDGE_DASHES, EDGE_LABELS,
                       KIND_COLOURS, kind_colour, kind_label, node_size)

#: Beyond this many units the chart collapses its deeper levels into cluster nodes.
MAX_VISIBLE = 2500

ROLE_ORDER = ("secretary", "chair", "head", "standing_deputy_secretary", "deputy_secretary",
              "vice_chair", "deputy_head")
CROSS_TYPES = ("SERVES", "GUIDED_BY")


def subtree_of(reader: GraphReader, root_id: str, at: dt.date | None,
               depth: int | None = None) -> dict[str, Any]:
    """The nested structure under `root_id` on `at` (graph.queries.subtree)."""
    try:
        from graph.queries import subtree
    except ImportError:  # TEMPORARY until graph.queries lands
        return _fallback_subtree(reader, root_id, at, depth)
    return subtree(reader, root_id, at, depth=depth)


def _fallback_subtree(reader: GraphReader, root_id: str, at: dt.date | None,
                      depth: int | None) -> dict[str, Any]:
    from graph.errors import NotFound
    unit = reader.get_unit(root_id)
    if unit is None or not unit.valid_at(at):
        raise NotFound(f"no unit with id {root_id!r} on {at}")

    def node(u, level):
        hcs = [h for h in reader.headcounts(u.id) if at is None or h.date.first_day() <= at]
        kids = []
        if depth is None or level < depth:
            kids = [node(c, level + 1) for c in
                    reader.get_units(reader.children(u.id, at)).values() if c.valid_at(at)]
        return {"unit": u.as_dict() | {"parent": reader.parent(u.id, at)},
                "headcount": hcs[-1].headcount if hcs else None, "children": kids}
    return node(unit, 0)


def count_tree(tree: dict[str, Any]) -> int:
    """Number of units in a nested subtree (the root included)."""
    total, stack = 0, [tree]
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node.get("children") or ())
    return total


def heads_of(reader: GraphReader, unit_id: str, at: dt.date | None) -> list[str]:
    """`Name (role)` of the people holding a leadership post in the unit on `at`."""
    posts = [p for p in reader.posts(unit_id=unit_id, at=at) if p.role in LEADERSHIP_ROLES]
    posts.sort(key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 99,
                              p.person_id))
    out = []
    for p in posts:
        person = reader.get_person(p.person_id)
        out.append(f"{person.name if person else p.person_id} ({p.role.replace('_', ' ')})")
    return out


def unit_info(unit: dict[str, Any], headcount: int | None, heads: list[str],
              extra: list[list[str]] | None = None, *,
              show_headcount: bool = True) -> list[list[str]]:
    """The tooltip of a unit as `[label, text]` rows (shown as text, never as HTML)."""
    rows = [["Name", unit.get("name") or unit["id"]],
            ["English name", unit.get("name_en") or "—"],
            ["Kind", f"{kind_label(unit.get('kind', 'other'))} ({unit.get('kind', 'other')})"]]
    if show_headcount:
        rows.append(["Headcount", str(headcount) if headcount is not None else "unknown"])
    if unit.get("abbr"):
        rows.insert(2, ["Abbreviation", unit["abbr"]])
    rows += [["Head", h] for h in heads] or [["Head", "none recorded"]]
    rows += extra or []
    if unit.get("valid_from") or unit.get("valid_to"):
        rows.append(["Exists", f"{unit.get('valid_from') or '…'} – {unit.get('valid_to') or 'now'}"])
    rows.append(["Id", unit["id"]])
    return rows


def unit_node(unit: dict[str, Any], headcount: int | None, info: list[list[str]],
              href: str | None, **extra: Any) -> dict[str, Any]:
    fill = kind_colour(unit.get("kind", "other"))
    return {"id": unit["id"], "label": unit.get("name") or unit["id"],
            "name_en": unit.get("name_en") or "", "kind": unit.get("kind", "other"), "headcount": headcount,
            "size": node_size(headcount),
            "color": {"background": fill, "border": "#37474f",
                      "highlight": {"background": fill, "border": "#000000"},
                      "hover": {"background": fill, "border": "#000000"}},
            "borderDashes": [3, 3] if headcount is None else False,
            "info": info, "href": href, **extra}


def _levels(tree: dict[str, Any]) -> list[list[dict[str, Any]]]:
    levels: list[list[dict[str, Any]]] = []
    queue = deque([(tree, 0)])
    while queue:
        node, level = queue.popleft()
        if level == len(levels):
            levels.append([])
        levels[level].append(node)
        for child in node.get("children") or ():
            queue.append((child, level + 1))
    return levels


def _visible(tree: dict[str, Any], max_nodes: int) -> tuple[set[int], int]:
    """Which tree nodes (by `id()` of their dict) are drawn, and the deepest full level."""
    levels = _levels(tree)
    shown: set[int] = set()
    total = 0
    for depth, level in enumerate(levels):
        if total + len(level) > max_nodes:
            if depth == 1:  # even the direct children do not fit: show the first ones
                shown.update(id(n) for n in level[:max(1, max_nodes - 1)])
            return shown, depth - 1
        total += len(level)
        shown.update(id(n) for n in level)
    return shown, len(levels) - 1


def build_org_chart(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None = None, *, max_nodes: int = MAX_VISIBLE,
                    prefix: str = "", tree: dict[str, Any] | None = None) -> Chart:
    """The org chart under `root_id` on `at` (down `depth` levels; None: all).

    `tree` is the `graph.queries.subtree` answer when the caller has it already."""
    if tree is None:
        tree = subtree_of(reader, root_id, at, depth)
    at_text = at.isoformat() if at else None
    total = count_tree(tree)
    shown, full_depth = _visible(tree, max_nodes) if total > max_nodes else (None, None)

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    children: dict[str, list[str]] = {}
    clusters = hidden_total = 0
    stack: list[tuple[dict[str, Any], str | None]] = [(tree, None)]
    visible_ids: list[str] = []
    levels: dict[str, int] = {}
    while stack:
        node, parent_id = stack.pop()
        unit = node["unit"]
        uid = unit["id"]
        visible_ids.append(uid)
        kids = node.get("children") or []
        level = 0 if parent_id is None else levels[parent_id] + 1
        levels[uid] = level
        heads = heads_of(reader, uid, at)
        cross = _cross_rows(reader, uid, at)
        nodes.append(unit_node(unit, node.get("headcount"),
                               unit_info(unit, node.get("headcount"), heads, cross),
                               None if uid == root_id else unit_href(uid, at=at_text, depth=depth,
                                                                      prefix=prefix),
                               depth=level))
        if parent_id is not None:
            edges.append(_part_of_edge(parent_id, uid, unit.get("name", uid)))
        drawn = [k for k in kids if shown is None or id(k) in shown]
        hidden = [k for k in kids if shown is not None and id(k) not in shown]
        for child in reversed(drawn):
            stack.append((child, uid))
        children[uid] = [k["unit"]["id"] for k in drawn]
        if hidden:
            n_hidden = sum(count_tree(k) for k in hidden)
            hidden_total += n_hidden
            clusters += 1
            cid = f"cluster:{uid}"
            more = "more " if drawn else ""
            label = f"+{n_hidden} {more}unit{'s' if n_hidden != 1 else ''}"
            href = None if uid == root_id else unit_href(uid, at=at_text, depth=depth, prefix=prefix)
            info = [["Collapsed", f"{n_hidden} unit{'s' if n_hidden != 1 else ''} under "
                                  f"{unit.get('name') or uid}"],
                    ["Directly under it", f"{len(hidden)} unit{'s' if len(hidden) != 1 else ''}"]]
            if href:
                info.append(["Click", "to open the chart of " + (unit.get("name") or uid)])
            nodes.append({"id": cid, "label": label, "cluster": True, "shape": "box",
                          "collapsed": n_hidden, "parent": uid,
                          "color": {"background": CLUSTER_COLOUR, "border": CLUSTER_BORDER,
                                    "highlight": {"background": CLUSTER_COLOUR,
                                                  "border": "#000000"}},
                          "borderWidth": 2, "shapeProperties": {"borderDashes": [4, 3]},
                          "font": {"color": "#5d4037"}, "info": info, "href": href})
            children[uid].append(cid)
            children[cid] = []
            edges.append({"from": uid, "to": cid, "type": "collapsed", "dashes": [4, 3],
                          "color": {"color": CLUSTER_BORDER}, "smooth": _TREE_SMOOTH})

    positions = tree_positions(root_id, children)
    for n in nodes:
        n["x"], n["y"] = positions.get(n["id"], (0.0, 0.0))

    edges += _cross_edges(reader, visible_ids, at)
    present_kinds = {n["kind"] for n in nodes if not n.get("cluster")}
    legend = [LegendItem(f"{kind_label(k)}", kind_colour(k)) for k in
              sorted(present_kinds, key=lambda k: (list(KIND_COLOURS).index(k)
                                                   if k in KIND_COLOURS else 99, k))]
    present_types = {e["type"] for e in edges}
    legend += [LegendItem(EDGE_LABELS[t], EDGE_COLOURS[t], shape="edge", dashes=EDGE_DASHES[t])
               for t in ("PART_OF", "SERVES", "GUIDED_BY") if t in present_types]
    if clusters:
        legend.append(LegendItem("collapsed units (click to open)", CLUSTER_COLOUR,
                                 CLUSTER_BORDER, shape="cluster"))
    notices = []
    if clusters:
        drawn_units = total - hidden_total
        level_text = (f"below level {full_depth}" if full_depth and full_depth > 0
                      else "directly under the root, beyond the first ones")
        notices.append(f"This chart holds {total} units; to keep the page responsive "
                       f"{drawn_units} are drawn and the other {hidden_total} ({level_text}) are "
                       f"collapsed into {clusters} cluster node{'s' if clusters != 1 else ''}. "
                       f"Click a cluster to open the chart of the unit above it.")
    root_unit = tree["unit"]
    return Chart(kind="org",
                 title=f"{root_unit.get('name') or root_id}",
                 nodes=nodes, edges=edges, options=static_options(), legend=legend,
                 notices=notices,
                 meta={"root": root_unit, "at": at_text, "depth": depth, "total": total,
                       "drawn": total - hidden_total, "collapsed": hidden_total,
                       "clusters": clusters, "size_note": "node size: headcount "
                       "(dashed outline: headcount unknown)"})


_TREE_SMOOTH = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical",
                "roundness": 0.45}


def _part_of_edge(parent_id: str, child_id: str, child_name: str) -> dict[str, Any]:
    return {"from": parent_id, "to": child_id, "type": "PART_OF", "dashes": False,
            "color": {"color": EDGE_COLOURS["PART_OF"]}, "smooth": _TREE_SMOOTH,
            "info": [["Relation", "PART_OF (part of)"], ["Unit", child_name]]}


def _cross_rows(reader: GraphReader, uid: str, at: dt.date | None) -> list[list[str]]:
    rows = []
    for rel in reader.relations(uid, at, types=CROSS_TYPES, direction="out"):
        target = reader.get_unit(rel.target_id)
        label = "Serves" if rel.type == "SERVES" else "Guided by"
        rows.append([label, target.name if target else rel.target_id])
    return rows


def _cross_edges(reader: GraphReader, visible: list[str], at: dt.date | None) -> list[dict[str, Any]]:
    """SERVES (dashed) and GUIDED_BY (dotted) between units both drawn in the chart."""
    present = set(visible)
    edges = []
    for uid in visible:
        for rel in reader.relations(uid, at, types=CROSS_TYPES, direction="out"):
            if rel.target_id not in present:
                continue
            info = [["Relation", f"{rel.type} ({'serves' if rel.type == 'SERVES' else 'guided by'})"],
                    ["From", rel.source_id], ["To", rel.target_id]]
            if rel.valid_from or rel.valid_to:
                info.append(["Valid", f"{rel.valid_from or '…'} – {rel.valid_to or 'now'}"])
            if rel.note:
                info.append(["Note", rel.note])
            edges.append({"from": rel.source_id, "to": rel.target_id, "type": rel.type,
                          "dashes": EDGE_DASHES[rel.type], "arrows": "to", "width": 1.6,
                          "color": {"color": EDGE_COLOURS[rel.type]},
                          "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.25},
                          "info": info})
    return edges
