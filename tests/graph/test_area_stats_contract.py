"""The store contract of an area's own figures, on every backend (`store_backend`):

- `inferred_area(unit_id, at)`: the area `graph.areas.infer_areas` gives a body naming no
  area on `at` (what a unit's own answer, `GET /units/{id}`, says of its area), "" for the
  others; the same before and after an area listing has computed the day's areas (the
  backends answer from that day's areas once they hold them, else from the unit's chain);
- `stats_counts(at, area=)`: the counts of `stats` over the units `area_page(area, at)`
  pages through (own + inferred), and with `root=` too over those within `scope(root)`.

Expected values are computed here from the rule over a `MemoryGraph` of the same data and
from the records (each unit's figures by `rules.headcount_on`, the posts of the date), not
from the capability under test. tests/data/r_hai_phong: Hải Phòng's Party boards and
office under the Thành ủy name no area, nor the Party Committees of Kim Thành's communes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from graph import rules
from graph.areas import TERRITORIAL_KINDS, infer_areas
from graph.embedded.memory import MemoryGraph
from loaders import read_dataset

DATA = Path(__file__).parent.parent / "data"
AT = dt.date(2025, 6, 30)


def dates_of(dataset) -> list[dt.date]:
    return sorted({d.first_day() for u in dataset.units for d in (u.valid_from, u.valid_to)
                   if d is not None} | {AT, dt.date(2030, 1, 1)})


def rule_areas(memory: MemoryGraph, dataset, at: dt.date) -> dict[str, str]:
    """unit id -> the area the rule gives it on `at`, for the bodies naming none then."""
    dated = {n.unit_id for n in dataset.names if n.area}
    blank = [u for u in memory.units(at, area="") if u.kind not in TERRITORIAL_KINDS
             and u.level != "central"]
    return infer_areas(memory, blank, at, dated)


@pytest.mark.parametrize("name", ["r_hai_phong", "c_moved", "chain"])
def test_a_units_inferred_area_is_the_one_its_area_listing_gives(store_backend, name):
    dataset = read_dataset(DATA / name)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    memory = MemoryGraph(dataset)
    seen = set()
    for at in dates_of(dataset):
        want = rule_areas(memory, dataset, at)
        alive = [u.id for u in memory.units(at)]
        # from the unit's own chain (no listing of the day asked yet), then from the day's
        # areas a listing computed
        cold = {uid: store.inferred_area(uid, at) for uid in alive}
        for area in sorted(set(want.values())):
            store.area_page(area, at, limit=1)
        warm = {uid: store.inferred_area(uid, at) for uid in alive}
        expected = {uid: want.get(uid, "") for uid in alive}
        assert cold == expected, at
        assert warm == expected, at
        # each inferred one is in its area's listing, marked so
        for uid, area in want.items():
            assert uid in store.area_page(area, at, limit=10_000).inferred, (at, uid)
        seen |= {uid for uid, a in want.items() if a}
    # a unit that does not exist on the date, or is unknown, has none
    assert store.inferred_area("nope", AT) == ""
    if name == "r_hai_phong":
        assert store.inferred_area("hp-btc", AT) == "hp"
        assert store.inferred_area("hd-kt-pt-du", AT) == "hd-kt-pt"
        assert store.inferred_area("hp-tu", AT) == ""  # it names Hải Phòng itself
        assert store.inferred_area("hp-btgdv", dt.date(2025, 1, 1)) == ""  # not yet formed
        assert {"hp-btc", "hp-ubkt", "hp-vptu", "hp-btgdv", "hd-kt-pt-du"} <= seen


def counts_over(memory: MemoryGraph, ids: list[str], at: dt.date):
    """The `StatsCounts` fields over `ids`, from the records: units by (kind, level), each
    unit's figure by the rule, people holding posts there (their posts counted everywhere)."""
    units = [memory.get_unit(uid) for uid in ids]
    figures = [h.headcount for u in units
               if (h := rules.headcount_on(memory.headcounts(u.id), at)) is not None]
    posts = [p for p in memory.dataset().posts if p.valid_at(at)]
    holders = {p.person_id for p in posts if p.unit_id in set(ids)}
    per_person = Counter(p.person_id for p in posts if p.person_id in holders)
    concurrent = sorted((pid, n) for pid, n in per_person.items() if n > 1)
    return (dict(Counter((u.kind, u.level) for u in units)), sum(figures), len(figures),
            len(holders), len(concurrent), concurrent[:20])


def fields(c):
    return (c.by_kind_level, c.headcount, c.units_with_figure, c.people_with_posts,
            c.people_with_concurrent_posts, c.concurrent_sample)


@pytest.mark.parametrize("name", ["r_hai_phong", "c_moved", "chain"])
def test_an_areas_stats_count_the_units_its_listing_gives(store_backend, name):
    dataset = read_dataset(DATA / name)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    memory = MemoryGraph(dataset)
    for at in dates_of(dataset):
        want = rule_areas(memory, dataset, at)
        areas = [u.id for u in memory.units(at) if u.kind in TERRITORIAL_KINDS]
        for area in areas:
            members = sorted([u.id for u in memory.units(at, area=area)]
                             + [uid for uid, a in want.items() if a == area])
            got = store.stats_counts(at, area=area)
            assert fields(got) == counts_over(memory, members, at), (at, area)
            assert sum(got.by_kind_level.values()) == store.area_page(area, at, limit=1).total
        # with a root: the area's units within the root's scope
        for root in [u.id for u in memory.units(at) if memory.parent(u.id, at) is None
                     or u.kind == "party_committee"][:6]:
            scope = memory.scope(root, at)
            for area in areas[:4]:
                members = [uid for uid in scope if uid in set(
                    [u.id for u in memory.units(at, area=area)]
                    + [uid for uid, a in want.items() if a == area])]
                assert fields(store.stats_counts(at, root, area)) == counts_over(
                    memory, members, at), (at, root, area)
    if name == "r_hai_phong":
        hp = store.stats_counts(AT, area="hp")
        # the Thành ủy's boards and office, which name no area, are Hải Phòng's
        assert hp.by_kind_level[("party_board", "province")] == 2
        assert hp.by_kind_level[("party_office", "province")] == 1
        assert hp.by_kind_level[("inspection_committee", "province")] == 1
        commune = store.stats_counts(AT, area="hd-kt-pt")
        assert commune.by_kind_level[("party_committee", "commune")] == 1
