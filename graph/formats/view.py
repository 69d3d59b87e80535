"""What an export covers: the whole history, or only the facts on one day."""

from __future__ import annotations

import datetime as dt
from typing import Union

from graph.dates import PartialDate
from graph.model import Dataset, Relation
from graph.store import GraphReader

#: What a writer accepts: a reader (the baseline, a scenario's state) or a Dataset.
Source = Union[GraphReader, Dataset]


def dataset_of(source: Source, at: dt.date | None = None) -> Dataset:
    """The dataset of `source`; with `at`, only what is on that day: the units, relations,
    functions and posts valid on it, the events and headcount figures up to it, and every
    person and document (they carry no interval). A fact that names a unit not on that day
    (an event whose inputs had ended, an old figure of an ended unit) is left out, so that
    the cut is itself a valid dataset (the CSV export of a day loads back)."""
    dataset = source if isinstance(source, Dataset) else source.dataset()
    if at is None:
        return dataset
    units = tuple(u for u in dataset.units if u.valid_at(at))
    kept = {u.id for u in units}

    def upto(date: PartialDate) -> bool:
        return date.first_day() <= at

    return Dataset(
        units=units,
        relations=tuple(r for r in dataset.relations if r.valid_at(at)
                        and r.source_id in kept and r.target_id in kept),
        events=tuple(e for e in dataset.events if upto(e.date)
                     and kept.issuperset(e.inputs) and kept.issuperset(e.outputs)),
        functions=tuple(f for f in dataset.functions if f.valid_at(at) and f.unit_id in kept),
        headcounts=tuple(h for h in dataset.headcounts if upto(h.date) and h.unit_id in kept),
        people=dataset.people,
        posts=tuple(p for p in dataset.posts if p.valid_at(at) and p.unit_id in kept),
        documents=dataset.documents)


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
