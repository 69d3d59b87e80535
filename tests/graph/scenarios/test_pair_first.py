"""Areas that consolidate pair their bodies before handing the children's links over
(`TerritoryMixin.pair_first`): a child that consolidates in turn is never handed a link
it cuts at once. The result equals that of handing every link over first: the same log,
impact report and diff, the same records in every table (in the same order, but the
relations, which the overlay adds in another order), on the synthetic reform (provinces
and communes from mapping tables, a level dissolved between them) and on a merge."""

from __future__ import annotations

import pytest

from bench.reform import applied, digest, js
from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.impact import impact
from graph.scenarios.territory import TerritoryMixin
from loaders import read_dataset
from loaders.synth import generate


def outputs(baseline, state, log) -> dict[str, object]:
    data = state.dataset()
    out: dict[str, object] = {
        "log": [e.to_dict() for e in log],
        "impact": digest(js(impact(baseline, state).to_dict())),
        "diff": digest(js(diff(baseline, state).to_dict())),
        "changes": state.changes()}
    for name in ("units", "relations", "events", "functions", "headcounts", "posts", "names"):
        records = [repr(r) for r in getattr(data, name)]
        out[f"{name}_sorted"] = sorted(records)
        if name != "relations":
            out[f"{name}_ordered"] = records
    return out


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth2")
    generate(folder, provinces=2, seed=3)
    return read_dataset(folder)


def both_ways(monkeypatch, run):
    """`run()`'s outputs with the children paired first, and with every link handed first."""
    first = run()
    monkeypatch.setattr(TerritoryMixin, "pair_first", False)
    handed = run()
    monkeypatch.undo()
    return first, handed


def test_the_reform_is_the_same_paired_first(synth, monkeypatch):
    first, handed = both_ways(monkeypatch, lambda: outputs(*applied(synth)))
    assert first["changes"]["relations_added"] > 0
    assert first == handed


def test_the_links_cut_at_once_are_not_written(synth, monkeypatch):
    """Fewer relations are added and removed on the way (the point of pairing first)."""
    from graph.scenarios import state as state_module
    counts: list[int] = []
    add = state_module._Layer.add

    def counting(self, record):
        counts.append(1)
        return add(self, record)
    monkeypatch.setattr(state_module._Layer, "add", counting)

    def run() -> int:
        counts.clear()
        applied(synth)
        return len(counts)
    first = run()
    monkeypatch.setattr(TerritoryMixin, "pair_first", False)
    handed = run()
    assert first < handed


def test_a_merge_of_areas_is_the_same_paired_first(synth, monkeypatch):
    """A merge (into an existing area: its bodies are the anchors) and a consolidation."""
    baseline = MemoryGraph(synth)
    provinces = [u.id for u in baseline.units(None, kind="province")]
    districts = [c for c in baseline.children(provinces[0], None)
                 if baseline.get_unit(c).kind == "district"]
    assert len(districts) >= 2

    def run():
        state, log = apply(new_state(baseline, "2024-01-01"), [
            {"op": "merge", "into": districts[0], "units": [districts[1]]},
            {"op": "consolidate", "units": [provinces[0], provinces[1]],
             "new": {"id": "P-NEW", "name": "Tỉnh Mới"}}])
        return outputs(baseline, state, log)
    first, handed = both_ways(monkeypatch, run)
    assert first == handed
