"""Routes: merge scenarios (definitions, operations, undo, impact, diff, compare, commit) and
the unit endpoints read against a scenario's state.

Thin: the request and response models live here (the API edge); reading, caching,
writing (with the version check), compare and commit are `graph.scenarios.service.
ScenarioService`'s, shared with the pages and the CLI. Operations are numbered from 1.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import orjson
from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import get_store
from api.responses import json_read
from api.routes.units import make_units_router
from graph.scenarios.files import definition_as_dict
from graph.scenarios.impact import Assumptions
from graph.scenarios.service import ScenarioService
from graph.store import GraphReader, StoredScenario

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
    assumptions: dict[str, Any] = Field(
        default_factory=dict, description="The scenario's own assumptions (as in a plan "
        "file's `assumptions:`), used when a request sets none.",
        examples=[{"support_staff": 3, "support_saving": {"office_admin": 0.3}}])


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


# -- the service ----------------------------------------------------------------------------------
def get_service(request: Request) -> ScenarioService:
    """Dependency: the scenario service over the app's store (its cache and write lock are
    shared by every request over that store), bounded by the app's scenario limits."""
    return ScenarioService(get_store(request), request.app.state.settings.scenario_limits)


def scenario_reader(scenario_id: str, request: Request) -> GraphReader:
    """Dependency: what scenario `scenario_id` reads as (for the mounted unit routes)."""
    return get_service(request).reader(scenario_id)


_RATIO = r"(?:0(?:\.[0-9]+)?|1(?:\.0+)?|\.[0-9]+)"
# empty allowed: an empty optional parameter counts as absent
_SUPPORT_SAVING = (r"^\s*(?:[a-z][a-z0-9_]*\s*:\s*" + _RATIO
                   + r"\s*(?:,\s*[a-z][a-z0-9_]*\s*:\s*" + _RATIO + r"\s*)*)?$")
_ASSUMPTION_NAMES = ("remove_duplicate_leadership", "leadership_post_saving", "support_saving",
                     "support_staff", "max_span", "single_holder_roles")


#: Query parameters read by `assumptions_dep` besides its declared ones (api.known_query).
ASSUMPTION_QUERY_NAMES = ("single_holder_roles",)
ASSUMPTION_QUERY_PREFIXES = ("saving.", "saving_")


def _assumptions(request: Request) -> dict[str, str] | None:
    """The assumptions the query sets (`saving.<function>` included), checked (422 naming
    the parameter); None if it sets none. Each changes only itself in a scenario's own
    assumptions (`graph.scenarios.service.override_assumptions`)."""
    values = {k: v for k, v in request.query_params.items()
              if k in _ASSUMPTION_NAMES or k.startswith(ASSUMPTION_QUERY_PREFIXES)}
    if not values:
        return None
    Assumptions.from_mapping(values)
    return values


def assumptions_dep(
        request: Request,
        remove_duplicate_leadership: Optional[bool] = Query(
            None, description="Remove duplicated single-holder leadership posts in merged units "
            "(default true)."),
        leadership_post_saving: Optional[float] = Query(
            None, ge=0, le=100_000, description="People saved per removed leadership post (default 1)."),
        # The pattern documents what Assumptions.from_mapping accepts: function:ratio pairs.
        support_saving: Optional[str] = Query(
            None, pattern=_SUPPORT_SAVING, description="Saving ratio per duplicated support function, as "
            "`office_admin:0.5,finance_accounting:0.5,transport:0.5` (the default); "
            "`saving.<function>=0.3` sets one.", examples=["office_admin:0.5,transport:0.3"]),
        support_staff: Optional[float] = Query(
            None, ge=0, le=100_000,
            description="People per support function team in a unit (default 2)."),
        max_span: Optional[int] = Query(
            None, ge=0, le=100_000, description="Span of control above which a unit is flagged "
                                    "(default 10).")) -> dict[str, str] | None:
    """The assumptions asked for, each changing only itself in the scenario's own; None
    when the request sets none (the scenario's own, whole)."""
    return _assumptions(request)


assumptions_dep.extra_query_names = ASSUMPTION_QUERY_NAMES  # type: ignore[attr-defined]
assumptions_dep.extra_query_prefixes = ASSUMPTION_QUERY_PREFIXES  # type: ignore[attr-defined]


def _summary(scenario: StoredScenario) -> dict[str, Any]:
    return definition_as_dict(scenario) | {"operations_count": len(scenario.operations)}


def _created(body: dict[str, Any], location: str | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=201, media_type="application/json",
                    headers={"Location": location} if location else None)


# -- endpoints -------------------------------------------------------------------------------------
@router.post("/scenarios", status_code=201, summary="Create a scenario",
             response_model=ScenarioOut)
def create_scenario(body: ScenarioCreate, service: ScenarioService = Depends(get_service)):
    extra = None
    if body.assumptions:
        Assumptions.from_mapping(body.assumptions)  # 422 naming the assumption if malformed
        extra = {"assumptions": dict(body.assumptions)}
    scenario, view = service.create(body.name, body.at, body.description, body.operations,
                                    extra=extra)
    return _created(view.to_dict(), f"/scenarios/{scenario.id}")


@router.get("/scenarios", summary="Saved scenarios", response_model=ScenarioList)
def list_scenarios(service: ScenarioService = Depends(get_service)):
    items = [_summary(s) for s in service.list()]
    return {"items": items, "total": len(items)}


@router.get("/scenarios/{scenario_id}", summary="A scenario, with the log of its operations",
            response_model=ScenarioOut)
def get_scenario(request: Request, scenario_id: str = SCENARIO_ID,
                 service: ScenarioService = Depends(get_service)):
    scenario = service.get(scenario_id)
    return json_read(request, service.view(scenario).to_dict(),
                     f"{service.store.revision}:{scenario.version}")


@router.delete("/scenarios/{scenario_id}", status_code=204,
               summary="Delete a scenario (409 while it is being committed)")
def delete_scenario(scenario_id: str = SCENARIO_ID,
                    service: ScenarioService = Depends(get_service)):
    service.delete(scenario_id)
    return Response(status_code=204)


@router.post("/scenarios/{scenario_id}/operations", status_code=201,
             summary="Add operations (checked against the scenario's state: 409 if they "
                     "conflict or the scenario changed meanwhile, 422 if malformed or too "
                     "many)")
def add_operations(scenario_id: str = SCENARIO_ID,
                   body: Union[OperationsBody, list[dict[str, Any]], dict[str, Any]] = Body(
                       ..., description="One operation, a list of them, or "
                       "{\"operations\": [...]}.", examples=[_OP_EXAMPLE]),
                   service: ScenarioService = Depends(get_service)):
    if isinstance(body, OperationsBody):
        items = body.operations
    elif isinstance(body, dict) and set(body) == {"operations"}:
        items = body["operations"]
    else:
        items = body if isinstance(body, list) else [body]
    scenario, state, log = service.add_operations(scenario_id, items)
    return _created(definition_as_dict(scenario) | {
        "added": [e.to_dict() for e in log], "effective_at": state.effective_at.isoformat()})


@router.delete("/scenarios/{scenario_id}/operations/{n}",
               summary="Undo: remove operation n (from 1); 409 if a later one depends on it")
def delete_operation(scenario_id: str = SCENARIO_ID,
                     n: int = Path(ge=1, description="The operation's number, from 1."),
                     service: ScenarioService = Depends(get_service)):
    scenario, removed = service.remove_operation(scenario_id, n)
    return service.view(scenario).to_dict() | {"removed": removed}


@router.get("/scenarios/{scenario_id}/impact",
            summary="The impact report of a scenario (as of its commit once committed)")
def get_impact(request: Request, scenario_id: str = SCENARIO_ID,
               assumptions: Optional[dict[str, str]] = Depends(assumptions_dep),
               service: ScenarioService = Depends(get_service)):
    scenario = service.get(scenario_id)
    report = service.impact(scenario, overrides=assumptions)
    return json_read(request, {"scenario": _summary(scenario)} | report,
                     service.revision_of(scenario))


@router.get("/scenarios/{scenario_id}/diff",
            summary="Units added, removed, moved, renamed and merged by a scenario")
def get_diff(request: Request, scenario_id: str = SCENARIO_ID,
             service: ScenarioService = Depends(get_service)):
    scenario = service.get(scenario_id)
    return json_read(request, {"scenario": scenario.id} | service.diff(scenario),
                     service.revision_of(scenario))


@router.get("/compare", summary="Impact of several scenarios side by side")
def compare(request: Request,
            scenarios: str = Query(..., pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.:-]*(,[A-Za-z0-9_][A-Za-z0-9_.:-]*)*$",
                                   description="Scenario ids separated by commas.",
                                   examples=["plan-a-1a2b3c,plan-b-4d5e6f"]),
            assumptions: Optional[dict[str, str]] = Depends(assumptions_dep),
            service: ScenarioService = Depends(get_service)):
    body = service.compare(scenarios.split(","), overrides=assumptions)
    return json_read(request, body, service.store.revision)


@router.post("/scenarios/{scenario_id}/commit",
             summary="Write a scenario into the baseline as dated events, atomically (409 if "
                     "the baseline changed in a way that conflicts, or the scenario changed "
                     "or was deleted meanwhile)")
def commit_scenario(request: Request, scenario_id: str = SCENARIO_ID,
                    service: ScenarioService = Depends(get_service)):
    # The writer's token name, set by api.security's middleware, goes to the change log.
    who = getattr(request.state, "token_name", None) or ""
    return service.commit(scenario_id, who=who).to_dict()


# -- the unit endpoints against a scenario's state ------------------------------------------------
router.include_router(make_units_router(scenario_reader, prefix="/scenarios/{scenario_id}"))
