"""The notebook API's documented session (api/notebook.py's docstring) runs as written."""

from __future__ import annotations

import doctest
from pathlib import Path

from api import notebook

REPO = Path(__file__).resolve().parents[2]


def test_the_documented_session_runs(monkeypatch):
    monkeypatch.chdir(REPO)  # the example names docs/examples/... relative to the checkout
    result = doctest.testmod(notebook, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted >= 15 and result.failed == 0
