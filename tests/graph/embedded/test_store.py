"""The embedded store: atomic replace, survival of a killed load, round trip, reload."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import unicodedata

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import Conflict
from loaders import read_dataset
from loaders.export import write_dataset


def test_round_trip_reads_back_the_csv_content(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "roundtrip"))
    store.close()
    reopened = EmbeddedStore(tmp_path / "s.db")
    write_dataset(reopened.dataset(), tmp_path / "out")
    for source in sorted((data_dir / "roundtrip").glob("*.csv")):
        assert (tmp_path / "out" / source.name).read_bytes() == source.read_bytes(), source.name


def test_reload_is_idempotent(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    dataset = read_dataset(data_dir / "chain")
    first = store.replace_dataset(dataset)
    before = store.dataset()
    second = store.replace_dataset(read_dataset(data_dir / "chain"))
    assert store.dataset() == before == dataset
    assert first != second  # every write is a new revision (ETags change)


def test_expected_revision_conflict_changes_nothing(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "chain"))
    revision = store.revision
    with pytest.raises(Conflict):
        store.replace_dataset(read_dataset(data_dir / "roundtrip"), expected_revision="stale")
    assert store.revision == revision and store.get_unit("a") is not None
    assert EmbeddedStore(tmp_path / "s.db").get_unit("qn") is None


KILLED_LOAD = textwrap.dedent("""
    import sys, time
    import graph.embedded.store as embedded
    from loaders import read_dataset
    real, n = embedded.row_encoder, [0]
    def slow_encoder(table):
        encode = real(table)
        def slow(record):
            n[0] += 1
            if n[0] == 5:
                print("WRITING", flush=True)
                time.sleep(60)
            return encode(record)
        return slow
    embedded.row_encoder = slow_encoder
    embedded.EmbeddedStore(sys.argv[1]).replace_dataset(read_dataset(sys.argv[2]))
""")


def test_a_load_killed_half_way_leaves_the_previous_data(tmp_path, data_dir):
    path = tmp_path / "s.db"
    store = EmbeddedStore(path)
    store.replace_dataset(read_dataset(data_dir / "chain"))
    expected = store.dataset()
    store.close()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_LOAD, str(path), str(data_dir / "roundtrip")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "WRITING"  # the write transaction is open now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    reopened = EmbeddedStore(path)
    assert reopened.dataset() == expected
    assert reopened.get_unit("qn") is None


def test_nfd_input_is_found_by_its_nfc_form(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "nfd"))
    nfc = unicodedata.normalize("NFC", "Ban Tổ chức Thành ủy")
    assert store.get_unit("btc").name == nfc
    assert [u.id for u, _ in store.search_units(nfc)] == ["btc"]
    assert [u.id for u, _ in store.search_units("ban to chuc thanh uy")] == ["btc"]


def test_as_of_reads_use_the_validity_intervals(chain_store):
    day_before, day_of = dt.date(2018, 6, 30), dt.date(2018, 7, 1)
    assert chain_store.children("tu", day_before) == ["a", "ubkt"]
    assert chain_store.children("tu", day_of) == ["c", "ubkt"]
    assert chain_store.parent("b", day_before) == "ubnd" and chain_store.parent("b", day_of) is None
    assert [u.id for u in chain_store.units(day_of, kind="party_board")] == ["c"]


def test_the_store_file_defaults_to_the_environment(tmp_path, monkeypatch):
    from graph.embedded.store import default_store_path
    monkeypatch.setenv("BOMAY_STORE", str(tmp_path / "env.db"))
    assert default_store_path() == tmp_path / "env.db"
    monkeypatch.delenv("BOMAY_STORE")
    assert str(default_store_path()) == "bomay.db"


def test_a_store_written_before_names_had_an_area_opens_and_reads(tmp_path, data_dir):
    """names.csv gained `area`: a store file whose `names` table lacks the column gets it
    (empty) when opened, and reads its names back as a file without the column would."""
    import sqlite3
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "c_moved"))
    store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    db.execute("ALTER TABLE names DROP COLUMN area")
    db.execute("DELETE FROM snapshot")  # an older cache: of another layout, never used
    db.commit()
    db.close()
    reopened = EmbeddedStore(tmp_path / "s.db")
    names = reopened.dataset().names
    assert [(n.unit_id, n.name, n.area) for n in names] == [
        ("pa-sngv", "Sở Ngoại vụ tỉnh A", ""), ("pa-cb", "Chi bộ Sở Ngoại vụ", ""),
        ("pa-cb", "Chi bộ Văn phòng", "")]
    db = sqlite3.connect(tmp_path / "s.db")
    assert "area" in {row[1] for row in db.execute("PRAGMA table_info(names)")}
    db.close()


ADOPTED_PLAN = """\
name: Sắp xếp xã Yên Sơn
status: adopted
date: 2025-06-01
adopted: 2025-06-20
at: 2025-07-01
operations:
  - op: consolidate_map
    mapping: tables/communes.csv
"""


def _adopted_plan_folder(tmp_path, data_dir):
    import shutil
    folder = tmp_path / "t_names"
    shutil.copytree(data_dir / "t_names", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    (folder / "plans" / "annex.yaml").write_text(ADOPTED_PLAN, encoding="utf-8")
    (folder / "plans" / "tables" / "communes.csv").write_text(
        "new_id,new_name,old_id\nx1,Xã Một,pa-d1-c1\nx1,Xã Một,pa-d1-c2\n", encoding="utf-8")
    return folder


def _without_cache(path):
    """The store file with its column cache emptied: the next open reads the rows."""
    import sqlite3
    db = sqlite3.connect(path)
    db.execute("DELETE FROM snapshot")
    db.commit()
    db.close()


def test_a_plan_s_adoption_date_and_tables_survive_a_save_and_reopen(tmp_path, data_dir):
    dataset = read_dataset(_adopted_plan_folder(tmp_path, data_dir))
    (plan,) = dataset.plans
    assert str(plan.adopted) == "2025-06-20" and "tables/communes.csv" in plan.table_files()
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset)
    store.close()
    for cached in (True, False):  # from the column cache, then from the rows
        if not cached:
            _without_cache(tmp_path / "s.db")
        reopened = EmbeddedStore(tmp_path / "s.db")
        assert reopened.plans() == [plan], cached
        reopened.close()


@pytest.mark.parametrize("cache", ["previous layout", "none"])
def test_a_store_written_before_plans_had_an_adoption_date_and_tables_opens(tmp_path,
                                                                           data_dir, cache):
    """A store file whose `plans` table lacks `adopted` and `tables` (the previous version's,
    its column cache of that table without them, or no cache) opens, reads its plans as
    they were (no adoption date, no tables), and a load into it writes every column where
    it belongs (the added columns are the table's last)."""
    import sqlite3

    from graph.embedded import column_cache
    dataset = read_dataset(_adopted_plan_folder(tmp_path, data_dir))
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset)
    store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    db.execute("ALTER TABLE plans DROP COLUMN adopted")
    db.execute("ALTER TABLE plans DROP COLUMN tables")
    if cache == "none":
        db.execute("DELETE FROM snapshot")
    else:  # the cache the previous version wrote: the same revision, its columns
        rows = db.execute("SELECT * FROM plans").fetchall()
        db.execute("UPDATE snapshot SET body = ? WHERE name = 'plans'",
                   (column_cache.encode_table(rows),))
    db.commit()
    db.close()
    old = EmbeddedStore(tmp_path / "s.db")
    (plan,) = old.plans()
    assert (plan.status, plan.adopted, plan.tables, plan.body) == (
        "adopted", None, "", ADOPTED_PLAN)
    old.replace_dataset(dataset)
    old.close()
    db = sqlite3.connect(tmp_path / "s.db")
    columns = [row[1] for row in db.execute("PRAGMA table_info(plans)")]
    assert columns[-2:] == ["adopted", "tables"]
    assert db.execute("SELECT status, adopted, body FROM plans").fetchall() == [
        ("adopted", "2025-06-20", ADOPTED_PLAN)]
    db.close()
    _without_cache(tmp_path / "s.db")
    reopened = EmbeddedStore(tmp_path / "s.db")
    assert reopened.plans() == list(dataset.plans)
    reopened.close()


def test_a_load_into_a_store_that_gained_a_column_writes_each_cell_in_its_column(tmp_path,
                                                                               data_dir):
    """names.csv's `area` was added to old stores last: a load into such a store wrote the
    contract's order into the table's (area in valid_from's place), hidden while the column
    cache was read."""
    import sqlite3
    dataset = read_dataset(data_dir / "c_moved")
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset)
    store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    db.execute("ALTER TABLE names DROP COLUMN area")
    db.commit()
    db.close()
    old = EmbeddedStore(tmp_path / "s.db")
    old.replace_dataset(dataset)
    old.close()
    _without_cache(tmp_path / "s.db")
    reopened = EmbeddedStore(tmp_path / "s.db")
    assert reopened.dataset().names == dataset.names
    reopened.close()
