"""`/openapi.json` documents every read with an example that is a real answer on the bundled
dataset: each example is checked against the live answer (cut the same way)."""

from __future__ import annotations

import pytest

from api.schemas import EXAMPLE_REQUESTS, EXAMPLES, trim_example

READS = ["/units", "/units/{unit_id}", "/units/{unit_id}/children", "/units/{unit_id}/subtree",
         "/units/{unit_id}/ancestors", "/units/{unit_id}/lineage", "/units/{unit_id}/history",
         "/units/{unit_id}/posts", "/snapshot", "/search", "/diff", "/stats", "/path", "/events",
         "/events/{event_id}", "/documents/{document_id}", "/people/{person_id}"]


@pytest.fixture(scope="module")
def spec(seed):
    response = seed.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path", READS)
def test_every_read_is_documented_with_an_example_and_its_errors(spec, path):
    get = spec["paths"][path]["get"]
    assert get["summary"]
    ok = get["responses"]["200"]
    example = ok["content"]["application/json"]["example"]
    assert example and "On the bundled dataset" in ok["description"]
    assert "422" in get["responses"]
    problem = get["responses"]["422"]["content"]["application/problem+json"]["example"]
    assert set(problem) >= {"type", "title", "status", "detail", "errors"}
    if "{" in path:
        assert "404" in get["responses"]
        param = next(p for p in get["parameters"] if p["in"] == "path")
        assert param.get("examples") or param.get("schema", {}).get("examples")


def test_every_example_request_is_an_endpoint(spec):
    assert set(EXAMPLES) == set(EXAMPLE_REQUESTS)
    documented = {e["request"].split("?")[0] for e in EXAMPLES.values()}
    assert len(documented) == len(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_REQUESTS))
def test_the_example_is_the_live_answer_on_the_bundled_dataset(seed, name):
    """Fails when the dataset changes: regenerate with `python -m api.schemas`."""
    example = EXAMPLES[name]
    assert example["request"] == EXAMPLE_REQUESTS[name]
    response = seed.get(example["request"])
    assert response.status_code == 200
    assert trim_example(response.json()) == example["response"]


def test_the_docs_page_is_served(seed):
    assert seed.get("/docs").status_code == 200
