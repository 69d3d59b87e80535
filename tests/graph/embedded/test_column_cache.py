"""The store's column-wise snapshot: the same records as the rows, or not used at all."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import column_cache as snapshot
from graph.codec import TABLES, row_decoder, row_encoder
from graph.dates import PartialDate
from graph.embedded.store import EmbeddedStore
from graph.model import Dataset, Event, Unit
from loaders import read_dataset


def _rows_dataset(path) -> Dataset:
    """What the rows alone say (the path every store took before snapshots)."""
    db = sqlite3.connect(path)
    parts = {}
    for table, (_, columns) in TABLES.items():
        cols = ", ".join(f'"{c}"' for c in columns)
        parts[table] = tuple(map(row_decoder(table),
                                 db.execute(f"SELECT {cols} FROM {table} ORDER BY rowid")))
    db.close()
    return Dataset(**parts)


def _stored(tmp_path, dataset: Dataset):
    """The path of a closed store holding `dataset`."""
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset)
    store.close()
    return tmp_path / "s.db"


def _sql(path, statement: str, *params) -> None:
    db = sqlite3.connect(path)
    db.execute(statement, params)
    db.commit()
    db.close()


def _snapshot_names(path) -> set[str]:
    db = sqlite3.connect(path)
    names = {name for (name,) in db.execute("SELECT name FROM snapshot")}
    db.close()
    return names


def test_a_load_writes_a_snapshot_that_reads_back_as_the_rows(tmp_path, data_dir):
    dataset = read_dataset(data_dir / "roundtrip")
    path = _stored(tmp_path, dataset)
    assert _snapshot_names(path) == {"", *TABLES}
    reopened = EmbeddedStore(path)
    assert reopened.dataset() == dataset == _rows_dataset(path)
    reopened.close()


def test_a_snapshot_of_another_revision_is_ignored(tmp_path, data_dir, monkeypatch):
    path = _stored(tmp_path, read_dataset(data_dir / "chain"))
    _sql(path, "UPDATE meta SET value = 'other' WHERE key = 'revision'")
    decoded = []
    monkeypatch.setattr(snapshot, "decode_table", lambda *a: decoded.append(a) or None)
    reopened = EmbeddedStore(path)
    assert reopened.get_unit("a") is not None and reopened.dataset().events
    assert decoded == []  # the rows were read, not the stale snapshot
    reopened.close()


@pytest.mark.parametrize("damage", ["not json", '{"format": 999}', ""])
def test_a_damaged_or_foreign_header_falls_back_to_the_rows(tmp_path, data_dir, damage):
    dataset = read_dataset(data_dir / "chain")
    path = _stored(tmp_path, dataset)
    _sql(path, "UPDATE snapshot SET body = ? WHERE name = ''", damage.encode())
    reopened = EmbeddedStore(path)
    assert reopened.dataset() == dataset
    reopened.close()


def test_a_table_body_of_the_wrong_size_falls_back_to_its_rows(tmp_path, data_dir):
    dataset = read_dataset(data_dir / "chain")
    path = _stored(tmp_path, dataset)
    _sql(path, "UPDATE snapshot SET body = ? WHERE name = 'units'", b"a\x1eb")
    reopened = EmbeddedStore(path)
    assert reopened.dataset().units == dataset.units
    reopened.close()


def test_a_cell_holding_a_separator_keeps_its_table_out_of_the_snapshot(tmp_path, data_dir):
    dataset = read_dataset(data_dir / "chain")
    odd = dataclasses.replace(dataset.units[0], note="one\x1ftwo\x1ethree")
    dataset = dataclasses.replace(dataset, units=(odd, *dataset.units[1:]))
    path = _stored(tmp_path, dataset)
    assert "units" not in _snapshot_names(path)
    assert "relations" in _snapshot_names(path)
    reopened = EmbeddedStore(path)
    assert reopened.get_unit(odd.id).note == "one\x1ftwo\x1ethree"
    assert reopened.dataset() == dataset
    reopened.close()


def test_a_store_written_before_snapshots_opens_from_its_rows(tmp_path, data_dir):
    dataset = read_dataset(data_dir / "roundtrip")
    path = _stored(tmp_path, dataset)
    _sql(path, "DROP TABLE snapshot")
    reopened = EmbeddedStore(path)
    assert reopened.dataset() == dataset
    assert reopened.dataset().counts() == dataset.counts()
    reopened.close()


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1e\x1f;"),
                max_size=8)
_date = st.one_of(st.none(), st.builds(
    PartialDate, st.integers(1, 9999), st.one_of(st.none(), st.integers(1, 12))))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(Unit, id=_text, name=_text, kind=_text, level=_text, name_en=_text,
                          abbr=_text, area=_text, valid_from=_date, valid_to=_date,
                          note=_text, source=_text), max_size=6),
       st.lists(st.builds(Event, id=_text, date=_date.filter(bool), type=_text,
                          inputs=st.lists(_text.filter(bool), max_size=3).map(tuple),
                          outputs=st.lists(_text.filter(bool), max_size=3).map(tuple)),
                max_size=4))
def test_decoding_a_table_gives_what_decoding_its_rows_gives(units, events):
    for table, records in (("units", units), ("events", events)):
        rows = list(map(row_encoder(table), records))
        body = snapshot.encode_table(rows)
        assert body is not None
        assert snapshot.decode_table(table, body, len(rows)) == tuple(map(row_decoder(table), rows))
