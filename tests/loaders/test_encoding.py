"""Input encodings: BOM, CRLF, RFC 4180 quoting and NFC normalisation."""

from __future__ import annotations

import unicodedata

from loaders import read_dataset


def test_bom_crlf_and_quoted_cells(data_dir):
    dataset = read_dataset(data_dir / "encoding_bom_crlf")
    (unit,) = dataset.units
    assert unit.id == "a"  # the BOM is not part of the first column's name
    assert unit.name == 'Ban Tổ chức, "quoted"'


def test_nfd_text_is_stored_in_nfc(data_dir):
    raw = (data_dir / "nfd" / "units.csv").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)  # the fixture really is decomposed
    (unit,) = read_dataset(data_dir / "nfd").units
    assert unit.name == unicodedata.normalize("NFC", "Ban Tổ chức Thành ủy")
    assert unicodedata.is_normalized("NFC", unit.name)
