"""A whole territorial reform on the synthetic data (3 provinces): provinces consolidated
from a mapping table, the district level dissolved, communes consolidated from a mapping
table (bench/reform.py's plan), checked against the data contract and by kind."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.reform import REFORM, applied
from graph.scenarios.commit import validated_dataset
from graph.scenarios.impact import impact
from loaders import read_dataset
from loaders.synth import generate


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth3")
    generate(folder, provinces=3, seed=1)
    dataset = read_dataset(folder)
    baseline, state, log = applied(dataset)
    return dataset, baseline, state, log


def test_the_reform_leaves_one_body_of_each_kind_per_new_area(reform):
    dataset, baseline, state, log = reform
    at = state.effective_at
    assert at == REFORM
    provinces = state.units(at, kind="province")
    assert len(provinces) < len(baseline.units(at, kind="province"))
    assert state.units(at, kind="district") == []
    ended = {u.id for u in baseline.units(at) if not state.get_unit(u.id).valid_at(at)}
    for u in state.units(at):
        assert u.area not in ended, (u.id, u.area)
    for p in provinces:
        top = Counter(state.get_unit(c).kind for c in state.children(p.id, at)
                      if state.get_unit(c).area == p.id)
        for kind in ("party_committee", "people_council", "government", "front"):
            assert top[kind] == 1, (p.id, kind, top)
    # communes: every commune's Party Committee is one, under its province's
    for c in state.units(at, kind="commune"):
        committees = [u for u in state.units(at, kind="party_committee", area=c.id)]
        assert len(committees) == 1, (c.id, [u.id for u in committees])


def test_the_reform_keeps_the_contract_and_saves_leadership_posts(reform):
    dataset, baseline, state, log = reform
    validated_dataset(state)
    r = impact(baseline, state).to_dict()
    assert r["leadership"]["after"] < r["leadership"]["before"]
    assert r["bodies"]["merged"] > 0
    assert r["units"]["by_kind"]["province"]["change"] < 0
    assert r["headcount"]["after"] < r["headcount"]["before"]
    # the synthetic communes repeat names: under one province they are said to clash
    assert all("headcount" in w or "borne by more than one unit under one parent" in w
               for w in r["warnings"]), r["warnings"]
