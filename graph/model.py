"""The domain model: units, relations, events, functions, headcount, people, posts, documents.

Plain frozen dataclasses; every fact carries its validity interval (`valid_to`
exclusive, partial dates kept) and its provenance (`source`). Pydantic lives at
the API edge only.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from typing import Any

from graph.contract import (  # noqa: F401  (the vocabularies, declared once in the contract)
    ENDING_EVENTS, EVENT_TYPES, FUNCTION_KEYS, HEADCOUNT_BASES, KINDS, LEVELS, LINEAGE_EVENTS,
    RELATION_TYPES, STARTING_EVENTS, TABLE_NAMES)
from graph.dates import PartialDate

LEADERSHIP_ROLES = frozenset({"secretary", "deputy_secretary", "standing_deputy_secretary",
                              "head", "deputy_head", "chair", "vice_chair"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


class _Record:
    """Shared helpers of the record dataclasses."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


class _Interval(_Record):
    __slots__ = ()

    def valid_at(self, at: dt.date | None) -> bool:
        # `in_interval(at, self.valid_from, self.valid_to)` written out, with the dates'
        # first days read as stored (`PartialDate._first`, what `first_day()` returns): a
        # national plan asks it millions of times, and the calls were most of its cost.
        if at is None:
            return True
        start = self.valid_from  # type: ignore[attr-defined]
        if start is not None and at < start._first:
            return False
        end = self.valid_to  # type: ignore[attr-defined]
        return end is None or at < end._first


@dataclass(frozen=True, slots=True)
class Unit(_Interval):
    id: str
    name: str
    kind: str
    level: str
    name_en: str = ""
    abbr: str = ""
    area: str = ""
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Relation(_Interval):
    source_id: str
    type: str
    target_id: str
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Event(_Record):
    id: str
    date: PartialDate
    type: str
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    description: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Function(_Interval):
    unit_id: str
    function: str
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Headcount(_Record):
    unit_id: str
    date: PartialDate
    headcount: int
    basis: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Person(_Record):
    id: str
    name: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Post(_Interval):
    person_id: str
    unit_id: str
    role: str
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Document(_Record):
    id: str
    code: str
    title: str
    issuer: str = ""
    date: PartialDate | None = None
    url: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class UnitName(_Interval):
    """A name a unit had for a period (`names.csv`): what it answers with on those dates,
    and the area it belonged to then (`area`; empty: the unit's own `area`)."""

    unit_id: str
    name: str
    name_en: str = ""
    abbr: str = ""
    area: str = ""
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Plan(_Record):
    """A plan of the dataset (`plans/*.yaml`): a scenario kept beside the baseline, with its
    status, date, adoption date, basis and source; `units` are those it would change,
    `body` the file, `tables` the mapping tables it names (`table_files`)."""

    id: str
    name: str
    status: str
    date: PartialDate | None = None
    adopted: PartialDate | None = None
    at: PartialDate | None = None
    basis: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    file: str = ""
    #: The mapping tables its `consolidate_map` operations name, as one JSON object from
    #: the path the plan gives (relative to its file) to the table's text: one text cell,
    #: so that every store keeps it as it keeps `body`.
    tables: str = ""
    body: str = ""

    def table_files(self) -> dict[str, str]:
        """The mapping tables the plan names: path as written -> the file's text."""
        return dict(json.loads(self.tables)) if self.tables else {}

    def summary(self) -> dict[str, Any]:
        """What a unit's answer says about a plan that would change it."""
        return {"id": self.id, "name": self.name, "status": self.status,
                "date": str(self.date) if self.date else None,
                "adopted": str(self.adopted) if self.adopted else None}


def plan_tables(files: dict[str, str]) -> str:
    """`Plan.tables` of the mapping tables `files` (path as written -> text)."""
    return json.dumps(files, ensure_ascii=False, sort_keys=True) if files else ""


@dataclass(frozen=True)
class Dataset:
    """A whole, validated graph as loaded from a folder (or read back from a store).

    Unit intervals are the effective ones: a unit ended by an event carries the
    event's date as `valid_to` even when the CSV left it empty.
    """

    units: tuple[Unit, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    functions: tuple[Function, ...] = ()
    headcounts: tuple[Headcount, ...] = ()
    people: tuple[Person, ...] = ()
    posts: tuple[Post, ...] = ()
    documents: tuple[Document, ...] = ()
    names: tuple[UnitName, ...] = ()
    plans: tuple[Plan, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in TABLE_NAMES}


#: The record class of each Dataset table.
RECORDS: dict[str, type] = {"units": Unit, "relations": Relation, "events": Event,
                            "functions": Function, "headcounts": Headcount, "people": Person,
                            "posts": Post, "documents": Document, "names": UnitName,
                            "plans": Plan}
