"""`ScenarioService`: the one place that reads and writes stored scenarios, used alike by
the API routes, the pages and the CLI.

- Reading: a scenario's state is recomputed from its definition against the current
  baseline and cached by (scenario id, scenario version, baseline revision), so that a
  baseline that changed in a way that conflicts shows up as a 409 naming the operation.
- Writing: every change of a definition (operations added or undone, delete, commit) is
  a transaction with a version check: the store's compare-and-set
  (`save_scenario(..., expected_version=)`) refuses a write made over a version that is
  no longer the stored one, in this process or another one sharing the store. A write is
  either stored (and answered) or refused with a 409; never answered and lost.
- Commit: the scenario is first *claimed* (a version-checked save marking it as being
  committed), so that a concurrent delete or edit is refused; then its change set alone
  is written (`graph.store.commit_changes`, `expected_revision`), then the claim is
  turned into the commit record, which keeps the impact report, the diff and the log as
  of the commit (the operations are in the baseline now: re-applying them would conflict
  with themselves). A what-if whose re-applied operations would override recorded events
  it did not override when it was last saved is refused (409 naming them: issue 17).
- Bounds: operations per scenario and per request (`ScenarioLimits`, configurable, by
  default from `BOMAY_SCENARIO_MAX_OPERATIONS` and
  `BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST`); a bigger request is a 422 naming the limit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from graph.errors import Conflict, InvalidParameter, NotFound, StoreBusy
from graph.scenarios.apply import OperationConflict, apply
from graph.scenarios.commit import validated_changes
from graph.scenarios.diff import ScenarioDiff, diff as compute_diff
from graph.scenarios.files import definition_as_dict, new_definition, now, state_of
from graph.scenarios.impact import Assumptions, ImpactReport, impact as compute_impact
from graph.scenarios.operations import operation_to_dict, parse_operations
from graph.scenarios.plans import UNREADABLE_KEY, dataset_plans, is_plan, refuse_change
from graph.scenarios.state import ScenarioState
from graph.store import ChangeNote, GraphReader, GraphStore, StoredScenario, commit_changes

#: The key of a stored scenario's `extra` that marks it as being committed.
CLAIM = "committing"
#: The key of a stored scenario's `extra` listing the recorded baseline events its state
#: overrode when it was last saved (what its log showed the planner); absent when none.
OVERRIDES_SEEN = "overrides_seen"
#: Tries at marking a scenario committed once the baseline is replaced (a busy store then
#: must not turn a commit that is in force into a refusal).
COMMITTED_SAVE_ATTEMPTS = 5


@dataclass(frozen=True)
class ScenarioLimits:
    """Bounds on what a scenario may hold. A commit replays every operation and rewrites
    the baseline, so the default keeps a scenario far below the 100,000 operations that
    would make a commit a denial of service."""

    #: Operations one scenario may hold.
    max_operations: int = 500
    #: Operations one request (create or add) may bring.
    max_operations_per_request: int = 100
    #: Seconds after which a commit claim left by a process that died is considered stale.
    commit_claim_seconds: float = 900.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ScenarioLimits":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in (("max_operations", "BOMAY_SCENARIO_MAX_OPERATIONS"),
                          ("max_operations_per_request",
                           "BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST")):
            raw = env.get(var)
            if raw:
                try:
                    values[name] = int(raw)
                    if values[name] < 1:
                        raise ValueError
                except ValueError:
                    raise InvalidParameter(f"{var}: expected a whole number of 1 or more "
                                           f"(got {raw!r})") from None
        return cls(**values)


@dataclass(frozen=True)
class ScenarioView:
    """A definition with its state: valid (and its log, effective date) or the conflict
    saying why it no longer applies; for a committed scenario, the log as committed."""

    scenario: StoredScenario
    valid: bool
    conflict: str | None
    effective_at: str | None
    log: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        body = definition_as_dict(self.scenario)
        if not self.valid:
            return body | {"valid": False, "conflict": self.conflict, "log": []}
        return body | {"valid": True, "conflict": None, "effective_at": self.effective_at,
                       "log": list(self.log)}


@dataclass(frozen=True)
class CommitResult:
    scenario: StoredScenario
    revision: str
    previous_revision: str
    events: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": definition_as_dict(self.scenario), "revision": self.revision,
                "previous_revision": self.previous_revision, "events": list(self.events)}


#: The key figures of `compare`: (row name, path into the report's dict).
COMPARE_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
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
)


def _named(values: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The assumptions `values` sets (as `Assumptions.from_mapping` reads them; empty ones
    are absent) and the support functions whose ratio it sets (`support_saving`,
    `saving.<function>`, `saving_<function>`)."""
    fields: set[str] = set()
    functions: set[str] = set()
    for key, raw in values.items():
        if raw is None or raw == "":
            continue
        if key == "support_saving":
            names = raw.keys() if isinstance(raw, Mapping) else (
                part.split(":", 1)[0] for part in str(raw).split(",") if part.strip())
            functions |= {str(name).strip() for name in names}
        elif key.startswith("saving."):
            functions.add(key.split(".", 1)[1])
        elif key.startswith("saving_"):
            functions.add(key[7:])
        else:
            fields.add(key)
    return fields, functions


def override_assumptions(base: Assumptions, values: Mapping[str, Any] | None) -> Assumptions:
    """`base` (a scenario's own assumptions) with only what `values` names changed: query
    parameters or CLI flags set one assumption each, and `support_saving` /
    `saving.<function>` one ratio each; every other one stays `base`'s. `values` is
    checked as `Assumptions.from_mapping` checks it (InvalidParameter naming the field)."""
    if not values:
        return base
    asked = Assumptions.from_mapping(values)
    fields, functions = _named(values)
    support = {**base.support_saving, **{f: asked.support_saving[f] for f in functions}}
    return dataclasses.replace(base, support_saving=support,
                               **{f: getattr(asked, f) for f in fields})


def overrides_as_dict(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What `values` overrides, as the report's `assumptions` writes it (None if nothing)."""
    if not values:
        return None
    asked = Assumptions.from_mapping(values).as_dict()
    fields, functions = _named(values)
    out = {f: asked[f] for f in sorted(fields)}
    if functions:
        out["support_saving"] = {f: asked["support_saving"][f] for f in sorted(functions)}
    return out or None


def _pick(report: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = report
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return len(value) if isinstance(value, list) else value


class _Shared:
    """What every service over one store object shares: the state cache and the lock
    that serialises this process's writes (the version check covers other processes)."""

    def __init__(self, size: int = 32):
        self.size = size
        self.states: OrderedDict[tuple, ScenarioState] = OrderedDict()
        self.lock = threading.Lock()
        self.writes = threading.RLock()

    def get(self, key: tuple) -> ScenarioState | None:
        with self.lock:
            state = self.states.get(key)
            if state is not None:
                self.states.move_to_end(key)
            return state

    def put(self, key: tuple, state: ScenarioState) -> None:
        with self.lock:
            self.states[key] = state
            self.states.move_to_end(key)
            while len(self.states) > self.size:
                self.states.popitem(last=False)


_SHARED: "weakref.WeakKeyDictionary[Any, _Shared]" = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def _shared(store: GraphStore) -> _Shared:
    with _SHARED_LOCK:
        shared = _SHARED.get(store)
        if shared is None:
            shared = _SHARED[store] = _Shared()
        return shared


class ScenarioService:
    """Stored scenarios over one store. Cheap to build (one per request is fine): the cache
    and the write lock are shared by every service over the same store object."""

    def __init__(self, store: GraphStore, limits: ScenarioLimits | None = None):
        self.store = store
        self.limits = limits or ScenarioLimits.from_env()
        self._shared = _shared(store)
        #: (scenario id, version) -> the state this service checked and stored: the answer
        #: to its own write is built from it, never from a new read of the store.
        self._written: dict[tuple[str, int], ScenarioState] = {}

    # -- reading -------------------------------------------------------------------------------
    def get(self, scenario_id: str) -> StoredScenario:
        scenario = self.store.get_scenario(scenario_id)
        if scenario is None:
            # A plan of the dataset (plans/*.yaml) reads as a scenario too.
            scenario = next((p for p in dataset_plans(self.store) if p.id == scenario_id), None)
        if scenario is None:
            raise NotFound(f"no scenario with id {scenario_id!r}")
        return scenario

    def list(self) -> list[StoredScenario]:
        """The stored scenarios, then the dataset's plans."""
        return self.store.list_scenarios() + dataset_plans(self.store)

    def state(self, scenario: StoredScenario) -> ScenarioState:
        """The scenario's state over the current baseline (OperationConflict if it no longer
        applies). A committed scenario has none: its operations are in the baseline."""
        if scenario.committed:
            raise Conflict(f"scenario {scenario.id} was committed on {scenario.committed}: "
                           "its operations are in the baseline now (read the baseline, or "
                           "the scenario's impact and diff as committed)")
        if scenario.extra.get(UNREADABLE_KEY):
            raise Conflict(scenario.extra[UNREADABLE_KEY])
        key = (scenario.id, scenario.version, self.store.revision, scenario.at,
               _operations_key(scenario))
        state = self._shared.get(key)
        if state is None:
            state = state_of(self.store, scenario)
            self._shared.put(key, state)
        return state

    def reader(self, scenario_id: str) -> GraphReader:
        """What the unit endpoints read for a scenario: its state, or the baseline once
        the scenario is committed (its changes are the baseline's now)."""
        scenario = self.get(scenario_id)
        return self.store if scenario.committed else self.state(scenario)

    def view(self, scenario: StoredScenario) -> ScenarioView:
        if scenario.committed:
            log = tuple((scenario.extra.get("report") or {}).get("operations") or ())
            return ScenarioView(scenario, True, None, scenario.extra.get("effective_at"), log)
        try:
            state = self._written.get((scenario.id, scenario.version)) or self.state(scenario)
        except Conflict as exc:
            return ScenarioView(scenario, False, exc.detail, None, ())
        return ScenarioView(scenario, True, None, state.effective_at.isoformat(),
                            tuple(e.to_dict() for e in state.log))

    def impact(self, scenario: StoredScenario, assumptions: Assumptions | None = None, *,
               overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The impact report as JSON, with `assumptions` if given, else the scenario's own
        with `overrides` (the assumptions a request names) changed; for a committed
        scenario, the one kept at its commit (Conflict if other assumptions are asked for:
        the baseline it was made against is gone)."""
        a = assumptions or self.assumptions_of(scenario, overrides)
        if scenario.committed:
            report = scenario.extra.get("report")
            if report is None:
                raise Conflict(f"scenario {scenario.id} was committed before bomay kept the "
                               "report of a commit: it has no impact report")
            if report.get("assumptions") != a.as_dict():
                raise Conflict(f"scenario {scenario.id} was committed: its report is kept "
                               "with the assumptions it was committed with "
                               f"({report.get('assumptions')}); other assumptions cannot be "
                               "applied to a baseline that is gone")
            return report
        return self.impact_report(scenario, a).to_dict()

    def impact_report(self, scenario: StoredScenario,
                      assumptions: Assumptions | None = None) -> ImpactReport:
        """The typed impact report of a scenario that is not committed."""
        return compute_impact(self.store, self.state(scenario),
                              assumptions or self.assumptions_of(scenario))

    def diff(self, scenario: StoredScenario) -> dict[str, Any]:
        if scenario.committed:
            kept = scenario.extra.get("diff")
            if kept is None:
                raise Conflict(f"scenario {scenario.id} was committed before bomay kept the "
                               "diff of a commit: it has no diff")
            return kept
        return self.scenario_diff(scenario).to_dict()

    def scenario_diff(self, scenario: StoredScenario) -> ScenarioDiff:
        return compute_diff(self.store, self.state(scenario))

    def effective_at(self, scenario: StoredScenario) -> dt.date:
        """The date the scenario's result is read at (kept at its commit once committed)."""
        if scenario.committed:
            kept = scenario.extra.get("effective_at")
            return dt.date.fromisoformat(kept) if kept else dt.date.fromisoformat(
                scenario.committed[:10])
        return self.state(scenario).effective_at

    def revision_of(self, scenario: StoredScenario) -> str:
        """What a read of the scenario depends on (for ETags)."""
        if scenario.committed:
            return f"{scenario.id}@{scenario.version}"
        return self.state(scenario).revision

    @staticmethod
    def assumptions_of(scenario: StoredScenario,
                       overrides: Mapping[str, Any] | None = None) -> Assumptions:
        """The scenario's own assumptions (a plan's `assumptions:`), else the defaults; with
        `overrides`, those it names changed and no other (`override_assumptions`)."""
        values = scenario.extra.get("assumptions") or {}
        own = Assumptions.from_mapping(values) if values else Assumptions()
        return override_assumptions(own, overrides)

    def compare(self, scenario_ids: Iterable[str], assumptions: Assumptions | None = None, *,
                overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        ids = list(dict.fromkeys(i.strip() for i in scenario_ids if i and i.strip()))
        if not ids:
            raise InvalidParameter("scenarios: expected scenario ids separated by commas",
                                   errors=[{"field": "scenarios", "message": "is empty"}])
        # Each scenario's report with the assumptions asked for, else with its own (a plan's
        # `assumptions:`, as its impact reads; a committed one's report as it was kept):
        # the defaults for all gave figures its impact did not, and a 409 for a committed
        # scenario that has its own. `overrides` change only what they name in each one's.
        reports = [(s, self.impact(s, assumptions, overrides=overrides))
                   for s in map(self.get, ids)]
        asked = assumptions.as_dict() if assumptions is not None else overrides_as_dict(
            overrides)
        table = [{"metric": name, **{s.id: _pick(r, path) for s, r in reports}}
                 for name, path in COMPARE_ROWS]
        return {"scenarios": [{"id": s.id, "name": s.name, "at": s.at, "impact": r}
                              for s, r in reports],
                "assumptions": asked,
                "table": table}

    # -- writing -------------------------------------------------------------------------------
    def _bound(self, count: int, already: int = 0) -> None:
        lim = self.limits
        if count > lim.max_operations_per_request:
            raise InvalidParameter(
                f"operations: {count} operations in one request; the limit is "
                f"{lim.max_operations_per_request} per request (max_operations_per_request)",
                errors=[{"field": "operations", "message": "too many operations in one request",
                         "limit": "max_operations_per_request",
                         "max": lim.max_operations_per_request, "value": count}])
        if already + count > lim.max_operations:
            raise InvalidParameter(
                f"operations: the scenario would hold {already + count} operations; the limit "
                f"is {lim.max_operations} per scenario (max_operations)",
                errors=[{"field": "operations", "message": "too many operations in a scenario",
                         "limit": "max_operations", "max": lim.max_operations,
                         "value": already + count}])

    def _editable(self, scenario: StoredScenario) -> None:
        if is_plan(scenario):
            refuse_change(scenario, "changed or committed")
        if scenario.committed:
            raise Conflict(f"scenario {scenario.id} was committed on {scenario.committed}; "
                           "a committed scenario cannot change (create a new one)")
        claim = scenario.extra.get(CLAIM)
        if claim and not self._stale(claim):
            raise Conflict(f"scenario {scenario.id} is being committed (since "
                           f"{claim.get('since')}); it cannot change meanwhile")

    def _stale(self, claim: Mapping[str, Any]) -> bool:
        try:
            since = dt.datetime.fromisoformat(str(claim.get("since")))
        except ValueError:
            return True
        age = (dt.datetime.now(dt.timezone.utc) - since).total_seconds()
        return age > self.limits.commit_claim_seconds

    def create(self, name: str, at: str, description: str = "",
               operations: Sequence[Mapping[str, Any]] = (), *,
               extra: Mapping[str, Any] | None = None) -> tuple[StoredScenario, ScenarioView]:
        """Check and store a new scenario (its operations, if given, must apply)."""
        self._bound(len(operations))
        ops = parse_operations(list(operations)) if operations else ()
        scenario = new_definition(name, at, description, self.store.revision, ops)
        if extra:
            scenario = dataclasses.replace(scenario, extra=dict(extra))
        state = state_of(self.store, scenario)  # OperationConflict: nothing stored
        saved = self.store.save_scenario(_noting_overrides(scenario, state), expected_version=0)
        self._remember(saved, state)
        return saved, self.view(saved)

    def add_operations(self, scenario_id: str, items: Sequence[Mapping[str, Any]]):
        """Append operations (checked against the scenario's state); return the stored
        scenario, its new state and the log entries of the operations added."""
        if not items:
            raise InvalidParameter("expected at least one operation",
                                   errors=[{"field": "operations", "message": "is empty"}])
        with self._shared.writes:
            scenario = self.get(scenario_id)
            self._editable(scenario)
            self._bound(len(items), len(scenario.operations))
            ops = parse_operations(list(items), start=len(scenario.operations) + 1)
            new_state, log = apply(self.state(scenario), ops)
            updated = dataclasses.replace(
                scenario, operations=scenario.operations + tuple(map(operation_to_dict, ops)))
            saved = self.store.save_scenario(_noting_overrides(updated, new_state),
                                             expected_version=scenario.version)
        self._remember(saved, new_state)
        return saved, new_state, log

    def remove_operation(self, scenario_id: str, n: int) -> tuple[StoredScenario, dict]:
        """Undo operation `n` (from 1); OperationConflict if a later one depends on it."""
        with self._shared.writes:
            scenario = self.get(scenario_id)
            self._editable(scenario)
            if not 1 <= n <= len(scenario.operations):
                raise NotFound(f"scenario {scenario_id} has {len(scenario.operations)} "
                               f"operation(s); there is no operation {n}")
            remaining = scenario.operations[:n - 1] + scenario.operations[n:]
            try:
                state = state_of(self.store, scenario, remaining)
            except OperationConflict as exc:
                # Name the failing operation by its number before the undo.
                raise exc.renamed(index=exc.index + (exc.index >= n),
                                  context=f"operation {n} cannot be undone: without it, "
                                          f"{exc.context}") from None
            updated = dataclasses.replace(scenario, operations=remaining)
            saved = self.store.save_scenario(_noting_overrides(updated, state),
                                             expected_version=scenario.version)
        self._remember(saved, state)
        return saved, scenario.operations[n - 1]

    def delete(self, scenario_id: str) -> None:
        """Delete a scenario; Conflict while it is being committed or if it changed
        between the read and the delete."""
        with self._shared.writes:
            scenario = self.get(scenario_id)
            if is_plan(scenario):
                refuse_change(scenario, "deleted")
            if scenario.committed:
                raise Conflict(f"scenario {scenario_id} was committed on {scenario.committed}: "
                               "it is the record of the events it wrote into the baseline and "
                               "cannot be deleted")
            claim = scenario.extra.get(CLAIM)
            if claim and not self._stale(claim):
                raise Conflict(f"scenario {scenario_id} is being committed (since "
                               f"{claim.get('since')}); it cannot be deleted meanwhile")
            if not self.store.delete_scenario(scenario_id, expected_version=scenario.version):
                raise NotFound(f"no scenario with id {scenario_id!r}")

    def commit(self, scenario_id: str, *, who: str = "") -> CommitResult:
        """Write the scenario into the baseline as dated events, atomically; the scenario
        then records the revision it produced and keeps its report, diff and log.

        What is written is the scenario's change set alone (`validated_changes`: checked
        around the units it touches), in one store transaction that checks the revision
        (`graph.store.commit_changes`). A what-if that would override recorded events the
        planner never saw overridden is refused first (`_check_overrides`)."""
        with self._shared.writes:
            scenario = self.get(scenario_id)
            if scenario.committed:
                raise Conflict(f"scenario {scenario.id} was already committed on "
                               f"{scenario.committed}")
            self._editable(scenario)
            if not scenario.operations:
                raise Conflict(f"scenario {scenario.id} has no operations to commit")
            expected = self.store.revision
            claim = {"since": now(), "over": expected}
            claimed = self.store.save_scenario(
                dataclasses.replace(scenario, extra={**scenario.extra, CLAIM: claim}),
                expected_version=scenario.version)
            try:
                state = state_of(self.store, scenario)
                _check_overrides(scenario, state)
                change_set = validated_changes(state)
                report = compute_impact(self.store, state, self.assumptions_of(scenario))
                changes = compute_diff(self.store, state)
                revision = commit_changes(
                    self.store, change_set, expected_revision=expected,
                    change=ChangeNote("commit", f"scenario {scenario.id}", who))
            except BaseException:
                self.store.save_scenario(scenario, expected_version=claimed.version)
                raise
            events = state.scenario_events()
            committed = dataclasses.replace(
                scenario, committed=now(),
                extra={**scenario.extra, "committed_revision": revision,
                       "committed_over": expected, "events": [e.id for e in events],
                       "effective_at": state.effective_at.isoformat(),
                       "report": report.to_dict(), "diff": changes.to_dict(),
                       **({"committed_by": who} if who else {})})
            saved = self._save_committed(committed, claimed.version, revision)
        return CommitResult(saved, revision, expected, tuple(e.as_dict() for e in events))

    def _save_committed(self, committed: StoredScenario, version: int,
                        revision: str) -> StoredScenario:
        """Mark the scenario committed. The baseline is already replaced at this point, so
        a busy store must not turn the commit into a refusal: the save is retried (each
        try waits the store's own busy timeout), and if it still cannot be written the
        error says the commit itself is in force."""
        for attempt in range(COMMITTED_SAVE_ATTEMPTS):
            try:
                return self.store.save_scenario(committed, expected_version=version)
            except StoreBusy:
                if attempt + 1 == COMMITTED_SAVE_ATTEMPTS:
                    raise StoreBusy(f"scenario {committed.id} was committed (revision "
                                    f"{revision}) but the store stayed busy while its "
                                    "record was marked committed; do not commit it again"
                                    ) from None
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _remember(self, scenario: StoredScenario, state: ScenarioState) -> None:
        """Keep the state of a write just stored. It runs after the commit, so it must not
        read the store: a freshness check there reloads what another process wrote and
        can fail (busy file: 503), and a stored write would be answered as refused (the
        soak's 400 stored vs 399 answered 201). A state over an older revision is cached
        under that revision's key, which no read of the newer one asks for."""
        if scenario.committed:
            return
        self._written[(scenario.id, scenario.version)] = state
        self._shared.put((scenario.id, scenario.version, state.base_revision, scenario.at,
                          _operations_key(scenario)), state)


def _noting_overrides(scenario: StoredScenario, state: ScenarioState) -> StoredScenario:
    """The scenario with the recorded events its state overrides (as its log shows them
    now) noted in `extra`, for the commit's check (`_check_overrides`)."""
    seen = [e.id for e in state.overridden_events()]
    extra = {k: v for k, v in scenario.extra.items() if k != OVERRIDES_SEEN}
    if seen:
        extra[OVERRIDES_SEEN] = seen
    return scenario if extra == scenario.extra else dataclasses.replace(scenario, extra=extra)


def _check_overrides(scenario: StoredScenario, state: ScenarioState) -> None:
    """Refuse (409, naming them) a commit that would override recorded events nobody saw
    overridden.

    A what-if dated before recorded changes overrides, for the units it ends or merges
    into, the baseline events from its date on (`apply`'s `override_future`); the
    commit re-applies the operations to the current baseline, so an event recorded after
    the scenario was last saved would be overridden (deleted from the baseline) silently.
    The rule: the events the re-applied state overrides must be among those it overrode
    when the scenario was last saved through the service (`OVERRIDES_SEEN`); when
    nothing was noted (a definition stored otherwise, or before this rule), among none,
    unless the baseline is still the revision the scenario was made on (then nothing
    can be new). Saving the scenario again (an operation added or undone) shows the log
    with the new overrides and notes them, after which the commit goes through."""
    now = state.overridden_events()
    seen = set(scenario.extra.get(OVERRIDES_SEEN) or ())
    unseen = [e for e in now if e.id not in seen]
    if not unseen or (OVERRIDES_SEEN not in scenario.extra
                      and scenario.base_revision == state.base_revision):
        return
    names = "; ".join(f"{e.id} ({e.type} on {e.date}: {', '.join(e.inputs)} → "
                      f"{', '.join(e.outputs)})" for e in unseen)
    raise Conflict(
        f"scenario {scenario.id} would override recorded event(s) it did not override when "
        f"it was saved (the baseline gained them since): {names}; committing would delete "
        "them from the baseline. Review the scenario (its log lists the overrides) and save "
        "it again (add or undo an operation), or create it anew, to accept them",
        errors=[{"field": "overrides", "message": "recorded event overridden unseen",
                 "event": e.id, "type": e.type, "date": str(e.date)} for e in unseen])


def _operations_key(scenario: StoredScenario) -> int:
    """Two definitions with one version but other operations (an unconditional save by an
    older client) must not share a cached state."""
    import orjson
    return hash(orjson.dumps(list(scenario.operations), option=orjson.OPT_SORT_KEYS))
