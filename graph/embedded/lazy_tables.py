"""`LazyDataset`: a Dataset whose tables are read from the store on first access.

Opening a national store decodes 1.4 M records; the units and their relations are
what a server needs to answer at all, the other tables (events, functions,
headcount, people, posts, documents: half the records) are read when something
first asks for them, which `bomay serve` does in the background right after it
starts listening. It behaves as the Dataset it stands for: equal to it, same
fields, same counts.
"""

from __future__ import annotations

import threading
from dataclasses import fields
from typing import Any, Callable

from graph.model import TABLE_NAMES, Dataset

_COMPARED = tuple(f.name for f in fields(Dataset) if f.compare)
#: The tables read on first access; the others are read when the store is opened.
DEFERRED_TABLES = ("events", "functions", "headcounts", "people", "posts", "documents")


class _Deferred:
    """A table attribute read on first access. Not a data descriptor: once the table is
    set in the instance's `__dict__`, lookups find it there without calling this."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        if obj is None:
            return self
        if self.name not in obj.__dict__.get("_readers", ()):
            # A table given at construction is always in __dict__; this one was neither.
            raise AttributeError(self.name)
        return obj._read(self.name)


class LazyDataset(Dataset):
    """A Dataset with some tables given and the others read by `readers` on first access."""

    def __init__(self, tables: dict[str, tuple], readers: dict[str, Callable[[], tuple]],
                 sizes: dict[str, int], warnings: tuple[str, ...] = ()):
        # Frozen: fields are set through object.__setattr__, as a dataclass __init__ does;
        # a table of `readers` stays unset until its first access reads it.
        for name, value in tables.items():
            object.__setattr__(self, name, value)
        for name in _COMPARED:  # a table neither given nor deferred is empty (a store older than it)
            if name not in tables and name not in readers:
                object.__setattr__(self, name, ())
        object.__setattr__(self, "warnings", warnings)
        object.__setattr__(self, "_readers", dict(readers))
        object.__setattr__(self, "_read_lock", threading.Lock())
        #: Row counts of the deferred tables, so that `counts()` reads none of them.
        object.__setattr__(self, "_sizes", dict(sizes))

    def _read(self, name: str) -> tuple:
        with self.__dict__["_read_lock"]:
            if name not in self.__dict__:
                object.__setattr__(self, name, self.__dict__["_readers"][name]())
        return self.__dict__[name]

    def counts(self) -> dict[str, int]:
        known = self.__dict__
        sizes = known["_sizes"]
        return {name: len(known[name]) if name in known else sizes[name]
                for name in TABLE_NAMES}

    def pending(self) -> tuple[str, ...]:
        """The tables not read yet."""
        return tuple(name for name in self.__dict__["_readers"] if name not in self.__dict__)

    def read_all(self) -> None:
        """Read every deferred table now (before the store they come from changes)."""
        for name in self.pending():
            getattr(self, name)

    def __eq__(self, other: object) -> bool:
        # A dataclass compares equal only to its own class; this is the Dataset it stands for.
        if not isinstance(other, Dataset):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _COMPARED)

    __hash__ = Dataset.__hash__

    def __repr__(self) -> str:
        return f"LazyDataset(pending={list(self.pending())})"

    def __reduce__(self):
        # Copies and pickles are plain Datasets with every table read.
        return (Dataset, tuple(getattr(self, f) for f in Dataset.__dataclass_fields__))


# Dataset's class defaults (empty tables) would otherwise answer for a table not read yet.
for _name in _COMPARED:
    setattr(LazyDataset, _name, _Deferred(_name))


def read_all(dataset: Dataset) -> None:
    """Read every deferred table of `dataset` now, if it is a LazyDataset."""
    if isinstance(dataset, LazyDataset):
        dataset.read_all()
