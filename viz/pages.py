"""Thin page renderers: build a chart (pure, `viz.orgchart` & co.) and render it to HTML.

Each returns the page as a string; `standalone=True` inlines every asset so the
string can be written to a file and opened without a server.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graph.dates import parse_at
from graph.store import GraphReader
from viz.chart import lineage_href, scenario_href, unit_href
from viz.lineage import build_lineage_chart
from viz.orgchart import MAX_VISIBLE, build_org_chart
from viz.scenario import build_scenario_charts, change_lines, impact_rows, impact_summary
from viz.render import render


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "chart"


def _generated() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


def org_chart_page(reader: GraphReader, unit_id: str, at: dt.date | None,
                   depth: int | None = None, *, standalone: bool = True, prefix: str = "",
                   max_nodes: int = MAX_VISIBLE, tree: dict[str, Any] | None = None) -> str:
    chart = build_org_chart(reader, unit_id, at, depth, max_nodes=max_nodes, prefix=prefix,
                            tree=tree)
    parent_id = reader.parent(unit_id, at)
    parent = reader.get_unit(parent_id) if parent_id else None
    at_text = at.isoformat() if at else None
    return render("orgchart.html", title=chart.title, charts={"main": chart},
                  standalone=standalone, prefix=prefix,
                  self_path=unit_href(unit_id, prefix=prefix),
                  parent_href=unit_href(parent_id, at=at_text, depth=depth, prefix=prefix)
                  if parent else None,
                  parent_name=(parent.name if parent else ""),
                  lineage_href=lineage_href(unit_id, prefix),
                  png_name=f"{_slug(unit_id)}-{at_text or 'all'}.png",
                  generated=_generated() if standalone else "")


_TOP_CACHE: dict[tuple[str, dt.date], list[Any]] = {}


def top_level_units(reader: GraphReader, at: dt.date) -> list[Any]:
    """Units with no PART_OF parent on `at`, central first, by name (cached per revision:
    one pass over the PART_OF relations instead of a parent lookup per unit)."""
    key = (reader.revision, at)
    if key not in _TOP_CACHE:
        has_parent = {r.source_id for r in reader.all_relations(at, types=("PART_OF",))}
        top = [u for u in reader.units(at) if u.id not in has_parent]
        level_rank = {"central": 0, "province": 1, "district": 2, "commune": 3}
        top.sort(key=lambda u: (level_rank.get(u.level, 9), u.name, u.id))
        if len(_TOP_CACHE) > 16:
            _TOP_CACHE.clear()
        _TOP_CACHE[key] = top
    return _TOP_CACHE[key]


def landing_page(reader: GraphReader, at: dt.date, *, scenarios: list[Any] = (),
                 query: str = "", results: list[Any] = (), prefix: str = "",
                 search_api: str = "/search") -> str:
    """The start page: search, the top-level units on `at`, the saved scenarios."""
    at_text = at.isoformat()
    top = top_level_units(reader, at)
    return render(
        "landing.html", title="Start", standalone=False, prefix=prefix, at=at_text, query=query,
        search_api=prefix + search_api,
        top=[{"name": u.name, "name_en": u.name_en, "kind": u.kind, "level": u.level,
              "href": unit_href(u.id, at=at_text, prefix=prefix),
              "lineage": lineage_href(u.id, prefix)} for u in top],
        results=[{"name": u.name, "name_en": u.name_en, "kind": u.kind,
                  "href": unit_href(u.id, prefix=prefix)} for u in results],
        scenarios=[{"name": s.name or s.id, "at": s.at, "description": s.description,
                    "committed": s.committed, "href": scenario_href(s.id, prefix)}
                   for s in scenarios])


def error_page(status: int, heading: str, detail: str, *, prefix: str = "") -> str:
    return render("error.html", title=heading, prefix=prefix, heading=heading, detail=detail,
                  status=status)


def lineage_page(reader: GraphReader, unit_id: str, *, standalone: bool = True,
                 prefix: str = "", data: dict[str, Any] | None = None) -> str:
    chart = build_lineage_chart(reader, unit_id, data, prefix=prefix)
    return render("lineage.html", title=chart.title, charts={"main": chart},
                  standalone=standalone, prefix=prefix,
                  png_name=f"{_slug(unit_id)}-lineage.png",
                  generated=_generated() if standalone else "")


def scenario_page(before_reader: GraphReader, after_reader: GraphReader, root_id: str | None,
                  at: dt.date | str | None, diff: Any = None, impact: Any = None, *,
                  name: str = "", description: str = "", standalone: bool = True,
                  prefix: str = "", max_nodes: int = MAX_VISIBLE) -> str:
    """Before and after a scenario, side by side, with the impact summary.

    `diff` and `impact` are the scenario engine's dicts (read tolerantly); `root_id`
    None picks the lowest unit holding every change. Standalone by default (for
    `bomay scenario run --html`); the API serves it with `standalone=False`."""
    if isinstance(at, str):
        at = parse_at(at)
    before, after, changes = build_scenario_charts(before_reader, after_reader, root_id, at, diff,
                                                   max_nodes=max_nodes, prefix=prefix)
    root = before.meta.get("root") or {}
    notices = []
    if not changes.touched():
        notices.append("This scenario changes no unit on this date.")
    at_text = at.isoformat() if at else ""
    return render("scenario.html", title=f"Scenario {name}".strip(),
                  charts={"before": before, "after": after}, standalone=standalone,
                  prefix=prefix, name=name or "(unnamed)", description=description,
                  at=at_text, root_name=root.get("name") or root.get("id") or "",
                  impact=impact_summary(impact), impact_full=impact_rows(impact), changes=change_lines(changes, before_reader,
                                                                   after_reader),
                  notices=notices, png_stem=_slug(name or "scenario"),
                  generated=_generated() if standalone else "")
