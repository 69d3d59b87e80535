"""The CLI at its edges, run as a user runs it: --store before or after the command, a
missing store, one-line errors, no emoji in problem lines, `serve` and its tokens."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest

from api.cli import hoist_global_options


def bomay(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "api.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**{k: v for k, v in os.environ.items()
                                  if not k.startswith("BOMAY_")}, **(env or {})})


def test_store_before_or_after_the_command(tmp_path, data_dir):
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    assert bomay("--store", before, "load", data_dir / "chain").returncode == 0
    r = bomay("load", data_dir / "chain", "--store", after)
    assert r.returncode == 0, r.stderr
    assert after.exists()
    shown = bomay("show", "a", "--at", "2010", f"--store={after}", "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"id": "a"' in shown.stdout


def test_hoisting_stops_at_a_double_dash():
    assert hoist_global_options(["search", "x", "--store", "s.db", "--limit", "3"]) == \
        ["--store", "s.db", "search", "x", "--limit", "3"]
    assert hoist_global_options(["search", "--", "--store"]) == ["search", "--", "--store"]


def test_a_read_command_on_a_missing_store_is_one_line_and_creates_nothing(tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["show", "a"], ["search", "ban"], ["lineage", "a"], ["export", tmp_path / "o"],
                 ["viz", "a", "-o", tmp_path / "c.html"]):
        r = bomay("--store", missing, *args)
        assert r.returncode == 1, args
        assert r.stderr.strip().splitlines() == [
            f"error: no store at {missing}: `bomay load FOLDER` creates one (or choose "
            "another with --store PATH or BOMAY_STORE)"], args
        assert not missing.exists()


def test_writing_into_an_unwritable_place_is_one_line(tmp_path, data_dir):
    store = tmp_path / "s.db"
    assert bomay("--store", store, "load", data_dir / "chain").returncode == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for args in (["--store", store, "export", blocker / "out"],
                 ["synth", "--out", blocker / "out", "--provinces", "1"]):
        r = bomay(*args)
        assert r.returncode == 1
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
        assert "Traceback" not in r.stderr and str(blocker) in lines[0]


def test_problem_lines_are_printed_verbatim_without_emoji(tmp_path, data_dir):
    folder = tmp_path / "bad"
    shutil.copytree(data_dir / "chain", folder)
    units = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    rows = [f"u{i},Đơn vị {i} [b]x[/b] :100:,,,party_cell,district,,2000,,,test"
            for i in range(len(units), 99)]
    bad = "u99,Đơn vị 99,,,party_cell,district,,2018-02-30,,,test"
    (folder / "units.csv").write_text("\n".join(units + rows + [bad]) + "\n", encoding="utf-8")
    r = bomay("check", folder)
    assert r.returncode == 1
    assert "units.csv:100:8: [valid_from] impossible date: 2018-02 has no day 30 " \
           "(got '2018-02-30')" in r.stderr.splitlines()
    assert "💯" not in r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(*args, env=None):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", *map(str, args), "serve",
                             "--port", str(port)],
                            env={**{k: v for k, v in os.environ.items()
                                    if not k.startswith("BOMAY_")}, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return proc, f"http://127.0.0.1:{port}"


def _wait_for_line(proc, word: str, deadline: float = 90) -> list[str]:
    lines = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            assert proc.poll() is None, "".join(lines)
            continue
        lines.append(line.rstrip())
        if word in line:
            return lines
    raise AssertionError("no line with " + word + ": " + "\n".join(lines))


def test_serve_without_a_token_makes_one_and_prints_it_once_with_the_url(tmp_path):
    proc, base = _serve("--store", tmp_path / "s.db")
    try:
        lines = _wait_for_line(proc, "write token:")
        line = lines[-1]
        assert f"on {base}/" in line
        token = line.split("write token: ")[1].split()[0]
        assert len(token) >= 32
        for _ in range(100):
            try:
                httpx.get(base + "/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        anonymous = httpx.delete(base + "/scenarios/nope", timeout=10)
        assert anonymous.status_code == 401
        authorised = httpx.delete(base + "/scenarios/nope", timeout=10,
                                  headers={"Authorization": f"Bearer {token}"})
        assert authorised.status_code == 404
        assert httpx.get(base + "/units/mc-tu", timeout=10).status_code == 200  # reads open
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=15)[1]
    assert token not in rest  # printed once


def test_serve_with_bomay_token_prints_no_secret(tmp_path):
    secret = "env-secret-0123456789abcdef"
    proc, base = _serve("--store", tmp_path / "s.db", env={"BOMAY_TOKEN": secret})
    try:
        line = _wait_for_line(proc, "serving ")[-1]
        assert secret not in line and "BOMAY_TOKEN" in line
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


def test_serve_on_a_non_loopback_host_warns_naming_the_token_setting(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(tmp_path / "s.db"),
                             "serve", "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items()
                                 if not k.startswith("BOMAY_")})
    try:
        lines = _wait_for_line(proc, "serving ")
        warning = next(line for line in lines if line.startswith("warning: listening on 0.0.0.0"))
        assert "BOMAY_TOKEN" in warning and "BOMAY_READ_TOKEN" in warning
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


def test_serve_never_loads_the_bundled_dataset_over_an_existing_empty_store(tmp_path):
    from graph.embedded.store import EmbeddedStore
    path = tmp_path / "emptied.db"
    EmbeddedStore(path).close()  # a store that exists and holds nothing
    proc, _ = _serve("--store", path)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert stderr.strip().splitlines() == [
        f"error: the store {path} holds no units: load a folder into it (bomay load FOLDER) "
        "or give --seed FOLDER"]
    reopened = EmbeddedStore(path)
    assert reopened.is_empty()
    reopened.close()


@pytest.mark.parametrize("text, message", [("alice\n", "expected `name secret`"),
                                           ("", "holds no token")])
def test_a_bad_tokens_file_stops_serve_with_one_line(tmp_path, text, message):
    tokens = tmp_path / "tokens"
    tokens.write_text(text)
    r = bomay("--store", tmp_path / "s.db", "serve", "--tokens", tokens, timeout=60)
    assert r.returncode == 1 and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
