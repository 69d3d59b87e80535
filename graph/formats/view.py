"""What an export covers: the whole history, or only the facts on one day; and the dated
names and areas of the units (`names.csv`) that a whole-history export carries.

Both read `names.csv` by the domain's own rules, never again here: a unit on a day is
`provenance.name_on` (its name, English name, abbreviation and area then), its names over
time are `provenance.names` (the unit's history answer), its area on each date is
`rules.area_on`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Union, cast

from graph import rules
from graph.dates import PartialDate
from graph.model import Dataset, Plan, Relation, Unit, UnitName
from graph.plan_days import plan_on
from graph.queries import provenance
from graph.store import GraphReader

#: What a writer accepts: a reader (the baseline, a scenario's state) or a Dataset.
Source = Union[GraphReader, Dataset]


class _NameRows:
    """A dataset's name rows by unit, oldest first, as `GraphReader.unit_names` gives them:
    all that the name rules of `provenance` read of a reader.

    Not the store's reader: a store over a server (Neo4j) answers `unit_names` with one
    query per unit, and `MemoryGraph` would index every relation and freeze the process's
    objects out of the collector (`gc.freeze`, right for a baseline, not for one export)."""

    def __init__(self, names: tuple[UnitName, ...]):
        self._rows: dict[str, list[UnitName]] = defaultdict(list)
        for n in sorted(names, key=lambda n: n.valid_from.first_day() if n.valid_from
                        else dt.date.min):
            self._rows[n.unit_id].append(n)

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return list(self._rows.get(unit_id, ()))


def names_reader(dataset: Dataset) -> GraphReader | None:
    """A reader of `dataset`'s name rows for the rules of `provenance`, or None when it has
    none (see `_NameRows`)."""
    return cast(GraphReader, _NameRows(dataset.names)) if dataset.names else None


def dataset_of(source: Source, at: dt.date | None = None) -> Dataset:
    """The dataset of `source`; with `at`, only what is on that day: the units valid on it,
    each with the name, English name, abbreviation and area it had then
    (`provenance.name_on`), the `names.csv` rows in force that day, the
    relations, functions and posts valid on it, the events and headcount figures up to it,
    the plans made by then (`plans_of`), and every person and document (they carry no
    interval). A fact that names a unit not on that day (an event whose inputs had ended,
    an old figure of an ended unit, an area that had ended, a plan that would change such
    a unit) is left out, so that the cut is itself a valid dataset (the CSV export of a
    day loads back, its plans with it)."""
    dataset = source if isinstance(source, Dataset) else source.dataset()
    if at is None:
        plans = plans_of(dataset)
        return dataset if plans == dataset.plans else dataclasses.replace(dataset, plans=plans)
    units = tuple(u for u in dataset.units if u.valid_at(at))
    names: tuple[UnitName, ...] = ()
    reader = names_reader(dataset)
    if reader is not None:
        named = [provenance.name_on(reader, u, at) for u in units]
        units = tuple(u for u, _ in named)
        # The row of that day stays (its dates and source say how long the name held);
        # the unit's own record now carries the same name and area, so the two agree.
        names = tuple(n for _, n in named if n is not None)
    kept = {u.id for u in units}
    # An area that names a unit not on that day (a district abolished since, that the
    # data still names as the area) is left out as the other facts are: `area` is a
    # reference the loader checks.
    units = tuple(u if not u.area or u.area in kept else dataclasses.replace(u, area="")
                  for u in units)
    names = tuple(n if not n.area or n.area in kept else dataclasses.replace(n, area="")
                  for n in names)

    def upto(date: PartialDate) -> bool:
        return date.first_day() <= at

    cut = Dataset(
        units=units,
        relations=tuple(r for r in dataset.relations if r.valid_at(at)
                        and r.source_id in kept and r.target_id in kept),
        events=tuple(e for e in dataset.events if upto(e.date)
                     and kept.issuperset(e.inputs) and kept.issuperset(e.outputs)),
        functions=tuple(f for f in dataset.functions if f.valid_at(at) and f.unit_id in kept),
        headcounts=tuple(h for h in dataset.headcounts if upto(h.date) and h.unit_id in kept),
        people=dataset.people,
        posts=tuple(p for p in dataset.posts if p.valid_at(at) and p.unit_id in kept),
        documents=dataset.documents,
        names=names,
        plans=dataset.plans)
    return dataclasses.replace(cut, plans=plans_of(cut, at))


def plans_of(dataset: Dataset, at: dt.date | None = None) -> tuple[Plan, ...]:
    """The plans an export of `dataset` keeps: each plan whose every changed unit
    (`Plan.units`) is in it and stands on the day the plan applies on (its `at`); with
    `at`, only the plans made by that day (`date`, else `at`, on or before it), each as it
    stood that day (`graph.plan_days.plan_on`: one adopted after the day is written as
    planned).

    A plan is not a fact, so its own dates do not cut it as a relation's are cut: one
    made by the day is kept whether it would apply before, on or after it. One made later
    did not exist yet, as an event dated later is not in the cut. One that would change a
    unit the export does not hold then (not on the cut's day, or ended by a scenario whose
    state is exported) is left out like any fact naming such a unit: loading the folder
    checks each plan against it, and would refuse that plan."""
    units = {u.id: u for u in dataset.units}

    def kept(plan: Plan) -> bool:
        applies = plan.at or plan.date
        if at is not None and (applies is None or (plan.date or applies).first_day() > at):
            return False
        day = applies.first_day() if applies else None
        return all(uid in units and (day is None or units[uid].valid_at(day))
                   for uid in plan.units)

    plans = tuple(p for p in dataset.plans if kept(p))
    return plans if at is None else tuple(plan_on(p, at) for p in plans)


@dataclass(frozen=True)
class NameSpan:
    """One name of a unit and when it held (`valid_to` exclusive; the current one last)."""

    name: str
    name_en: str
    abbr: str
    valid_from: PartialDate | None
    valid_to: PartialDate | None
    current: bool
    source: str


@dataclass(frozen=True)
class AreaSpan:
    """The area a unit belonged to over one period (`valid_to` exclusive)."""

    area: str
    valid_from: PartialDate | None
    valid_to: PartialDate | None


def _date(text: str | None) -> PartialDate | None:
    return None if text is None else PartialDate.parse(text)


class History:
    """The dated names and areas of a dataset's units, for a whole-history export. A unit
    without name rows has none (its record holds throughout)."""

    def __init__(self, dataset: Dataset):
        self._reader = names_reader(dataset)

    def rows(self, unit: Unit) -> list[UnitName]:
        return [] if self._reader is None else self._reader.unit_names(unit.id)

    def names(self, unit: Unit) -> list[NameSpan]:
        """Every name of a renamed unit, oldest first, the current one last (as the unit's
        history answers them: rows that only date an area are no rename); [] when the
        unit was never renamed."""
        if self._reader is None or not self.rows(unit):
            return []
        spans = [NameSpan(n["name"], n["name_en"], n["abbr"], _date(n["valid_from"]),
                          _date(n["valid_to"]), n["current"], n["source"])
                 for n in provenance.names(self._reader, unit)]
        return spans if len(spans) > 1 else []

    def areas(self, unit: Unit) -> list[AreaSpan]:
        """The areas of a unit that moved, oldest first, the current one last; [] when its
        area never changed. The area of each period is `rules.area_on` on its first day;
        the periods are cut where a name row starts or ends."""
        rows = self.rows(unit)
        if not any(n.area for n in rows):
            return []
        start = unit.valid_from
        ends = {d.first_day(): d for n in rows for d in (n.valid_from, n.valid_to)
                if d is not None and (start is None or d.first_day() > start.first_day())}
        bounds = [ends[day] for day in sorted(ends)]
        spans: list[AreaSpan] = []
        for lo, hi in zip([start, *bounds], [*bounds, unit.valid_to]):
            if unit.valid_to is not None and lo is not None \
                    and lo.first_day() >= unit.valid_to.first_day():
                break
            area = rules.area_on(unit, rows, lo.first_day() if lo else dt.date.min)
            if spans and spans[-1].area == area:
                spans[-1] = AreaSpan(area, spans[-1].valid_from, hi)
            else:
                spans.append(AreaSpan(area, lo, hi))
        return spans if len(spans) > 1 else []


def text(date: PartialDate | None) -> str:
    """A date as written (`2018`, `2018-08`, `2018-08-07`), or "" when open/unknown."""
    return "" if date is None else date.iso


def first_day(date: PartialDate | None) -> str:
    return "" if date is None else date.first_day().isoformat()


def last_day_before(date: PartialDate | None) -> str:
    """The last day inside an interval ending (exclusively) at `date`, for formats whose
    intervals are closed (GEXF)."""
    return "" if date is None else (date.first_day() - dt.timedelta(days=1)).isoformat()


def _sort_key(r: Relation) -> tuple:
    # Open-ended last; otherwise the one that ends (and then starts) latest.
    end = r.valid_to.first_day() if r.valid_to else dt.date.max
    start = r.valid_from.first_day() if r.valid_from else dt.date.min
    return (end, start)


def latest_parents(dataset: Dataset) -> dict[str, str]:
    """Each unit's most recent PART_OF parent in `dataset` (the only one when the dataset
    was cut to a day)."""
    best: dict[str, Relation] = {}
    for r in dataset.relations:
        if r.type != "PART_OF":
            continue
        known = best.get(r.source_id)
        if known is None or _sort_key(r) > _sort_key(known):
            best[r.source_id] = r
    return {child: r.target_id for child, r in best.items()}
