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


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_json_answer_declares_its_real_schema(spec):
    """Not `{"type": "string"}` (what the orjson response class used to declare)."""
    for path in READS:
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        assert schema != {"type": "string"}, path
        assert "$ref" in schema or "properties" in schema or "anyOf" in schema, path
    tree = spec["components"]["schemas"]["TreeNode"]
    assert tree["properties"]["children"]["items"] == {"$ref": "#/components/schemas/TreeNode"}


def test_every_error_is_problem_json_and_every_status_is_documented(spec):
    assert spec["components"]["schemas"]["Problem"]["required"] == [
        "type", "title", "status", "detail"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, method, operation in _operations(spec):
        statuses = set(operation["responses"])
        assert {"400", "404", "422", "503"} <= statuses, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"401", "403", "409", "413", "415"} <= statuses, (method, path)
            assert operation["security"] == [{"bearer": []}]
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                content = response["content"]
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}, (method, path, status)
                assert "application/json" not in content
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_dates_and_choices_are_documented_as_what_the_parser_takes(spec):
    import re

    from graph.dates import parse_at

    at = next(p for p in spec["paths"]["/units"]["get"]["parameters"] if p["name"] == "at")
    pattern = re.compile(at["schema"]["pattern"])
    for text in ("", "2018", "2018-08", "2018-08-07", "2020-02-29", "2000-02-29", " 2018 "):
        assert pattern.match(text) and (text.strip() == "" or parse_at(text)), text
    for text in ("2019-02-29", "1900-02-29", "2018-13", "2018-04-31", "0000", "7/8/2018",
                 "2018-8-7"):
        assert not pattern.match(text), text
    kind = next(p for p in spec["paths"]["/units"]["get"]["parameters"] if p["name"] == "kind")
    assert "party_board" in kind["schema"]["enum"] and "" in kind["schema"]["enum"]
    q = next(p for p in spec["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["required"] and q["schema"]["minLength"] == 1


def test_a_405_allows_every_method_of_the_path(seed):
    r = seed.request("OPTIONS", "/scenarios")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD, POST"
    r = seed.put("/units/mc-tu", json={})
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"


def test_an_empty_number_stays_an_error_and_foreign_digits_are_not_a_date(seed):
    assert seed.get("/units", params={"limit": ""}).status_code == 422
    r = seed.get("/units", params={"at": "٢٠١٨"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "at"
