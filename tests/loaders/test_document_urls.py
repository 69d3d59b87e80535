"""A document's `url` is checked on load: an absolute http:// or https:// address, or empty.

The folder is tests/data/chain with its one document's `url` (line 2, column 6 of
documents.csv) replaced; everything else in it is valid, so every problem is the url's.
Both of the loader's paths (the fast one generated from the contract and the precise one)
are checked to agree on every value, as tests/loaders/test_parse_fast_path.py does for the
other columns.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import loaders.parse as parse
from graph.contract import WEB_ADDRESS_RULE
from graph.errors import ProblemCollector
from loaders import ValidationFailed, read_dataset
from loaders.csvfile import parse_table

DATA = Path(__file__).resolve().parents[1] / "data"
DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"

#: Addresses that must load, stored exactly as written.
GOOD = [
    "https://example.org/18",
    "http://example.org",
    "HTTPS://Example.ORG/a",  # a scheme is case-insensitive
    "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Nghi-quyet-202-2025-QH15.aspx",
    "https://vi.wikipedia.org/wiki/Bộ_Nội_vụ",  # letters beyond ASCII, as typed
    "https://example.org:8443/a?b=1&c=it's;(x)#frag",
    "https://user@example.org/x",
    "http://[::1]:8080/x",
    "https://example.org/%22%3E%20",  # what the refused characters are written as
]

#: Refused values and a word of the reason each problem must give.
BAD = [
    ("javascript:alert(1)", "scheme javascript: is not http or https"),
    ("JavaScript:alert(1)", "scheme javascript: is not http or https"),
    ("file:///etc/passwd", "scheme file: is not http or https"),
    ("mailto:vanphong@example.org", "scheme mailto: is not http or https"),
    ("data:text/html;base64,PHNjcmlwdD4=", "scheme data: is not http or https"),
    ("ftp://example.org/x", "scheme ftp: is not http or https"),
    ("www.example.org", "no scheme"),
    ("//example.org/x", "no scheme"),
    ("see the provincial gazette", "a space"),
    ("http://", "no host"),
    ("https:example.org", "no host"),
    ("http:///x", "no host"),
    ("http://user@/x", "no host"),
    ("http://:80/x", "no host"),
    ("http://example .org/x", "a space"),
    ("http://example.org/a b", "a space"),
    ("http://example.org/a\tb", "U+0009"),
    ("http://example.org/a\nb", "U+000A"),  # a quoted cell across two lines
    ("http://example.org/a\u00a0b", "U+00A0"),
    ("http://example.org/a\u200bb", "U+200B"),
    ("http://example.org/\u202egnp.exe", "U+202E"),
    ("http://example.org/\x00", "U+0000"),
    ("http://example.org/\x7f", "U+007F"),
    ('https://example.org/"><script>alert(1)</script>', "'\"'"),
    ("https://example.org/<b>", "'<'"),
    ("https://example.org/a\\b", "'\\\\'"),
    ("https://example.org/{x}", "'{'"),
    ("http://example.org:99999/", "Port out of range"),
    ("http://example.org:abc/", "does not parse"),
    ("http://[::1/", "does not parse"),
]


def _cell(value: str) -> str:
    """`value` as one CSV cell (quoted, as csv writes it)."""
    return '"' + value.replace('"', '""') + '"'


def _folder(tmp_path: Path, *urls: str) -> Path:
    """tests/data/chain with one document per url (the first keeps the id the events cite)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA / "chain", folder)
    rows = ["id,code,title,issuer,date,url,source"]
    for n, url in enumerate(urls):
        ident = "doc-plan" if n == 0 else f"doc-{n}"
        rows.append(f"{ident},{n:02d}-KH/TU,Kế hoạch,Thành ủy Mẫu,2018-06,{_cell(url)},test")
    (folder / "documents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _problems(folder: Path) -> list:
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(folder)
    return caught.value.problems


def _line_of(folder: Path, url: str) -> int:
    """The line the row holding `url` starts on (a cell with a newline spans two)."""
    text = (folder / "documents.csv").read_text(encoding="utf-8")
    return text[:text.index(_cell(url))].count("\n") + 1


@pytest.mark.parametrize("url", GOOD)
def test_an_absolute_http_address_loads_as_written(tmp_path, url):
    dataset = read_dataset(_folder(tmp_path, url))
    assert [d.url for d in dataset.documents] == [url]


def test_an_empty_url_is_still_allowed(tmp_path):
    dataset = read_dataset(_folder(tmp_path, ""))
    assert [d.url for d in dataset.documents] == [""]


@pytest.mark.parametrize("url, reason", BAD, ids=[repr(u) for u, _ in BAD])
def test_anything_else_is_a_problem_at_its_file_line_and_column(tmp_path, url, reason):
    folder = _folder(tmp_path, url)
    [problem] = _problems(folder)
    assert (problem.file, problem.line, problem.field, problem.column, problem.value) == (
        "documents.csv", _line_of(folder, url), "url", 6, url.strip())
    assert problem.message.startswith("not a web address: ")
    assert problem.message.endswith(f"; expected {WEB_ADDRESS_RULE}")
    assert reason in problem.message, problem.message
    assert WEB_ADDRESS_RULE == "an absolute http:// or https:// address"


def test_a_bad_url_does_not_make_its_document_missing(tmp_path):
    """The events of tests/data/chain cite doc-plan: only the url is reported, not a
    `basis` that refers to no document."""
    [problem] = _problems(_folder(tmp_path, "www.example.org"))
    assert problem.field == "url"


def test_every_bad_url_is_reported_at_once_with_the_other_problems(tmp_path):
    folder = _folder(tmp_path, "https://example.org/ok", "javascript:alert(1)",
                     "https://example.org/ok2", "www.example.org")
    path = folder / "documents.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2018-06", "2018-13")  # doc-2, cited by no event
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(p.file, p.line, p.field, p.value) for p in _problems(folder)]
    assert found == [("documents.csv", 3, "url", "javascript:alert(1)"),
                     ("documents.csv", 4, "date", "2018-13"),
                     ("documents.csv", 5, "url", "www.example.org")]


def test_a_long_value_is_quoted_shortened(tmp_path):
    url = "javascript:" + "x" * 5000
    [problem] = _problems(_folder(tmp_path, url))
    assert len(problem.value) == 120 and problem.value.endswith("…")
    assert url.startswith(problem.value[:-1])
    assert len(str(problem)) < 400


def test_cells_are_trimmed_before_the_check(tmp_path):
    """Spaces around a cell are trimmed on every column (loaders.csvfile): only spaces
    inside an address are refused."""
    dataset = read_dataset(_folder(tmp_path, "  https://example.org/x  "))
    assert [d.url for d in dataset.documents] == ["https://example.org/x"]


@pytest.mark.parametrize("url", GOOD + [u for u, _ in BAD] + [""])
def test_the_fast_and_the_precise_path_agree(url):
    text = "id,code,title,url\n" + f"d,1,T,{_cell(url)}\n"
    table = parse_table("documents.csv", text, ProblemCollector())
    fast, slow = ProblemCollector(), ProblemCollector()
    got_fast = parse.parser("documents.csv")(table, fast)
    got_slow = parse.parser("documents.csv", fast=False)(table, slow)
    assert got_fast == got_slow and fast.problems == slow.problems
    bad = url.strip() != "" and parse.web_address_problem(url.strip()) is not None
    assert [p.field for p in fast.problems] == (["url"] if bad else [])
    # The record is kept for the cross-file checks (a refused load stores nothing anyway).
    assert [record.url for _, record in got_fast] == [url.strip()]


def test_the_example_of_the_data_format_page_is_what_the_loader_says(tmp_path):
    section = DOC.read_text(encoding="utf-8").split("## `documents.csv`", 1)[1].split("\n## ")[0]
    [example] = re.findall(r"^documents\.csv:.*$", section, flags=re.M)
    [problem] = _problems(_folder(tmp_path, "javascript:alert(1)"))
    assert str(problem) == example
