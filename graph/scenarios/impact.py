"""`impact(before, after, assumptions) -> report`: what a scenario changes, in numbers.

Pure: reads two states and returns a plain dict (JSON-ready). The report is scoped to
the affected part of the graph: the subtrees (PART_OF, on the date) of the units the
operations act on ("subjects": units that end, start, absorb, move, are renamed, give or
receive functions), read in the baseline and in the scenario, plus the parents of those
units for span of control. Everything a planner needs to check the numbers by hand is in
the report: the scope, the assumptions and, for each saving, where it comes from.

Headcount: a unit's figure on the date is its latest approved figure on or before it
(else its latest actual one). The scenario's recorded headcount conserves people (merged
units' figures are summed); the assumptions then say what the reorganisation saves:

- `remove_duplicate_leadership` (default true): a unit brought together from several,
  holding two or more people in a single-holder leadership role (`single_holder_roles`:
  secretary, standing deputy secretary, head, chair), keeps one; each removed post saves
  `leadership_post_saving` people (default 1);
- `support_saving` (default office_admin, finance_accounting and transport at 0.5): for a
  support function that ends up duplicated inside a merged unit (held by k of the units
  brought together), each of the k - 1 duplicate teams of `support_staff` people
  (default 2) is cut by that ratio.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping

from graph.errors import InvalidParameter
from graph.model import LEADERSHIP_ROLES, Unit
from graph.scenarios.apply import SINGLE_HOLDER_ROLES, LogEntry
from graph.queries.structure import headcount_at
from graph.scenarios.walks import ancestors, children_reader
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader

DEFAULT_SUPPORT_SAVING = {"office_admin": 0.5, "finance_accounting": 0.5, "transport": 0.5}


@dataclass(frozen=True)
class Assumptions:
    remove_duplicate_leadership: bool = True
    leadership_post_saving: float = 1.0
    support_saving: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SUPPORT_SAVING))
    support_staff: float = 2.0
    max_span: int = 10
    single_holder_roles: tuple[str, ...] = SINGLE_HOLDER_ROLES

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["support_saving"] = dict(self.support_saving)
        out["single_holder_roles"] = list(self.single_holder_roles)
        return out

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Assumptions":
        """From query parameters or a plan file: every value may be text.

        `support_saving` is `office_admin:0.5,transport:0.3` (or a mapping); a key
        `saving.<function>` (or `saving_<function>`) sets one ratio."""
        errors: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        support = dict(DEFAULT_SUPPORT_SAVING)

        def number(key: str, raw: Any, *, integer: bool = False, ratio: bool = False):
            try:
                value = int(raw) if integer else float(raw)
                if value < 0 or (ratio and value > 1):
                    raise ValueError
                return value
            except (TypeError, ValueError):
                expected = "a ratio between 0 and 1" if ratio else \
                    "a whole number (0 or more)" if integer else "a number (0 or more)"
                errors.append({"field": key, "message": f"expected {expected}",
                               "value": str(raw)})
                return None

        for key, raw in values.items():
            if raw is None or raw == "":
                continue
            if key == "remove_duplicate_leadership":
                text = str(raw).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    kwargs[key] = True
                elif text in ("0", "false", "no", "off"):
                    kwargs[key] = False
                else:
                    errors.append({"field": key, "message": "expected true or false",
                                   "value": str(raw)})
            elif key in ("leadership_post_saving", "support_staff"):
                v = number(key, raw)
                if v is not None:
                    kwargs[key] = v
            elif key == "max_span":
                v = number(key, raw, integer=True)
                if v is not None:
                    kwargs[key] = int(v)
            elif key == "support_saving":
                items = raw.items() if isinstance(raw, Mapping) else (
                    part.split(":", 1) if ":" in part else (part, "")
                    for part in str(raw).split(",") if part.strip())
                for name, value in items:
                    v = number(f"support_saving.{name}", value, ratio=True)
                    if v is not None:
                        support[str(name).strip()] = v
            elif key.startswith(("saving.", "saving_")):
                name = key.split(".", 1)[1] if key.startswith("saving.") else key[7:]
                v = number(key, raw, ratio=True)
                if v is not None:
                    support[name] = v
            elif key == "single_holder_roles":
                roles = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
                kwargs[key] = tuple(r.strip() for r in roles if r.strip())
            else:
                errors.append({"field": key, "message": "unknown assumption; expected one of "
                               "remove_duplicate_leadership, leadership_post_saving, "
                               "support_saving, saving.<function>, support_staff, max_span, "
                               "single_holder_roles", "value": str(raw)})
        if errors:
            raise InvalidParameter(f"assumptions: {errors[0]['field']}: {errors[0]['message']}",
                                   errors=errors)
        return cls(support_saving=support, **kwargs)


@dataclass
class _RegionReading:
    """What the report needs from one state, over the affected region."""

    at: dt.date
    units: dict[str, Unit]
    depth: dict[str, int]  # absolute layer, the top unit being layer 1
    children: dict[str, int]
    headcount: dict[str, int | None]
    leaders: dict[str, list[tuple[str, str]]]  # unit -> [(person, role)]


def _read_region(reader: GraphReader, roots: Iterable[str], at: dt.date, span_units: Iterable[str],
              reuse: "_RegionReading | None" = None, changed: set[str] | None = None) -> _RegionReading:
    """Walk the subtrees of `roots` on `at` (outer roots first), reading each unit once.

    With `reuse` (the baseline's snapshot) and `changed` (units the scenario changed), an
    unchanged unit's children, headcount and posts are taken from `reuse`."""
    roots = [r for r in dict.fromkeys(roots)
             if (u := reader.get_unit(r)) is not None and u.valid_at(at)]
    top = {r: len(ancestors(reader, r, at)) + 1 for r in roots}
    roots.sort(key=lambda r: (top[r], r))
    depth: dict[str, int] = {}
    children: dict[str, int] = {}
    can_reuse = reuse is not None and changed is not None

    read_kids = children_reader(reader, at)

    def kids(uid: str) -> list[str]:
        if can_reuse and uid not in changed and uid in reuse._kids:  # type: ignore[union-attr]
            return reuse._kids[uid]  # type: ignore[union-attr]
        return read_kids(uid)

    all_kids: dict[str, list[str]] = {}
    for root in roots:
        if root in depth:
            continue
        depth[root] = top[root]
        frontier = [root]
        while frontier:
            nxt = []
            for uid in frontier:
                ks = kids(uid)
                all_kids[uid] = ks
                children[uid] = len(ks)
                d = depth[uid] + 1
                for k in ks:
                    if k not in depth:
                        depth[k] = d
                        nxt.append(k)
            frontier = nxt
    for uid in span_units:
        if uid not in children and uid is not None:
            u = reader.get_unit(uid)
            if u is not None and u.valid_at(at):
                ks = kids(uid)
                all_kids[uid] = ks
                children[uid] = len(ks)
    region = list(depth)
    units = reader.get_units(region)
    headcount: dict[str, int | None] = {}
    leaders: dict[str, list[tuple[str, str]]] = {}
    for uid in region:
        if can_reuse and uid not in changed and uid in reuse.headcount:  # type: ignore
            headcount[uid] = reuse.headcount[uid]  # type: ignore[union-attr]
            leaders[uid] = reuse.leaders[uid]  # type: ignore[union-attr]
            continue
        h = headcount_at(reader, uid, at)
        headcount[uid] = h.headcount if h else None
        leaders[uid] = [(p.person_id, p.role) for p in reader.posts(unit_id=uid, at=at)
                        if p.role in LEADERSHIP_ROLES]
    snap = _RegionReading(at, units, depth, children, headcount, leaders)
    snap._kids = all_kids  # type: ignore[attr-defined]
    return snap


def _by(units: Iterable[Unit], attr: str) -> Counter:
    return Counter(getattr(u, attr) for u in units)


def _compare(before: Counter, after: Counter) -> dict[str, dict[str, int]]:
    return {k: {"before": before.get(k, 0), "after": after.get(k, 0),
                "change": after.get(k, 0) - before.get(k, 0)}
            for k in sorted(set(before) | set(after))}


def _num(x: float) -> float | int:
    x = round(x, 2)
    return int(x) if float(x).is_integer() else x


def impact(before: GraphReader, after: GraphReader, assumptions: Assumptions | None = None, *,
           at_before: dt.date | None = None, at_after: dt.date | None = None,
           log: Iterable[LogEntry] | None = None) -> dict[str, Any]:
    """The impact report of going from `before` to `after` (a ScenarioState over `before`).

    Both are read on the scenario's effective date (its latest operation's date) unless
    `at_before` / `at_after` say otherwise, so that the difference is the scenario's alone.
    """
    a = assumptions or Assumptions()
    if isinstance(after, ScenarioState):
        at_after = at_after or after.effective_at
        log = tuple(after.log) if log is None else tuple(log)
    if at_after is None:
        raise ValueError("impact needs at_after when `after` is not a ScenarioState")
    at_before = at_before or at_after
    log = tuple(log or ())

    subjects: list[str] = []
    parents: set[str] = set()
    for entry in log:
        subjects += entry.subjects
        for unit, old, new in entry.moved:
            parents.update(p for p in (old, new) if p)
    subjects = list(dict.fromkeys(subjects))
    for s in subjects:
        for reader, at in ((before, at_before), (after, at_after)):
            p = reader.parent(s, at)
            if p:
                parents.add(p)

    same_base = isinstance(after, ScenarioState) and at_before == at_after and (
        before is after.base or getattr(before, "memory", None) is after.base)
    # The region: the subtrees of the subjects, and of every unit moved (a unit moved out of
    # a subject's subtree stays in the region on both sides).
    roots = list(dict.fromkeys(subjects + [m[0] for e in log for m in e.moved]))
    snap_b = _read_region(before, roots, at_before, parents)
    changed = after.changed_unit_ids() if same_base else None  # type: ignore[union-attr]
    snap_a = _read_region(after, roots, at_after, parents, reuse=snap_b if same_base else None,
                       changed=changed)

    units_b, units_a = list(snap_b.units.values()), list(snap_a.units.values())
    ended = [u for e in log for u in e.ended]
    started = [u for e in log for u in e.started]

    # -- functions ----------------------------------------------------------------------------
    duplicated = []
    support_savings = []
    for entry in log:
        for unit, function, holders in entry.duplicated_functions:
            item = {"unit": unit, "function": function, "holders": holders,
                    "duplicates": holders - 1, "operation": entry.index}
            ratio = a.support_saving.get(function)
            if ratio is not None:
                saving = (holders - 1) * a.support_staff * ratio
                item["saving"] = _num(saving)
                support_savings.append({
                    "reason": "duplicated support function", "unit": unit, "function": function,
                    "amount": _num(saving),
                    "how": f"({holders} - 1) duplicate × {_num(a.support_staff)} staff × "
                           f"{_num(ratio)}"})
            duplicated.append(item)
    nowhere = [{"function": f, "from": src, "operation": e.index}
               for e in log for f, src, dest in e.functions if dest is None]
    moved_functions = [{"function": f, "from": src, "to": dest, "operation": e.index}
                       for e in log for f, src, dest in e.functions if dest is not None]
    fb = sum(len({f.function for f in before.functions(s, at_before)}) for s in subjects)
    fa = sum(len({f.function for f in after.functions(s, at_after)}) for s in subjects)

    # -- leadership ----------------------------------------------------------------------------
    receivers = sorted({to for e in log for _, _, _, to in e.posts if to})
    receivers += [s for s in started if s not in receivers]
    dup_leaders = []
    for uid in receivers:
        ls = snap_a.leaders.get(uid)
        if ls is None:
            ls = [(p.person_id, p.role) for p in after.posts(unit_id=uid, at=at_after)
                  if p.role in LEADERSHIP_ROLES]
        by_role: dict[str, list[str]] = {}
        for person, role in ls:
            if role in a.single_holder_roles:
                by_role.setdefault(role, [])
                if person not in by_role[role]:
                    by_role[role].append(person)
        for role, people in sorted(by_role.items()):
            if len(people) > 1:
                dup_leaders.append({"unit": uid, "role": role, "people": people,
                                    "duplicates": len(people) - 1})
    removed_posts = sum(d["duplicates"] for d in dup_leaders) \
        if a.remove_duplicate_leadership else 0
    leaders_b = sum(len(v) for v in snap_b.leaders.values())
    leaders_a = sum(len(v) for v in snap_a.leaders.values())
    people: dict[tuple, dict[str, Any]] = {}
    for e in log:
        for person, unit, role, to in e.posts:
            p = before.get_person(person)
            key = (person, unit, role)
            people[key] = {"person": person, "name": p.name if p else "", "unit": unit,
                           "role": role, "leadership": role in LEADERSHIP_ROLES,
                           "change": f"moves to {to}" if to else "post ends", "to": to,
                           "operation": e.index}
    for d in dup_leaders:
        for person in d["people"]:
            for item in people.values():
                if item["person"] == person and item["to"] == d["unit"] and \
                        item["role"] == d["role"]:
                    item["duplicated"] = True

    # -- headcount -----------------------------------------------------------------------------
    hb = [v for v in snap_b.headcount.values() if v is not None]
    ha = [v for v in snap_a.headcount.values() if v is not None]
    savings = list(support_savings)
    if removed_posts:
        for d in dup_leaders:
            savings.append({"reason": "duplicated leadership post removed", "unit": d["unit"],
                            "role": d["role"],
                            "amount": _num(d["duplicates"] * a.leadership_post_saving),
                            "how": f"{d['duplicates']} post × {_num(a.leadership_post_saving)}"})
    # A saving counts only where the unit it comes from has a headcount figure to cut, and
    # never beyond that figure.
    left: dict[str, float] = {}
    for item in savings:
        unit = item["unit"]
        figure = snap_a.headcount.get(unit)
        if figure is None and unit not in snap_a.headcount:
            h = headcount_at(after, unit, at_after)
            figure = h.headcount if h else None
        if figure is None:
            item["applied"] = False
            item["note"] = f"{unit} has no headcount figure: not subtracted"
            continue
        left.setdefault(unit, float(figure))
        amount = min(float(item["amount"]), left[unit])
        left[unit] -= amount
        item["applied"] = True
        if amount < item["amount"]:
            item["note"] = f"capped at what is left of {unit}'s figure"
            item["amount"] = _num(amount)
    saving_total = sum(s["amount"] for s in savings if s["applied"])
    applied = {(s["unit"], s["function"]): s["applied"] for s in support_savings}
    for item in duplicated:
        if "saving" in item:
            item["saving_applied"] = applied.get((item["unit"], item["function"]), False)
    after_recorded = sum(ha)
    headcount = {
        "before": sum(hb), "after_recorded": after_recorded, "savings": savings,
        "saving_total": _num(saving_total), "after": _num(after_recorded - saving_total),
        "change": _num(after_recorded - saving_total - sum(hb)),
        "units_without_figure": {
            "before": sum(1 for v in snap_b.headcount.values() if v is None),
            "after": sum(1 for v in snap_a.headcount.values() if v is None)},
        "changes": [{"unit": u, "before": x, "after": y, "operation": e.index}
                    for e in log for u, x, y in e.headcount],
    }

    # -- span and depth ------------------------------------------------------------------------
    def span(snap: _RegionReading) -> dict[str, Any]:
        with_children = {u: n for u, n in snap.children.items() if n > 0}
        exceeding = sorted(({"unit": u, "children": n} for u, n in with_children.items()
                            if n > a.max_span), key=lambda d: (-d["children"], d["unit"]))
        return {"max": max(with_children.values(), default=0),
                "mean": _num(sum(with_children.values()) / len(with_children))
                if with_children else 0,
                "units_with_children": len(with_children), "exceeding": exceeding}

    span_changes = [{"unit": u, "before": snap_b.children.get(u), "after": snap_a.children.get(u)}
                    for u in sorted(set(snap_b.children) | set(snap_a.children))
                    if snap_b.children.get(u) != snap_a.children.get(u)
                    and max(snap_b.children.get(u) or 0, snap_a.children.get(u) or 0) > 0]

    # -- party ---------------------------------------------------------------------------------
    def party(kind: str) -> dict[str, Any]:
        kb = [u.id for u in units_b if u.kind == kind]
        ka = [u.id for u in units_a if u.kind == kind]
        kinds = {**{u.id: u.kind for u in units_b}, **{u.id: u.kind for u in units_a}}
        def of_kind(ids):
            return sorted({i for i in ids if (kinds.get(i) or _kind(before, after, i)) == kind})
        return {"before": len(kb), "after": len(ka), "change": len(ka) - len(kb),
                "ended": of_kind(ended), "started": of_kind(started),
                "moved": of_kind(m[0] for e in log for m in e.moved),
                "changed": of_kind(s for s in subjects if s not in ended and s not in started)}

    # -- warnings ------------------------------------------------------------------------------
    warnings = [w for e in log for w in e.warnings]
    # A unit reached by the walk hangs under a unit that exists: only the roots of the walk
    # and the units the scenario changed can be orphans.
    subject_set = set(roots)
    suspects = [uid for uid in snap_a.units
                if uid in subject_set or changed is None or uid in changed]
    for uid in suspects:
        p = after.parent(uid, at_after)
        if p is not None:
            pu = after.get_unit(p)
            if pu is None or not pu.valid_at(at_after):
                warnings.append(f"orphan: {uid} is part of {p}, which does not exist on "
                                f"{at_after.isoformat()}")
        elif before.parent(uid, at_before) is not None and uid in snap_b.units:
            warnings.append(f"orphan: {uid} had a parent ({before.parent(uid, at_before)}) "
                            "and has none in the scenario")
    for uid in subjects:
        chain = ancestors(after, uid, at_after)
        if uid in chain or len(chain) != len(set(chain)):
            warnings.append(f"cycle: {' → '.join([uid, *chain])}")
    for uid in snap_a.units:
        if uid in (changed if changed is not None else snap_a.units):
            ps = after.relations(uid, at_after, types=("PART_OF",))
            if len({r.target_id for r in ps}) > 1:
                warnings.append(f"two parents: {uid} is part of "
                                f"{' and '.join(sorted({r.target_id for r in ps}))} on "
                                f"{at_after.isoformat()}")

    return {
        "at": {"before": at_before.isoformat(), "after": at_after.isoformat()},
        "scope": {"subjects": subjects, "parents": sorted(parents),
                  "units_before": len(units_b), "units_after": len(units_a),
                  "note": "counts cover the subtrees of the units the operations act on"},
        "assumptions": a.as_dict(),
        "units": {"before": len(units_b), "after": len(units_a),
                  "change": len(units_a) - len(units_b),
                  "by_kind": _compare(_by(units_b, "kind"), _by(units_a, "kind")),
                  "by_level": _compare(_by(units_b, "level"), _by(units_a, "level")),
                  "ended": ended, "started": started},
        "headcount": headcount,
        "functions": {"before": fb, "after": fa, "duplicated": duplicated, "nowhere": nowhere,
                      "moved": moved_functions},
        "leadership": {"before": leaders_b, "after_recorded": leaders_a,
                       "duplicated": dup_leaders, "removed": removed_posts,
                       "after": leaders_a - removed_posts,
                       "people_affected": sorted(people.values(),
                                                 key=lambda d: (d["operation"], d["person"]))},
        "span": {"max_span": a.max_span, "before": span(snap_b), "after": span(snap_a),
                 "changes": span_changes},
        "depth": {"before": max(snap_b.depth.values(), default=0),
                  "after": max(snap_a.depth.values(), default=0)},
        "party": {"cells": party("party_cell"), "committees": party("party_committee")},
        "warnings": warnings,
        "operations": [e.as_dict() for e in log],
    }


def _kind(before: GraphReader, after: GraphReader, uid: str) -> str | None:
    u = after.get_unit(uid) or before.get_unit(uid)
    return u.kind if u else None
