"""The edge (api/security.py) through real HTTP on the app: write tokens, read tokens,
read-only, JSON-only writes, body bounds, security headers, HEAD, empty parameters,
405 with Allow, gzip, CORS, a busy store as 503."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, read_tokens_file, tokens_from
from graph.embedded.store import EmbeddedStore
from graph.errors import BomayError
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
SECRET = "edge-tests-secret-0123456789abcdef"
READER = "edge-tests-reader-0123456789abcdef"
SCENARIO = {"name": "Plan", "at": "2018-01-01"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("edge") / "s.db")
    store.replace_dataset(read_dataset(DATA / "s_city"))
    yield store
    store.close()


def client(store, **settings) -> TestClient:
    """The real app, plus `POST /_probe` (echoes the token name and the body's size) so
    that the edge is tested apart from what the scenario routes do with a body."""
    app = create_app(store, Settings(default_at="2018-01-01", **settings))

    @app.post("/_probe", status_code=201)
    async def probe(request: Request) -> dict:
        return {"token_name": request.state.token_name, "size": len(await request.body())}

    return TestClient(app, raise_server_exceptions=False)


def saved_scenario(store) -> str:
    from graph.store import StoredScenario
    store.save_scenario(StoredScenario(id="s-edge", name="Plan", at="2018-01-01",
                                       description="", operations=(),
                                       base_revision=store.revision, created="2026-01-01"))
    return "s-edge"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == status and body["detail"]
    return body


def test_a_write_without_a_token_is_401_with_a_bearer_challenge(store):
    c = client(store, tokens={"alice": SECRET})
    r = c.post("/scenarios", json=SCENARIO)
    assert "token" in assert_problem(r, 401)["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert c.get("/scenarios").json()["total"] == 0 or all(
        s["name"] != "Plan" for s in c.get("/scenarios").json()["items"])


@pytest.mark.parametrize("header", [f"Bearer {SECRET}x", "Bearer ", f"Basic {SECRET}",
                                    SECRET, f"Bearer {READER}"])
def test_a_wrong_token_is_401(store, header):
    c = client(store, tokens={"alice": SECRET}, read_tokens={"r": READER})
    r = c.post("/scenarios", json=SCENARIO, headers={"Authorization": header})
    assert_problem(r, 401)
    assert "Bearer" in r.headers["www-authenticate"]


def test_every_write_method_needs_the_token(store):
    c = client(store, tokens={"alice": SECRET})
    sid = saved_scenario(store)
    for method, path in [("POST", "/scenarios"), ("DELETE", f"/scenarios/{sid}"),
                         ("POST", f"/scenarios/{sid}/operations"),
                         ("DELETE", f"/scenarios/{sid}/operations/1"),
                         ("POST", f"/scenarios/{sid}/commit"),
                         ("PUT", "/units/x"), ("PATCH", "/units/x")]:
        assert_problem(c.request(method, path, json={"operations": []}), 401)
    assert store.get_scenario(sid).operations == ()  # unchanged


def test_the_token_name_reaches_the_route(store):
    c = client(store, tokens={"alice": SECRET, "bob": READER})
    assert c.post("/_probe", json={}, headers=bearer(READER)).json()["token_name"] == "bob"
    r = c.post("/_probe", json={"a": 1}, headers=bearer(SECRET))
    assert r.status_code == 201 and r.json() == {"token_name": "alice", "size": 7}


def test_an_app_without_a_write_token_refuses_every_write(store):
    r = client(store).post("/scenarios", json=SCENARIO, headers=bearer(SECRET))
    assert "no write token" in assert_problem(r, 401)["detail"]
    assert_problem(client(store).post("/_probe", json={}), 401)


def test_a_read_only_server_refuses_writes_even_with_the_token(store):
    c = client(store, tokens={"alice": SECRET}, read_only=True)
    assert "read-only" in assert_problem(
        c.post("/_probe", json=SCENARIO, headers=bearer(SECRET)), 403)["detail"]
    assert c.get("/units/tu").status_code == 200


def test_a_cross_site_form_post_is_refused_with_or_without_token(store):
    c = client(store, tokens={"alice": SECRET})
    form = {"content-type": "application/x-www-form-urlencoded",
            "origin": "https://evil.example"}
    assert_problem(c.post("/scenarios", content="name=x&at=2018", headers=form), 401)
    for path in ("/scenarios", "/_probe"):
        r = c.post(path, content="name=x&at=2018", headers=form | bearer(SECRET))
        assert "application/json" in assert_problem(r, 415)["detail"]
    r = c.post("/_probe", content='{"name": "x", "at": "2018"}',
               headers={"content-type": "text/plain"} | bearer(SECRET))
    assert_problem(r, 415)
    r = c.post("/_probe", content='{"a": 1}', headers=bearer(SECRET))  # no content-type
    assert_problem(r, 415)
    r = c.post("/_probe", headers=bearer(SECRET))  # no body: nothing to refuse
    assert r.status_code == 201
    r = c.post("/_probe", content="{}", headers=bearer(SECRET) | {
        "content-type": "application/merge-patch+json; charset=utf-8"})
    assert r.status_code == 201
    assert "access-control-allow-origin" not in r.headers  # CORS off by default


def test_no_cookie_authorises(store):
    c = client(store, tokens={"alice": SECRET})
    r = c.post("/_probe", json=SCENARIO,
               headers={"cookie": f"token={SECRET}; session={SECRET}; Authorization={SECRET}"})
    assert_problem(r, 401)


def test_reads_are_open_unless_a_read_token_is_configured(store):
    assert client(store, tokens={"alice": SECRET}).get("/units/tu").status_code == 200
    c = client(store, tokens={"alice": SECRET}, read_tokens={"reader": READER})
    r = c.get("/units/tu")
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert c.get("/units/tu", headers=bearer(READER)).status_code == 200
    assert c.get("/units/tu", headers=bearer(SECRET)).status_code == 200  # a writer reads
    assert_problem(c.get("/units/tu", headers=bearer("nope-" + READER)), 401)
    # A read token never writes.
    assert_problem(c.post("/_probe", json=SCENARIO, headers=bearer(READER)), 401)


def test_bodies_above_the_limit_are_413_by_length_and_by_stream(store):
    c = client(store, tokens={"alice": SECRET}, max_body_bytes=1000)
    big = {"name": "x" * 2000, "at": "2018-01-01"}
    assert "1000 bytes" in assert_problem(
        c.post("/_probe", json=big, headers=bearer(SECRET)), 413)["detail"]

    def chunks():
        for _ in range(5):
            yield b'{"name": "' + b"y" * 400

    # A streamed body has no Content-Length: it is counted as it arrives.
    r = c.post("/_probe", content=chunks(),
               headers=bearer(SECRET) | {"content-type": "application/json"})
    assert_problem(r, 413)
    ok = c.post("/_probe", json=SCENARIO, headers=bearer(SECRET))
    assert ok.status_code == 201 and ok.json()["size"] > 10
    # Under the limit, a streamed body reaches the route whole.
    r = c.post("/_probe", content=(b"[1," for _ in range(100)),
               headers=bearer(SECRET) | {"content-type": "application/json"})
    assert r.json()["size"] == 300


def test_the_default_body_limit_is_one_megabyte(store):
    c = client(store, tokens={"alice": SECRET})
    huge = {"name": "x", "at": "2018-01-01", "description": "d" * 1_100_000}
    assert_problem(c.post("/_probe", json=huge, headers=bearer(SECRET)), 413)
    assert c.post("/_probe", json={"d": "d" * 990_000}, headers=bearer(SECRET)).status_code == 201


def test_html_answers_carry_the_security_headers(store):
    c = client(store)
    for path in ("/docs", "/", "/viz/units/tu?at=2018-01-01"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    # Only /docs may run its inline start-up script.
    assert "'unsafe-inline'" not in c.get("/").headers["content-security-policy"].split(
        "script-src")[1].split(";")[0]
    assert c.get("/units/tu").headers["x-content-type-options"] == "nosniff"


def test_head_answers_like_get_without_a_body(store):
    c = client(store)
    get, head = c.get("/units/tu"), c.head("/units/tu")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert c.head("/units/nope").status_code == 404


def test_empty_optional_parameters_are_absent(store):
    c = client(store)
    r = c.get("/units?kind=&level=&area=&at=")
    assert r.status_code == 200, r.text
    assert r.json()["total"] == c.get("/units").json()["total"]
    assert c.get("/search?q=ban&kind=&level=").status_code == 200


def test_a_wrong_method_is_405_with_allow(store):
    r = client(store, tokens={"alice": SECRET}).put("/health", json={},
                                                    headers=bearer(SECRET))
    assert_problem(r, 405)
    assert "GET" in r.headers["allow"]


def test_big_answers_are_gzipped_for_clients_that_accept_it(store):
    c = client(store)
    r = c.get("/units?limit=1000", headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.json()["total"] > 5
    small = c.get("/health", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers  # under ~1 kB: not worth it
    plain = c.get("/units?limit=1000", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers


def test_cors_only_for_configured_origins(store):
    c = client(store, tokens={"alice": SECRET}, cors_origins=("https://ok.example",))
    ok = c.get("/units/tu", headers={"origin": "https://ok.example"})
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"
    other = c.get("/units/tu", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_a_busy_store_is_503_with_retry_after(store):
    app = create_app(store, Settings())

    @app.get("/_locked")
    def locked() -> dict:
        raise sqlite3.OperationalError("database is locked")

    class Unavailable(BomayError):
        status = 500
        title = "Store error"

    @app.get("/_down")
    def down() -> dict:
        raise Unavailable("the store cannot be read")

    c = TestClient(app, raise_server_exceptions=False)
    for path in ("/_locked", "/_down"):
        r = c.get(path)
        assert_problem(r, 503)
        assert int(r.headers["retry-after"]) >= 1


def test_tokens_come_from_the_environment_and_a_file(tmp_path):
    f = tmp_path / "tokens"
    f.write_text("# who writes\nalice alice-secret-0123456789\n\nbob bob-secret-0123456789ab\n")
    assert read_tokens_file(f) == {"alice": "alice-secret-0123456789",
                                   "bob": "bob-secret-0123456789ab"}
    write, read = tokens_from({"BOMAY_TOKEN": SECRET, "BOMAY_READ_TOKEN": READER}, f)
    assert write == {"BOMAY_TOKEN": SECRET, "alice": "alice-secret-0123456789",
                     "bob": "bob-secret-0123456789ab"}
    assert read == {"BOMAY_READ_TOKEN": READER}
    for text, message in [("alice\n", "expected `name secret`"), ("a short\n", "shorter"),
                          ("a x-0123456789abcdef\na y-0123456789abcdef\n", "twice"),
                          ("# none\n", "no token")]:
        f.write_text(text)
        with pytest.raises(BomayError, match=message):
            read_tokens_file(f)
