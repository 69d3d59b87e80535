"""The small example of docs/data-format.md loads, and means what the page says it does."""

from __future__ import annotations

import re
from pathlib import Path

from loaders import read_dataset

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def test_the_small_example_loads_as_described(tmp_path):
    text = DOC.read_text(encoding="utf-8").split("## A small example", 1)[1]
    files = re.findall(r"^`([a-z_]+\.csv)`\n```\n(.*?)```", text, flags=re.S | re.M)
    assert [name for name, _ in files] == ["units.csv", "relations.csv", "events.csv",
                                           "documents.csv"]
    for name, body in files:
        (tmp_path / name).write_text(body, encoding="utf-8")
    dataset = read_dataset(tmp_path)
    units = {u.id: u for u in dataset.units}
    # "mc-btc and mc-pnv end on 2018-08-07 and mc-tc-nv starts that day"
    assert str(units["mc-btc"].valid_to) == str(units["mc-pnv"].valid_to) == "2018-08-07"
    assert str(units["mc-tc-nv"].valid_from) == "2018-08-07"
    # "the PART_OF row of mc-btc ends with it"
    row = next(r for r in dataset.relations if r.source_id == "mc-btc")
    assert str(row.valid_to) == "2018-08-07"
