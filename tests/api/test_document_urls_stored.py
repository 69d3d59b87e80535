"""A store loaded before documents.csv's url rule may hold a url that is not a web address
(`javascript:alert(1)`, a file name): the API never hands it out as a url. Over real HTTP
from a `bomay serve` process, on a real SQLite store file into which the value was
written directly, as an old store holds it (no loader ever saw it)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.served import clean_env, serve

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD_URL = "https://example.org/ke-hoach-01"


#: The url each document of the store is given, written into the SQLite file directly.
STORED = {"doc-plan": "javascript:alert(1)", "doc-file": "nq18.pdf", "doc-good": GOOD_URL}


def _old_store(tmp_path: Path) -> Path:
    """tests/data/chain loaded by the CLI (its documents with a good address), then each
    document's url overwritten in the SQLite file as `STORED` says and the column cache of
    documents dropped, so that the store reads the rows as written (a store of before the
    cache and the rule)."""
    folder = tmp_path / "chain"
    shutil.copytree(DATA / "chain", folder)
    (folder / "documents.csv").write_text(
        "id,code,title,issuer,date,url,source\n" + "".join(
            f"{doc},01-KH/TU,Kế hoạch sắp xếp,Thành ủy Mẫu,2018-06,{GOOD_URL},test\n"
            for doc in sorted(STORED)), encoding="utf-8")
    store = tmp_path / "old.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")}
    loaded = subprocess.run([sys.executable, "-m", "api.cli", "--store", str(store), "load",
                             str(folder)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    db = sqlite3.connect(store)
    with db:
        for doc, url in STORED.items():
            changed = db.execute("UPDATE documents SET url = ? WHERE id = ?", (url, doc))
            assert changed.rowcount == 1
        db.execute("DELETE FROM snapshot WHERE name = 'documents'")
    db.close()
    return store


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The base URL of a `bomay serve` on the old store."""
    tmp = tmp_path_factory.mktemp("urls")
    proc, url = serve(_old_store(tmp), env=clean_env("t0ken"), log=tmp / "serve.log")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


JAVASCRIPT = {"stored": "javascript:alert(1)",
              "message": "not a web address: its scheme javascript: is not http or https"}
FILE_NAME = {"stored": "nq18.pdf",
             "message": "not a web address: it has no scheme (write it as https://...)"}


def test_a_stored_url_that_is_no_web_address_is_handed_out_as_null(base):
    doc = httpx.get(base + "/documents/doc-plan", timeout=30).json()
    assert doc["url"] is None and doc["url_problem"] == JAVASCRIPT
    assert doc["code"] == "01-KH/TU" and [e["id"] for e in doc["events"]] == [
        "ev-consolidate", "ev-split"]
    file_doc = httpx.get(base + "/documents/doc-file", timeout=30).json()
    assert file_doc["url"] is None and file_doc["url_problem"] == FILE_NAME
    listed = httpx.get(base + "/documents", timeout=30).json()["items"]
    assert [(d["id"], d["url"], d["url_problem"]) for d in listed] == [
        ("doc-file", None, FILE_NAME), ("doc-good", GOOD_URL, None),
        ("doc-plan", None, JAVASCRIPT)]
    event = httpx.get(base + "/events/ev-consolidate", timeout=30).json()
    assert [(d["id"], d["url"], d["url_problem"]) for d in event["documents"]] == [
        ("doc-plan", None, JAVASCRIPT)]
    # nowhere in an answer is a stored text that is no address a `url`
    for path in ("/documents/doc-plan", "/documents", "/events/ev-consolidate",
                 "/events?basis=doc-plan", "/units/c/lineage", "/units/c/timeline"):
        text = httpx.get(base + path, timeout=30).text
        assert '"url":"javascript' not in text and '"url":"nq18' not in text, path


def test_the_csv_answer_has_an_empty_url_cell_and_the_problem_beside_it(base):
    answer = httpx.get(base + "/documents", headers={"Accept": "text/csv"}, timeout=30)
    assert answer.status_code == 200, answer.text
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff")))}
    assert rows["doc-plan"]["url"] == "" and rows["doc-good"]["url"] == GOOD_URL
    assert rows["doc-plan"]["url_problem.stored"] == "javascript:alert(1)"
    assert rows["doc-plan"]["url_problem.message"] == JAVASCRIPT["message"]


def test_a_web_address_is_handed_out_as_it_is(base):
    doc = httpx.get(base + "/documents/doc-good", timeout=30).json()
    assert doc["url"] == GOOD_URL and doc["url_problem"] is None


def test_the_openapi_schema_says_so(base):
    schema = httpx.get(base + "/openapi.json", timeout=30).json()
    fields = schema["components"]["schemas"]["DocumentFields"]["properties"]
    assert "not a web address" in fields["url"]["description"]
    assert "url_problem" in fields
    assert set(schema["components"]["schemas"]["UrlProblem"]["properties"]) == {"stored",
                                                                                 "message"}
    listing = schema["paths"]["/documents"]["get"]["responses"]["200"]["content"]
    assert listing["application/json"]["schema"]["$ref"].endswith("/DocumentList")
