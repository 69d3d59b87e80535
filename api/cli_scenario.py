"""`bomay scenario ...`: run a plan file against the baseline and print its impact; list,
save and commit stored scenarios (added to `api.cli.app` on import)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer
from rich.markup import escape
from rich.text import Text

from api.cli_tables import row, table as _table
from api.cli import HelpGroup, app, err, open_store, out, print_json, read_folder  # noqa: F401
from graph.errors import InvalidParameter
from graph.scenarios.service import ScenarioService, override_assumptions

scenario_app = typer.Typer(
    cls=HelpGroup, help="Merge scenarios: what-if reorganisations, their impact, and their commit.",
    no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


def _assumption_values(saving: list[str], max_span: Optional[int], support_staff: Optional[float],
                       keep_duplicate_leadership: bool) -> dict[str, Any]:
    """The assumptions the flags set (each changes only itself in a plan's or a saved
    scenario's own: `graph.scenarios.service.override_assumptions`)."""
    values: dict[str, Any] = {}
    for item in saving:
        if "=" not in item:
            raise InvalidParameter(f"--saving {item!r}: expected FUNCTION=RATIO, "
                                   "e.g. office_admin=0.5")
        name, ratio = item.split("=", 1)
        values[f"saving.{name.strip()}"] = ratio.strip()
    if max_span is not None:
        values["max_span"] = max_span
    if support_staff is not None:
        values["support_staff"] = support_staff
    if keep_duplicate_leadership:
        values["remove_duplicate_leadership"] = "false"
    return values


_SAVING = typer.Option([], "--saving", help="A support function's saving ratio, "
                       "FUNCTION=RATIO (repeatable), e.g. office_admin=0.5.")
_SUPPORT_STAFF = typer.Option(None, "--support-staff", help="People per support-function team "
                              "(default 2).")
_MAX_SPAN = typer.Option(None, "--max-span", help="Flag units with more children than this "
                         "(default 10).")
_KEEP_LEADERSHIP = typer.Option(False, "--keep-duplicate-leadership", help="Do not count "
                                "removing duplicated leadership posts as a saving.")


def _html_renderer() -> Callable[..., str]:
    """The visualiser's scenario page (imported on use: the text report needs no viz)."""
    from viz.pages import scenario_page
    return scenario_page


@scenario_app.command("run")
def run(plan: Path = typer.Argument(..., help="A plan file: a YAML or JSON list of operations "
                                    "(or a mapping with name, at, operations, assumptions)."),
        at: Optional[str] = typer.Option(None, "--at", help="The base date (YYYY-MM-DD, or "
                                         "YYYY / YYYY-MM); default: the plan's `at`."),
        data: Optional[Path] = typer.Option(None, "--data", help="Read the baseline from this "
                                            "folder of CSV files instead of the store."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        html: Optional[Path] = typer.Option(None, "--html", help="Also write the report with "
                                            "the before/after chart to this HTML file."),
        root: Optional[str] = typer.Option(None, "--root", help="The unit the HTML charts "
                                           "start from (default: the lowest unit holding every "
                                           "change)."),
        saving: List[str] = _SAVING, support_staff: Optional[float] = _SUPPORT_STAFF,
        max_span: Optional[int] = _MAX_SPAN,
        keep_duplicate_leadership: bool = _KEEP_LEADERSHIP) -> None:
    """Apply a plan to the baseline (without changing it) and print the impact report
    (with the plan's assumptions; each flag changes only the one it names)."""
    from graph.scenarios.apply import OperationConflict, apply, new_state
    from graph.scenarios.diff import diff
    from graph.scenarios.files import check_date, read_plan
    from graph.scenarios.impact import Assumptions, impact

    parsed = read_plan(plan)
    base_at = at or parsed.at
    if not base_at:
        raise InvalidParameter(f"{plan}: say the base date with --at (or `at:` in the plan)")
    base_at = check_date(base_at, "--at")
    own = Assumptions.from_mapping(parsed.assumptions) if parsed.assumptions else Assumptions()
    assumptions = override_assumptions(own, _assumption_values(
        saving, max_span, support_staff, keep_duplicate_leadership))
    renderer = None
    if html is not None:
        renderer = _html_renderer()
    store = None
    if data is not None:
        from graph.embedded.memory import MemoryGraph
        baseline = MemoryGraph(read_folder(data))
    else:
        store = baseline = open_store()
    try:
        if store is not None and store.is_empty():
            raise InvalidParameter(f"the store {store.location} is empty: load a dataset first "
                                   "(bomay load FOLDER) or give --data FOLDER")
        name = parsed.name or plan.stem
        try:
            state, _ = apply(new_state(baseline, base_at, name=name,
                                       event_prefix=f"plan-{plan.stem}"), parsed.operations)
        except OperationConflict as exc:  # named at its line of the plan file
            raise parsed.located(exc) from None
        typed_report, typed_changes = impact(baseline, state, assumptions), diff(baseline, state)
        report, changes = typed_report.to_dict(), typed_changes.to_dict()
        report = {"scenario": {"name": name, "at": base_at, "description": parsed.description,
                               "effective_at": state.effective_at.isoformat(),
                               "operations": len(parsed.operations)}} | report
        if renderer is not None:
            page = renderer(baseline, state, root, state.effective_at, typed_changes,
                            typed_report, name=name, description=parsed.description,
                            plan_file=str(plan))
            html.write_text(page, encoding="utf-8")
            err.print(f"wrote {html}", markup=False)
        if as_json:
            print_json(report | {"diff": changes})
        else:
            print_report(report)
    finally:
        if store is not None:
            store.close()


_JSON = typer.Option(False, "--json", help="Print the answer as JSON (the API's shape).")


def _json(body: Any) -> None:
    print_json(body)


def _service_call(fn: Callable[[ScenarioService], Any]) -> Any:
    store = open_store()
    try:
        return fn(ScenarioService(store))
    finally:
        store.close()


@scenario_app.command("list")
def list_scenarios(as_json: bool = _JSON) -> None:
    """The scenarios saved in the store (and the dataset's plans), with their full ids."""
    from graph.scenarios.files import definition_as_dict

    items = _service_call(lambda svc: svc.list())
    if as_json:
        _json({"items": [definition_as_dict(s) | {"operations_count": len(s.operations)}
                         for s in items], "total": len(items)})
        return
    if not items:
        out.print("no saved scenarios", markup=False)
        return
    table = _table("id", "name", "at", "operations", "committed", "plan")
    table.columns[0].no_wrap = True  # an id is copied whole, never cut or wrapped
    table.columns[0].overflow = "ignore"
    for s in items:
        row(table, s.id, s.name, s.at, len(s.operations), s.committed or "",
            _plan_label(s.extra.get("plan")))
    out.print(table)


def _plan_label(plan: dict[str, Any] | None) -> str:
    """A dataset plan's status with its dates (`adopted 2025-06, made 2025-03-01`), its
    file; '' for a saved scenario."""
    if not plan:
        return ""
    dates = []
    if plan.get("status") == "adopted" and plan.get("adopted"):
        dates.append(f"on {plan['adopted']}")
    if plan.get("date"):
        dates.append(f"made {plan['date']}")
    return ", ".join([plan.get("status") or "", *dates]) + f" ({plan.get('file')})"


@scenario_app.command("show")
def show(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
         as_json: bool = _JSON) -> None:
    """A saved scenario: its definition, whether it still applies, and its operations' log."""
    view = _service_call(lambda svc: svc.view(svc.get(scenario_id)).to_dict())
    if as_json:
        _json(view)
        return
    out.print(f"[bold]{escape(view['name'])}[/bold] ({escape(view['id'])}), base {view['at']}"
              + (f", committed {view['committed']}" if view.get("committed") else ""))
    if view.get("description"):
        out.print(view["description"], markup=False)
    if not view["valid"]:
        out.print(f"[red]no longer applies[/red]: {escape(view['conflict'])}")
        return
    ops = _table("#", "operation", "date", "what", title="Operations")
    for e in view["log"]:
        row(ops, e["index"], e["op"], e["date"], e["summary"])
    out.print(ops)


@scenario_app.command("impact")
def impact_cmd(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
               saving: List[str] = _SAVING, support_staff: Optional[float] = _SUPPORT_STAFF,
               max_span: Optional[int] = _MAX_SPAN,
               keep_duplicate_leadership: bool = _KEEP_LEADERSHIP,
               as_json: bool = _JSON) -> None:
    """A saved scenario's impact report (with its own assumptions; each flag changes only
    the one it names, as GET /scenarios/{id}/impact?support_staff=... does)."""
    overrides = _assumption_values(saving, max_span, support_staff, keep_duplicate_leadership)

    def go(svc: ScenarioService):
        scenario = svc.get(scenario_id)
        return {"scenario": {"name": scenario.name, "at": scenario.at,
                             "description": scenario.description,
                             "operations": len(scenario.operations)}} | svc.impact(
            scenario, overrides=overrides)
    report = _service_call(go)
    _json(report) if as_json else print_report(report)


@scenario_app.command("diff")
def diff_cmd(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
             as_json: bool = _JSON) -> None:
    """What a saved scenario adds, removes, moves, renames, merges and splits."""
    body = _service_call(lambda svc: svc.diff(svc.get(scenario_id)))
    if as_json:
        _json({"scenario": scenario_id} | body)
        return
    for key in ("added", "removed", "moved", "renamed", "merged", "split", "area_changes"):
        items = body.get(key) or []
        out.print(f"[bold]{key}[/bold]: {len(items)}")
        for item in items[:50]:
            line = (_moved_line(item) if key == "moved" and isinstance(item, dict) else
                    _area_line(item) if key == "area_changes" and isinstance(item, dict) else
                    json.dumps(item, ensure_ascii=False, default=str)
                    if not isinstance(item, str) else item)
            out.print("  " + line, markup=False)
        if len(items) > 50:
            out.print(f"  … {len(items) - 50} more (--json for all)", markup=False)


def _moved_line(item: dict[str, Any]) -> str:
    """One moved unit of the diff: its parents, its areas when they change, and the
    operation and event that moved it (a diff kept by an older commit has neither)."""
    head = f"{item.get('id')} ({item.get('name')}): "
    old, new = item.get("from"), item.get("to")
    parts = [f"parent {old or 'none'} -> {new or 'none'}" if old != new
             else f"parent {old or 'none'} (unchanged)"]
    if item.get("area_from") or item.get("area_to"):
        parts.append(f"area {item.get('area_from') or 'none'} -> {item.get('area_to') or 'none'}")
    if item.get("operation") is not None:
        parts.append(f"operation {item['operation']}")
    if item.get("event"):
        parts.append(f"event {item['event']}")
    return head + "; ".join(parts)


def _area_line(item: dict[str, Any]) -> str:
    """One unit of the diff's `area_changes`: its areas, each marked own or inferred (by
    its PART_OF chain), whether the scenario changed its own area (explicit) or only its
    chain's (inferred), and the unit that brought it along."""
    def side(area: Any, by: Any) -> str:
        return f"{area} ({by})" if area else "none"
    line = (f"{item.get('id')} ({item.get('name')}): area "
            f"{side(item.get('area_from'), item.get('from_by'))} -> "
            f"{side(item.get('area_to'), item.get('to_by'))}; {item.get('by')}")
    if item.get("via") and item.get("via") != item.get("id"):
        line += f"; via {item['via']}"
    if item.get("operation") is not None:
        line += f"; operation {item['operation']}"
    return line


@scenario_app.command("compare")
def compare_cmd(scenario_ids: List[str] = typer.Argument(..., help="Two or more scenario "
                                                         "ids."),
                saving: List[str] = _SAVING, support_staff: Optional[float] = _SUPPORT_STAFF,
                max_span: Optional[int] = _MAX_SPAN,
                keep_duplicate_leadership: bool = _KEEP_LEADERSHIP,
                as_json: bool = _JSON) -> None:
    """Key figures of several scenarios side by side (GET /compare), each with its own
    assumptions; each flag changes only the one it names in every scenario's."""
    overrides = _assumption_values(saving, max_span, support_staff, keep_duplicate_leadership)
    body = _service_call(lambda svc: svc.compare(scenario_ids, overrides=overrides))
    if as_json:
        _json(body)
        return
    ids = [s["id"] for s in body["scenarios"]]
    table = _table("metric", *ids, title="Scenarios compared")
    for metric in body["table"]:
        row(table, metric["metric"], *["unknown" if metric.get(i) is None else metric.get(i)
                                       for i in ids])
    out.print(table)


@scenario_app.command("undo")
def undo(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
         n: int = typer.Argument(..., help="The operation to remove, from 1."),
         as_json: bool = _JSON) -> None:
    """Remove operation N of a saved scenario (refused if a later one depends on it)."""
    def go(svc: ScenarioService):
        scenario, removed = svc.remove_operation(scenario_id, n)
        return svc.view(scenario).to_dict() | {"removed": removed}
    body = _service_call(go)
    if as_json:
        _json(body)
    else:
        out.print(f"removed operation {n} ({body['removed'].get('op')}) from {scenario_id}; "
                  f"{len(body['operations'])} left", markup=False)


@scenario_app.command("delete")
def delete(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
           as_json: bool = _JSON) -> None:
    """Delete a saved scenario (refused once committed or while being committed)."""
    _service_call(lambda svc: svc.delete(scenario_id))
    _json({"deleted": scenario_id}) if as_json else out.print(f"deleted {scenario_id}",
                                                              markup=False)


@scenario_app.command("export")
def export_plan(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
                plan: Path = typer.Argument(..., help="The plan file to write (.yaml, or "
                                            ".json)."),
                as_json: bool = _JSON) -> None:
    """Write a saved scenario back as a plan file, which `scenario run` and `save` read.

    The file holds its name, at, description, assumptions and operations."""
    from graph.scenarios.files import plan_as_dict

    scenario = _service_call(lambda svc: svc.get(scenario_id))
    body = plan_as_dict(scenario)
    if plan.suffix.lower() == ".json":
        plan.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        import yaml
        plan.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    if as_json:
        _json({"scenario": scenario_id, "plan": str(plan), "operations": len(body["operations"])})
    else:
        out.print(f"wrote {plan} ({len(body['operations'])} operations)", markup=False)


@scenario_app.command("save")
def save(plan: Path = typer.Argument(..., help="A plan file (YAML or JSON)."),
         at: Optional[str] = typer.Option(None, "--at", help="The base date (default: the "
                                          "plan's `at`)."),
         name: Optional[str] = typer.Option(None, "--name", help="The scenario's name "
                                            "(default: the plan's, or the file name)."),
         as_json: bool = _JSON) -> None:
    """Check a plan against the stored baseline and save it as a scenario."""
    from graph.scenarios.apply import OperationConflict
    from graph.scenarios.files import read_plan
    from graph.scenarios.operations import operation_to_dict

    parsed = read_plan(plan)
    base_at = at or parsed.at
    if not base_at:
        raise InvalidParameter(f"{plan}: say the base date with --at (or `at:` in the plan)")
    store = open_store()
    try:
        try:
            scenario, _ = ScenarioService(store).create(
                name or parsed.name or plan.stem, base_at, parsed.description,
                [operation_to_dict(o) for o in parsed.operations],
                extra={"assumptions": parsed.assumptions} if parsed.assumptions else None)
        except OperationConflict as exc:  # named at its line of the plan file
            raise parsed.located(exc) from None
    finally:
        store.close()
    if as_json:
        from graph.scenarios.files import definition_as_dict
        _json(definition_as_dict(scenario))
        return
    out.print(f"saved scenario {scenario.id} ({len(scenario.operations)} operations)",
              markup=False)


@scenario_app.command("commit")
def commit_cmd(scenario_id: str = typer.Argument(..., help="A saved scenario's id."),
               as_json: bool = _JSON) -> None:
    """Write a saved scenario into the baseline as dated events (atomically)."""
    import getpass
    result = _service_call(lambda svc: svc.commit(scenario_id, who=getpass.getuser()))
    if as_json:
        _json(result.to_dict())
        return
    out.print(f"committed {scenario_id}: {len(result.events)} events "
              f"({', '.join(e['id'] for e in result.events)}); revision {result.revision}",
              markup=False)


# -- the readable report ---------------------------------------------------------------------------
def _signed(n: Any) -> str:
    if isinstance(n, (int, float)):
        return f"+{n}" if n > 0 else str(n)
    return "" if n is None else str(n)


#: The most rows a text table of the report lists (a national plan forms 30,000 bodies and
#: moves 150,000 posts); `--json` lists them all.
TEXT_ROWS = 50
#: The parents the text report's scope line names before it gives their number.
SCOPE_PARENTS = 12


def _more(total: int, what: str) -> None:
    if total > TEXT_ROWS:
        out.print(f"  … {total - TEXT_ROWS} more {what} (`--json` lists them all)", markup=False)


def print_bodies(bodies: dict[str, Any] | None) -> None:
    """The bodies of consolidated or merged areas: each new (or absorbing) body and those
    it replaces, and the bodies moved without a peer."""
    if not bodies or not (bodies["groups"] or bodies["unpaired"] or bodies["bodies_ended"]):
        return
    out.print(f"Bodies of the areas: {bodies['bodies_ended']} brought together into "
              f"{bodies['merged']} (new bodies, or the peers they merge into); "
              f"{len(bodies['unpaired'])} without a peer (moved as they are)", markup=False)
    if bodies["groups"]:
        t = _table("body", "from", title="Bodies brought together")
        for g in bodies["groups"][:TEXT_ROWS]:
            row(t, g["unit"], ", ".join(g["from"]))
        out.print(t)
        _more(len(bodies["groups"]), "bodies")
    if bodies["unpaired"]:
        t = _table("body", "from area", "to area", title="Bodies without a peer")
        for u in bodies["unpaired"][:TEXT_ROWS]:
            row(t, u["unit"], u["from_area"], u["to_area"])
        out.print(t)
        _more(len(bodies["unpaired"]), "bodies without a peer")


def print_report(report: dict[str, Any]) -> None:
    s = report.get("scenario", {})
    a = report["assumptions"]
    out.print(f"[bold]Scenario {escape(s.get('name', ''))}[/bold] — base {s.get('at')}, read on "
              f"{report['at']['after']} ({s.get('operations', 0)} operations)")
    if s.get("description"):
        out.print(s["description"], markup=False)
    scope = report["scope"]
    parents = scope["parents"]
    # A national plan's scope has tens of thousands of parents: the first few, then a count.
    named = ", ".join(parents[:SCOPE_PARENTS]) or "none"
    if len(parents) > SCOPE_PARENTS:
        named += f", … ({len(parents)} in all; `--json` lists them all)"
    out.print(f"Scope: the subtrees of {len(scope['subjects'])} units "
              f"({scope['units_before']} units before, {scope['units_after']} after); "
              f"parents: {named}", markup=False)

    ops = _table("#", "operation", "date", "what", title="Operations")
    for e in report.get("operations", []):
        row(ops, e["index"], e["op"], e["date"], e["summary"])
    out.print(ops)

    units = report["units"]
    t = _table("units", "before", "after", "change", title="Units by kind and level")
    row(t, Text("all", style="bold"), units["before"], units["after"], _signed(units["change"]))
    for group, label in (("by_kind", "by kind"), ("by_level", "by level")):
        row(t, Text(label, style="italic"), "", "", "")
        for key, v in units[group].items():
            row(t, f"  {key}", v["before"], v["after"], _signed(v["change"]))
    out.print(t)
    print_bodies(report.get("bodies"))

    h = report["headcount"]
    t = _table("headcount", "people", "how", title="Headcount (biên chế)")
    def known(v: Any) -> str:
        return "unknown" if v is None else str(v)
    row(t, "before", known(h["before"]), "")
    row(t, "after, as recorded", known(h["after_recorded"]), "figures summed or moved")
    for saving in h["savings"]:
        what = saving.get("function") or saving.get("role")
        if saving.get("applied", True):
            row(t, f"− {saving['reason']} ({saving['unit']}, {what})", saving["amount"],
                saving["how"] + (f"; {saving['note']}" if saving.get("note") else ""))
        else:
            row(t, f"  ({saving['reason']} ({saving['unit']}, {what}))",
                f"({saving['amount']})", f"{saving['how']}; {saving['note']}")
    row(t, Text("after, with assumptions", style="bold"), Text(known(h["after"]), style="bold"),
        f"change {_signed(h['change']) or 'unknown'}")
    if h["units_without_figure"]["before"] or h["units_without_figure"]["after"]:
        row(t, "units without a figure", f"{h['units_without_figure']['before']} → "
            f"{h['units_without_figure']['after']}", "not counted")
    out.print(t)
    support = ", ".join(f"{k} {v}" for k, v in a["support_saving"].items())
    out.print(f"Assumptions: duplicated leadership posts removed: "
              f"{'yes' if a['remove_duplicate_leadership'] else 'no'} "
              f"({a['leadership_post_saving']} per post); support saving ratios: {support}; "
              f"{a['support_staff']} people per support team; max span {a['max_span']}",
              markup=False)

    f = report["functions"]
    out.print(f"Functions held by the units acted on: {f['before']} → {f['after']}", markup=False)
    for d in f["duplicated"]:
        extra = "" if "saving" not in d else f" (saves {d['saving']})" \
            if d.get("saving_applied") else f" (would save {d['saving']}; no headcount figure)"
        out.print(f"  duplicated in {d['unit']}: {d['function']} held by {d['holders']} units"
                  f"{extra}", markup=False)
    for d in f["nowhere"]:
        out.print(f"  [red]ends nowhere[/red]: {escape(d['function'])} (from {escape(d['from'])})")

    lead = report["leadership"]
    out.print(f"Leadership posts: {lead['before']} → {lead['after_recorded']} as recorded, "
              f"{lead['after']} with {lead['removed']} duplicate(s) removed", markup=False)
    for d in lead["duplicated"]:
        out.print(f"  {d['unit']}: {len(d['people'])} × {d['role']} ({', '.join(d['people'])})",
                  markup=False)
    if lead["people_affected"]:
        t = _table("person", "post", "change", title="People affected")
        people = lead["people_affected"]
        for p in people[:TEXT_ROWS]:
            row(t, p["name"] or p["person"], f"{p['role']}, {p['unit']}",
                p["change"] + (" (duplicated)" if p.get("duplicated") else ""))
        out.print(t)
        _more(len(people), "people affected")

    span, depth = report["span"], report["depth"]
    out.print(f"Span of control: max {span['before']['max']} → {span['after']['max']}, mean "
              f"{span['before']['mean']} → {span['after']['mean']}; depth (layers) "
              f"{depth['before']} → {depth['after']}", markup=False)
    for d in span["after"]["exceeding"]:
        out.print(f"  [yellow]over the span of {span['max_span']}[/yellow]: {escape(d['unit'])} has "
                  f"{d['children']} units")
    for kind, label in (("cells", "Party cells"), ("committees", "Party committees")):
        p = report["party"][kind]
        detail = "; ".join(f"{k}: {', '.join(p[k])}" for k in ("ended", "started", "moved",
                                                               "changed") if p[k])
        out.print(f"{label}: {p['before']} → {p['after']}" + (f" ({detail})" if detail else ""),
                  markup=False)
    if report["warnings"]:
        out.print("[bold yellow]Warnings[/bold yellow]")
        for w in report["warnings"]:
            out.print(f"  {w}", markup=False)
    else:
        out.print("No warnings (no orphan, cycle or unit with two parents).", markup=False)
