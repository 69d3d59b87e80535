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

#: Beyond this many SERVES / GUIDED_BY links they start hidden (a checkbox shows them).
CROSS_LIMIT = 300
#: Longer names are shortened on the canvas.
LABEL_LIMIT = 44
#: Beyond this many units the chart collapses its deeper levels into cluster nodes.
MAX_VISIBLE = 2500

ROLE_ORDER = ("secretary", "chair", "head", "standing_deputy_secretary", "deputy_secretary",
              "vice_chair", "deputy_head")
CROSS_TYPES = ("SERVES", "GUIDED_BY")


def subtree_of(reader: GraphReader, root_id: str, at: dt.date | None,
               depth: int | None = None) -> dict[str, Any]:
    """The nested structure under `root_id` on `at` (graph.queries.subtree)."""
    from graph.queries.structure import subtree
    return subtree(reader, root_id, at, depth=depth)


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
    """A unit as a vis node: coloured by its kind's group (see `kind_groups`), sized by
    headcount, with a dashed outline when the headcount is unknown."""
    kind = unit.get("kind") or "other"
    name = unit.get("name") or unit["id"]
    node = {"id": unit["id"], "label": short_label(name), "name": name, "group": kind,
            "name_en": unit.get("name_en") or "", "kind": kind, "headcount": headcount,
            "size": node_size(headcount), "info": info, "href": href, **extra}
    if headcount is None:
        node["shapeProperties"] = {"borderDashes": [3, 3]}
    return node


def short_label(name: str, limit: int = LABEL_LIMIT) -> str:
    """A name cut to about three lines on the canvas (the tooltip and the unit list keep
    the whole name)."""
    if len(name) <= limit:
        return name
    cut = name[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;-–") + "…"


def kind_groups(kinds: set[str]) -> dict[str, Any]:
    """vis `groups` options: one per kind, its colour (nodes refer to it by `group`)."""
    groups = {}
    for kind in sorted(kinds):
        fill = kind_colour(kind)
        groups[kind] = {"color": {"background": fill, "border": "#37474f",
                                  "highlight": {"background": fill, "border": "#000000"},
                                  "hover": {"background": fill, "border": "#000000"}}}
    return groups


def bounded_subtree(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None, max_nodes: int) -> tuple[dict[str, Any], bool]:
    """`graph.queries.subtree` cut at the deepest level that keeps at most `max_nodes`
    units (and at `depth`); returns the tree and whether the budget cut it.

    Each step asks the query one level deeper, knowing from `child_count` how many
    units that level adds, so a chart of a unit with 200 000 units below reads only
    the levels it draws."""
    level = 0
    tree = subtree_of(reader, root_id, at, 0)
    frontier = [tree]
    total = 1
    while True:
        if depth is not None and level >= depth:
            return tree, False
        below = sum(n.get("child_count") or 0 for n in frontier)
        if below == 0:
            return tree, False
        if total + below > max_nodes and level > 0:
            return tree, True
        level += 1
        tree = subtree_of(reader, root_id, at, level)
        frontier = _levels(tree)[-1] if below else []
        total += below
        if total > max_nodes:  # the root's own children exceed the budget
            return tree, True


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


def _visible(tree: dict[str, Any], max_nodes: int) -> set[int]:
    """Which tree nodes (by `id()` of their dict) are drawn: whole levels while they fit;
    when even the root's children do not, the first of them."""
    shown: set[int] = set()
    total = 0
    for depth, level in enumerate(_levels(tree)):
        if total + len(level) > max_nodes:
            if depth == 1:
                shown.update(id(n) for n in level[:max(1, max_nodes - 1)])
            break
        total += len(level)
        shown.update(id(n) for n in level)
    return shown


def build_org_chart(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None = None, *, max_nodes: int = MAX_VISIBLE,
                    prefix: str = "", tree: dict[str, Any] | None = None) -> Chart:
    """The org chart under `root_id` on `at`, down `depth` levels (None: all).

    At most about `max_nodes` units are drawn (whole levels); the units below the last
    drawn level become cluster nodes, one per unit whose children are not drawn, that
    open that unit's chart. `tree` is a `graph.queries.subtree` answer if the caller has
    one (else only the levels drawn are read)."""
    if tree is None:
        tree, _ = bounded_subtree(reader, root_id, at, depth, max_nodes)
    at_text = at.isoformat() if at else None
    shown = _visible(tree, max_nodes) if count_tree(tree) > max_nodes else None

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    children: dict[str, list[str]] = {}
    levels: dict[str, int] = {}
    clusters = collapsed = cut_stubs = cut_total = deepest = 0
    stack: list[tuple[dict[str, Any], str | None]] = [(tree, None)]
    while stack:
        node, parent_id = stack.pop()
        unit = node["unit"]
        uid = unit["id"]
        level = 0 if parent_id is None else levels[parent_id] + 1
        levels[uid] = level
        deepest = max(deepest, level)
        headcount = node.get("headcount")
        href = None if uid == root_id else unit_href(uid, at=at_text, depth=depth, prefix=prefix)
        info = unit_info(unit, headcount, heads_of(reader, uid, at), _cross_rows(reader, uid, at))
        nodes.append(unit_node(unit, headcount, info, href, level=level))
        if parent_id is not None:
            edges.append({"from": parent_id, "to": uid, "type": "PART_OF"})
        kids = node.get("children") or []
        drawn = [k for k in kids if shown is None or id(k) in shown]
        for child in reversed(drawn):
            stack.append((child, uid))
        children[uid] = [k["unit"]["id"] for k in drawn]
        missing = max(node.get("child_count") or 0, len(kids)) - len(drawn)
        if missing <= 0:
            continue
        name = unit.get("name") or uid
        if depth is not None and level >= depth:
            cut_stubs += 1
            cut_total += missing
            info = [["Not drawn", f"{missing} unit{_s(missing)} directly under {name} "
                                  f"(below the depth limit)"]]
            _add_stub(nodes, edges, children, uid, f"+{missing} below", missing, info, href,
                      name, depth_cut=True)
        else:
            clusters += 1
            collapsed += missing
            label = f"+{missing} {'more ' if drawn else ''}unit{_s(missing)}"
            info = [["Collapsed", f"{missing} unit{_s(missing)} directly under {name}, "
                                  f"with every unit under them"]]
            _add_stub(nodes, edges, children, uid, label, missing, info, href, name)

    positions = tree_positions(root_id, children)
    for n in nodes:
        n["x"], n["y"] = positions.get(n["id"], (0.0, 0.0))
    unit_ids = [n["id"] for n in nodes if not n.get("cluster")]
    cross = _cross_edges(reader, unit_ids, at)
    cross_hidden = len(cross) > CROSS_LIMIT
    if cross_hidden:
        for e in cross:
            e["hidden"] = True
    edges += cross

    kinds = {n["kind"] for n in nodes if not n.get("cluster")}
    legend = [LegendItem(kind_label(k), kind_colour(k)) for k in
              sorted(kinds, key=lambda k: (list(KIND_COLOURS).index(k)
                                           if k in KIND_COLOURS else 99, k))]
    types = {e.get("type", "PART_OF") for e in edges}
    legend += [LegendItem(EDGE_LABELS[t], EDGE_COLOURS[t], shape="edge", dashes=EDGE_DASHES[t])
               for t in ("PART_OF", "SERVES", "GUIDED_BY") if t in types]
    if clusters or cut_stubs:
        legend.append(LegendItem("units not drawn (click to open)", CLUSTER_COLOUR,
                                 CLUSTER_BORDER, shape="cluster"))
    notices = []
    drawn_units = len(unit_ids)
    if clusters:
        notices.append(
            f"To keep the page responsive, {drawn_units} units are drawn (down to level "
            f"{max(0, deepest)}); the {collapsed} unit{_s(collapsed)} directly below them, with "
            f"every unit under those, {'are' if collapsed != 1 else 'is'} collapsed into "
            f"{clusters} cluster node{_s(clusters)}. Click a cluster to open the chart of the "
            f"unit above it.")
    if cut_stubs:
        notices.append(
            f"Drawn {depth} level{_s(depth or 0)} down: {cut_total} unit{_s(cut_total)} directly "
            f"below {'are' if cut_total != 1 else 'is'} not drawn (the \u201c+N below\u201d "
            f"boxes). Click one to open that unit's chart, or clear the depth to see every "
            f"level.")
    if cross_hidden:
        notices.append(f"The {len(cross)} serves and guided-by links between these units are "
                       f"hidden to keep the chart readable: tick \u201cShow links\u201d to "
                       f"draw them.")
    options = static_options()
    options["groups"] = kind_groups(kinds)
    options["edges"].update({"color": {"color": EDGE_COLOURS["PART_OF"]},
                             "smooth": _TREE_SMOOTH})
    root_unit = tree["unit"]
    return Chart(kind="org", title=root_unit.get("name") or root_id, nodes=nodes, edges=edges,
                 options=options, legend=legend, notices=notices,
                 meta={"root": root_unit, "at": at_text, "depth": depth, "drawn": drawn_units,
                       "clusters": clusters, "collapsed": collapsed, "depth_cut": cut_total,
                       "cross_links": len(cross), "cross_hidden": cross_hidden,
                       "size_note": "node size: headcount (dashed outline: headcount "
                                    "unknown)"})


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _add_stub(nodes: list, edges: list, children: dict, uid: str, label: str, count: int,
              info: list[list[str]], href: str | None, name: str, depth_cut: bool = False) -> None:
    """A cluster node standing for units not drawn under `uid` (a click opens its chart)."""
    cid = f"cluster:{uid}"
    if href:
        info = info + [["Click", "to open the chart of " + name]]
    nodes.append({"id": cid, "label": label, "cluster": True, "shape": "box",
                  "collapsed": count, "parent": uid, "depth_cut": depth_cut,
                  "color": {"background": CLUSTER_COLOUR, "border": CLUSTER_BORDER,
                            "highlight": {"background": CLUSTER_COLOUR, "border": "#000000"},
                            "hover": {"background": CLUSTER_COLOUR, "border": "#000000"}},
                  "borderWidth": 2, "shapeProperties": {"borderDashes": [4, 3]},
                  "font": {"color": "#5d4037"}, "info": info, "href": href})
    children[uid].append(cid)
    children[cid] = []
    edges.append({"from": uid, "to": cid, "type": "collapsed", "dashes": [4, 3],
                  "color": {"color": CLUSTER_BORDER}})


_TREE_SMOOTH = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical",
                "roundness": 0.45}


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
