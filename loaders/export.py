"""Writing a Dataset back to a folder in the data contract (the inverse of `read_dataset`)."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.codec import CSV_FILES, TABLES, row_encoder
from graph.contract import PLANS_FOLDER
from graph.errors import StoreError
from graph.model import Dataset, Plan
from loaders.plans import table_path


def write_dataset(dataset: Dataset, folder: Path | str) -> dict[str, int]:
    """Write every non-empty table of `dataset` as CSV (UTF-8, LF); return rows per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, (_, columns) in TABLES.items():
        records = getattr(dataset, table)
        if not records and table != "units":
            continue
        if table == "plans":
            written.update(write_plans(records, folder / PLANS_FOLDER))
            continue
        name = CSV_FILES[table]
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(map(row_encoder(table), records))
        written[name] = len(records)
    return written


def write_plans(plans: tuple[Plan, ...], folder: Path) -> dict[str, int]:
    """Each plan back as its file, as it was written (`plans/<file>`), and each mapping table
    it names at the path it names it by (relative to the plan file: `plans/tables/x.csv`),
    as it was read; 1 per file written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for plan in plans:
        name = plan.file or f"{plan.id}.yaml"
        (folder / name).write_text(plan.body, encoding="utf-8")
        out[f"{PLANS_FOLDER}/{name}"] = 1
        for path, text in plan.table_files().items():
            where = table_path(path)
            if where is None:  # the loader refuses such a plan: never from a load
                raise StoreError(f"plan {plan.id} names the mapping table {path!r}, which "
                                 "is not in a folder of the dataset: not written")
            target = folder.parent / where
            target.parent.mkdir(parents=True, exist_ok=True)
            # newline="": the table's own line ends, as read (`\r\n` stays `\r\n`)
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            out[where] = 1
    return out
