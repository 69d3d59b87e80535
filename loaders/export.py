"""Writing a Dataset back to a folder in the data contract (the inverse of `read_dataset`)."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.codec import CSV_FILES, TABLES, row_encoder
from graph.model import Dataset


def write_dataset(dataset: Dataset, folder: Path | str) -> dict[str, int]:
    """Write every non-empty table of `dataset` as CSV (UTF-8, LF); return rows per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, (_, columns) in TABLES.items():
        records = getattr(dataset, table)
        if not records and table != "units":
            continue
        name = CSV_FILES[table]
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(map(row_encoder(table), records))
        written[name] = len(records)
    return written
