"""In-process query latency over a fixed random sample.

Each query is timed through the project's own pure query functions (`graph.queries.structure`,
`graph.queries.lineage`), called as the API routes call them; the report names each (`impl`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any, Callable

from bench.stats import time_calls

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
EARLIER = dt.date(2024, 1, 1)
#: The date of searches and of unit lookups without `at` (the API's default is today).
SEARCH_AT = dt.date(2026, 1, 1)


# -- adapters: the project's functions, called as the API routes call them --------------------
def _adapters(store) -> dict[str, tuple[Callable, str]]:
    """name -> (callable taking the sample's args, implementation label)."""
    out: dict[str, tuple[Callable, str]] = {}
    out["unit_get"] = (store.get_unit, "GraphReader.get_unit")
    out["children_ids"] = (store.children, "GraphReader.children")
    from graph.queries import structure as queries
    from graph.queries.lineage import lineage
    from graph.queries.answers import lifetime_day

    def unit_lookup(uid: str) -> Any:  # as GET /units/{id} without `at`
        unit = store.get_unit(uid)
        return queries.unit_detail(store, uid, lifetime_day(unit, SEARCH_AT))

    out["unit_lookup"] = (unit_lookup, "graph.queries.unit_detail (as GET /units/{id})")
    out["children"] = ((lambda uid, at: queries.children(store, uid, at)), "graph.queries.children")
    out["ancestors"] = ((lambda uid, at: queries.ancestors(store, uid, at)),
                        "graph.queries.ancestors")
    out["province_subtree"] = ((lambda uid, at: queries.subtree(store, uid, at)),
                               "graph.queries.subtree")
    out["national_stats"] = ((lambda at: queries.stats(store, at)), "graph.queries.stats")
    out["search"] = ((lambda text: queries.search(store, text, SEARCH_AT, 20)),
                     "graph.queries.search")
    out["lineage"] = ((lambda uid: lineage(store, uid)), "graph.queries.lineage.lineage")
    return out


# -- the fixed sample -------------------------------------------------------------------------
def _fold(text: str) -> str:
    import unicodedata
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def sample(store, seed: int, quick: bool) -> dict[str, list[tuple]]:
    rng = random.Random(seed)
    units = store.dataset().units  # in file order: deterministic
    scale = 10 if quick else 1
    ids = [u.id for u in units]
    commune_units = [u.id for u in units if u.level == "commune"]
    provinces_before = [u.id for u in units if u.kind == "province" and u.valid_at(BEFORE)]
    provinces_after = [u.id for u in units if u.kind == "province" and u.valid_at(AFTER)]
    alive_early = {u.id for u in units if u.valid_at(EARLIER)}
    alive_after = {u.id for u in units if u.valid_at(AFTER)}
    kinds_with_children = {"province", "district", "commune", "party_committee", "government",
                           "front", "shared_agency", "other"}
    parents_early = [u.id for u in units if u.kind in kinds_with_children and u.id in alive_early]
    parents_after = [u.id for u in units if u.kind in kinds_with_children and u.id in alive_after]
    consolidated = sorted({o for e in store.dataset().events if e.type == "CONSOLIDATE"
                           for o in e.outputs if store.get_unit(o).kind == "province"})
    if not consolidated:  # a one-province dataset: take any consolidated unit
        consolidated = sorted({o for e in store.dataset().events if e.type == "CONSOLIDATE"
                               for o in e.outputs})[:20]

    def pick(pool, n):
        pool = list(pool)
        return [pool[rng.randrange(len(pool))] for _ in range(n)] if pool else []

    early_communes = [u for u in commune_units if u in alive_early]
    after_communes = [u for u in commune_units if u in alive_after]
    out: dict[str, list[tuple]] = {
        "unit_get": [(u,) for u in pick(ids, 20000 // scale)],
        "unit_lookup": [(u,) for u in pick(ids, 5000 // scale)],
        "children_ids": ([(u, EARLIER) for u in pick(parents_early, 1000 // scale)]
                         + [(u, AFTER) for u in pick(parents_after, 1000 // scale)]),
        "children": ([(u, EARLIER) for u in pick(parents_early, 1000 // scale)]
                     + [(u, AFTER) for u in pick(parents_after, 1000 // scale)]),
        "ancestors": ([(u, EARLIER) for u in pick(early_communes, 1000 // scale)]
                      + [(u, AFTER) for u in pick(after_communes, 1000 // scale)]),
        "province_subtree_before": [(u, BEFORE) for u in pick(provinces_before, max(5, 60 // scale))],
        "province_subtree_after": [(u, AFTER) for u in pick(provinces_after, max(5, 60 // scale))],
        "lineage": [(u,) for u in pick(consolidated, max(5, 100 // scale))],
        # Distinct dates, none seen before (an answer may be memoised per date).
        "national_stats": [(dt.date(y, m, 15),) for y in range(2018, 2027) for m in (2, 5, 8, 11)
                           ][:: (8 if quick else 1)],
    }
    names = [u for u in units if u.kind in ("province", "commune", "district")]
    queries = ["UBKT", "MTTQ", "BTV", "ban to chuc", "Ban Tổ chức Tỉnh ủy", "so noi vu",
               "People's Committee", "hoi nong d", "Đảng ủy xã", "uy ban kiem tra huyen",
               "shared advisory agency", "chi bo thon 3", "Sở Nông nghiệp và Môi trường",
               "van phong tinh uy", "doan thanh nien"]
    for u in pick(names, 25):
        place = u.name.split(" ", 1)[1] if " " in u.name else u.name
        queries.append(_fold(place) if rng.random() < 0.5 else place)
        queries.append(f"ubnd {_fold(place)}")
    out["search"] = [(q,) for q in queries] * (1 if quick else 4)
    return out


def run(store, seed: int = 1, quick: bool = False, log: Callable[[str], None] = print) -> dict:
    adapters = _adapters(store)
    samples = sample(store, seed, quick)
    results: dict[str, Any] = {}
    # What is built lazily on first use: time it on its own (`bomay serve` builds it in the
    # background once it answers; a request arriving earlier waits for it).
    from graph.embedded.memory_index import OPEN_LO
    cold: dict[str, float] = {}
    if hasattr(store, "structure_index"):  # an in-memory baseline (the Neo4j store has none)
        t = time.perf_counter()
        index = store.structure_index()
        cold["structure_index_build_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        index.stats_counts(OPEN_LO)
        cold["stats_steps_build_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    adapters["search"][0]("warm up")
    results["search_index_build_s"] = cold["search_index_build_s"] = round(time.perf_counter() - t, 3)
    results["cold"] = cold
    plan = [("unit_get", "unit_get"), ("unit_lookup", "unit_lookup"), ("children_ids", "children_ids"),
            ("children", "children"), ("ancestors", "ancestors"),
            ("province_subtree_before", "province_subtree"),
            ("province_subtree_after", "province_subtree"), ("lineage", "lineage"),
            ("national_stats", "national_stats"), ("search", "search")]
    for name, adapter in plan:
        fn, impl = adapters[adapter]
        args = samples[name]
        if not args:
            results[name] = {"skipped": "no sample in this dataset"}
            continue
        log(f"  {name}: {len(args)} calls via {impl}")
        summary = time_calls(fn, args, warmup=0 if name == "national_stats" else min(3, len(args)))
        summary["impl"] = impl
        if name.startswith("province_subtree"):
            sizes = [_count(fn(*a)) for a in args[:5]]
            summary["units_per_subtree"] = round(sum(sizes) / len(sizes))
        results[name] = summary
    return results


def _count(value) -> int:
    """Units in a query's answer: nodes of a nested subtree dict, or items of a list."""
    if isinstance(value, dict) and "children" in value:
        stack, n = [value], 0
        while stack:
            node = stack.pop()
            n += 1
            stack.extend(node.get("children", ()))
        return n
    return len(value) if hasattr(value, "__len__") else 1


__all__ = ["run", "sample"]
