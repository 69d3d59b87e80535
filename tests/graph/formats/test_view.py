"""What an export covers: a day's cut names and places each unit as it was that day and
loads back as a dataset; a whole history's dated names and areas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io

import pytest

from graph.dates import PartialDate
from graph.embedded.memory import MemoryGraph
from graph.formats import write
from graph.formats.view import AreaSpan, History, dataset_of
from graph.model import Unit
from graph.queries import provenance
from loaders import read_dataset
from loaders.export import write_dataset

BEFORE_RENAME, BEFORE_MOVE, AFTER_MOVE = (dt.date(2012, 6, 1), dt.date(2020, 1, 1),
                                          dt.date(2026, 1, 1))


def _units(dataset):
    return {u.id: u for u in dataset.units}


@pytest.mark.parametrize("day, cell_name, area", [
    (BEFORE_RENAME, "Chi bộ Sở Ngoại vụ", "pa"),
    (BEFORE_MOVE, "Chi bộ Văn phòng", "pa"),
    (AFTER_MOVE, "Chi bộ Văn phòng", "pb")])
def test_a_day_names_and_places_each_unit_as_it_was(moved_dataset, day, cell_name, area):
    units = _units(dataset_of(moved_dataset, day))
    assert units["pa-cb"].name == cell_name
    assert units["pa-cb"].area == area and units["pa-sngv"].area == area
    assert units["pb-syt"] == _units(moved_dataset)["pb-syt"]  # never renamed nor moved


def test_a_day_keeps_the_name_rows_of_that_day(moved_dataset):
    cut = dataset_of(moved_dataset, BEFORE_RENAME)
    assert {(n.unit_id, n.name, n.valid_to.iso) for n in cut.names} == {
        ("pa-cb", "Chi bộ Sở Ngoại vụ", "2015-01-01"),
        ("pa-sngv", "Sở Ngoại vụ tỉnh A", "2025-07-01")}
    assert dataset_of(moved_dataset, AFTER_MOVE).names == ()  # every row had ended


@pytest.mark.parametrize("day", [BEFORE_RENAME, BEFORE_MOVE, AFTER_MOVE])
def test_the_csv_of_a_day_loads_back_and_answers_the_same(moved_dataset, tmp_path, day):
    cut = dataset_of(moved_dataset, day)
    write_dataset(cut, tmp_path)
    back = read_dataset(tmp_path)  # validates: raises ValidationFailed on any problem
    assert len(back.units) == len(cut.units) and len(back.names) == len(cut.names)
    reader, original = MemoryGraph(back), MemoryGraph(moved_dataset)
    for u in back.units:
        again, _ = provenance.name_on(reader, u, day)
        then, _ = provenance.name_on(original, _units(moved_dataset)[u.id], day)
        assert (again.name, again.name_en, again.abbr, again.area) == (
            then.name, then.name_en, then.abbr, then.area), u.id


def test_history_of_a_renamed_and_moved_unit(moved_dataset):
    history = History(moved_dataset)
    units = _units(moved_dataset)
    names = history.names(units["pa-cb"])
    assert [(n.name, n.valid_from.iso, n.valid_to.iso if n.valid_to else None, n.current)
            for n in names] == [("Chi bộ Sở Ngoại vụ", "2010", "2015-01-01", False),
                                ("Chi bộ Văn phòng", "2015-01-01", None, True)]
    moved = PartialDate.parse("2025-07-01")
    assert history.areas(units["pa-sngv"]) == [
        AreaSpan("pa", PartialDate.parse("1990"), moved), AreaSpan("pb", moved, None)]
    # A row that only dates the area is no rename; a unit without rows has no history.
    assert history.names(units["pa-sngv"]) == []
    assert history.names(units["pb-syt"]) == [] and history.areas(units["pb-syt"]) == []


def test_an_export_leaves_the_collector_alone(moved_dataset):
    # An export is transient: what it builds must not be frozen out of the collector as a
    # baseline's indexes are (gc.freeze would keep its reference cycles for ever).
    frozen = gc.get_freeze_count()
    for at in (None, BEFORE_RENAME):
        write(moved_dataset, "popolo", io.BytesIO(), at=at)
        write(moved_dataset, "turtle", io.BytesIO(), at=at)
    assert gc.get_freeze_count() <= frozen  # a frozen object may be freed meanwhile


def test_a_day_leaves_out_an_area_that_had_ended(moved_dataset, tmp_path):
    # A unit the data still places in Province A (ended on 2025-07-01), never moved.
    stayed = Unit(id="pa-ht", name="Hội Nông dân tỉnh A", kind="mass_org", level="province",
                  area="pa", valid_from=PartialDate.parse("1990"), source="test")
    dataset = dataclasses.replace(moved_dataset, units=moved_dataset.units + (stayed,))
    assert _units(dataset_of(dataset, BEFORE_MOVE))["pa-ht"].area == "pa"
    cut = dataset_of(dataset, AFTER_MOVE)
    assert _units(cut)["pa-ht"].area == "" and "pa" not in _units(cut)
    write_dataset(cut, tmp_path)
    assert _units(read_dataset(tmp_path))["pa-ht"].area == ""


@pytest.mark.parametrize("day, plans", [
    # p002's fold was made on 2018-06-18 (to apply on 2018-06-30), the Front bloc's
    # regrouping on 2020-02-11: a cut keeps the plans made by its day, before or after
    # the day each applies on.
    (dt.date(2018, 6, 17), []),
    (dt.date(2018, 6, 20), ["p002-fold-board-offices"]),
    (dt.date(2020, 2, 10), ["p002-fold-board-offices"]),
    (dt.date(2020, 2, 11), ["p002-fold-board-offices", "qn-ckhoi-2020-regroup"]),
    (dt.date(2026, 1, 1), ["p002-fold-board-offices", "qn-ckhoi-2020-regroup"])])
def test_a_day_keeps_the_plans_made_by_then_and_loads_back_with_them(seed_dataset, tmp_path,
                                                                     day, plans):
    cut = dataset_of(seed_dataset, day)
    assert [p.id for p in cut.plans] == plans
    write_dataset(cut, tmp_path)
    back = read_dataset(tmp_path)  # checks each plan against the cut
    assert back.plans == cut.plans
    assert [p.body for p in back.plans] == [
        p.body for p in seed_dataset.plans if p.id in plans]  # each file as written


def test_a_plan_that_would_change_a_unit_not_in_the_export_is_left_out(seed_dataset, tmp_path):
    # The regrouping dissolves nine cells: one of them ended before the plan's day (as a
    # scenario that ended it would leave it) takes the plan out of every export.
    cells = {u.id: u for u in seed_dataset.units if u.id.startswith("qn-ckhoi-chi-bo-cu-")}
    ended = dataclasses.replace(cells["qn-ckhoi-chi-bo-cu-1"],
                                valid_to=PartialDate.parse("2019-01-01"))
    dataset = dataclasses.replace(seed_dataset, units=tuple(
        ended if u.id == ended.id else u for u in seed_dataset.units))
    whole, day = dataset_of(dataset), dataset_of(dataset, dt.date(2018, 12, 1))
    assert [p.id for p in whole.plans] == ["p002-fold-board-offices"]
    assert [p.id for p in day.plans] == ["p002-fold-board-offices"]
    assert ended.id in {u.id for u in day.units}  # on that day, but not on the plan's
    write_dataset(day, tmp_path)
    assert [p.id for p in read_dataset(tmp_path).plans] == ["p002-fold-board-offices"]
    assert dataset_of(seed_dataset) is seed_dataset  # every plan applies: unchanged


#: p002's fold, made on 2018-06-18, as if adopted on 2018-07-15 (the lines as a planner
#: writes them, with comments).
ADOPTED_LINES = "status: adopted  # by the Standing Committee\nadopted: 2018-07-15  # QĐ 12\n"


def _adopted(seed_dataset, adopted: str | None):
    def adopt(plan):
        if plan.id != "p002-fold-board-offices":
            return plan
        lines = ADOPTED_LINES if adopted else "status: adopted\n"
        return dataclasses.replace(
            plan, status="adopted", adopted=PartialDate.parse(adopted) if adopted else None,
            body=plan.body.replace("status: planned\n", lines.replace("2018-07-15",
                                                                      adopted or "")))
    return dataclasses.replace(seed_dataset, plans=tuple(map(adopt, seed_dataset.plans)))


@pytest.mark.parametrize("day, status, adopted", [
    (dt.date(2018, 6, 20), "planned", None),       # made, not adopted yet
    (dt.date(2018, 7, 14), "planned", None),
    (dt.date(2018, 7, 15), "adopted", "2018-07-15"),  # adopted that day
    (dt.date(2020, 1, 1), "adopted", "2018-07-15")])
def test_a_day_writes_a_plan_as_it_stood_then_and_it_loads_back_so(seed_dataset, tmp_path,
                                                                   day, status, adopted):
    dataset = _adopted(seed_dataset, "2018-07-15")
    (plan,) = [p for p in dataset_of(dataset, day).plans if p.id == "p002-fold-board-offices"]
    assert (plan.status, plan.adopted and str(plan.adopted)) == (status, adopted)
    write_dataset(dataset_of(dataset, day), tmp_path)
    (back,) = [p for p in read_dataset(tmp_path).plans if p.id == plan.id]
    assert back == plan  # the file written says the same: status, no adoption date
    assert (back.status, back.adopted and str(back.adopted)) == (status, adopted)
    written = back.body.splitlines()
    original = next(p for p in dataset.plans if p.id == plan.id).body.splitlines()
    if status == "planned":  # two lines edited, every other as written
        assert "status: planned  # by the Standing Committee" in written
        assert not any(line.startswith("adopted:") for line in written)
        assert [line for line in original if not line.startswith(("status:", "adopted:"))] \
            == [line for line in written if not line.startswith("status:")]
    else:
        assert written == original


def test_an_adopted_plan_without_its_date_is_adopted_in_every_cut(seed_dataset):
    dataset = _adopted(seed_dataset, None)
    for day in (dt.date(2018, 6, 18), dt.date(2026, 1, 1)):
        (plan,) = [p for p in dataset_of(dataset, day).plans
                   if p.id == "p002-fold-board-offices"]
        assert (plan.status, plan.adopted) == ("adopted", None)
    whole = dataset_of(_adopted(seed_dataset, "2018-07-15"))  # the whole history: as it is
    assert {p.id: (p.status, str(p.adopted)) for p in whole.plans}[
        "p002-fold-board-offices"] == ("adopted", "2018-07-15")
