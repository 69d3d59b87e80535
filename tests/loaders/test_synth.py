"""The synthetic national dataset: deterministic, scales with --provinces, passes the loader,
and carries the 2025-style reform (provinces consolidated, district level dissolved,
communes consolidated about 3 -> 1)."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections import Counter, defaultdict

import pytest

from graph.errors import ValidationFailed
from loaders.synth import COLUMNS, generate

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth2")
    counts = generate(out, provinces=2, seed=1)
    return out, counts


@pytest.fixture(scope="module")
def dataset(small):
    from loaders import read_dataset

    try:
        return read_dataset(small[0])
    except ValidationFailed as exc:  # pragma: no cover - shows every problem on failure
        pytest.fail("synthetic dataset refused:\n" + "\n".join(map(str, exc.problems[:50])))


def test_writes_every_file_with_the_contract_header(small):
    out, counts = small
    assert set(counts) == set(COLUMNS)
    for name, columns in COLUMNS.items():
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",") == columns
        assert len(lines) - 1 == counts[name] > 0


def test_every_row_fills_the_contracts_columns_and_cites_its_source(small):
    """The header is the contract's; every row has `source` filled, so the cells sit under
    the right columns (a column inserted before `source` would shift them)."""
    import csv

    from graph.contract import CSV_SPECS
    out, _ = small
    for spec in CSV_SPECS:
        with open(out / spec.file, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert tuple(next(reader)) == spec.names
            source = spec.names.index("source")
            assert {row[source] for row in reader} == {"synth:seed=1"}, spec.file


def test_same_arguments_give_byte_identical_files(small, tmp_path):
    out, _ = small
    again = tmp_path / "again"
    generate(again, provinces=2, seed=1)
    for name in COLUMNS:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_other_data(small, tmp_path):
    out, _ = small
    other = tmp_path / "other"
    generate(other, provinces=2, seed=2)
    assert (out / "units.csv").read_bytes() != (other / "units.csv").read_bytes()


def test_size_scales_with_provinces(tmp_path):
    one = generate(tmp_path / "one", provinces=1)
    four = generate(tmp_path / "four", provinces=4)
    assert 2.5 < four["units.csv"] / one["units.csv"] < 6
    assert 2.5 < four["relations.csv"] / one["relations.csv"] < 6
    assert one["units.csv"] > 2000


def test_progress_is_reported(tmp_path):
    seen = []
    generate(tmp_path / "p", provinces=1, progress=lambda stage, n: seen.append((stage, n)))
    assert ("provinces", 1) in seen
    assert {stage for stage, _ in seen} >= set(COLUMNS)


def test_the_loader_accepts_it_with_no_problem(dataset, small):
    counts = dataset.counts()
    assert counts["units"] == small[1]["units.csv"]
    assert counts["relations"] == small[1]["relations.csv"]
    assert counts["posts"] == small[1]["posts.csv"]


def _alive(units, at, kind=None, level=None):
    return [u for u in units if u.valid_at(at) and (kind is None or u.kind == kind)
            and (level is None or u.level == level)]


def test_provinces_consolidate_on_2025_07_01(dataset):
    assert len(_alive(dataset.units, BEFORE, kind="province")) == 2
    after = _alive(dataset.units, AFTER, kind="province")
    assert len(after) == 1
    (new,) = after
    consolidations = [e for e in dataset.events
                      if e.type == "CONSOLIDATE" and e.outputs == (new.id,)]
    assert len(consolidations) == 1 and len(consolidations[0].inputs) == 2


def test_the_district_level_ends_and_communes_move_up(dataset):
    districts = _alive(dataset.units, BEFORE, kind="district")
    assert len(districts) >= 16
    assert _alive(dataset.units, AFTER, level="district") == []
    dissolved = {i for e in dataset.events if e.type == "DISSOLVE" for i in e.inputs}
    assert {d.id for d in districts} <= dissolved
    # Every commune is PART_OF a district before and of a province after the reform.
    kind = {u.id: u.kind for u in dataset.units}
    parent_kind = {}
    for at in (BEFORE, AFTER):
        parents = defaultdict(list)
        for r in dataset.relations:
            if r.type == "PART_OF" and r.valid_at(at):
                parents[r.source_id].append(r.target_id)
        for c in _alive(dataset.units, at, kind="commune"):
            assert len(parents[c.id]) == 1, c.id
            parent_kind.setdefault(at, set()).add(kind[parents[c.id][0]])
    assert parent_kind == {BEFORE: {"district"}, AFTER: {"province"}}


def test_communes_consolidate_about_three_to_one(dataset):
    before = len(_alive(dataset.units, BEFORE, kind="commune"))
    after = len(_alive(dataset.units, AFTER, kind="commune"))
    assert 2.2 < before / after < 4


def test_party_cells_keep_a_parent_through_the_reform(dataset):
    cells = {u.id for u in dataset.units if u.kind == "party_cell"}
    parents = defaultdict(set)
    for r in dataset.relations:
        if r.type == "PART_OF" and r.source_id in cells:
            for at in (BEFORE, AFTER):
                if r.valid_at(at):
                    parents[(r.source_id, at)].add(r.target_id)
    assert all(len(parents[(c, at)]) == 1 for c in cells for at in (BEFORE, AFTER))
    moved = sum(parents[(c, BEFORE)] != parents[(c, AFTER)] for c in cells)
    assert moved > len(cells) // 2


def test_people_hold_concurrent_posts(dataset):
    kind = {u.id: u.kind for u in dataset.units}
    at = dt.date(2024, 1, 1)
    held = defaultdict(set)
    for p in dataset.posts:
        if p.valid_at(at):
            held[p.person_id].add((kind[p.unit_id], p.role))
    concurrent = [pid for pid, roles in held.items()
                  if ("party_committee", "secretary") in roles and ("people_council", "chair") in roles]
    assert len(concurrent) > 100


def test_event_types_and_documents(dataset):
    types = Counter(e.type for e in dataset.events)
    assert {"CONSOLIDATE", "DISSOLVE", "MERGE", "ESTABLISH", "TRANSFER_FUNCTION"} <= set(types)
    codes = {d.code for d in dataset.documents}
    assert {"18-NQ/TW", "212-QĐ/TW", "60-NQ/TW"} <= codes
    assert all(e.basis for e in dataset.events)


def test_names_are_vietnamese_nfc_with_english_beside(dataset):
    for u in dataset.units[:2000]:
        assert unicodedata.is_normalized("NFC", u.name)
        assert u.name_en and u.name_en.isascii()
    names = {u.name for u in dataset.units}
    assert any(n.startswith("Ban Tổ chức Tỉnh ủy ") or n.startswith("Ban Tổ chức Thành ủy ")
               for n in names)


@pytest.mark.skipif(not os.environ.get("BOMAY_SYNTH_FULL"),
                    reason="full-size generation: set BOMAY_SYNTH_FULL=1")
def test_full_size(tmp_path):  # pragma: no cover - slow
    counts = generate(tmp_path / "full")
    assert 250_000 <= counts["units.csv"] <= 350_000
    assert sum(counts.values()) > 1_000_000
