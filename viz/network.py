"""Every chart's nodes, edges and options go through pyvis's `Network` (the one extension).

`ChartNetwork` is `pyvis.network.Network` with three changes, all here:

- node ids are checked against a set: pyvis keeps them in a list and `add_node` /
  `add_edge` test `id in list`, quadratic for the 2 500-node charts we draw;
- the options are a plain dict (`options_dict`), not pyvis's `Options` object,
  which only knows a subset of vis-network's options (no `groups`, no `interaction.
  keyboard`); `get_network_data()` then serialises that dict;
- the template is ours: `viz/templates/pyvis_offline.html` loads the vendored
  vis-network from `viz/static` inline (pyvis's own template pulls vis-network,
  Bootstrap and tom-select from CDNs, and `cdn_resources="local"` writes a `lib/`
  folder next to the file and still links a CDN stylesheet). The bomay pages render
  the same data through `viz.render`, several charts per page.
"""

from __future__ import annotations

from typing import Any

from pyvis.network import Network

from viz.render import TEMPLATES, asset_text


class _IdList(list):
    """pyvis's `node_ids` list, with a set beside it for `in`."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set = set()

    def append(self, item: Any) -> None:  # pyvis appends each new node id
        super().append(item)
        self._set.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


class ChartNetwork(Network):
    """A directed pyvis network with set-backed ids, dict options and the offline template."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(directed=True, cdn_resources="in_line")
        self.node_ids = _IdList()
        self.options = options or {}
        self.set_template_dir(str(TEMPLATES), "pyvis_offline.html")

    def get_nodes(self) -> _IdList:  # pyvis asserts `source in self.get_nodes()`
        return self.node_ids

    def add_unit(self, node_id: str, label: str, **options: Any) -> None:
        """`add_node` with a box shape by default and no pyvis colour default."""
        options.setdefault("shape", "box")
        self.add_node(node_id, label=label, **options)
        if "color" not in options:
            self.nodes[-1].pop("color", None)  # the group (kind) gives the colour

    def payload(self) -> dict[str, Any]:
        """What the page script draws: pyvis's nodes, edges and options."""
        nodes, edges, _heading, _h, _w, _options = self.get_network_data()
        return {"nodes": nodes, "edges": edges, "options": self.options}

    def generate_html(self, name: str = "index.html", local: bool = True,
                      notebook: bool = False) -> str:
        """A single-chart page from pyvis's own API (`write_html`), offline."""
        import json
        template = self.templateEnv.get_template(self.path)
        self.html = template.render(
            nodes=json.dumps(self.nodes, ensure_ascii=False).replace("<", "\\u003c"),
            edges=json.dumps(self.edges, ensure_ascii=False).replace("<", "\\u003c"),
            options=json.dumps(self.options).replace("<", "\\u003c"),
            vis_js=asset_text("vis-network.min.js"), vis_css=asset_text("vis-network.css"))
        return self.html
