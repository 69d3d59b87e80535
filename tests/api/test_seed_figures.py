"""Figures of seed:001 that are no headcount of one unit on a date: Móng Cái's 264-staff
cut under Scheme 25 and its shared Front-bloc agency's 9 shared and 15 divided task
groups. They are told by the units' notes (with the Vietnamese words, the document and the
report date), never turned into invented rows: no headcount for the city, one approved
headcount for the agency (21 in 2018)."""

from __future__ import annotations


def test_the_264_staff_cut_is_the_city_s_with_its_scheme_and_report_date(seed):
    city = seed.get("/units/mc", params={"at": "2018-08-07"}).json()["unit"]
    note = city["note"]
    assert "264" in note and "doc-de-an-25-qn" in note and "2018-08-07" in note
    assert "tinh giản biên chế tổng số 264 cán bộ, công chức, viên chức, người lao động" in note
    assert "xã, phường" in note and city["source"] == "seed:001"
    scheme = seed.get("/documents/doc-de-an-25-qn")
    assert scheme.status_code == 200 and scheme.json()["code"] == "Đề án 25"


def test_no_headcount_is_invented_for_the_cut(seed):
    detail = seed.get("/units/mc", params={"at": "2018-08-07"}).json()
    assert detail["headcount"] is None


def test_the_task_groups_are_the_shared_agency_s(seed):
    agency = seed.get("/units/mc-co-quan-khoi", params={"at": "2018-08-07"}).json()
    note = agency["unit"]["note"]
    assert "9 nhóm nhiệm vụ chung, 15 nhóm nhiệm vụ chia" in note
    assert "9 shared task groups and 15 divided task groups" in note
    assert {f["function"] for f in agency["functions"]} == {
        "propaganda", "mass_mobilisation", "social_welfare"}
    assert (agency["headcount"]["headcount"], agency["headcount"]["basis"]) == (21, "approved")
