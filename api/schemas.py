"""Response models and examples of the read API (Pydantic lives here, at the API edge).

The models document the shapes in `/openapi.json`; handlers answer through
`api.responses.json_read` (orjson + ETag), so the models are never used to serialise.
The examples (`EXAMPLES`, at the end) are real answers on the bundled dataset
(`data/seed`), written by `python -m api.schemas` (regenerate them when the data
changes); `tests/api/test_openapi.py` checks that they still match it.
"""

from __future__ import annotations

from typing import Any, Optional

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
    documents: list[dict[str, Any]] = []


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
                                  "headcount, post_start, post_end")


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
    renamed: list[dict[str, Any]]
    headcount: list[dict[str, Any]]
    events: list[Event]


class SearchHit(_Open):
    unit: Unit
    score: float


class SearchResults(Page):
    items: list[SearchHit]
    q: str
    at: Optional[str] = None


class Document(_Open):
    id: str
    code: str
    title: str
    issuer: str = ""
    date: Optional[str] = None
    url: str = ""
    source: str = ""
    events: list[Event] = []


class Person(_Open):
    id: str
    name: str
    source: str = ""
    posts: list[dict[str, Any]]
    concurrent: list[dict[str, Any]] = Field(
        description="Periods in which the person held more than one post at once.")


class Stats(_Open):
    at: Optional[str] = None
    root: Optional[str] = None
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


_PROBLEM_404 = {"type": "https://bomay.example/problems/not-found", "title": "Not found",
                "status": 404,
                "detail": "unit 'mc-to-chuc-noi-vu' (Ban Tổ chức Thành ủy – Phòng Nội vụ thành "
                          "phố Móng Cái (hợp nhất)) did not exist on 2018-08-06: it existed from "
                          "2018-08-07 with no end",
                "errors": [{"field": "at", "message": "outside the unit's lifetime",
                            "value": "2018-08-06", "unit": "mc-to-chuc-noi-vu",
                            "valid_from": "2018-08-07",
                            "valid_to": None}]}
_PROBLEM_422 = {"type": "https://bomay.example/problems/invalid-parameter",
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
    from graph.embedded import EmbeddedStore
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
    import pprint
    from pathlib import Path

    path = Path(__file__)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("# BEGIN EXAMPLES\n", 1)
    _, tail = rest.split("# END EXAMPLES\n", 1)
    body = pprint.pformat(generate_examples(), width=100, sort_dicts=False)
    path.write_text(f"{head}# BEGIN EXAMPLES\nEXAMPLES: dict[str, dict[str, Any]] = {body}\n"
                    f"# END EXAMPLES\n{tail}", encoding="utf-8")


# -- examples: generated by `python -m api.schemas` from the bundled dataset -----------------
# BEGIN EXAMPLES
EXAMPLES: dict[str, dict[str, Any]] = {'units': {'request': '/units?at=2018-08-07&area=mc&kind=party_board&limit=2',
           'response': {'items': [{'id': 'mc-ban-dan-van',
                                   'name': 'Ban Dân vận Thành ủy Móng Cái',
                                   'name_en': 'Mass Mobilisation Board of the Móng Cái City Party '
                                              'Committee',
                                   'abbr': 'BDV',
                                   'kind': 'party_board',
                                   'level': 'district',
                                   'area': 'mc',
                                   'valid_from': None,
                                   'valid_to': None,
                                   'parent': 'mc-tu',
                                   'note': 'Standard part of the structure, implied but not named '
                                           'in the seeds (source structure:standard).',
                                   'source': 'structure:standard'},
                                  {'id': 'mc-ban-tuyen-giao',
                                   'name': 'Ban Tuyên giáo Thành ủy Móng Cái',
                                   'name_en': 'Propaganda and Education Board of the Móng Cái City '
                                              'Party Committee',
                                   'abbr': 'BTG',
                                   'kind': 'party_board',
                                   'level': 'district',
                                   'area': 'mc',
                                   'valid_from': None,
                                   'valid_to': None,
                                   'parent': 'mc-tu',
                                   'note': "Received the training function ('chức năng đào tạo, "
                                           "bồi dưỡng') of the Political Training Centre (event "
                                           'mc-2018-chuyen-chuc-nang-dao-tao). The text (report of '
                                           '7…',
                                   'source': 'seed:001'}],
                        'total': 3,
                        'limit': 2,
                        'offset': 0,
                        'at': '2018-08-07'}},
 'unit': {'request': '/units/mc-to-chuc-noi-vu?at=2018-08-07',
          'response': {'unit': {'id': 'mc-to-chuc-noi-vu',
                                'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái '
                                        '(hợp nhất)',
                                'name_en': 'Merged Organisation Board and Office of Home Affairs '
                                           'of Móng Cái City',
                                'abbr': '',
                                'kind': 'party_board',
                                'level': 'district',
                                'area': 'mc',
                                'valid_from': '2018-08-07',
                                'valid_to': None,
                                'parent': 'mc-tu',
                                'note': 'New unit formed by consolidating mc-ban-to-chuc and '
                                        'mc-phong-noi-vu (predecessors; event '
                                        'mc-2018-hop-nhat-to-chuc-noi-vu). The official name of '
                                        'the merged unit …',
                                'source': 'seed:001'},
                       'at': '2018-08-07',
                       'exists': True,
                       'parent': {'id': 'mc-tu',
                                  'name': 'Thành ủy Móng Cái',
                                  'name_en': 'Móng Cái City Party Committee',
                                  'kind': 'party_committee',
                                  'level': 'district'},
                       'children_count': 0,
                       'headcount': None,
                       'functions': [{'function': 'personnel',
                                      'valid_from': '2018-08-07',
                                      'valid_to': None,
                                      'source': 'seed:001;structure:standard'}],
                       'posts': [],
                       'serves': [{'id': 'mc-ubnd',
                                   'name': 'Ủy ban nhân dân thành phố Móng Cái',
                                   'name_en': "Móng Cái City People's Committee",
                                   'kind': 'government',
                                   'level': 'district',
                                   'valid_from': '2018-08-07',
                                   'valid_to': None,
                                   'note': 'Carries on the home-affairs work of the former Office '
                                           "of Home Affairs for the City People's Committee "
                                           '(implied by the consolidation).',
                                   'source': 'seed:001'}],
                       'served_by': [],
                       'guided_by': [{'id': 'qn-ban-to-chuc',
                                      'name': 'Ban Tổ chức Tỉnh ủy Quảng Ninh',
                                      'name_en': 'Organisation Board of the Quảng Ninh Provincial '
                                                 'Party Committee',
                                      'kind': 'party_board',
                                      'level': 'province',
                                      'valid_from': '2018-08-07',
                                      'valid_to': None,
                                      'note': 'Standard professional guidance line (Party side).',
                                      'source': 'structure:standard'}],
                       'guides': []}},
 'children': {'request': '/units/mc-tu/children?at=2018-08-07&limit=3',
              'response': {'items': [{'id': 'mc-ban-dan-van',
                                      'name': 'Ban Dân vận Thành ủy Móng Cái',
                                      'name_en': 'Mass Mobilisation Board of the Móng Cái City '
                                                 'Party Committee',
                                      'abbr': 'BDV',
                                      'kind': 'party_board',
                                      'level': 'district',
                                      'area': 'mc',
                                      'valid_from': None,
                                      'valid_to': None,
                                      'parent': 'mc-tu',
                                      'note': 'Standard part of the structure, implied but not '
                                              'named in the seeds (source structure:standard).',
                                      'source': 'structure:standard',
                                      'headcount': None},
                                     {'id': 'mc-ban-tuyen-giao',
                                      'name': 'Ban Tuyên giáo Thành ủy Móng Cái',
                                      'name_en': 'Propaganda and Education Board of the Móng Cái '
                                                 'City Party Committee',
                                      'abbr': 'BTG',
                                      'kind': 'party_board',
                                      'level': 'district',
                                      'area': 'mc',
                                      'valid_from': None,
                                      'valid_to': None,
                                      'parent': 'mc-tu',
                                      'note': "Received the training function ('chức năng đào tạo, "
                                              "bồi dưỡng') of the Political Training Centre (event "
                                              'mc-2018-chuyen-chuc-nang-dao-tao). The text (report '
                                              'of 7…',
                                      'source': 'seed:001',
                                      'headcount': None}],
                           'total': 6,
                           'limit': 3,
                           'offset': 0,
                           'at': '2018-08-07'}},
 'subtree': {'request': '/units/mc-ubnd/subtree?at=2018-08-07&depth=1',
             'response': {'unit': {'id': 'mc-ubnd',
                                   'name': 'Ủy ban nhân dân thành phố Móng Cái',
                                   'name_en': "Móng Cái City People's Committee",
                                   'abbr': 'UBND',
                                   'kind': 'government',
                                   'level': 'district',
                                   'area': 'mc',
                                   'valid_from': None,
                                   'valid_to': None,
                                   'parent': None,
                                   'note': '',
                                   'source': 'seed:001'},
                          'headcount': None,
                          'child_count': 1,
                          'children': [{'unit': {'id': 'mc-trung-tam-hcc',
                                                 'name': 'Trung tâm Hành chính công thành phố Móng '
                                                         'Cái',
                                                 'name_en': 'Móng Cái City Public Administration '
                                                            'Centre',
                                                 'abbr': 'TTHCC',
                                                 'kind': 'centre',
                                                 'level': 'district',
                                                 'area': 'mc',
                                                 'valid_from': None,
                                                 'valid_to': None,
                                                 'parent': 'mc-ubnd',
                                                 'note': 'Visited by the central delegation on '
                                                         '7/8/2018 (seed 001); the text gives no '
                                                         'other fact. Its place under the City '
                                                         "People's Committee is standard, not "
                                                         'stated.',
                                                 'source': 'seed:001'},
                                        'headcount': None,
                                        'child_count': 0,
                                        'children': []}],
                          'at': '2018-08-07'}},
 'ancestors': {'request': '/units/mc-to-chuc-noi-vu/ancestors?at=2018-08-07',
               'response': {'items': [{'id': 'mc-tu',
                                       'name': 'Thành ủy Móng Cái',
                                       'name_en': 'Móng Cái City Party Committee',
                                       'abbr': '',
                                       'kind': 'party_committee',
                                       'level': 'district',
                                       'area': 'mc',
                                       'valid_from': None,
                                       'valid_to': None,
                                       'parent': 'qn-tu',
                                       'note': 'Party organisation of the city (Đảng bộ thành phố '
                                               'Móng Cái). Implemented the scheme approved by '
                                               'decision 1874-QĐ/TU (2015) and Resolutions 18, '
                                               '19-NQ/TW; built a…',
                                       'source': 'seed:001'},
                                      {'id': 'qn-tu',
                                       'name': 'Tỉnh ủy Quảng Ninh',
                                       'name_en': 'Quảng Ninh Provincial Party Committee',
                                       'abbr': 'TU',
                                       'kind': 'party_committee',
                                       'level': 'province',
                                       'area': 'qn',
                                       'valid_from': None,
                                       'valid_to': None,
                                       'parent': None,
                                       'note': '',
                                       'source': 'seed:000;seed:001;seed:003'}],
                            'total': 2,
                            'at': '2018-08-07'}},
 'lineage': {'request': '/units/mc-to-chuc-noi-vu/lineage',
             'response': {'unit': {'id': 'mc-to-chuc-noi-vu',
                                   'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái '
                                           '(hợp nhất)',
                                   'name_en': 'Merged Organisation Board and Office of Home '
                                              'Affairs of Móng Cái City',
                                   'abbr': '',
                                   'kind': 'party_board',
                                   'level': 'district',
                                   'area': 'mc',
                                   'valid_from': '2018-08-07',
                                   'valid_to': None,
                                   'parent': 'mc-tu',
                                   'note': 'New unit formed by consolidating mc-ban-to-chuc and '
                                           'mc-phong-noi-vu (predecessors; event '
                                           'mc-2018-hop-nhat-to-chuc-noi-vu). The official name of '
                                           'the merged unit …',
                                   'source': 'seed:001'},
                          'predecessors': [{'unit': {'id': 'mc-ban-to-chuc',
                                                     'name': 'Ban Tổ chức Thành ủy Móng Cái',
                                                     'name_en': 'Organisation Board of the Móng '
                                                                'Cái City Party Committee',
                                                     'abbr': 'BTC',
                                                     'kind': 'party_board',
                                                     'level': 'district',
                                                     'area': 'mc',
                                                     'valid_from': None,
                                                     'valid_to': '2018-08-07',
                                                     'parent': 'mc-tu',
                                                     'note': "Consolidated ('hợp nhất') with the "
                                                             'city Office of Home Affairs into '
                                                             'mc-to-chuc-noi-vu (event '
                                                             'mc-2018-hop-nhat-to-chuc-noi-vu). '
                                                             'The text (report of 7/8, year 201…',
                                                     'source': 'seed:001'},
                                            'event': {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                                      'date': '2018-08-07',
                                                      'type': 'CONSOLIDATE',
                                                      'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                                      'documents': [{'id': 'doc-18-nq-tw',
                                                                     'code': '18-NQ/TW',
                                                                     'title': 'Nghị quyết số '
                                                                              '18-NQ/TW Hội nghị '
                                                                              'lần thứ sáu Ban '
                                                                              'Chấp hành Trung '
                                                                              'ương Đảng khóa XII '
                                                                              'một số vấn đề về '
                                                                              'tiếp tục đổi mới, '
                                                                              'sắp xếp tổ chức bộ '
                                                                              'máy của hệ thống '
                                                                              'chính …'},
                                                                    {'id': 'doc-19-nq-tw',
                                                                     'code': '19-NQ/TW',
                                                                     'title': 'Nghị quyết số '
                                                                              '19-NQ/TW Hội nghị '
                                                                              'lần thứ sáu Ban '
                                                                              'Chấp hành Trung '
                                                                              'ương Đảng khóa XII '
                                                                              '(tên đầy đủ không '
                                                                              'in trong nguồn)'}],
                                                      'description': 'Hợp nhất Ban Tổ chức Thành '
                                                                     'ủy và phòng Nội vụ thành phố '
                                                                     'Móng Cái: the City Party '
                                                                     'Organisation Board and the '
                                                                     'city Office of Home Affairs '
                                                                     'are consolidated into on…'},
                                            'depth': 1,
                                            'via': 'mc-to-chuc-noi-vu'},
                                           {'unit': {'id': 'mc-phong-noi-vu',
                                                     'name': 'Phòng Nội vụ thành phố Móng Cái',
                                                     'name_en': 'Office of Home Affairs of Móng '
                                                                'Cái City',
                                                     'abbr': '',
                                                     'kind': 'department',
                                                     'level': 'district',
                                                     'area': 'mc',
                                                     'valid_from': None,
                                                     'valid_to': '2018-08-07',
                                                     'parent': 'mc-ubnd',
                                                     'note': "Consolidated ('hợp nhất') with the "
                                                             'City Party Organisation Board into '
                                                             'mc-to-chuc-noi-vu (event '
                                                             'mc-2018-hop-nhat-to-chuc-noi-vu). '
                                                             'The text (report of 7/8, year 2…',
                                                     'source': 'seed:001'},
                                            'event': {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                                      'date': '2018-08-07',
                                                      'type': 'CONSOLIDATE',
                                                      'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                                      'documents': [{'id': 'doc-18-nq-tw',
                                                                     'code': '18-NQ/TW',
                                                                     'title': 'Nghị quyết số '
                                                                              '18-NQ/TW Hội nghị '
                                                                              'lần thứ sáu Ban '
                                                                              'Chấp hành Trung '
                                                                              'ương Đảng khóa XII '
                                                                              'một số vấn đề về '
                                                                              'tiếp tục đổi mới, '
                                                                              'sắp xếp tổ chức bộ '
                                                                              'máy của hệ thống '
                                                                              'chính …'},
                                                                    {'id': 'doc-19-nq-tw',
                                                                     'code': '19-NQ/TW',
                                                                     'title': 'Nghị quyết số '
                                                                              '19-NQ/TW Hội nghị '
                                                                              'lần thứ sáu Ban '
                                                                              'Chấp hành Trung '
                                                                              'ương Đảng khóa XII '
                                                                              '(tên đầy đủ không '
                                                                              'in trong nguồn)'}],
                                                      'description': 'Hợp nhất Ban Tổ chức Thành '
                                                                     'ủy và phòng Nội vụ thành phố '
                                                                     'Móng Cái: the City Party '
                                                                     'Organisation Board and the '
                                                                     'city Office of Home Affairs '
                                                                     'are consolidated into on…'},
                                            'depth': 1,
                                            'via': 'mc-to-chuc-noi-vu'}],
                          'successors': []}},
 'history': {'request': '/units/mc-to-chuc-noi-vu/history?limit=4',
             'response': {'items': [{'date': '2018-08-07',
                                     'type': 'event',
                                     'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                     'role': 'output',
                                     'event': {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                               'date': '2018-08-07',
                                               'type': 'CONSOLIDATE',
                                               'inputs': ['mc-ban-to-chuc', 'mc-phong-noi-vu'],
                                               'outputs': ['mc-to-chuc-noi-vu'],
                                               'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                               'description': 'Hợp nhất Ban Tổ chức Thành ủy và '
                                                              'phòng Nội vụ thành phố Móng Cái: '
                                                              'the City Party Organisation Board '
                                                              'and the city Office of Home Affairs '
                                                              'are consolidated into on…',
                                               'source': 'seed:001'}},
                                    {'date': '2018-08-07',
                                     'type': 'start',
                                     'events': ['mc-2018-hop-nhat-to-chuc-noi-vu']}],
                          'total': 6,
                          'limit': 4,
                          'offset': 0,
                          'unit': {'id': 'mc-to-chuc-noi-vu',
                                   'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái '
                                           '(hợp nhất)',
                                   'name_en': 'Merged Organisation Board and Office of Home '
                                              'Affairs of Móng Cái City',
                                   'kind': 'party_board',
                                   'level': 'district'}}},
 'posts': {'request': '/units/mc-tu/posts?at=2018-08-07',
           'response': {'items': [{'person_id': 'vu-van-kinh',
                                   'role': 'deputy_secretary',
                                   'valid_from': '2018-08-07',
                                   'valid_to': None,
                                   'source': 'seed:001',
                                   'person': 'Vũ Văn Kinh'},
                                  {'person_id': 'ngo-hoang-ngan',
                                   'role': 'secretary',
                                   'valid_from': '2018-08-07',
                                   'valid_to': None,
                                   'source': 'seed:001',
                                   'person': 'Ngô Hoàng Ngân'}],
                        'total': 2,
                        'limit': 50,
                        'offset': 0,
                        'at': '2018-08-07'}},
 'snapshot': {'request': '/snapshot?at=2018-08-07&root=mc-ubnd&depth=1',
              'response': {'items': [{'unit': {'id': 'mc-ubnd',
                                               'name': 'Ủy ban nhân dân thành phố Móng Cái',
                                               'name_en': "Móng Cái City People's Committee",
                                               'abbr': 'UBND',
                                               'kind': 'government',
                                               'level': 'district',
                                               'area': 'mc',
                                               'valid_from': None,
                                               'valid_to': None,
                                               'parent': None,
                                               'note': '',
                                               'source': 'seed:001'},
                                      'headcount': None,
                                      'child_count': 1,
                                      'children': [{'unit': {'id': 'mc-trung-tam-hcc',
                                                             'name': 'Trung tâm Hành chính công '
                                                                     'thành phố Móng Cái',
                                                             'name_en': 'Móng Cái City Public '
                                                                        'Administration Centre',
                                                             'abbr': 'TTHCC',
                                                             'kind': 'centre',
                                                             'level': 'district',
                                                             'area': 'mc',
                                                             'valid_from': None,
                                                             'valid_to': None,
                                                             'parent': 'mc-ubnd',
                                                             'note': 'Visited by the central '
                                                                     'delegation on 7/8/2018 (seed '
                                                                     '001); the text gives no '
                                                                     'other fact. Its place under '
                                                                     "the City People's Committee "
                                                                     'is standard, not stated.',
                                                             'source': 'seed:001'},
                                                    'headcount': None,
                                                    'child_count': 0,
                                                    'children': []}]}],
                           'total': 1,
                           'limit': 50,
                           'offset': 0,
                           'at': '2018-08-07',
                           'root': 'mc-ubnd'}},
 'search': {'request': '/search?q=ban%20to%20chuc%20mong%20cai&at=2018-08-07&limit=3',
            'response': {'items': [{'unit': {'id': 'mc-to-chuc-noi-vu',
                                             'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành '
                                                     'phố Móng Cái (hợp nhất)',
                                             'name_en': 'Merged Organisation Board and Office of '
                                                        'Home Affairs of Móng Cái City',
                                             'abbr': '',
                                             'kind': 'party_board',
                                             'level': 'district',
                                             'area': 'mc',
                                             'valid_from': '2018-08-07',
                                             'valid_to': None,
                                             'parent': 'mc-tu',
                                             'note': 'New unit formed by consolidating '
                                                     'mc-ban-to-chuc and mc-phong-noi-vu '
                                                     '(predecessors; event '
                                                     'mc-2018-hop-nhat-to-chuc-noi-vu). The '
                                                     'official name of the merged unit …',
                                             'source': 'seed:001'},
                                    'score': 0.6277}],
                         'total': 1,
                         'limit': 3,
                         'offset': 0,
                         'q': 'ban to chuc mong cai',
                         'at': '2018-08-07'}},
 'diff': {'request': '/diff?from=2018-08-06&to=2018-08-07&root=mc-tu',
          'response': {'from': '2018-08-06',
                       'to': '2018-08-07',
                       'root': 'mc-tu',
                       'summary': {'units_before': 7,
                                   'units_after': 7,
                                   'added': 2,
                                   'removed': 2,
                                   'moved': 0,
                                   'renamed': 0,
                                   'headcount_before': 0,
                                   'headcount_after': 0,
                                   'headcount_change': 0,
                                   'events': 3},
                       'added': [{'id': 'mc-to-chuc-noi-vu',
                                  'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái '
                                          '(hợp nhất)',
                                  'name_en': 'Merged Organisation Board and Office of Home Affairs '
                                             'of Móng Cái City',
                                  'kind': 'party_board',
                                  'level': 'district',
                                  'parent': 'mc-tu',
                                  'events': ['mc-2018-hop-nhat-to-chuc-noi-vu']},
                                 {'id': 'mc-ubkt-thanh-tra',
                                  'name': 'Ủy ban Kiểm tra Thành ủy – Thanh tra thành phố Móng Cái '
                                          '(hợp nhất)',
                                  'name_en': 'Merged Party Inspection Committee and City '
                                             'Inspectorate of Móng Cái',
                                  'kind': 'inspection_committee',
                                  'level': 'district',
                                  'parent': 'mc-tu',
                                  'events': ['mc-2018-hop-nhat-ubkt-thanh-tra']}],
                       'removed': [{'id': 'mc-ban-to-chuc',
                                    'name': 'Ban Tổ chức Thành ủy Móng Cái',
                                    'name_en': 'Organisation Board of the Móng Cái City Party '
                                               'Committee',
                                    'kind': 'party_board',
                                    'level': 'district',
                                    'parent': 'mc-tu',
                                    'events': ['mc-2018-hop-nhat-to-chuc-noi-vu']},
                                   {'id': 'mc-ubkt',
                                    'name': 'Ủy ban Kiểm tra Thành ủy Móng Cái',
                                    'name_en': 'Inspection Committee of the Móng Cái City Party '
                                               'Committee',
                                    'kind': 'inspection_committee',
                                    'level': 'district',
                                    'parent': 'mc-tu',
                                    'events': ['mc-2018-hop-nhat-ubkt-thanh-tra']}],
                       'moved': [],
                       'renamed': [],
                       'headcount': [],
                       'events': [{'id': 'mc-2018-chuyen-chuc-nang-dao-tao',
                                   'date': '2018-08-07',
                                   'type': 'TRANSFER_FUNCTION',
                                   'inputs': ['mc-trung-tam-bdct'],
                                   'outputs': ['mc-ban-tuyen-giao'],
                                   'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                   'description': 'training: chuyển chức năng đào tạo, bồi dưỡng '
                                                  'của Trung tâm Bồi dưỡng Chính trị về Ban Tuyên '
                                                  'giáo Thành ủy (the training function moves from '
                                                  'the Political Train…',
                                   'source': 'seed:001'},
                                  {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                   'date': '2018-08-07',
                                   'type': 'CONSOLIDATE',
                                   'inputs': ['mc-ban-to-chuc', 'mc-phong-noi-vu'],
                                   'outputs': ['mc-to-chuc-noi-vu'],
                                   'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                   'description': 'Hợp nhất Ban Tổ chức Thành ủy và phòng Nội vụ '
                                                  'thành phố Móng Cái: the City Party Organisation '
                                                  'Board and the city Office of Home Affairs are '
                                                  'consolidated into on…',
                                   'source': 'seed:001'}]}},
 'stats': {'request': '/stats?at=2018-08-07&root=mc',
           'response': {'at': '2018-08-07',
                        'root': 'mc',
                        'units': 17,
                        'by_kind': {'centre': 2,
                                    'district': 1,
                                    'front': 1,
                                    'government': 1,
                                    'inspection_committee': 1,
                                    'mass_org': 5,
                                    'party_board': 3,
                                    'party_committee': 1,
                                    'party_office': 1,
                                    'shared_agency': 1},
                        'by_level': {'district': 17},
                        'headcount': {'total': 21, 'units_with_figure': 1},
                        'people_with_posts': 2,
                        'people_with_concurrent_posts': 2,
                        'concurrent_sample': [{'id': 'ngo-hoang-ngan',
                                               'name': 'Ngô Hoàng Ngân',
                                               'posts': 2},
                                              {'id': 'vu-van-kinh',
                                               'name': 'Vũ Văn Kinh',
                                               'posts': 2}]}},
 'path': {'request': '/path?from=mc-to-chuc-noi-vu&to=qn-ban-to-chuc&at=2018-08-07',
          'response': {'from': {'id': 'mc-to-chuc-noi-vu',
                                'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái '
                                        '(hợp nhất)',
                                'name_en': 'Merged Organisation Board and Office of Home Affairs '
                                           'of Móng Cái City',
                                'kind': 'party_board',
                                'level': 'district'},
                       'to': {'id': 'qn-ban-to-chuc',
                              'name': 'Ban Tổ chức Tỉnh ủy Quảng Ninh',
                              'name_en': 'Organisation Board of the Quảng Ninh Provincial Party '
                                         'Committee',
                              'kind': 'party_board',
                              'level': 'province'},
                       'at': '2018-08-07',
                       'found': True,
                       'via': 'PART_OF',
                       'common_ancestor': 'qn-tu',
                       'length': 3,
                       'steps': [{'id': 'mc-tu',
                                  'name': 'Thành ủy Móng Cái',
                                  'name_en': 'Móng Cái City Party Committee',
                                  'kind': 'party_committee',
                                  'level': 'district',
                                  'relation': 'PART_OF',
                                  'direction': 'up'},
                                 {'id': 'qn-tu',
                                  'name': 'Tỉnh ủy Quảng Ninh',
                                  'name_en': 'Quảng Ninh Provincial Party Committee',
                                  'kind': 'party_committee',
                                  'level': 'province',
                                  'relation': 'PART_OF',
                                  'direction': 'up'}]}},
 'events': {'request': '/events?type=CONSOLIDATE',
            'response': {'items': [{'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                    'date': '2018-08-07',
                                    'type': 'CONSOLIDATE',
                                    'inputs': ['mc-ban-to-chuc', 'mc-phong-noi-vu'],
                                    'outputs': ['mc-to-chuc-noi-vu'],
                                    'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                    'description': 'Hợp nhất Ban Tổ chức Thành ủy và phòng Nội vụ '
                                                   'thành phố Móng Cái: the City Party '
                                                   'Organisation Board and the city Office of Home '
                                                   'Affairs are consolidated into on…',
                                    'source': 'seed:001'},
                                   {'id': 'mc-2018-hop-nhat-ubkt-thanh-tra',
                                    'date': '2018-08-07',
                                    'type': 'CONSOLIDATE',
                                    'inputs': ['mc-ubkt', 'mc-thanh-tra'],
                                    'outputs': ['mc-ubkt-thanh-tra'],
                                    'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                    'description': 'Hợp nhất UBKT Thành ủy và Thanh tra Thành phố '
                                                   'Móng Cái: the City Party Inspection Committee '
                                                   'and the city Inspectorate are consolidated '
                                                   "into one unit. Done ('đã …",
                                    'source': 'seed:001'}],
                         'total': 2,
                         'limit': 50,
                         'offset': 0}},
 'event': {'request': '/events/mc-2018-hop-nhat-to-chuc-noi-vu',
           'response': {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                        'date': '2018-08-07',
                        'type': 'CONSOLIDATE',
                        'inputs': ['mc-ban-to-chuc', 'mc-phong-noi-vu'],
                        'outputs': ['mc-to-chuc-noi-vu'],
                        'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                        'description': 'Hợp nhất Ban Tổ chức Thành ủy và phòng Nội vụ thành phố '
                                       'Móng Cái: the City Party Organisation Board and the city '
                                       'Office of Home Affairs are consolidated into on…',
                        'source': 'seed:001',
                        'input_units': [{'id': 'mc-ban-to-chuc',
                                         'name': 'Ban Tổ chức Thành ủy Móng Cái',
                                         'name_en': 'Organisation Board of the Móng Cái City Party '
                                                    'Committee',
                                         'kind': 'party_board',
                                         'level': 'district'},
                                        {'id': 'mc-phong-noi-vu',
                                         'name': 'Phòng Nội vụ thành phố Móng Cái',
                                         'name_en': 'Office of Home Affairs of Móng Cái City',
                                         'kind': 'department',
                                         'level': 'district'}],
                        'output_units': [{'id': 'mc-to-chuc-noi-vu',
                                          'name': 'Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố '
                                                  'Móng Cái (hợp nhất)',
                                          'name_en': 'Merged Organisation Board and Office of Home '
                                                     'Affairs of Móng Cái City',
                                          'kind': 'party_board',
                                          'level': 'district'}],
                        'documents': [{'id': 'doc-18-nq-tw',
                                       'code': '18-NQ/TW',
                                       'title': 'Nghị quyết số 18-NQ/TW Hội nghị lần thứ sáu Ban '
                                                'Chấp hành Trung ương Đảng khóa XII một số vấn đề '
                                                'về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của '
                                                'hệ thống chính …',
                                       'issuer': 'vn-bch-tw',
                                       'date': '2017',
                                       'url': '',
                                       'source': 'seed:001;seed:002;seed:004'},
                                      {'id': 'doc-19-nq-tw',
                                       'code': '19-NQ/TW',
                                       'title': 'Nghị quyết số 19-NQ/TW Hội nghị lần thứ sáu Ban '
                                                'Chấp hành Trung ương Đảng khóa XII (tên đầy đủ '
                                                'không in trong nguồn)',
                                       'issuer': 'vn-bch-tw',
                                       'date': '2017',
                                       'url': '',
                                       'source': 'seed:001'}]}},
 'document': {'request': '/documents/doc-18-nq-tw',
              'response': {'id': 'doc-18-nq-tw',
                           'code': '18-NQ/TW',
                           'title': 'Nghị quyết số 18-NQ/TW Hội nghị lần thứ sáu Ban Chấp hành '
                                    'Trung ương Đảng khóa XII một số vấn đề về tiếp tục đổi mới, '
                                    'sắp xếp tổ chức bộ máy của hệ thống chính …',
                           'issuer': 'vn-bch-tw',
                           'date': '2017',
                           'url': '',
                           'source': 'seed:001;seed:002;seed:004',
                           'events': [{'id': 'mc-2018-chuyen-chuc-nang-dao-tao',
                                       'date': '2018-08-07',
                                       'type': 'TRANSFER_FUNCTION',
                                       'inputs': ['mc-trung-tam-bdct'],
                                       'outputs': ['mc-ban-tuyen-giao'],
                                       'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                       'description': 'training: chuyển chức năng đào tạo, bồi '
                                                      'dưỡng của Trung tâm Bồi dưỡng Chính trị về '
                                                      'Ban Tuyên giáo Thành ủy (the training '
                                                      'function moves from the Political Train…',
                                       'source': 'seed:001'},
                                      {'id': 'mc-2018-hop-nhat-to-chuc-noi-vu',
                                       'date': '2018-08-07',
                                       'type': 'CONSOLIDATE',
                                       'inputs': ['mc-ban-to-chuc', 'mc-phong-noi-vu'],
                                       'outputs': ['mc-to-chuc-noi-vu'],
                                       'basis': ['doc-18-nq-tw', 'doc-19-nq-tw'],
                                       'description': 'Hợp nhất Ban Tổ chức Thành ủy và phòng Nội '
                                                      'vụ thành phố Móng Cái: the City Party '
                                                      'Organisation Board and the city Office of '
                                                      'Home Affairs are consolidated into on…',
                                       'source': 'seed:001'}]}},
 'person': {'request': '/people/nguyen-van-doc',
            'response': {'id': 'nguyen-van-doc',
                         'name': 'Nguyễn Văn Đọc',
                         'source': 'seed:001;seed:003',
                         'posts': [{'unit': {'id': 'qn-hdnd',
                                             'name': 'Hội đồng nhân dân tỉnh Quảng Ninh',
                                             'name_en': "Quảng Ninh Provincial People's Council",
                                             'kind': 'people_council',
                                             'level': 'province'},
                                    'role': 'chair',
                                    'valid_from': '2017-04-20',
                                    'valid_to': None,
                                    'source': 'seed:003;seed:001',
                                    'concurrent_with': [1]},
                                   {'unit': {'id': 'qn-tu',
                                             'name': 'Tỉnh ủy Quảng Ninh',
                                             'name_en': 'Quảng Ninh Provincial Party Committee',
                                             'kind': 'party_committee',
                                             'level': 'province'},
                                    'role': 'secretary',
                                    'valid_from': '2017-04-20',
                                    'valid_to': None,
                                    'source': 'seed:003;seed:001',
                                    'concurrent_with': [0]}],
                         'concurrent': [{'valid_from': '2017-04-20',
                                         'valid_to': None,
                                         'posts': [{'unit_id': 'qn-hdnd', 'role': 'chair'},
                                                   {'unit_id': 'qn-tu', 'role': 'secretary'}]}]}}}
# END EXAMPLES


if __name__ == "__main__":
    _write_examples()
