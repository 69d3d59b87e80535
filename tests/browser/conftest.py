"""Real-browser tests: headless Debian Chromium driven by Playwright's sync API.

- The browser is /usr/bin/chromium (never a downloaded one). When it is missing the
  tests are skipped, unless BOMAY_REQUIRE_BROWSER=1 (CI), where they fail.
- The app is the real one (`api.app.create_app` over an embedded store loaded with
  tests/data/v_xss), served by uvicorn in a thread on 127.0.0.1 and a free port.
- Every page a test opens is watched: console errors, page errors, dialogs (an
  `alert` from injected markup) and every request; requests that would leave
  127.0.0.1 are recorded and aborted.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
V_XSS = Path(__file__).resolve().parent.parent / "data" / "v_xss"
SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
DEFAULT_AT = "2019-01-01"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("BOMAY_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (BOMAY_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class LiveServer:
    base_url: str
    store: object
    scenario_ids: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path


def _save_scenarios(store) -> list[str]:
    """A saved scenario for the scenario page."""
    from graph.store import StoredScenario
    scenario = StoredScenario(
        id="s-merge", name="Merge <b>boards</b>", at="2019-01-01",
        description="Fold the <img src=x onerror=alert(7)> board into the Organisation Board; "
                    "move the Home Affairs department under the Party Committee.",
        operations=({"op": "merge", "into": "btc", "units": ["xss"]},
                    {"op": "move", "unit": "snv", "parent": "tu"},
                    {"op": "rename", "unit": "hpn", "name": "Hội Phụ nữ <i>tỉnh</i>"}),
        base_revision=store.revision, created="2026-01-01T00:00:00Z")
    store.save_scenario(scenario)
    return [scenario.id]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "v_xss.db")
    store.replace_dataset(read_dataset(V_XSS))
    scenario_ids = _save_scenarios(store)
    yield from serve(store, DEFAULT_AT, scenario_ids)


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory):
    """The app over the bundled dataset (data/seed): Quảng Ninh, Móng Cái."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "seed.db")
    store.replace_dataset(read_dataset(SEED))
    yield from serve(store, "2018-08-07", [])


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory) -> Path:
    """Where screenshots are kept: $BOMAY_ARTEFACTS (CI uploads it), else a tmp folder."""
    folder = os.environ.get("BOMAY_ARTEFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def serve(store, default_at: str, scenario_ids: list[str]):
    """Serve the real app over `store` with uvicorn in a thread; yields a LiveServer."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings
    app = create_app(store, Settings(default_at=default_at))

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", store, scenario_ids)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    store.close()


@dataclass
class Watch:
    """What a page did: console errors, page errors, dialogs, requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        return [u for u in self.requests if not _local(u)]

    def assert_clean(self) -> None:
        assert not self.dialogs, f"a dialog fired (script executed): {self.dialogs}"
        assert not self.page_errors, f"page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.outside, f"requests outside 127.0.0.1: {self.outside}"


def _local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname == "127.0.0.1"


@pytest.fixture
def page(browser):
    """A fresh page (own context) with its watch at `page.watch`; checked at teardown."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US",
                                  service_workers="block", accept_downloads=True)
    pg = context.new_page()
    watch = Watch()

    def on_console(msg):
        if msg.type == "error":
            watch.console_errors.append(f"{msg.text} @ {msg.location}")

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    pg.on("dialog", on_dialog)
    pg.on("request", lambda req: watch.requests.append(req.url))
    context.route("**/*", lambda route: route.continue_() if _local(route.request.url)
                  else route.abort())
    pg.watch = watch
    yield pg
    context.close()
    watch.assert_clean()


def wait_drawn(page, timeout: float = 20_000) -> None:
    # A function, not an expression string: polling a string evaluates it, which the
    # pages' CSP (no 'unsafe-eval') refuses.
    page.wait_for_function("() => window.bomay && window.bomay.ready === true", timeout=timeout)


def drawn_ids(page, chart: str = "main") -> list[str]:
    """Ids of the unit nodes in the chart's vis DataSet (cluster nodes left out)."""
    return page.evaluate(
        "(name) => window.bomay.charts[name].nodes.get({filter: n => !n.cluster}).map(n => n.id)",
        chart)


#: The synthetic national store of the browser tests: 4 provinces (about 15 000 units;
#: the central level and every province's bodies, districts and communes).
NATIONAL_PROVINCES = 4


@pytest.fixture(scope="session")
def national_server(tmp_path_factory):
    """The app over a synthetic national dataset (`loaders.synth.generate`)."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    from loaders.synth import generate

    folder = tmp_path_factory.mktemp("national")
    generate(folder / "csv", provinces=NATIONAL_PROVINCES, seed=1)
    store = EmbeddedStore(folder / "national.db")
    store.replace_dataset(read_dataset(folder / "csv"))
    yield from serve(store, "2020-01-01", [])
