"""Routes: merge scenarios (definitions, operations, undo, impact, diff, compare, commit) and
the unit endpoints read against a scenario's state.

A scenario is stored as its definition only (`graph.store.StoredScenario`); its state is
recomputed from the definition against the current baseline (and cached per baseline
revision), so a baseline that changed in a way that conflicts shows up as a 409 saying
which operation no longer applies. Operations are numbered from 1.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import Any, Optional, Union

import orjson
from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import get_store
from api.responses import json_read
from graph.errors import Conflict, InvalidParameter, NotFound
from graph.scenarios.apply import apply
from graph.scenarios.diff import diff as diff_q
from graph.scenarios.files import definition_as_dict, new_definition, state_of
from graph.scenarios.impact import Assumptions, impact as impact_q
from graph.scenarios.operations import operation_to_dict, parse_operations
from graph.scenarios.state import ScenarioState
from graph.store import GraphStore, StoredScenario

router = APIRouter(tags=["scenarios"])

SCENARIO_ID = Path(description="A scenario id (as returned by POST /scenarios).",
                   examples=["hop-nhat-ban-to-chuc-va-phong-noi-vu-3fa2c1"])


# -- request and response models (the API edge) ---------------------------------------------------
class ScenarioCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, examples=["Hợp nhất Ban Tổ chức và Phòng "
                                                             "Nội vụ"])
    at: str = Field(description="The base date (YYYY, YYYY-MM or YYYY-MM-DD): the structure "
                    "the operations start from, and their default effective date.",
                    examples=["2018-08-07"])
    description: str = Field("", max_length=5000)
    operations: list[dict[str, Any]] = Field(default_factory=list,
                                             description="Optional first operations.")


class OperationsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    operations: list[dict[str, Any]]


class ScenarioOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    at: str
    description: str = ""
    operations: list[dict[str, Any]]
    base_revision: str = ""
    created: str = ""
    committed: Optional[str] = None


class ScenarioList(BaseModel):
    model_config = ConfigDict(extra="allow")
    items: list[ScenarioOut]
    total: int


_OP_EXAMPLE = {"op": "consolidate", "units": ["mc-ban-to-chuc", "mc-phong-noi-vu"],
               "parent": "mc-tu", "serves": ["mc-ubnd"], "basis": ["doc-18-nq-tw"],
               "new": {"id": "mc-to-chuc-noi-vu-2", "name": "Ban Tổ chức - Nội vụ"}}


# -- loading and caching states -------------------------------------------------------------------
#: Serialises read-modify-write of scenario definitions (operations, undo, commit) in a process.
_WRITES = threading.Lock()


class _Cache:
    """Recent scenario states by (store, baseline revision, definition)."""

    def __init__(self, size: int = 32):
        self.size = size
        self.items: OrderedDict[tuple, ScenarioState] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> ScenarioState | None:
        with self.lock:
            state = self.items.get(key)
            if state is not None:
                self.items.move_to_end(key)
            return state

    def put(self, key: tuple, state: ScenarioState) -> None:
        with self.lock:
            self.items[key] = state
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _cache(request: Request) -> _Cache:
    cache = getattr(request.app.state, "scenario_cache", None)
    if cache is None:
        cache = request.app.state.scenario_cache = _Cache()
    return cache


def load_definition(store: GraphStore, scenario_id: str) -> StoredScenario:
    scenario = store.get_scenario(scenario_id)
    if scenario is None:
        raise NotFound(f"no scenario with id {scenario_id!r}")
    return scenario


def load_state(request: Request, store: GraphStore, scenario: StoredScenario) -> ScenarioState:
    """The scenario's state over the current baseline (Conflict if it no longer applies)."""
    key = (id(store), store.revision, scenario.id, scenario.at,
           orjson.dumps(list(scenario.operations), option=orjson.OPT_SORT_KEYS))
    cache = _cache(request)
    state = cache.get(key)
    if state is None:
        state = state_of(store, scenario)
        cache.put(key, state)
    return state


def scenario_reader(scenario_id: str, request: Request) -> ScenarioState:
    """Dependency: the state of scenario `scenario_id` as a GraphReader (for mounted routers)."""
    store = get_store(request)
    return load_state(request, store, load_definition(store, scenario_id))


def _assumptions(request: Request) -> Assumptions:
    names = ("remove_duplicate_leadership", "leadership_post_saving", "support_saving",
             "support_staff", "max_span", "single_holder_roles")
    values = {k: v for k, v in request.query_params.items()
              if k in names or k.startswith(("saving.", "saving_"))}
    return Assumptions.from_mapping(values)


def assumptions_dep(
        request: Request,
        remove_duplicate_leadership: Optional[bool] = Query(
            None, description="Remove duplicated single-holder leadership posts in merged units "
            "(default true)."),
        leadership_post_saving: Optional[float] = Query(
            None, ge=0, description="People saved per removed leadership post (default 1)."),
        support_saving: Optional[str] = Query(
            None, description="Saving ratio per duplicated support function, as "
            "`office_admin:0.5,finance_accounting:0.5,transport:0.5` (the default); "
            "`saving.<function>=0.3` sets one.", examples=["office_admin:0.5,transport:0.3"]),
        support_staff: Optional[float] = Query(
            None, ge=0, description="People per support function team in a unit (default 2)."),
        max_span: Optional[int] = Query(
            None, ge=0, description="Span of control above which a unit is flagged "
                                    "(default 10).")) -> Assumptions:
    return _assumptions(request)


def _summary(scenario: StoredScenario) -> dict[str, Any]:
    return definition_as_dict(scenario) | {"operations_count": len(scenario.operations)}


def _with_state(request: Request, store: GraphStore, scenario: StoredScenario) -> dict[str, Any]:
    """The definition, with the log of its operations (or why they no longer apply)."""
    body = definition_as_dict(scenario)
    try:
        state = load_state(request, store, scenario)
    except Conflict as exc:
        return body | {"valid": False, "conflict": exc.detail, "log": []}
    return body | {"valid": True, "conflict": None,
                   "effective_at": state.effective_at.isoformat(),
                   "log": [e.as_dict() for e in state.log]}


def _editable(scenario: StoredScenario) -> None:
    if scenario.committed:
        raise Conflict(f"scenario {scenario.id} was committed on {scenario.committed}; "
                       "a committed scenario cannot change (create a new one)")


# -- endpoints -------------------------------------------------------------------------------------
@router.post("/scenarios", status_code=201, summary="Create a scenario",
             response_model=ScenarioOut)
def create_scenario(request: Request, body: ScenarioCreate,
                    store: GraphStore = Depends(get_store)):
    ops = parse_operations(body.operations) if body.operations else ()
    scenario = new_definition(body.name, body.at, body.description, store.revision, ops)
    result = _with_state(request, store, scenario)
    if not result["valid"]:
        raise Conflict(result["conflict"])
    store.save_scenario(scenario)
    return Response(orjson.dumps(result), status_code=201, media_type="application/json",
                    headers={"Location": f"/scenarios/{scenario.id}"})


@router.get("/scenarios", summary="Saved scenarios", response_model=ScenarioList)
def list_scenarios(store: GraphStore = Depends(get_store)):
    items = [_summary(s) for s in store.list_scenarios()]
    return {"items": items, "total": len(items)}


@router.get("/scenarios/{scenario_id}", summary="A scenario, with the log of its operations",
            response_model=ScenarioOut)
def get_scenario(request: Request, scenario_id: str = SCENARIO_ID,
                 store: GraphStore = Depends(get_store)):
    scenario = load_definition(store, scenario_id)
    return json_read(request, _with_state(request, store, scenario), store.revision)


@router.delete("/scenarios/{scenario_id}", status_code=204, summary="Delete a scenario")
def delete_scenario(scenario_id: str = SCENARIO_ID, store: GraphStore = Depends(get_store)):
    if not store.delete_scenario(scenario_id):
        raise NotFound(f"no scenario with id {scenario_id!r}")
    return Response(status_code=204)


@router.post("/scenarios/{scenario_id}/operations", status_code=201,
             summary="Add operations (checked against the scenario's state: 409 if they "
                     "conflict, 422 if malformed)")
def add_operations(request: Request, scenario_id: str = SCENARIO_ID,
                   body: Union[OperationsBody, list[dict[str, Any]], dict[str, Any]] = Body(
                       ..., description="One operation, a list of them, or "
                       "{\"operations\": [...]}.", examples=[_OP_EXAMPLE]),
                   store: GraphStore = Depends(get_store)):
    with _WRITES:
        return _add_operations(request, store, scenario_id, body)


def _add_operations(request: Request, store: GraphStore, scenario_id: str, body: Any):
    scenario = load_definition(store, scenario_id)
    _editable(scenario)
    if isinstance(body, OperationsBody):
        items = body.operations
    elif isinstance(body, dict) and set(body) == {"operations"}:
        items = body["operations"]
    else:
        items = body if isinstance(body, list) else [body]
    if not items:
        raise InvalidParameter("expected at least one operation",
                               errors=[{"field": "operations", "message": "is empty"}])
    state = load_state(request, store, scenario)
    ops = parse_operations(items, start=len(scenario.operations) + 1)
    new_state, log = apply(state, ops)
    updated = dataclasses.replace(
        scenario, operations=scenario.operations + tuple(operation_to_dict(o) for o in ops))
    store.save_scenario(updated)
    _cache(request).put((id(store), store.revision, updated.id, updated.at,
                         orjson.dumps(list(updated.operations), option=orjson.OPT_SORT_KEYS)),
                        new_state)
    body_out = definition_as_dict(updated) | {
        "added": [e.as_dict() for e in log], "effective_at": new_state.effective_at.isoformat()}
    return Response(orjson.dumps(body_out), status_code=201, media_type="application/json")


@router.delete("/scenarios/{scenario_id}/operations/{n}",
               summary="Undo: remove operation n (from 1); 409 if a later one depends on it")
def delete_operation(request: Request, scenario_id: str = SCENARIO_ID,
                     n: int = Path(ge=1, description="The operation's number, from 1."),
                     store: GraphStore = Depends(get_store)):
    with _WRITES:
        return _delete_operation(request, store, scenario_id, n)


def _delete_operation(request: Request, store: GraphStore, scenario_id: str, n: int):
    scenario = load_definition(store, scenario_id)
    _editable(scenario)
    if n > len(scenario.operations):
        raise NotFound(f"scenario {scenario_id} has {len(scenario.operations)} operation(s); "
                       f"there is no operation {n}")
    remaining = scenario.operations[:n - 1] + scenario.operations[n:]
    try:
        state_of(store, scenario, remaining)
    except Conflict as exc:
        raise Conflict(f"operation {n} cannot be undone: without it, {_renumbered(exc, n)}",
                       errors=exc.errors) from None
    updated = dataclasses.replace(scenario, operations=remaining)
    store.save_scenario(updated)
    return _with_state(request, store, updated) | {"removed": scenario.operations[n - 1]}


def _renumbered(exc: Conflict, n: int) -> str:
    """Name the failing operation by its number before the undo."""
    import re
    return re.sub(r"^operation (\d+)",
                  lambda m: f"operation {int(m[1]) + (int(m[1]) >= n)}", exc.detail)


@router.get("/scenarios/{scenario_id}/impact", summary="The impact report of a scenario")
def get_impact(request: Request, scenario_id: str = SCENARIO_ID,
               assumptions: Assumptions = Depends(assumptions_dep),
               store: GraphStore = Depends(get_store)):
    scenario = load_definition(store, scenario_id)
    state = load_state(request, store, scenario)
    report = impact_q(store, state, assumptions)
    body = {"scenario": _summary(scenario)} | report
    return json_read(request, body, state.revision)


@router.get("/scenarios/{scenario_id}/diff",
            summary="Units added, removed, moved, renamed and merged by a scenario")
def get_diff(request: Request, scenario_id: str = SCENARIO_ID,
             store: GraphStore = Depends(get_store)):
    scenario = load_definition(store, scenario_id)
    state = load_state(request, store, scenario)
    return json_read(request, {"scenario": scenario.id} | diff_q(store, state), state.revision)


_COMPARE_ROWS = [
    ("units", ("units", "after")), ("units change", ("units", "change")),
    ("headcount before", ("headcount", "before")), ("headcount after", ("headcount", "after")),
    ("headcount change", ("headcount", "change")),
    ("saving (assumptions)", ("headcount", "saving_total")),
    ("leadership posts after", ("leadership", "after")),
    ("leadership posts removed", ("leadership", "removed")),
    ("duplicated functions", ("functions", "duplicated")),
    ("functions ending nowhere", ("functions", "nowhere")),
    ("max span after", ("span", "after", "max")), ("depth after", ("depth", "after")),
    ("party cells change", ("party", "cells", "change")),
    ("party committees change", ("party", "committees", "change")),
    ("warnings", ("warnings",)),
]


def _pick(report: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return len(value) if isinstance(value, list) else value


@router.get("/compare", summary="Impact of several scenarios side by side")
def compare(request: Request,
            scenarios: str = Query(..., description="Scenario ids separated by commas.",
                                   examples=["plan-a-1a2b3c,plan-b-4d5e6f"]),
            assumptions: Assumptions = Depends(assumptions_dep),
            store: GraphStore = Depends(get_store)):
    ids = [s.strip() for s in scenarios.split(",") if s.strip()]
    if not ids:
        raise InvalidParameter("scenarios: expected scenario ids separated by commas",
                               errors=[{"field": "scenarios", "message": "is empty"}])
    reports = []
    for sid in dict.fromkeys(ids):
        scenario = load_definition(store, sid)
        state = load_state(request, store, scenario)
        reports.append((scenario, impact_q(store, state, assumptions)))
    table = [{"metric": name, **{s.id: _pick(r, path) for s, r in reports}}
             for name, path in _COMPARE_ROWS]
    body = {"scenarios": [{"id": s.id, "name": s.name, "at": s.at, "impact": r}
                          for s, r in reports],
            "assumptions": assumptions.as_dict(), "table": table}
    return json_read(request, body, store.revision)


@router.post("/scenarios/{scenario_id}/commit",
             summary="Write a scenario into the baseline as dated events, atomically (409 if "
                     "the baseline changed in a way that conflicts)")
def commit_scenario(request: Request, scenario_id: str = SCENARIO_ID,
                    store: GraphStore = Depends(get_store)):
    from graph.scenarios.commit import commit
    with _WRITES:
        scenario = load_definition(store, scenario_id)
        result = commit(store, scenario)
    result["scenario"] = definition_as_dict(result["scenario"])
    return result


# -- the unit endpoints against a scenario's state ------------------------------------------------
def _mount_units() -> None:
    from api.routes import units as units_module
    factory = getattr(units_module, "make_units_router", None)
    if factory is not None:
        router.include_router(factory(scenario_reader, prefix="/scenarios/{scenario_id}"))


_mount_units()
