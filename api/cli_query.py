"""`bomay` query commands (added to `api.cli.app` on import): show, lineage, search.

They call the same pure functions as the API (`graph.queries.structure`, `graph.queries.lineage`) and
print rich tables (or, with `--json`, the API's JSON). Errors are `BomayError`s, which
`api.cli.main` prints as one line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from api.cli import app, open_store, out, print_json
from api.cli_tables import row as _row, table as _table
from graph.dates import DateParseError, parse_at
from graph.errors import InvalidParameter

AT_HELP = "As-of date (YYYY-MM-DD, YYYY-MM or YYYY); default: today."


def _date(value: Optional[str], name: str = "--at") -> dt.date | None:
    try:
        return parse_at(value)
    except DateParseError as exc:
        raise InvalidParameter(f"{name}: {exc} (got {value!r})",
                               errors=[{"field": name, "message": str(exc), "value": value}]) from None


def _json(body: Any) -> None:
    print_json(body)




def _span(item: dict[str, Any]) -> str:
    return f"{item.get('valid_from') or '…'} → {item.get('valid_to') or '…'}"


@app.command()
def show(unit: str = typer.Argument(..., help="A unit id."),
         at: Optional[str] = typer.Option(None, "--at", help=AT_HELP + " Without it the unit "
                                          "is shown whatever its lifetime."),
         as_json: bool = typer.Option(False, "--json", help="Print the API's JSON.")) -> None:
    """One unit on a date: parent, children, headcount, functions, posts and links."""
    from api.routes.units import unit_answer
    from graph.queries.structure import children
    store = open_store()
    try:
        detail = unit_answer(store, unit, _date(at), dt.date.today())
        kids = children(store, unit, dt.date.fromisoformat(detail["at"]))
    finally:
        store.close()
    if as_json:
        _json(detail | {"children": kids})
        return
    u = detail["unit"]
    out.print(Text(u["name"], style="bold"), Text(f" ({u['id']})"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    parent = detail["parent"]
    hc = detail["headcount"]
    for label, value in [
            ("English", u["name_en"]), ("abbreviation", u["abbr"]),
            ("kind / level", f"{u['kind']} / {u['level']}"), ("area", f"{u['area']} (inferred)" if u.get("area_inferred") else u["area"]),
            ("lifetime", _span(u) + " (valid_to exclusive)"), ("as of", detail["at"]),
            ("parent", f"{parent['name']} ({parent['id']})" + _sourced(parent.get("relation"))
             if parent else "—"),
            ("headcount", f"{hc['headcount']} ({hc['basis'] or 'figure'} of {hc['date']})"
             + _sourced(hc) if hc else "—"),
            ("functions", ", ".join(f["function"] for f in detail["functions"]) or "—"),
            ("status", _status(detail)),
            ("superseded by", _lineage_line(detail.get("superseded_by") or [])),
            ("supersedes", _lineage_line(detail.get("supersedes") or [])),
            ("names", _names_line(detail.get("names") or [])),
            ("source", u["source"])]:
        if value:
            _row(facts, label, str(value))
    out.print(facts)
    plans = detail.get("plans") or []
    if plans:  # a plan is not a fact: named apart from the record
        table = _table("plan", "name", "status", "made", "adopted",
                       title=f"Plans that would change it ({len(plans)}; not facts)")
        for p in plans:
            _row(table, p["id"], p["name"], p["status"], p.get("date") or "",
                 p.get("adopted") or "")
        out.print(table)
    if kids:
        table = _table("id", "name", "kind", "headcount", title=f"Children ({len(kids)})")
        for k in kids:
            _row(table, k["id"], k["name"], k["kind"],
                          "" if k["headcount"] is None else str(k["headcount"]))
        out.print(table)
    if detail["posts"]:
        table = _table("role", "person", "from → to", "also holds", title="Posts")
        for p in detail["posts"]:
            also = "; ".join(f"{c['role']} of {c['unit']['name'] or c['unit']['id']}"
                             for c in p["concurrent"])
            _row(table, p["role"], p["person"] or p["person_id"], _span(p), also)
        out.print(table)
    links = [(label, item) for label in ("serves", "served_by", "guided_by", "guides")
             for item in detail[label]]
    if links:
        table = _table("link", "unit", "from → to", title="Links")
        for label, item in links:
            _row(table, label.replace("_", " "), f"{item['name']} ({item['id']})", _span(item))
        out.print(table)


def _sourced(fact: dict[str, Any] | None) -> str:
    """`; source: seed:001` of a fact that says where it comes from ('' otherwise)."""
    return f"; source: {fact['source']}" if fact and fact.get("source") else ""


def _status(detail: dict[str, Any]) -> str:
    """`active`, or `closed (merged) on 2018-08-07` as the API's `status`/`reason` say."""
    status = detail.get("status") or ""
    if status == "closed":
        reason = f" ({detail['reason']})" if detail.get("reason") else ""
        on = f" on {detail['closed_on']}" if detail.get("closed_on") else ""
        return f"closed{reason}{on}"
    return status


def _lineage_line(items: list[dict[str, Any]]) -> str:
    """`Name (id), 2018-08-07, CONSOLIDATE; ...` of `superseded_by` / `supersedes`."""
    return "; ".join(f"{i.get('name') or i['id']} ({i['id']}), {i.get('date')}, {i.get('type')}"
                     for i in items)


def _names_line(names: list[dict[str, Any]]) -> str:
    """The names it bore, oldest first, when it bore more than one (`a (… → 2020); b`)."""
    if len(names) < 2:
        return ""
    return "; ".join(f"{n['name']} ({_span(n)})" for n in names)


@app.command()
def lineage(unit: str = typer.Argument(..., help="A unit id."),
            as_json: bool = typer.Option(False, "--json", help="Print the API's JSON.")) -> None:
    """Where a unit came from and what it became (MERGE, CONSOLIDATE, SPLIT, RENAME)."""
    from graph.queries.lineage import lineage as lineage_of
    store = open_store()
    try:
        body = lineage_of(store, unit)
    finally:
        store.close()
    if as_json:
        _json(body)
        return
    u = body["unit"]
    out.print(Text(f"Lineage of {u['name']}", style="bold"), Text(f" ({u['id']}, {_span(u)})"))
    for key, title in (("predecessors", "Came from"), ("successors", "Became")):
        items = body[key]
        if not items:
            out.print(f"{title}: —", markup=False)
            continue
        table = _table("depth", "unit", "event", "date", "basis", title=title)
        for item in items:
            ev = item["event"]
            basis = ", ".join(d["code"] or d["id"] for d in ev["documents"])
            _row(table, str(item["depth"]), f"{item['unit'].get('name')} ({item['unit']['id']})",
                          f"{ev['type']} {ev['id']}", ev["date"], basis)
        out.print(table)


@app.command()
def search(text: str = typer.Argument(..., help="Words of a name, English name or "
                                      "abbreviation; diacritics optional, typos tolerated."),
           at: Optional[str] = typer.Option(None, "--at", help="As-of date (YYYY-MM-DD, "
                                            "YYYY-MM or YYYY), or `any`: every unit whatever "
                                            "its lifetime; default: today."),
           kind: Optional[str] = typer.Option(None, "--kind", help="Only units of this kind."),
           level: Optional[str] = typer.Option(None, "--level", help="Only units of this level."),
           limit: int = typer.Option(20, "--limit", min=1, max=200, help="At most this many."),
           offset: int = typer.Option(0, "--offset", min=0, max=1000, help="Skip this many."),
           as_json: bool = typer.Option(False, "--json", help="Print the API's JSON.")) -> None:
    """Find units by name, English name or abbreviation, best first (GET /search)."""
    from api.routes.queries import SEARCH_COUNT_CAP
    from api.routes.units import check_choice, page
    from graph.model import KINDS, LEVELS
    from graph.queries.structure import search as search_units
    check_choice("kind", kind, KINDS)
    check_choice("level", level, LEVELS)
    when = None if at == "any" else _date(at) or dt.date.today()
    on = "any" if when is None else when.isoformat()
    store = open_store()
    try:
        # As the API: every match counted (up to the cap), the page asked for shown.
        hits = search_units(store, text, when, SEARCH_COUNT_CAP, kind=kind, level=level)
    finally:
        store.close()
    body = page(hits, limit, offset, q=text, at=on)
    if as_json:
        _json(body)
        return
    when_text = "at any date" if when is None else f"on {on}"
    if not body["items"]:
        more = f" (all {body['total']} skipped by --offset)" if body["total"] else ""
        out.print(f"no unit matches {text!r} {when_text}{more}", markup=False)
        return
    shown = len(body["items"])
    title = f"{body['total']} match(es) for {text!r} {when_text}"
    if shown < body["total"]:
        title += f"; {offset + 1}–{offset + shown} shown (--offset, --limit)"
    columns = ["score", "id", "name", "kind", "level"] + (["lifetime"] if when is None else [])
    table = _table(*columns, title=title)
    for h in body["items"]:
        u = h["unit"]
        name = u["name"]
        former = h.get("formerly")
        if former:  # found by a former name: say which, and when it was borne
            name += f"\nformerly {former['name']} ({_span(former)})"
        cells = [f"{h['score']:.2f}", u["id"], name, u["kind"], u["level"]]
        if when is None:
            cells.append(_span(u))
        _row(table, *cells)
    out.print(table)
