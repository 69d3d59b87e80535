"""A streamed export that fails after its answer began is logged once by `bomay serve`:
`bomay.export`'s line with the cause's traceback, not also uvicorn's `Exception in ASGI
application` for the ExportAborted that closes the connection. A real server process
(the failure injected into its RDF writer) and its real log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.routes.export import ExportAborted, _AbortLoggedOnce, log_each_failure_once
from tests.api.served import clean_env, free_port

ROOT = Path(__file__).resolve().parents[2]
#: `bomay serve` with an RDF writer that fails after its second part.
SERVE_FAILING = """\
import sys
from graph.formats import rdf
rdf.CHUNK_TRIPLES = 5
made = rdf.rdf_chunks
def failing_late(*args, **kwargs):
    for i, chunk in enumerate(made(*args, **kwargs)):
        if i == 1:
            raise MemoryError("injected after the first part")
        yield chunk
rdf.rdf_chunks = failing_late
from api.cli import main
sys.argv = ["bomay", *sys.argv[1:]]
main()
"""


def test_a_late_export_failure_is_logged_once_by_the_server(tmp_path):
    env = clean_env("t0ken", PYTHONPATH=os.pathsep.join([str(ROOT),
                                                         os.environ.get("PYTHONPATH", "")]))
    store = tmp_path / "s.db"
    loaded = subprocess.run([sys.executable, "-m", "api.cli", "--store", str(store), "load",
                             str(ROOT / "tests" / "data" / "chain")], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    script = tmp_path / "serve_failing.py"
    script.write_text(SERVE_FAILING, encoding="utf-8")
    port, log = free_port(), tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(script), "--store", str(store), "serve",
                                 "--port", str(port)], env=env, cwd=tmp_path, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        with pytest.raises(httpx.RemoteProtocolError):  # the transfer is cut, as before
            with httpx.stream("GET", base + "/export", params={"format": "nt"},
                              timeout=60) as r:
                assert r.status_code == 200
                for _ in r.iter_bytes():
                    pass
        time.sleep(0.5)  # the log lines follow the answer
        assert httpx.get(base + "/health", timeout=5).status_code == 200  # still serving
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert text.count("failed after") == 1, text
    assert text.count("MemoryError: injected after the first part") == 1, text
    assert "Exception in ASGI application" not in text, text
    assert "ExportAborted" not in text and text.count("Traceback") == 1, text


def test_the_server_still_reports_every_other_exception():
    log_each_failure_once()
    log_each_failure_once()
    server_log = logging.getLogger("uvicorn.error")
    assert sum(isinstance(f, _AbortLoggedOnce) for f in server_log.filters) == 1

    def record(exc: BaseException) -> logging.LogRecord:
        return server_log.makeRecord("uvicorn.error", logging.ERROR, __file__, 1,
                                     "Exception in ASGI application\n", (),
                                     (type(exc), exc, None))

    assert not server_log.filter(record(ExportAborted("export x (nt) failed after 9 bytes")))
    assert server_log.filter(record(RuntimeError("a bug elsewhere")))
    assert server_log.filter(server_log.makeRecord("uvicorn.error", logging.INFO, __file__, 1,
                                                   "Started server process", (), None))
