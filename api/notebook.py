"""bomay from Python (a notebook, a script): open a store, read the structure on a date,
take a networkx graph of a date, run a plan file and read its impact.

The same functions the API and the CLI call, without a server. A short session on the
bundled dataset (a store file in a temporary folder; an empty store is loaded with the
bundled dataset, as `bomay serve` does):

>>> import tempfile, pathlib
>>> from api import notebook
>>> store = notebook.open_store(pathlib.Path(tempfile.mkdtemp()) / "bomay.db")
>>> len(store.units()) > 80
True

The structure on a date: the units under the Móng Cái Party Committee before and after
the consolidations of 7 August 2018.

>>> [u["id"] for u in notebook.children(store, "mc-tu", "2018-08-06")][:3]
['mc-ban-dan-van', 'mc-ban-to-chuc', 'mc-ban-tuyen-giao']
>>> "mc-to-chuc-noi-vu" in [u["id"] for u in notebook.children(store, "mc-tu", "2018-08-07")]
True
>>> notebook.unit(store, "mc-to-chuc-noi-vu", "2018-08-07")["unit"]["parent"]
'mc-tu'

A networkx graph of a date, with plain attributes (networkx's writers take it as it is):

>>> g = notebook.graph(store, "2018-08-07")
>>> g.nodes["mc-to-chuc-noi-vu"]["kind"], g.nodes["mc-to-chuc-noi-vu"]["valid_from"]
('party_board', '2018-08-07')
>>> sorted({d["relation"] for *_, d in g.edges(data=True)})
['GUIDED_BY', 'PART_OF', 'SERVES']
>>> whole = notebook.graph(store)       # the whole history: BECAME edges trace the lineage
>>> [v for _, v, d in whole.out_edges("mc-ban-to-chuc", data=True) if d["relation"] == "BECAME"]
['mc-to-chuc-noi-vu']
>>> import networkx as nx
>>> part_of = nx.DiGraph([(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "PART_OF"])
>>> sorted(nx.descendants(part_of, "mc-to-chuc-noi-vu"))   # the chain of its parents
['mc-tu', 'qn-tu']

A plan file, run against the baseline without changing it, and its impact:

>>> run = notebook.run_plan(store, "docs/examples/fold-board-offices.yaml")
>>> run.effective_at
datetime.date(2018, 6, 30)
>>> sorted(run.impact["units"]["ended"])[:2]
['p002-ban-dan-van-van-phong', 'p002-ban-noi-chinh-van-phong']
>>> run.state.get_unit("p002-ubkt-van-phong").valid_to.iso
'2018-06-30'
>>> store.get_unit("p002-ubkt-van-phong").valid_to is None   # the baseline is unchanged
True
>>> store.close()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from api.settings import BUNDLED_DATASET
from graph.dates import parse_at
from graph.embedded.store import EmbeddedStore
from graph.formats.network import networkx_graph
from graph.queries import structure
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader, GraphStore



def _day(at: dt.date | str | None) -> dt.date:
    if isinstance(at, dt.date):
        return at
    return parse_at(at) or dt.date.today()


def open_store(path: Path | str = "bomay.db", *, load: Path | str | None = None) -> GraphStore:
    """The embedded store at `path` (created if missing). With `load`, that folder replaces
    its baseline; an empty store is loaded with the bundled dataset."""
    from loaders import read_dataset
    store = EmbeddedStore(Path(path))
    if load is not None or store.is_empty():
        store.replace_dataset(read_dataset(Path(load) if load is not None else BUNDLED_DATASET))
    return store


def unit(reader: GraphReader, unit_id: str, at: dt.date | str | None = None) -> dict[str, Any]:
    """One unit on `at` (default today) as the API answers it: parent, headcount, functions,
    posts, links."""
    return structure.unit_detail(reader, unit_id, _day(at))


def children(reader: GraphReader, unit_id: str,
             at: dt.date | str | None = None) -> list[dict[str, Any]]:
    """The units directly under `unit_id` on `at`."""
    return structure.children(reader, unit_id, _day(at))


def subtree(reader: GraphReader, unit_id: str, at: dt.date | str | None = None,
            depth: int | None = None) -> dict[str, Any]:
    """The nested structure under `unit_id` on `at`."""
    return structure.subtree(reader, unit_id, _day(at), depth=depth)


def graph(reader: GraphReader, at: dt.date | str | None = None) -> nx.MultiDiGraph:
    """A networkx MultiDiGraph with plain attributes: the structure on `at`, or the whole
    history with `at=None` (see graph.formats.network)."""
    return networkx_graph(reader, _day(at) if at is not None else None)


@dataclass(frozen=True)
class PlanRun:
    """A plan applied to the baseline: its state (a GraphReader), log and impact report."""

    name: str
    state: ScenarioState
    log: tuple[Any, ...]
    impact: dict[str, Any]

    @property
    def effective_at(self) -> dt.date:
        return self.state.effective_at


def run_plan(reader: GraphReader, plan: Path | str, *, at: str | None = None,
             assumptions: dict[str, Any] | None = None) -> PlanRun:
    """Apply a plan file (YAML or JSON; see docs/scenarios.md) to `reader` without changing
    it; return the scenario's state and its impact report (the JSON of
    `GET /scenarios/{id}/impact`)."""
    from graph.errors import InvalidParameter
    from graph.scenarios.apply import apply, new_state
    from graph.scenarios.files import check_date, read_plan
    from graph.scenarios.impact import Assumptions, impact
    from graph.scenarios.service import override_assumptions

    parsed = read_plan(plan)
    base_at = at or parsed.at
    if not base_at:
        raise InvalidParameter(f"{plan}: give the base date (at=..., or `at:` in the plan)")
    name = parsed.name or Path(plan).stem
    state, log = apply(new_state(reader, check_date(base_at), name=name,
                                 event_prefix=f"plan-{Path(plan).stem}"), parsed.operations)
    # each assumption given changes only itself in the plan's (a ratio, only its function)
    own = Assumptions.from_mapping(parsed.assumptions) if parsed.assumptions else Assumptions()
    chosen = override_assumptions(own, assumptions)
    return PlanRun(name=name, state=state, log=tuple(log),
                   impact=impact(reader, state, chosen).to_dict())


__all__ = ["PlanRun", "children", "graph", "open_store", "run_plan", "subtree", "unit"]
