"""What a plan of the dataset does to one unit, in words, for the plan notes of the pages.

A page of the record (lineage, timeline, org chart) names the plans that would change its
unit; a planner then asks what the plan does to *this* unit: consolidated into which new
body, merged into which one, moved as it is to which area, ended. The scenario engine's log
says it (`graph.scenarios.apply.LogEntry`: `events`, `ended`, `started`, `bodies`,
`unpaired`, `moved`, `renamed`, `functions`); this module indexes it by unit **once per
plan and baseline** (`effects_of`: the state comes from `ScenarioService`, which caches it
for the scenario page too; the index is cached beside it) and writes a unit's line from the
index (`effect_line`), so that a page asks nothing of the plan per unit.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graph.errors import BomayError
from graph.store import GraphReader
from viz.i18n import fmt_date, fmt_number, function_word

#: Names listed in a line before "and N more".
MAX_NAMES = 5


@dataclass(frozen=True)
class Effect:
    """One thing an operation of the plan does to a unit.

    `what`: `consolidated` (into a unit the plan starts), `merged` (into one that goes
    on), `absorbs` (units merged into it), `split`, `renamed` (same id, `text` the new
    name), `renamed_as` (a successor with a new id), `dissolved`, `moved` (`targets`: the
    new parent, `source` the old one), `area` (a body without a peer moved as it is:
    `targets` the new area, `source` the old one), `function_out` / `function_in`
    (`text` the function), `children` (`counts`: units under it ending, starting,
    arriving, leaving)."""

    op: int
    date: str
    what: str
    targets: tuple[str, ...] = ()
    source: str | None = None
    text: str = ""
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass
class PlanEffects:
    """A plan's effects indexed by the unit they happen to, with the names of the units
    they name (as the plan leaves them, on its date)."""

    by_unit: dict[str, list[Effect]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: Units the plan starts (a unit consolidated into one of them is "hợp nhất thành").
    started: set[str] = field(default_factory=set)

    def of(self, uid: str) -> list[Effect]:
        return self.by_unit.get(uid, [])

    def add(self, uid: str | None, effect: Effect) -> None:
        if not uid:
            return
        items = self.by_unit.setdefault(uid, [])
        if effect not in items:
            items.append(effect)


class _Cache:
    """Indexes per reader (weakly: a store closed and dropped takes its indexes with it),
    keyed by the baseline revision and the plan (id and text)."""

    def __init__(self, size: int = 16):
        self.size = size
        self.lock = threading.Lock()
        self.per_reader: "weakref.WeakKeyDictionary[Any, OrderedDict]" = \
            weakref.WeakKeyDictionary()
        #: Readers that cannot be weakly referenced: by id, a few only.
        self.fallback: OrderedDict = OrderedDict()

    def table(self, reader: Any) -> OrderedDict:
        with self.lock:
            try:
                table = self.per_reader.get(reader)
                if table is None:
                    table = self.per_reader[reader] = OrderedDict()
                return table
            except TypeError:
                table = self.fallback.get(id(reader))
                if table is None:
                    table = self.fallback[id(reader)] = OrderedDict()
                    while len(self.fallback) > 4:
                        self.fallback.popitem(last=False)
                return table


_CACHE = _Cache()
#: How many times an index was built (what the tests read to see it is built once).
BUILDS = {"count": 0}


def effects_of(reader: GraphReader, plan: Any) -> PlanEffects | None:
    """The plan's effects on `reader`'s baseline, indexed by unit, built once per (reader,
    revision, plan); None when the plan does not apply (the pages then name it only)."""
    key = (reader.revision, plan.id, hash(plan.body), hash(plan.tables), str(plan.at or plan.date))
    table = _CACHE.table(reader)
    with _CACHE.lock:
        if key in table:
            table.move_to_end(key)
            return table[key]
    try:
        state = _plan_state(reader, plan)
    except BomayError:
        state = None
    index = _index(reader, state) if state is not None else None
    with _CACHE.lock:
        table[key] = index
        while len(table) > _CACHE.size:
            table.popitem(last=False)
    return index


def _plan_state(reader: GraphReader, plan: Any) -> Any:
    """The plan's state through `ScenarioService` (its cache is the one the plan's scenario
    page reads), else computed here for a reader the service cannot key."""
    from graph.scenarios.plans import UNREADABLE_KEY, plan_scenario
    scenario = plan_scenario(plan, reader.revision)
    if scenario.extra.get(UNREADABLE_KEY):
        return None
    try:
        from graph.scenarios.service import ScenarioService
        service = ScenarioService(reader)  # type: ignore[arg-type]
    except TypeError:  # a reader that cannot be weakly referenced
        from graph.scenarios.files import state_of
        return state_of(reader, scenario)
    return service.state(scenario)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _index(base: GraphReader, state: Any) -> PlanEffects:
    """One pass over the plan's log: what each operation does to each unit."""
    BUILDS["count"] += 1
    fx = PlanEffects()
    log = tuple(getattr(state, "log", ()))
    for entry in log:
        fx.started.update(entry.started)
    wanted: set[str] = set()
    for entry in log:
        n, date = entry.index, entry.date
        went_into: set[tuple[str, str]] = set()  # (unit, the unit it goes into)
        for ev in entry.events:
            ins, outs = tuple(ev.inputs), tuple(ev.outputs)
            if ev.type in ("MERGE", "CONSOLIDATE") and outs:
                into = outs[0]
                went = tuple(i for i in ins if i != into)
                for i in went:
                    fx.add(i, Effect(n, date, "consolidated" if into in fx.started
                                     else "merged", (into,)))
                    went_into.add((i, into))
                if into not in fx.started and went:
                    fx.add(into, Effect(n, date, "absorbs", went))
                wanted.update(ins + outs)
            elif ev.type == "SPLIT" and ins:
                fx.add(ins[0], Effect(n, date, "split", outs))
                wanted.update(ins + outs)
            elif ev.type == "DISSOLVE":
                for i in ins:
                    fx.add(i, Effect(n, date, "dissolved"))
        for body, inputs in entry.bodies:  # said by the events too; a log without them
            for i in inputs:
                if i != body:
                    fx.add(i, Effect(n, date, "consolidated" if body in fx.started
                                     else "merged", (body,)))
                    went_into.add((i, body))
            wanted.update((body, *inputs))
        for uid, _old_name, new_name, new_id in entry.renamed:
            if new_id and new_id != uid:
                fx.add(uid, Effect(n, date, "renamed_as", (new_id,), text=new_name))
                wanted.add(new_id)
            else:
                fx.add(uid, Effect(n, date, "renamed", text=new_name))
        unpaired = {u: (a, b) for u, a, b in entry.unpaired}
        for uid, (old_area, new_area) in unpaired.items():
            fx.add(uid, Effect(n, date, "area", (new_area,), source=old_area))
            wanted.update((old_area, new_area))
        for uid, old, new in entry.moved:
            fx.add(uid, Effect(n, date, "moved", (new,) if new else (), source=old))
            wanted.update(x for x in (old, new) if x)
        # A function handed over with the unit to the unit it goes into is said by "hợp
        # nhất thành" already; one moved elsewhere (a transfer, a dissolved unit's) is not.
        for function, src, dest in entry.functions:
            if dest and (src, dest) in went_into:
                continue
            fx.add(src, Effect(n, date, "function_out", (dest,) if dest else (), text=function))
            if dest:
                fx.add(dest, Effect(n, date, "function_in", (src,), text=function))
                wanted.update((src, dest))
    _children(fx, base, state, log)
    fx.names = _names(base, state, wanted)
    return fx


def _children(fx: PlanEffects, base: GraphReader, state: Any, log: tuple) -> None:
    """The units under each parent that end, start, arrive or leave: what the plan does to
    a unit whose own record it does not change (the national root, a Party Committee whose
    communes' committees are brought together)."""
    counts: dict[str, list[int]] = {}
    first: dict[str, tuple[int, str]] = {}

    def bump(parent: str | None, slot: int, n: int, date: str) -> None:
        if parent:
            counts.setdefault(parent, [0, 0, 0, 0])[slot] += 1
            first.setdefault(parent, (n, date))
    for entry in log:
        day = _day(entry.date)
        for uid in entry.ended:
            bump(_parent(base, uid, day), 0, entry.index, entry.date)
        for uid in entry.started:
            bump(_parent(state, uid, day), 1, entry.index, entry.date)
        for _uid, old, new in entry.moved:
            bump(new, 2, entry.index, entry.date)
            bump(old, 3, entry.index, entry.date)
    for parent, (ending, starting, arriving, leaving) in counts.items():
        n, date = first[parent]
        fx.add(parent, Effect(n, date, "children",
                              counts=(ending, starting, arriving, leaving)))


def _parent(reader: Any, uid: str, day: dt.date | None) -> str | None:
    try:
        return reader.parent(uid, day)
    except BomayError:
        return None


def _names(base: GraphReader, state: Any, ids: set[str]) -> dict[str, str]:
    """The names of the units the effects name: as the plan leaves them (a unit it starts
    or renames), else the baseline's."""
    out: dict[str, str] = {}
    for uid in ids:
        unit = None
        for reader in (state, base):
            try:
                unit = reader.get_unit(uid)
            except BomayError:
                unit = None
            if unit is not None:
                break
        if unit is not None:
            out[uid] = unit.name
    return out


# -- words -------------------------------------------------------------------------------------
def _named(fx: PlanEffects, uid: str | None, lang: str) -> str:
    if not uid:
        return "—" if lang != "en" else "none"
    name = fx.names.get(uid)
    return f"{name} ({uid})" if name else uid


def _list(fx: PlanEffects, ids: tuple[str, ...], lang: str) -> str:
    shown = "; ".join(_named(fx, i, lang) for i in ids[:MAX_NAMES])
    more = len(ids) - MAX_NAMES
    if more > 0:
        more_text = fmt_number(more, lang)
        shown += (f" and {more_text} more" if lang == "en" else f" và {more_text} đơn vị khác")
    return shown


def _phrase(fx: PlanEffects, e: Effect, lang: str) -> str:
    en = lang == "en"
    target = _named(fx, e.targets[0], lang) if e.targets else ""
    if e.what == "consolidated":
        return ("consolidated into " if en else "hợp nhất thành ") + target
    if e.what == "merged":
        return ("merged into " if en else "sáp nhập vào ") + target
    if e.what == "absorbs":
        k = fmt_number(len(e.targets), lang)
        return (f"takes in {k} unit(s) merged into it: " if en else
                f"tiếp nhận {k} đơn vị sáp nhập vào: ") + _list(fx, e.targets, lang)
    if e.what == "split":
        return ("split into " if en else "chia tách thành ") + _list(fx, e.targets, lang)
    if e.what == "renamed":
        return ("renamed " if en else "đổi tên thành ") + e.text
    if e.what == "renamed_as":
        return ("renamed, as a new unit: " if en else "đổi tên, thành đơn vị mới ") + target
    if e.what == "dissolved":
        return "ends (dissolved)" if en else "chấm dứt hoạt động (giải thể)"
    if e.what == "moved":
        return ((f"moves from under {_named(fx, e.source, lang)} to under {target}" if en else
                 f"chuyển từ {_named(fx, e.source, lang)} sang trực thuộc {target}")
                if e.targets else
                (f"leaves {_named(fx, e.source, lang)} and hangs under no unit" if en else
                 f"ra khỏi {_named(fx, e.source, lang)}, không trực thuộc đơn vị nào"))
    if e.what == "area":
        return (f"moves as it is (no peer to be brought together with) from the area "
                f"{_named(fx, e.source, lang)} to {target}" if en else
                f"giữ nguyên (không có cơ quan tương ứng để hợp nhất), chuyển từ địa bàn "
                f"{_named(fx, e.source, lang)} sang địa bàn {target}")
    if e.what == "function_out":
        what = function_word(e.text, lang)
        if not e.targets:
            return (f"its function “{what}” ends with no unit to take it" if en else
                    f"chức năng “{what}” chấm dứt, không đơn vị nào nhận")
        return (f"hands its function “{what}” to {target}" if en else
                f"chuyển chức năng “{what}” sang {target}")
    if e.what == "function_in":
        what = function_word(e.text, lang)
        return (f"takes the function “{what}” from {target}" if en else
                f"nhận chức năng “{what}” từ {target}")
    if e.what == "children":
        ending, starting, arriving, leaving = (fmt_number(n, lang) if n else ""
                                               for n in e.counts)
        parts = [x for x in (
            (f"{ending} end" if en else f"{ending} kết thúc") if ending else "",
            (f"{starting} start" if en else f"{starting} thành lập") if starting else "",
            (f"{arriving} move in" if en else f"{arriving} chuyển đến") if arriving else "",
            (f"{leaving} move out" if en else f"{leaving} chuyển đi") if leaving else "") if x]
        return ("units directly under it: " if en else "đơn vị trực thuộc: ") + ", ".join(parts)
    return e.what.replace("_", " ")


#: Effects that end the unit: after one, what happens to the units under it is theirs.
_ENDS = ("consolidated", "merged", "split", "renamed_as", "dissolved")


def effect_line(fx: PlanEffects | None, uid: str, name: str, lang: str = "vi") -> str:
    """`Ban Tổ chức Tỉnh ủy Hà Giang: hợp nhất thành Ban Tổ chức Tỉnh ủy Tuyên Quang
    (tq25-btc) từ 01/07/2025`; '' when the plan does nothing to the unit itself."""
    if fx is None:
        return ""
    effects = fx.of(uid)
    if any(e.what in _ENDS for e in effects):
        effects = [e for e in effects if e.what != "children"]
    if not effects:
        return ""
    effects = sorted(effects, key=lambda e: (e.op, e.what == "children"))
    dates = {e.date for e in effects}
    word = " from " if lang == "en" else " từ "
    if len(dates) == 1:
        text = "; ".join(_phrase(fx, e, lang) for e in effects) + word + fmt_date(effects[0].date)
    else:
        text = "; ".join(_phrase(fx, e, lang) + word + fmt_date(e.date) for e in effects)
    return f"{name}: {text}"
