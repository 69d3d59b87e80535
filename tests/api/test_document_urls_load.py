"""A bad document `url` through the real `bomay` CLI (check, check --json, load, serve
--seed) and what the API serves afterwards: the folder is refused with the problem's
place, and the store keeps what it held (no route of the API loads a folder: a load is
the CLI's, and the API must go on answering the previous baseline)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD_URL = "https://example.org/ke-hoach-01"
EXPECTED = "an absolute http:// or https:// address"


def bomay(*args: str) -> subprocess.CompletedProcess:
    """The CLI as a user runs it (no terminal: no progress bar)."""
    env = {k: v for k, v in os.environ.items() if k != "BOMAY_STORE"}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _chain_with_url(tmp_path: Path, name: str, url: str) -> Path:
    """tests/data/chain whose one document (doc-plan, line 2) has `url`."""
    folder = tmp_path / name
    shutil.copytree(DATA / "chain", folder)
    cell = '"' + url.replace('"', '""') + '"'
    (folder / "documents.csv").write_text(
        "id,code,title,issuer,date,url,source\n"
        f"doc-plan,01-KH/TU,Kế hoạch sắp xếp,Thành ủy Mẫu,2018-06,{cell},test\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("url, reason", [
    ("javascript:alert(1)", "its scheme javascript: is not http or https"),
    ("www.example.org", "it has no scheme"),
    ("file:///etc/passwd", "its scheme file: is not http or https"),
    ("http://example.org/a b", "it holds a space"),
])
def test_check_names_the_file_line_column_value_and_what_was_expected(tmp_path, url, reason):
    folder = _chain_with_url(tmp_path, "bad", url)
    result = bomay("check", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("documents.csv:2:6: [url] not a web address: " + reason), first
    assert first.endswith(f"; expected {EXPECTED} (got {url!r})"), first
    # the url is the only problem: the events citing doc-plan still find it
    assert sum(line.startswith(("documents.csv", "events.csv"))
               for line in result.stderr.splitlines()) == 1

    as_json = bomay("check", "--json", str(folder))
    assert as_json.returncode == 1
    [problem] = json.loads(as_json.stdout)
    assert problem == {"file": "documents.csv", "line": 2, "column": 6, "field": "url",
                       "message": problem["message"], "value": url}
    assert problem["message"].endswith(f"; expected {EXPECTED}")


def test_check_accepts_an_https_url(tmp_path):
    result = bomay("check", str(_chain_with_url(tmp_path, "good", GOOD_URL)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_a_refused_load_leaves_the_store_and_what_the_api_serves(tmp_path):
    store_path = tmp_path / "s.db"
    loaded = bomay("--store", str(store_path), "load",
                   str(_chain_with_url(tmp_path, "good", GOOD_URL)))
    assert loaded.returncode == 0, loaded.stderr
    refused = bomay("--store", str(store_path), "load",
                    str(_chain_with_url(tmp_path, "bad", "javascript:alert(1)")))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "documents.csv:2:6: [url] not a web address" in refused.stderr
    assert "the store was not changed" in refused.stderr

    store = EmbeddedStore(store_path)
    try:
        with TestClient(create_app(store, Settings())) as client:
            doc = client.get("/documents/doc-plan")
            assert doc.status_code == 200 and doc.json()["url"] == GOOD_URL
            changes = client.get("/changes").json()
    finally:
        store.close()
    # the first load only: the refused one wrote nothing
    assert [(c["action"], Path(c["what"]).name) for c in changes["items"]] == [("load", "good")]


def test_serve_refuses_a_seed_folder_with_a_bad_url(tmp_path):
    """`bomay serve --seed FOLDER` reads the folder before serving: it stops with the
    problem, exit 1, and never listens; the new store holds nothing."""
    folder = _chain_with_url(tmp_path, "bad", "javascript:alert(1)")
    # An address no interface has: were the folder accepted, serving would fail at once.
    result = bomay("--store", str(tmp_path / "new.db"), "serve", "--host", "203.0.113.1",
                   "--seed", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "documents.csv:2:6: [url] not a web address" in result.stderr
    store = EmbeddedStore(tmp_path / "new.db")
    try:
        assert store.is_empty()
    finally:
        store.close()
