"""The org chart under a unit as of a date, as a `Chart` built through pyvis (pure: reads).

The structure comes from `graph.queries.subtree` (the same query the API answers),
whole levels at a time while they fit `max_nodes`. Every node says its parent, its
level and how many children it has on the date (`cc`), so the page can lay the tree
out itself (a tidy tree: `viz/static/bomay-viz.js`), show only the first levels that
fit the screen at a legible zoom, and expand any unit in place: its children are in
the page already, or fetched from `GET /units/{id}/subtree?depth=1` (the children of
a unit, each with its own child count).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from graph.model import LEADERSHIP_ROLES
from graph.store import GraphReader
from viz.chart import Chart, LegendItem, static_options, unit_href
from viz.i18n import fmt_date, fmt_number, kind_word, level_word, role_word, t
from viz.network import ChartNetwork
from viz.style import (CLUSTER_BORDER, CLUSTER_COLOUR, EDGE_COLOURS, EDGE_DASHES,
                       KIND_COLOURS, kind_colour, text_colour)

#: Beyond this many units the chart sends no deeper level (the page fetches on demand).
MAX_VISIBLE = 2500
#: A served page sends at most this many units: the first levels (the national view
#: stays small); the rest comes from the API when a unit is expanded.
SERVED_NODES = 600
#: Longer names are shortened on the canvas (the tooltip and the unit list keep them).
LABEL_LIMIT = 60

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


def heads_of(reader: GraphReader, unit_id: str, at: dt.date | None,
             lang: str = "vi") -> list[str]:
    """`Name (role)` of the people holding a leadership post in the unit on `at`."""
    posts = [p for p in reader.posts(unit_id=unit_id, at=at) if p.role in LEADERSHIP_ROLES]
    posts.sort(key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 99,
                              p.person_id))
    out = []
    for p in posts:
        person = reader.get_person(p.person_id)
        out.append(f"{person.name if person else p.person_id} ({role_word(p.role, lang)})")
    return out


def unit_info(unit: dict[str, Any], headcount: int | None, heads: list[str],
              extra: list[list[str]] | None = None, *, show_headcount: bool = True,
              lang: str = "vi") -> list[list[str]]:
    """The tooltip of a unit as `[label, text]` rows (shown as text, never as HTML)."""
    rows = [[t("name", lang), unit.get("name") or unit["id"]],
            [t("name_en", lang), unit.get("name_en") or "—"]]
    if unit.get("abbr"):
        rows.append([t("abbr", lang), unit["abbr"]])
    rows.append([t("kind", lang), kind_word(unit.get("kind"), lang)])
    if unit.get("level"):
        rows.append([t("level", lang), level_word(unit.get("level"), lang)])
    if show_headcount:
        rows.append([t("headcount", lang),
                     fmt_number(headcount, lang) if headcount is not None else t("unknown", lang)])
    rows += [[t("head", lang), h] for h in heads] or [[t("head", lang), t("none_recorded", lang)]]
    rows += extra or []
    if unit.get("valid_from") or unit.get("valid_to"):
        rows.append([t("exists", lang), f"{fmt_date(unit.get('valid_from')) or '…'} – "
                                        f"{fmt_date(unit.get('valid_to')) or t('now', lang)}"])
    rows.append([t("id", lang), unit["id"]])
    return rows


def short_label(name: str, limit: int = LABEL_LIMIT) -> str:
    """A name cut to about four lines of a box (the tooltip and the unit list keep it)."""
    if len(name) <= limit:
        return name
    cut = name[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;-–") + "…"


def kind_groups(kinds: set[str] | None = None) -> dict[str, Any]:
    """vis `groups` options: one per kind (every known kind, so that units fetched later
    are coloured too), its fill and a text colour that reads on it."""
    groups = {}
    for kind in sorted(set(KIND_COLOURS) | set(kinds or ())):
        fill = kind_colour(kind)
        groups[kind] = {"color": {"background": fill, "border": "#37474f",
                                  "highlight": {"background": fill, "border": "#000000"},
                                  "hover": {"background": fill, "border": "#000000"}},
                        "font": {"color": text_colour(fill)}}
    return groups


def bounded_subtree(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None, max_nodes: int) -> tuple[dict[str, Any], bool]:
    """`graph.queries.subtree` cut at the deepest level that keeps at most `max_nodes`
    units (and at `depth`); returns the tree and whether the budget cut it.

    Each step asks one level deeper, knowing from `child_count` how many units that
    level adds, so a chart of the national root reads only the levels it sends."""
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
        if total + below > max_nodes:
            return tree, True
        level += 1
        tree = subtree_of(reader, root_id, at, level)
        frontier = _levels(tree)[-1]
        total += below


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


def unit_node_options(unit: dict[str, Any], headcount: int | None, info: list[list[str]],
                      href: str | None, **extra: Any) -> dict[str, Any]:
    """The vis options of a unit box: coloured by its kind's group, dashed outline when
    the headcount is unknown."""
    kind = unit.get("kind") or "other"
    options = {"group": kind, "info": info, "href": href, "hc": headcount, **extra}
    if headcount is None:
        options["shapeProperties"] = {"borderDashes": [4, 3]}
    return options


def child_nodes(reader: GraphReader, unit_id: str, at: dt.date | None, *, prefix: str = "",
                lang: str = "vi") -> list[dict[str, Any]]:
    """The boxes of a unit's children on `at`, built as the chart builds its own (label,
    kind group, tooltip with name_en, post holders and SERVES / GUIDED_BY, `cc`), in
    reading order: what the page adds when a unit is expanded in place."""
    tree = subtree_of(reader, unit_id, at, 1)
    at_text = at.isoformat() if at else None
    out = []
    for child in sorted(tree.get("children") or (), key=_reading_order):
        unit, headcount = child["unit"], child.get("headcount")
        uid = unit["id"]
        info = unit_info(unit, headcount, heads_of(reader, uid, at, lang),
                         _cross_rows(reader, uid, at, lang), lang=lang)
        out.append({"id": uid, "label": short_label(unit.get("name") or uid),
                    **unit_node_options(unit, headcount, info,
                                        unit_href(uid, at=at_text, prefix=prefix, lang=lang),
                                        cc=child.get("child_count") or 0)})
    return out


def build_org_chart(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None = None, *, max_nodes: int = MAX_VISIBLE,
                    prefix: str = "", tree: dict[str, Any] | None = None,
                    lang: str = "vi") -> Chart:
    """The org chart under `root_id` on `at`, down `depth` levels (None: as many whole
    levels as fit `max_nodes`). Nodes carry `parent`, `level` and `cc` (children on the
    date); a unit whose children are not sent is expanded by the page on demand."""
    if tree is None:
        tree, _ = bounded_subtree(reader, root_id, at, depth, max_nodes)
    at_text = at.isoformat() if at else None
    net = ChartNetwork(chart_options())
    kinds: set[str] = set()
    unit_ids: list[str] = []
    units: list[dict[str, Any]] = []
    deepest = 0
    not_sent = 0
    queue = deque([(tree, None, 0)])
    while queue:
        node, parent_id, level = queue.popleft()
        unit = node["unit"]
        uid = unit["id"]
        deepest = max(deepest, level)
        kinds.add(unit.get("kind") or "other")
        headcount = node.get("headcount")
        kids = node.get("children") or []
        count = max(node.get("child_count") or 0, len(kids))
        href = unit_href(uid, at=at_text, prefix=prefix)
        info = unit_info(unit, headcount, heads_of(reader, uid, at, lang),
                         _cross_rows(reader, uid, at, lang), lang=lang)
        net.add_unit(uid, short_label(unit.get("name") or uid),
                     **unit_node_options(unit, headcount, info, href, parent=parent_id,
                                         level=level, cc=count, sent=bool(kids) or count == 0))
        units.append(unit | {"headcount": headcount, "level": unit.get("level"),
                             "depth": level})
        unit_ids.append(uid)
        if parent_id is not None:
            net.add_edge(parent_id, uid, type="PART_OF")
        if count and not kids:
            not_sent += count
        for child in sorted(kids, key=_reading_order):
            queue.append((child, uid, level + 1))
    cross = _cross_edges(reader, unit_ids, at, lang)
    for e in cross:
        net.add_edge(e.pop("from"), e.pop("to"), **e)
    net.options["groups"] = kind_groups(kinds)

    legend = [LegendItem(kind_word(k, lang), kind_colour(k)) for k in
              sorted(kinds, key=lambda k: (list(KIND_COLOURS).index(k)
                                           if k in KIND_COLOURS else 99, k))]
    legend.append(LegendItem(t("part_of", lang), EDGE_COLOURS["PART_OF"], shape="edge"))
    if cross:
        legend += [LegendItem(t("serves_line", lang), EDGE_COLOURS["SERVES"], shape="edge",
                              dashes=EDGE_DASHES["SERVES"]),
                   LegendItem(t("guided_line", lang), EDGE_COLOURS["GUIDED_BY"], shape="edge",
                              dashes=EDGE_DASHES["GUIDED_BY"])]
    legend.append(LegendItem(t("collapsed_box", lang), CLUSTER_COLOUR, CLUSTER_BORDER,
                             shape="cluster"))
    root_unit = tree["unit"]
    data = net.payload()
    return Chart(kind="org", title=root_unit.get("name") or root_id, nodes=data["nodes"],
                 edges=data["edges"], options=data["options"], legend=legend,
                 meta={"root": root_unit, "at": at_text, "depth": depth,
                       "drawn": len(unit_ids), "deepest": deepest, "not_sent": not_sent,
                       "cross_links": len(cross), "units": units},
                 network=net)


_LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}


def _reading_order(node: dict[str, Any]) -> tuple:
    """Children as a planner reads them: central bodies before provinces, then by kind
    (Party, State, Front: the legend's order), then by name."""
    unit = node["unit"]
    kind = unit.get("kind") or "other"
    return (_LEVEL_RANK.get(unit.get("level") or "", 9),
            list(KIND_COLOURS).index(kind) if kind in KIND_COLOURS else 99,
            unit.get("name") or "", unit["id"])


def chart_options() -> dict[str, Any]:
    """vis options of a tree chart: boxes of one width (the layout's columns), no
    physics, no vis layout (the page script places the nodes), no zoom below legible."""
    options = static_options()
    options["nodes"] = {"shape": "box", "borderWidth": 1.5, "margin": 8,
                        "font": {"size": 14, "face": "system-ui, sans-serif"},
                        "widthConstraint": {"minimum": 150, "maximum": 150},
                        "heightConstraint": {"minimum": 34}}
    options["edges"] = {"smooth": False, "width": 1.2, "color": {"color": EDGE_COLOURS["PART_OF"]}}
    return options


def _cross_rows(reader: GraphReader, uid: str, at: dt.date | None,
                lang: str) -> list[list[str]]:
    rows = []
    for rel in reader.relations(uid, at, types=CROSS_TYPES, direction="out"):
        target = reader.get_unit(rel.target_id)
        label = t("serves", lang) if rel.type == "SERVES" else t("guided_by", lang)
        rows.append([label, target.name if target else rel.target_id])
    return rows


def _cross_edges(reader: GraphReader, visible: list[str], at: dt.date | None,
                 lang: str) -> list[dict[str, Any]]:
    """SERVES (dashed) and GUIDED_BY (dotted) between units both sent: hidden until the
    reader asks for them (they would cover the tree)."""
    present = set(visible)
    edges = []
    for uid in visible:
        for rel in reader.relations(uid, at, types=CROSS_TYPES, direction="out"):
            if rel.target_id not in present:
                continue
            label = t("serves", lang) if rel.type == "SERVES" else t("guided_by", lang)
            info = [[label, rel.target_id], [t("from", lang), rel.source_id]]
            if rel.valid_from or rel.valid_to:
                info.append([t("exists", lang), f"{fmt_date(str(rel.valid_from or '')) or '…'}"
                                                f" – {fmt_date(str(rel.valid_to or '')) or t('now', lang)}"])
            edges.append({"from": rel.source_id, "to": rel.target_id, "type": rel.type,
                          "dashes": EDGE_DASHES[rel.type], "arrows": "to", "width": 1.6,
                          "hidden": True, "color": {"color": EDGE_COLOURS[rel.type]},
                          "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2},
                          "info": info})
    return edges
