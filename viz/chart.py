"""`Chart`: a network ready to draw, as plain JSON-able data (what the builders return).

Nodes and edges are vis-network items, with three additions the page script
understands: `info` (the tooltip as a list of `[label, value]` text pairs, turned
into DOM text nodes in the browser, never parsed as HTML), `href` (the chart a click
opens, a URL path built on the server) and `cluster` (a node standing for collapsed
units, not a unit itself).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote, urlencode


@dataclass
class LegendItem:
    label: str
    colour: str = ""
    border: str = ""
    #: "node" (a swatch), "edge" (a line), "cluster".
    shape: str = "node"
    dashes: bool | list[int] = False


@dataclass
class Chart:
    kind: str
    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    legend: list[LegendItem] = field(default_factory=list)
    #: Sentences the page shows above the chart (e.g. what was collapsed).
    notices: list[str] = field(default_factory=list)
    #: Column labels drawn on the canvas (lineage: dates), `{"x": float, "label": str}`.
    axis: list[dict[str, Any]] = field(default_factory=list)
    #: Anything else a template needs (counts, the root unit, the date).
    meta: dict[str, Any] = field(default_factory=dict)
    #: The pyvis network the nodes, edges and options were built with (viz.network).
    network: Any = field(default=None, repr=False, compare=False)

    @property
    def unit_nodes(self) -> list[dict[str, Any]]:
        return [n for n in self.nodes if not n.get("cluster")]

    def as_dict(self) -> dict[str, Any]:
        network, self.network = self.network, None
        try:
            return asdict(self)
        finally:
            self.network = network


def unit_href(unit_id: str, *, at: str | None = None, depth: int | None = None,
              prefix: str = "", lang: str | None = None) -> str:
    """The path of a unit's chart page (ids percent-encoded, never interpreted)."""
    query = {k: v for k, v in (("at", at), ("depth", depth),
                               ("lang", lang if lang == "en" else None)) if v not in (None, "")}
    path = f"{prefix}/viz/units/{quote(unit_id, safe='')}"
    return path + ("?" + urlencode(query) if query else "")


def _lang_query(lang: str | None) -> str:
    return "?lang=en" if lang == "en" else ""


def lineage_href(unit_id: str, prefix: str = "", lang: str | None = None) -> str:
    return f"{prefix}/viz/units/{quote(unit_id, safe='')}/lineage" + _lang_query(lang)


def timeline_href(unit_id: str, prefix: str = "", lang: str | None = None) -> str:
    return f"{prefix}/viz/units/{quote(unit_id, safe='')}/timeline" + _lang_query(lang)


def scenario_href(scenario_id: str, prefix: str = "", lang: str | None = None) -> str:
    return f"{prefix}/viz/scenarios/{quote(scenario_id, safe='')}" + _lang_query(lang)


def static_options(*, hierarchical: bool = False) -> dict[str, Any]:
    """vis-network options shared by every chart: no physics (positions are given or the
    hierarchical layout places them), tooltips on hover, labels wrapped."""
    options: dict[str, Any] = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": True, "hideEdgesOnZoom": False},
        "nodes": {"shape": "dot", "borderWidth": 1.5,
                  "font": {"size": 13, "face": "system-ui, sans-serif", "multi": False,
                           "background": "rgba(255,255,255,0.75)"},
                  "widthConstraint": {"maximum": 150},
                  "scaling": {"label": {"drawThreshold": 3}}},
        "edges": {"smooth": False, "width": 1.2, "font": {"size": 11, "align": "middle",
                                                           "multi": False}},
        "layout": {"improvedLayout": False},
    }
    if hierarchical:
        options["layout"] = {"hierarchical": {"enabled": True, "direction": "UD",
                                              "sortMethod": "directed",
                                              "levelSeparation": 110, "nodeSpacing": 170}}
    return options
