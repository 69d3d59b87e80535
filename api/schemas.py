"""Response models and examples of the read API (Pydantic lives here, at the API edge).

The models document the shapes in `/openapi.json`; handlers answer through
`api.responses.json_read` (orjson + ETag), so the models are never used to serialise.
The examples (`EXAMPLES`, read from `api/openapi_examples.json`) are real answers on the
bundled dataset (`data/seed`), written by `python -m api.schemas` (regenerate them when
the data changes); `tests/api/test_openapi.py` checks that they still match it.
"""

from __future__ import annotations

import pathlib
from typing import Any, Optional

import orjson
from pydantic import BaseModel, ConfigDict, Field



class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Unit(_Open):
    id: str
    name: str
    name_en: str = ""
    abbr: str = ""
    kind: str
    level: str
    area: str = ""
    valid_from: Optional[str] = Field(None, description="Partial ISO date; empty: unknown.")
    valid_to: Optional[str] = Field(None, description="Exclusive; empty: open-ended.")
    parent: Optional[str] = Field(None, description="The PART_OF parent on the date asked.")
    note: str = ""
    source: str = ""
    area_inferred: Optional[bool] = Field(
        None, description="In an area listing (`GET /units?area=`) and a unit's own answer "
        "(`GET /units/{id}`) only: true when the unit names no area and its area on the "
        "date is inferred from its PART_OF chain (by the rule of the scenario engine; "
        "`area` is then the inferred one, the area whose listing has it), false when "
        "`area` is its own (or, in a unit's answer, empty: it names none and its chain "
        "gives none); absent elsewhere.")


class UnitRef(_Open):
    id: str
    name: Optional[str] = None
    name_en: Optional[str] = None
    kind: Optional[str] = None
    level: Optional[str] = None


class Page(_Open):
    total: int = Field(description="How many items match, before limit/offset.")
    limit: Optional[int] = None
    offset: Optional[int] = None


class UnitList(Page):
    items: list[Unit]
    at: Optional[str] = None


class Headcount(_Open):
    headcount: int
    date: str
    basis: str = ""
    source: str = ""


class Post(_Open):
    person_id: str
    person: Optional[str] = None
    role: str
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    source: str = ""


class PostList(Page):
    items: list[Post]
    at: Optional[str] = None


class Link(UnitRef):
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    note: str = ""
    source: str = ""


class Function(_Open):
    function: str
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    source: str = ""


class UnitDetail(_Open):
    unit: Unit
    at: Optional[str] = Field(None, description="The date the facts are read at.")
    exists: bool = True
    parent: Optional[UnitRef] = None
    children_count: int
    headcount: Optional[Headcount] = None
    functions: list[Function]
    posts: list[Post] = Field(description="Each post with `concurrent`: the holder's other "
                                          "posts on that date.")
    serves: list[Link]
    served_by: list[Link]
    guided_by: list[Link]
    guides: list[Link]


class TreeNode(_Open):
    unit: Unit
    headcount: Optional[int] = None
    child_count: int = Field(0, description="Children on that date, even beyond `depth`.")
    children: list["TreeNode"] = []


class Snapshot(Page):
    items: list[TreeNode]
    at: Optional[str] = None


class EventRef(_Open):
    id: str
    date: str
    type: str
    basis: list[str] = Field(description="Ids of the documents the event is based on.")
    documents: list[dict[str, Any]] = Field([], description="The basis documents (id, code, "
                                            "title; in an event's own answer every field of "
                                            "`Document`, `url` null when not a web address).")


class LineageItem(_Open):
    unit: Unit
    event: EventRef
    depth: int = Field(description="1: linked directly to the unit; 2: one event further...")
    via: str = Field(description="The unit of the previous step the event links this one to.")


class Lineage(_Open):
    unit: Unit
    predecessors: list[LineageItem]
    successors: list[LineageItem]


class HistoryItem(_Open):
    date: str
    type: str = Field(description="start, end, event, parent, child_added, child_removed, "
                                  "link_added, link_removed, function_added, function_removed, "
                                  "headcount, post_start, post_end, renamed (`from`, `to`: "
                                  "a rename that kept the id), moved (`from_area`, "
                                  "`to_area`: the unit moved to another area)")


class History(Page):
    unit: UnitRef
    items: list[HistoryItem]


class Event(_Open):
    id: str
    date: str
    type: str
    inputs: list[str]
    outputs: list[str]
    basis: list[str]
    description: str = ""
    source: str = ""


class EventList(Page):
    items: list[Event]


class Diff(_Open):
    from_: str = Field(alias="from")
    to: str
    root: Optional[str] = None
    summary: dict[str, int]
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    #: Units that exist on both dates but are under the root on one only (parents, areas).
    moved_in: list[dict[str, Any]] = []
    moved_out: list[dict[str, Any]] = []
    renamed: list[dict[str, Any]]
    headcount: list[dict[str, Any]]
    events: list[Event]


class FormerName(_Open):
    """The former name (names.csv) a search hit was found by, with its dates."""
    name: str
    name_en: str = ""
    abbr: str = ""
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None


class SearchHit(_Open):
    unit: Unit
    score: float
    formerly: Optional[FormerName] = None


class SearchResults(Page):
    items: list[SearchHit]
    q: str
    at: Optional[str] = None


class UrlProblem(_Open):
    """What a document's record holds in place of a web address (a store loaded before the
    rule of `graph/web_address.py`), handed out as text only, never as `url`."""

    stored: str = Field(description="The text the store holds as the document's url, as it "
                        "is: not a link to follow.", examples=["javascript:alert(1)"])
    message: str = Field(description="Why it is not a web address.", examples=[
        "not a web address: its scheme javascript: is not http or https"])


class DocumentFields(_Open):
    id: str
    code: str
    title: str
    issuer: str = ""
    date: Optional[str] = None
    url: Optional[str] = Field("", description="Where to read the document: an absolute "
                               "http:// or https:// address, or '' when none is recorded. "
                               "null when the store holds a text that is not a web address "
                               "(a store loaded before that rule): `url_problem` says what "
                               "and why. A url handed out is always one a client may link.")
    url_problem: Optional[UrlProblem] = Field(None, description="null, unless the stored url "
                                              "is not a web address (then `url` is null).")
    source: str = ""


class Document(DocumentFields):
    events: list[Event] = []


class DocumentList(Page):
    items: list[DocumentFields]


class Person(_Open):
    id: str
    name: str
    source: str = ""
    posts: list[dict[str, Any]]
    concurrent: list[dict[str, Any]] = Field(
        description="Periods in which the person held more than one post at once.")


class Stats(_Open):
    at: Optional[str] = None
    root: Optional[str] = Field(None, description="The unit counted under (its scope), if asked.")
    area: Optional[str] = Field(None, description="The area counted (the units its area "
                                "listing `GET /units?area=` gives on `at`: its own and the "
                                "bodies inferred by their PART_OF chain), if asked; with "
                                "`root`, the area's units within the root's scope.")
    units: int
    by_kind: dict[str, int]
    by_level: dict[str, int]
    headcount: dict[str, int]
    people_with_posts: int
    people_with_concurrent_posts: int
    concurrent_sample: list[dict[str, Any]]


class PathStep(UnitRef):
    relation: str
    direction: str


class Path(_Open):
    from_: UnitRef = Field(alias="from")
    to: UnitRef
    at: Optional[str] = None
    found: bool
    via: Optional[str] = None
    common_ancestor: Optional[str] = None
    length: int
    steps: list[PathStep]


class Problem(_Open):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = []


#: The 404 of `GET /units/mc-ban-to-chuc?at=2018-08-07` on the bundled dataset (checked
#: against the live answer by tests/api/test_planner_answers.py): a unit asked for after it
#: ended says what took its place, as members of the problem too.
_LATER = "Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)"
PROBLEM_404_REQUEST = "/units/mc-ban-to-chuc?at=2018-08-07"
_PROBLEM_404 = {"type": "/problems/not-found", "title": "Not found",
                "status": 404,
                "detail": "unit 'mc-ban-to-chuc' (Ban Tổ chức Thành ủy Móng Cái) did not exist "
                          "on 2018-08-07: it existed from an unknown date until 2018-08-07 "
                          "(exclusive); it was consolidated on 2018-08-07 into "
                          f"mc-to-chuc-noi-vu ({_LATER}) (event "
                          "mc-2018-hop-nhat-to-chuc-noi-vu)",
                "errors": [{"field": "at", "message": "outside the unit's lifetime",
                            "value": "2018-08-07", "unit": "mc-ban-to-chuc",
                            "valid_from": None, "valid_to": "2018-08-07",
                            "superseded_by": ["mc-to-chuc-noi-vu"]}],
                "unit": "mc-ban-to-chuc", "at": "2018-08-07", "valid_from": None,
                "valid_to": "2018-08-07", "reason": "consolidated",
                "superseded_by": [{"id": "mc-to-chuc-noi-vu", "date": "2018-08-07",
                                   "event": "mc-2018-hop-nhat-to-chuc-noi-vu",
                                   "type": "CONSOLIDATE", "name": _LATER}],
                "successors_on_date": [{"id": "mc-to-chuc-noi-vu", "name": _LATER,
                                        "valid_from": "2018-08-07", "valid_to": None}]}
_PROBLEM_422 = {"type": "/problems/invalid-parameter",
                "title": "Invalid parameter", "status": 422,
                "detail": "at: impossible date: 2018-02 has no day 30",
                "errors": [{"field": "at", "message": "impossible date: 2018-02 has no day 30",
                            "value": "2018-02-30"}]}


def example_responses(name: str, *, not_found: bool = False) -> dict[int | str, Any]:
    """The `responses=` of a route: its 200 example from the bundled dataset, and the
    problem+json answers it can give."""
    out: dict[int | str, Any] = {}
    if EXAMPLES.get(name):
        out[200] = {"description": f"On the bundled dataset: `GET {EXAMPLES[name]['request']}`"
                                   " (lists cut to their first items).",
                    "content": {"application/json": {"example": EXAMPLES[name]["response"]}}}
    if not_found:
        out[404] = {"model": Problem, "description": "Unknown id, or not existing on `at`",
                    "content": {"application/problem+json": {"example": _PROBLEM_404}}}
    out[422] = {"model": Problem, "description": "A bad date or parameter",
                "content": {"application/problem+json": {"example": _PROBLEM_422}}}
    return out


TreeNode.model_rebuild()

#: The request behind each endpoint's example, on the bundled dataset (`data/seed`).
EXAMPLE_REQUESTS: dict[str, str] = {
    "units": "/units?at=2018-08-07&area=mc&kind=party_board&limit=2",
    "unit": "/units/mc-to-chuc-noi-vu?at=2018-08-07",
    "children": "/units/mc-tu/children?at=2018-08-07&limit=3",
    "subtree": "/units/mc-ubnd/subtree?at=2018-08-07&depth=1",
    "ancestors": "/units/mc-to-chuc-noi-vu/ancestors?at=2018-08-07",
    "lineage": "/units/mc-to-chuc-noi-vu/lineage",
    "history": "/units/mc-to-chuc-noi-vu/history?limit=4",
    "posts": "/units/mc-tu/posts?at=2018-08-07",
    "snapshot": "/snapshot?at=2018-08-07&root=mc-ubnd&depth=1",
    "search": "/search?q=ban%20to%20chuc%20mong%20cai&at=2018-08-07&limit=3",
    "diff": "/diff?from=2018-08-06&to=2018-08-07&root=mc-tu",
    "stats": "/stats?at=2018-08-07&root=mc",
    "path": "/path?from=mc-to-chuc-noi-vu&to=qn-ban-to-chuc&at=2018-08-07",
    "events": "/events?type=CONSOLIDATE",
    "event": "/events/mc-2018-hop-nhat-to-chuc-noi-vu",
    "document": "/documents/doc-18-nq-tw",
    "person": "/people/nguyen-van-doc",
}
#: Lists in an example keep this many items, and texts this many characters.
EXAMPLE_ITEMS = 2
EXAMPLE_TEXT = 160


def trim_example(value: Any) -> Any:
    """An answer cut down for the docs: every list to its first EXAMPLE_ITEMS items, every
    long text to EXAMPLE_TEXT characters and an ellipsis."""
    if isinstance(value, str) and len(value) > EXAMPLE_TEXT:
        return value[:EXAMPLE_TEXT] + "…"
    if isinstance(value, list):
        return [trim_example(v) for v in value[:EXAMPLE_ITEMS]]
    if isinstance(value, dict):
        return {k: trim_example(v) for k, v in value.items()}
    return value


def generate_examples() -> dict[str, dict[str, Any]]:
    """Ask each example request of a fresh store loaded with the bundled dataset."""
    import tempfile
    from pathlib import Path

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import BUNDLED_DATASET
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "examples.db")
        try:
            store.replace_dataset(read_dataset(BUNDLED_DATASET))
            client = TestClient(create_app(store))
            out = {}
            for name, request in EXAMPLE_REQUESTS.items():
                response = client.get(request)
                response.raise_for_status()
                out[name] = {"request": request, "response": trim_example(response.json())}
            return out
        finally:
            store.close()


def _write_examples() -> None:
    EXAMPLES_FILE.write_bytes(orjson.dumps(generate_examples(), option=orjson.OPT_INDENT_2) + b"\n")


# -- examples: generated by `python -m api.schemas` from the bundled dataset -----------------
EXAMPLES_FILE = pathlib.Path(__file__).with_name("openapi_examples.json")
EXAMPLES: dict[str, dict[str, Any]] = orjson.loads(EXAMPLES_FILE.read_bytes())


if __name__ == "__main__":
    _write_examples()
