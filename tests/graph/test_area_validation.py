"""An `area` (units.csv, names.csv) names a territorial unit: a province, a district or a
commune. One that names a Party committee or a board is refused with file, line, column,
field, the value and what was expected, by the loader (`read_dataset`, `bomay check`) and
by the rules a scenario commit applies (`check_dataset`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.errors import ValidationFailed
from graph.model import Dataset, Unit, UnitName
from graph.validation import check_dataset
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
EXPECTED = "expected the id of a commune, district, province"


def _folder(tmp_path: Path) -> Path:
    """t_names with Xã Tân Lập's Party Committee (line 8) given the district's Party
    Committee as its area, and Xã Đông Thành's former name (names.csv line 2) a Party
    Committee as its former area."""
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    units = folder / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[7].startswith("pa-d1-c1-du,") and ",pa-d1-c1,2010," in lines[7]
    lines[7] = lines[7].replace(",pa-d1-c1,2010,", ",pa-d1-hu,2010,")
    units.write_text("".join(lines), encoding="utf-8")
    names = folder / "names.csv"
    text = names.read_text(encoding="utf-8")
    old = "pa-d2-c2,Xã Đông Thành,Dong Thanh Commune,,,,2020-01-01,"
    assert old in text
    names.write_text(text.replace(old, "pa-d2-c2,Xã Đông Thành,Dong Thanh Commune,,pa-tu,,"
                                       "2020-01-01,"), encoding="utf-8")
    return folder


def test_the_dataset_as_given_loads():
    read_dataset(DATA / "t_names")  # its areas are areas: the rule refuses nothing there


def test_an_area_that_is_not_a_territorial_unit_is_refused_where_it_is_written(tmp_path):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(_folder(tmp_path))
    got = [(p.file, p.line, p.column, p.field, p.value) for p in info.value.problems]
    assert got == [("units.csv", 8, 7, "area", "pa-d1-hu"),
                   ("names.csv", 2, 5, "area", "pa-tu")]
    first, second = info.value.problems
    assert first.message.startswith("pa-d1-hu is not a territorial unit (it is a "
                                    "party_committee)") and EXPECTED in first.message
    assert "pa-tu is not a territorial unit (it is a party_committee)" in second.message


def test_bomay_check_lists_them_and_exits_1(tmp_path):
    folder = _folder(tmp_path)
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": path}
    cmd = [sys.executable, "-c", "from api.cli import main; main()", "check"]
    r = subprocess.run(cmd + [str(folder)], capture_output=True, text=True, env=env,
                       timeout=180)
    assert r.returncode == 1
    out = (r.stdout + r.stderr).splitlines()
    assert ("units.csv:8:7: [area] pa-d1-hu is not a territorial unit (it is a "
            "party_committee); expected the id of a commune, district, province: the area "
            "the unit belongs to (got 'pa-d1-hu')") in out, out
    assert any(line.startswith("names.csv:2:5: [area] pa-tu is not a territorial unit")
               for line in out), out
    r = subprocess.run(cmd + ["--json", str(folder)], capture_output=True, text=True, env=env,
                       timeout=180)
    problems = json.loads(r.stdout)
    assert [(p["file"], p["line"], p["field"], p["value"]) for p in problems] == [
        ("units.csv", 8, "area", "pa-d1-hu"), ("names.csv", 2, "area", "pa-tu")]


def test_a_commit_s_dataset_is_refused_the_same_way():
    dataset = Dataset(
        units=(Unit("p", "Tỉnh A", "province", "province"),
               Unit("tu", "Tỉnh ủy A", "party_committee", "province", area="p"),
               Unit("btc", "Ban Tổ chức", "party_board", "province", area="tu")),
        names=(UnitName("btc", "Ban Tổ chức cũ", area="tu",
                        valid_to=PartialDate.parse("2020")),))
    _, problems = check_dataset(dataset)
    located = [(p.file, p.line, p.column, p.field, p.value) for p in problems
               if p.field == "area"]
    assert located == [("units.csv", 4, 7, "area", "tu"), ("names.csv", 2, 5, "area", "tu")]
