"""Structure queries over a `GraphReader`: a unit, its subtree, ancestors, a snapshot, search.

Pure functions: they read through the `graph.store.GraphReader` protocol only (the
baseline store or a scenario's state alike), never mutate it, and answer plain
dicts and dataclasses. A single-unit query touches that unit's facts and its
neighbours only; the as-of filter is the validity interval of each fact. The walks
over many units (subtree, ancestors, roots) are the reader's capabilities: these
functions check their arguments, then ask the reader, whatever its backend.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import rules
from graph.errors import InvalidParameter
from graph.model import Headcount, Unit
from graph.queries.answers import (check_depth, headcount_dict, unit_dict, unit_ref,
                                   require_unit)
from graph.queries import provenance
from graph.store import GraphReader
from graph.text import fold, words

__all__ = ["subtree", "ancestors", "snapshot", "unit_detail", "stats", "headcount_at",
           "search", "children", "unit_dict", "path"]


def headcount_at(reader: GraphReader, unit_id: str, at: dt.date | None) -> Headcount | None:
    """The unit's headcount on `at` (`graph.rules.headcount_on`: the latest approved figure
    dated on or before `at`, else the latest actual one; at=None: the latest of all)."""
    return reader.headcount(unit_id, at)


def _figure(reader: GraphReader, unit_id: str, at: dt.date | None) -> int | None:
    h = reader.headcount(unit_id, at)
    return h.headcount if h else None


def children(reader: GraphReader, unit_id: str, at: dt.date | None) -> list[dict[str, Any]]:
    """The units PART_OF `unit_id` on `at`, by id, each as a unit dict with its headcount."""
    require_unit(reader, unit_id, at)
    if at is not None:  # the first level of the sourced subtree holds these very fields
        tree = reader.sourced_subtree(unit_id, at, 1)
        return [kid["unit"] | {"headcount": kid["headcount"],
                               "headcount_detail": kid["headcount_detail"],
                               "parent_source": kid["parent_source"]}
                for kid in tree["children"]]
    return children_one_by_one(reader, unit_id, at)


def children_one_by_one(reader: GraphReader, unit_id: str,
                        at: dt.date | None) -> list[dict[str, Any]]:
    """`children` read unit by unit through the primitives (at=None: no subtree answers
    'whatever the lifetime'; the contract suite compares the two ways)."""
    kids = reader.get_units(reader.children(unit_id, at))
    out = []
    for uid, u in sorted(kids.items()):
        if u.valid_at(at):
            h = reader.headcount(u.id, at)
            rel = provenance.parent_relation(reader, uid, unit_id, at)
            out.append(unit_dict(provenance.name_on(reader, u, at)[0], unit_id)
                       | {"headcount": h.headcount if h else None,
                          "headcount_detail": headcount_dict(h),
                          "parent_source": rel.source if rel else None})
    return out


def subtree(reader: GraphReader, root_id: str, at: dt.date | None,
            depth: int | None = None) -> dict[str, Any]:
    """The structure under `root_id` on `at`, nested: `{"unit", "headcount", "child_count",
    "children": [...]}`; `depth` levels below the root (None: all, 0: the root alone).
    `child_count` is the number of children on `at` even where `depth` cut them off.
    (`GraphReader.subtree`, once the root and the depth are checked.)"""
    check_depth(depth)
    require_unit(reader, root_id, at)
    return reader.sourced_subtree(root_id, at, depth)  # default: sourced_tree(subtree)


def sourced_tree(reader: GraphReader, tree: dict[str, Any], at: dt.date | None) -> dict[str, Any]:
    """Each node of a subtree with the source of its PART_OF relation (`parent_source`),
    its headcount's date, basis and source (`headcount_detail`) and its name on `at`."""
    # three lookups a node: through one pinned revision, not a freshness check each
    reader = reader.pinned()
    stack = [tree]
    while stack:
        node = stack.pop()
        info = node["unit"]
        uid, parent = info["id"], info.get("parent")
        rel = provenance.parent_relation(reader, uid, parent, at) if parent else None
        node["parent_source"] = rel.source if rel else None
        node["headcount_detail"] = headcount_dict(reader.headcount(uid, at)) \
            if node.get("headcount") is not None else None
        former = provenance.former_name(reader, uid, at)
        if former is not None:
            info.update(name=former.name, name_en=former.name_en or info["name_en"],
                        abbr=former.abbr, area=former.area or info["area"])
        stack.extend(node.get("children") or ())
    return tree


def ancestors(reader: GraphReader, unit_id: str, at: dt.date | None) -> list[Unit]:
    """The parent of `unit_id` on `at`, its parent, ... up to the root (the unit excluded;
    the walk stops at a parent that is not a unit)."""
    require_unit(reader, unit_id, at)
    ids = reader.ancestors(unit_id, at)
    found = reader.get_units(ids)
    out: list[Unit] = []
    for uid in ids:
        unit = found.get(uid)
        if unit is None:
            break
        out.append(unit)
    return out


def roots(reader: GraphReader, at: dt.date | None) -> list[Unit]:
    """The units on `at` without a parent on `at` (the tops of the forest), by id."""
    ids = reader.roots(at)
    found = reader.get_units(ids)
    return [found[uid] for uid in ids if uid in found]


def snapshot(reader: GraphReader, at: dt.date | None, root: str | None = None,
             depth: int | None = None) -> list[dict[str, Any]]:
    """The structure on `at` as a forest of `subtree` answers: under `root`, or under
    every unit that has no parent on that date."""
    check_depth(depth)
    if root is not None:
        require_unit(reader, root, at, field="root")
        return [reader.subtree(root, at, depth)]
    return [reader.subtree(uid, at, depth) for uid in reader.roots(at)]


def _links(reader: GraphReader, unit_id: str, at: dt.date | None, rel_type: str,
           direction: str) -> list[dict[str, Any]]:
    rels = reader.relations(unit_id, at, types=[rel_type], direction=direction)
    other_ids = [r.target_id if direction == "out" else r.source_id for r in rels]
    others = reader.get_units(other_ids)
    return [unit_ref(others.get(o), o) | {"valid_from": r.as_dict()["valid_from"],
                                          "valid_to": r.as_dict()["valid_to"],
                                          "note": r.note, "source": r.source}
            for o, r in zip(other_ids, rels)]


def post_dicts(reader: GraphReader, posts: list, *, with_unit: bool = False,
               with_person: bool = True) -> list[dict[str, Any]]:
    """Posts as JSON with the person's name (and the unit's reference)."""
    units = reader.get_units({p.unit_id for p in posts}) if with_unit else {}
    out = []
    for p in posts:
        item: dict[str, Any] = {"person_id": p.person_id, "role": p.role,
                                "valid_from": p.as_dict()["valid_from"],
                                "valid_to": p.as_dict()["valid_to"], "source": p.source}
        if with_person:
            person = reader.get_person(p.person_id)
            item["person"] = person.name if person else None
        if with_unit:
            item["unit"] = unit_ref(units.get(p.unit_id), p.unit_id)
        out.append(item)
    return out


def unit_detail(reader: GraphReader, unit_id: str, at: dt.date | None) -> dict[str, Any]:
    """One unit on `at` with its parent, children count, headcount, functions, posts (who
    holds them, and each holder's other posts on that date), SERVES / served-by and
    GUIDED_BY / guides links. at=None: the unit whatever its lifetime, with every fact
    ever recorded and its most recent parent."""
    reader = reader.unit_view(unit_id, at)  # what follows, loaded in one read (Neo4j)
    unit = require_unit(reader, unit_id, at)
    parent_id = reader.parent(unit_id, at)
    parent = reader.get_unit(parent_id) if parent_id else None
    parent_rel = provenance.parent_relation(reader, unit_id, parent_id, at)
    kids = reader.children(unit_id, at)
    hc = headcount_at(reader, unit_id, at)
    posts = sorted(reader.posts(unit_id=unit_id, at=at), key=rules.post_order_key)
    post_items = post_dicts(reader, posts)
    for item, p in zip(post_items, posts):
        others = [q for q in reader.posts(person_id=p.person_id, at=at) if q != p]
        item["concurrent"] = post_dicts(reader, others, with_unit=True, with_person=False)
    return {
        "unit": unit_dict(provenance.name_on(reader, unit, at)[0], parent_id),
        "at": at.isoformat() if at else None,
        "exists": unit.valid_at(at) if at else True,
        "parent": unit_ref(parent, parent_id) | {
            "source": parent_rel.source if parent_rel else None,
            "relation": provenance.relation_source(parent_rel)} if parent_id else None,
        **provenance.status(reader, unit),
        "names": provenance.names(reader, unit),
        "plans": provenance.plans_for(reader, unit_id),
        "children_count": len(kids),
        "headcount": headcount_dict(hc),
        "functions": [{"function": f.function, "valid_from": f.as_dict()["valid_from"],
                       "valid_to": f.as_dict()["valid_to"], "source": f.source}
                      for f in reader.functions(unit_id, at)],
        "posts": post_items,
        "serves": _links(reader, unit_id, at, "SERVES", "out"),
        "served_by": _links(reader, unit_id, at, "SERVES", "in"),
        "guided_by": _links(reader, unit_id, at, "GUIDED_BY", "out"),
        "guides": _links(reader, unit_id, at, "GUIDED_BY", "in"),
    }


def search(reader: GraphReader, q: str, at: dt.date | None, limit: int = 20, *,
           kind: str | None = None, level: str | None = None) -> list[dict[str, Any]]:
    """Units matching `q` (diacritics-insensitive, by abbreviation or English name) that
    exist on `at`, best first: `{"unit": <unit dict>, "score": float}`."""
    text = (q or "").strip()
    if not text:
        raise InvalidParameter("q must not be empty",
                               errors=[{"field": "q", "message": "empty search text", "value": q}])
    if limit < 1:
        raise InvalidParameter("limit must be 1 or more",
                               errors=[{"field": "limit", "message": "must be >= 1", "value": limit}])
    filtered = kind is not None or level is not None
    hits = reader.search_units(text, at, limit * 20 if filtered else limit)
    kept = [(unit, score) for unit, score in hits
            if (kind is None or unit.kind == kind) and (level is None or unit.level == level)]
    kept = kept[:limit]
    parents = reader.parents([unit.id for unit, _ in kept], at)  # one batch, not one a hit
    out = []
    for unit, score in kept:
        hit = {"unit": unit_dict(unit, parents[unit.id]), "score": score}
        former = _former_match(reader, unit, text, score)
        if former is not None:
            hit["formerly"] = former
        out.append(hit)
    return out


def _covers(terms: list[str], query: str, name: str, name_en: str, abbr: str) -> bool:
    """The search rules' match: every word whole, the last possibly a prefix, or the abbr."""
    if abbr and fold(abbr).replace(" ", "") == query.replace(" ", ""):
        return True
    vocabulary = {*words(name), *words(name_en)}
    *head, last = terms
    return all(t in vocabulary for t in head) and (
        last in vocabulary or (len(last) >= 2 and any(w.startswith(last) for w in vocabulary)))


def _former_match(reader: GraphReader, unit: Unit, text: str,
                  score: float = 1.0) -> dict[str, Any] | None:
    """The former name (`names.csv`) a hit was found by, when its current name does not
    match: `{"name", "name_en", "abbr", "valid_from", "valid_to"}`; else None (a match by
    the current name, or a typo of it). A typo of a former name scores below
    `FORMER_FUZZY_BELOW`: then the closest former name is the one it was found by."""
    from graph.queries.search import FORMER_FUZZY_BELOW, closest_name

    terms, query = words(text), fold(text).strip()
    if not terms or _covers(terms, query, unit.name, f"{unit.name_en} {unit.id}", unit.abbr):
        return None
    names = reader.unit_names(unit.id)
    found = next((n for n in names if _covers(terms, query, n.name, n.name_en, n.abbr)), None)
    if found is None and names and score < FORMER_FUZZY_BELOW:
        k = closest_name(text, [n.name for n in names])
        found = names[k] if k is not None else None
    if found is None:
        return None
    d = found.as_dict()
    return {"name": found.name, "name_en": found.name_en, "abbr": found.abbr,
            "valid_from": d["valid_from"], "valid_to": d["valid_to"]}


# Re-exported so that `graph.queries.structure` is the one place to import queries from.
from graph.queries.stats import stats  # noqa: E402
from graph.queries.path import path  # noqa: E402
