"""Loading a folder of CSV files (the data contract) into a validated `Dataset`.

`read_dataset(folder)` reads every file, checks every rule, and either returns a
`graph.model.Dataset` or raises `graph.errors.ValidationFailed` listing all problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import dataclasses

from graph.contract import BY_FILE, FILE_ORDER, PLANS_FOLDER, REQUIRED_FILES
from graph.errors import ProblemCollector, ValidationFailed
from graph.embedded.gc_pause import paused_gc
from graph.model import Dataset
from graph.validation import effective_dataset
from loaders.csvfile import Table, read_table
from loaders.parse import PARSERS, check_header
from loaders.plans import PlanSource, check_plans, read_plan_files

__all__ = ["read_dataset", "parse_tables", "ValidationFailed"]


def parse_tables(tables: dict[str, Table], problems: ProblemCollector,
                 plans: list[PlanSource] | None = None, plans_folder: Path | None = None) -> Dataset:
    """Parse and validate already-read tables and plans (no file I/O but a plan's mapping
    table, read from `plans_folder`)."""
    records: dict[str, list] = {}
    for name in FILE_ORDER:
        table = tables.get(name)
        if table is None:
            continue
        if check_header(table, problems):
            records[name] = PARSERS[name](table, problems)
    units = tables.get("units.csv")
    if units is not None and units.header and not units.rows:
        problems.add("units.csv", None, None, "no units: expected at least one row after the "
                     "header (a dataset is made of units)")

    def locate(file: str, field: str) -> int | None:
        table = tables.get(file)
        return table.column_index(field) if table is not None else None
    dataset = effective_dataset(records, problems, locate)
    if plans and not problems.problems:
        # The plans are applied to the baseline: only a valid baseline can be their base.
        checked = check_plans(plans, dataset, plans_folder, problems)
        dataset = dataclasses.replace(dataset, plans=tuple(sorted(checked, key=lambda p: p.id)))
    problems.problems.sort(key=_reading_order)
    problems.raise_if_any()
    return dataset


def _reading_order(p) -> tuple:
    rank = FILE_ORDER.index(p.file) if p.file in FILE_ORDER else \
        len(FILE_ORDER) if p.file.startswith(PLANS_FOLDER + "/") else -1
    return (rank, p.file, p.line or 0, p.column or 0)


def _read_dataset(folder: Path, progress: Callable[[str], None] | None) -> Dataset:
    problems = ProblemCollector()
    if not folder.is_dir():
        problems.add(str(folder), None, None, "not a folder: expected a folder of CSV files")
        problems.raise_if_any()
    tables: dict[str, Table] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or path.is_dir():
            continue
        if path.name not in BY_FILE:
            problems.add(path.name, None, None, "unknown file; expected one of "
                         + ", ".join(FILE_ORDER))
            continue
        if progress:
            progress(path.name)
        table = read_table(path, problems)
        if table is not None:
            tables[path.name] = table
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            problems.add(name, None, None, "missing required file")
    plans_dir = folder / PLANS_FOLDER
    plans = read_plan_files(plans_dir, problems) if plans_dir.is_dir() else []
    return parse_tables(tables, problems, plans, plans_dir)


def read_dataset(folder: Path | str, progress: Callable[[str], None] | None = None) -> Dataset:
    """Read and validate a folder; raise ValidationFailed with every problem, or return it."""
    with paused_gc():  # millions of acyclic records: the collector's passes are wasted
        return _read_dataset(Path(folder), progress)
