"""A package that installs: the wheel, built from this checkout and installed into a fresh
virtual environment (its dependencies pinned by requirements.lock), serves the bundled
dataset from an empty store, and reports the version of pyproject.toml.

Wheels of the dependencies are kept in a wheelhouse (BOMAY_WHEELHOUSE, default
~/.cache/bomay/wheelhouse) so that a second run installs without the network; the first
run downloads them from PyPI.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import orjson
import pytest

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
WHEELHOUSE = Path(os.environ.get("BOMAY_WHEELHOUSE",
                                 Path.home() / ".cache" / "bomay" / "wheelhouse"))
#: What goes into the wheel (a copy: building never writes into the checkout).
SOURCES = ("pyproject.toml", "README.md", "graph", "api", "loaders", "viz", "data/seed")


def _run(*cmd, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    # Without the caller's PYTHONPATH: a checkout on it (`PYTHONPATH=. pytest`) shows pip
    # its bomay.egg-info, and pip then skips installing the wheel as "already satisfied".
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, env=env)
    assert result.returncode == 0, f"{cmd}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with the built wheel installed."""
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    for name in SOURCES:
        path = REPO / name
        target = src / name
        if path.is_dir():
            shutil.copytree(path, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    # Built as `pip install .` builds it (an isolated build environment with pyproject's
    # build requirements), from the wheelhouse when it holds them.
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check",
             "--no-index", "--find-links", WHEELHOUSE, "-w", tmp / "dist", src]
    try:
        _run(*build)
    except AssertionError:
        requires = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        _run(sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             "-d", WHEELHOUSE, *requires, timeout=600)
        _run(*build)
    wheel = next((tmp / "dist").glob("bomay-*.whl"))
    venv = tmp / "venv"
    # No pip inside: this pip installs into it (--python), which saves bootstrapping one.
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    pip = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q",
           "--disable-pip-version-check"]
    pinned = ["-c", LOCK]
    try:
        _run(*pip, "--no-index", "--find-links", WHEELHOUSE, *pinned, wheel)
    except AssertionError:
        # First run (or a changed lock): fetch the pinned wheels once, then install offline.
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        _run(sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             # every pin of the lock, not only what the resolver picks for the wheel: a pin
             # added to the lock later (a new dependency) is then fetched too
             "-d", WHEELHOUSE, "-r", LOCK, wheel, timeout=600)
        _run(*pip, "--no-index", "--find-links", WHEELHOUSE, *pinned, wheel)
    return venv / "bin"


def test_the_wheel_ships_the_bundled_dataset(installed, tmp_path):
    # Away from the checkout: `python -c` imports from its working folder first.
    found = _run(installed / "python", "-c",
                 "from api.settings import BUNDLED_DATASET as d; print(d); "
                 "print(sorted(p.name for p in d.glob('*.csv')))", cwd=tmp_path).stdout.splitlines()
    assert "site-packages" not in found[0] and found[0].endswith("share/bomay/seed")
    assert eval(found[1]) == sorted(p.name for p in (REPO / "data" / "seed").glob("*.csv"))


def test_one_version_source(installed, tmp_path):
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert _run(installed / "bomay", "--version", cwd=tmp_path).stdout.strip() == f"bomay {version}"


def test_bomay_serve_on_an_empty_store_serves_the_bundled_dataset(installed, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")}
    # Run away from the checkout: only the installed package can provide the dataset.
    server = subprocess.Popen([installed / "bomay", "--store", tmp_path / "empty.db", "serve",
                               "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    health = orjson.loads(r.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert health is not None, server.stdout.read() if server.poll() is not None else "no answer"
        with open(REPO / "data" / "seed" / "units.csv", encoding="utf-8-sig", newline="") as fh:
            seed_units = sum(1 for _ in csv.DictReader(fh))
        assert health["counts"]["units"] == seed_units > 80
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/units/mc-tu?at=2018-08-07") as r:
            assert orjson.loads(r.read())["unit"]["name"] == "Thành ủy Móng Cái"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pipe in (server.stdout, server.stderr):
            if pipe is not None:
                pipe.close()
