"""`bomay` browsing commands (added to `api.cli.app` on import): units, children, tree,
ancestors, history, posts, stats, diff, path, events, event, documents, document, people,
person, relations.

Each answers as its read endpoint does (GET /units, /units/{id}/children, /subtree,
/ancestors, /history, /posts, /stats, /diff, /path, /events, /events/{id}, /documents,
/documents/{id}, /people, /people/{id}, /relations): it calls the same
answer function as the route (`api.routes.units`, `api.routes.queries`,
`api.routes.listings`, which call `graph.queries`), with the API's defaults and bounds
(limits, the 20,000-unit cap of a tree or a diff: `api.bounds`). `--json` prints the
route's JSON body (without the `next` link the HTTP layer adds to a listing: a CLI
pages with `--offset`); otherwise rich tables of plain text (names may hold brackets).
Errors are `BomayError`s, which `api.cli.main` prints as one line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from api.cli import app, open_store, out, print_json
from api.cli_query import AT_HELP, _date, _row, _span
from api.settings import Settings
from graph.errors import InvalidParameter
from graph.rules import default_at

JSON_HELP = "Print the API's JSON."
#: The API's bound of a tree or a diff answer (`bomay serve --max-units`' default).
MAX_UNITS = Settings().max_units
#: The most children the tree shows under one node (the rest are counted).
TREE_CHILDREN = 50
#: The most rows a section of `bomay diff` shows (the rest are counted; --json has all).
DIFF_ROWS = 50

#: The bounds of `limit` and `offset` are the API's (`api.routes.units.LIMIT`, `OFFSET`).
LIMIT_HELP = "At most this many (1 to 1000)."
OFFSET_HELP = "Skip this many first."
# The options most commands share, declared once (typer reads them from the annotation).
AtOption = Annotated[Optional[str], typer.Option("--at", help=AT_HELP)]
LimitOption = Annotated[int, typer.Option("--limit", min=1, max=1000, help=LIMIT_HELP)]
OffsetOption = Annotated[int, typer.Option("--offset", min=0, max=100_000_000,
                                           help=OFFSET_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP)]


def _at(value: Optional[str]) -> dt.date:
    """The `--at` date, or the API's default (today)."""
    return _date(value) or default_at()


def _unit_text(ref: dict[str, Any] | None) -> str:
    if not ref:
        return "—"
    return f"{ref.get('name') or '?'} ({ref['id']})"


def _table(*columns: str, title: str | None = None) -> Table:
    """A table of these columns whose cells wrap, never cut (an id must be read whole)."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def _shown(body: dict[str, Any], what: str) -> str:
    """`showing 1–50 of 11,180 units` (and how to see the next page)."""
    n, total, offset = len(body["items"]), body["total"], body["offset"]
    if not n:
        skipped = f" (all {total:,} skipped by --offset)" if total else ""
        return f"no {what}{skipped}"
    line = f"showing {offset + 1:,}–{offset + n:,} of {total:,} {what}"
    if offset + n < total:
        line += f" (next: --offset {offset + n})"
    return line


def _read(answer, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """`answer(store, ...)` over the chosen store, closed after."""
    store = open_store()
    try:
        return answer(store, *args, **kwargs)
    finally:
        store.close()


@app.command()
def units(at: AtOption = None,
          kind: Optional[str] = typer.Option(None, "--kind", help="Only units of this kind."),
          level: Optional[str] = typer.Option(None, "--level", help="Only units of this level "
                                              "(central, province, district, commune)."),
          area: Optional[str] = typer.Option(None, "--area", help="Only units of this area "
                                             "(the id of a place unit; with the bodies naming "
                                             "none that its PART_OF chain gives it)."),
          limit: LimitOption = 50,
          offset: OffsetOption = 0,
          as_json: JsonOption = False) -> None:
    """The units that exist on a date, filtered, by id (GET /units)."""
    from api.routes.units import unit_list
    body = _read(unit_list, _at(at), kind=kind, level=level, area=area, limit=limit,
                 offset=offset)
    if as_json:
        print_json(body)
        return
    out.print(f"{_shown(body, 'units')} on {body['at']}", markup=False)
    if body["items"]:
        table = _table("id", "name", "kind", "level", "area", "parent")
        for u in body["items"]:
            # an area listing's body naming no area: the area its PART_OF chain gives
            area = f"{u['area']} (inferred)" if u.get("area_inferred") else u["area"]
            _row(table, u["id"], u["name"], u["kind"], u["level"], area, u["parent"])
        out.print(table)


def _unit_table(*extra: str) -> Table:
    return _table("id", "name", "kind", "level", *extra)


@app.command()
def children(unit: str = typer.Argument(..., help="A unit id."),
             at: AtOption = None,
             limit: LimitOption = 50,
             offset: OffsetOption = 0,
             as_json: JsonOption = False) -> None:
    """The units directly under a unit on a date (GET /units/{id}/children)."""
    from api.routes.units import children_page
    body = _read(children_page, unit, _at(at), limit, offset)
    if as_json:
        print_json(body)
        return
    out.print(f"{_shown(body, 'children')} of {unit} on {body['at']}", markup=False)
    if body["items"]:
        table = _unit_table("headcount", "source of the link")
        for k in body["items"]:
            _row(table, k["id"], k["name"], k["kind"], k["level"], k["headcount"],
                 k.get("parent_source"))
        out.print(table)


def _node_label(node: dict[str, Any]) -> Text:
    u = node["unit"]
    label = Text(u["name"], style="bold")
    label.append(f" ({u['id']}) {u['kind']}")
    if node.get("headcount") is not None:
        label.append(f", headcount {node['headcount']}")
    return label


def _grow(branch: Tree, node: dict[str, Any]) -> None:
    """Add `node`'s children under `branch` (iteratively: a tree may be deep), at most
    TREE_CHILDREN a node, saying how many more there are where the tree is cut."""
    stack = [(branch, node)]
    while stack:
        where, at_node = stack.pop()
        kids = at_node.get("children") or []
        for kid in kids[:TREE_CHILDREN]:
            stack.append((where.add(_node_label(kid)), kid))
        if len(kids) > TREE_CHILDREN:
            where.add(Text(f"… {len(kids) - TREE_CHILDREN:,} more children "
                           f"(bomay children {at_node['unit']['id']} --offset {TREE_CHILDREN})",
                           style="dim"))
        elif not kids and at_node.get("child_count"):
            where.add(Text(f"… {at_node['child_count']:,} more below (a larger --depth, or "
                           f"bomay tree {at_node['unit']['id']})", style="dim"))


@app.command()
def tree(unit: str = typer.Argument(..., help="A unit id."),
         at: AtOption = None,
         depth: int = typer.Option(2, "--depth", min=0, max=100, help="Levels below the unit."),
         as_json: JsonOption = False) -> None:
    """The structure under a unit on a date, to a depth (GET /units/{id}/subtree); refused
    above 20,000 units, as the API refuses it."""
    from api.routes.units import subtree_answer
    body = _read(subtree_answer, unit, _at(at), depth, MAX_UNITS)
    if as_json:
        print_json(body)
        return
    root = Tree(_node_label(body))
    _grow(root, body)
    out.print(Text(f"on {body['at']}, {depth} level(s) below:"))
    out.print(root)


@app.command()
def ancestors(unit: str = typer.Argument(..., help="A unit id."),
              at: AtOption = None,
              as_json: JsonOption = False) -> None:
    """The parent chain of a unit up to the root, parent first (GET /units/{id}/ancestors)."""
    from api.routes.units import ancestor_list
    body = _read(ancestor_list, unit, _at(at))
    if as_json:
        print_json(body)
        return
    if not body["items"]:
        out.print(f"{unit} has no parent on {body['at']}", markup=False)
        return
    table = _table("#", "id", "name", "kind", "level",
                   title=f"Above {unit} on {body['at']} ({body['total']}, parent first)")
    for i, u in enumerate(body["items"], 1):
        _row(table, i, u["id"], u["name"], u["kind"], u["level"])
    out.print(table)


def _history_what(item: dict[str, Any]) -> str:
    """What one entry of GET /units/{id}/history says, in a few words."""
    kind = item["type"]
    if kind in ("start", "end"):
        events = ", ".join(item.get("events") or [])
        return ("started" if kind == "start" else "ended") + (f" by {events}" if events else "")
    if kind == "event":
        e = item["event"]
        basis = f"; basis {', '.join(e['basis'])}" if e.get("basis") else ""
        return (f"{e['type']} {e['id']} (as {item['role']}): {', '.join(e['inputs'])} → "
                f"{', '.join(e['outputs'])}{basis}")
    if kind == "parent":
        return f"parent {_unit_text(item.get('from'))} → {_unit_text(item.get('to'))}"
    if kind in ("child_added", "child_removed"):
        return ("child joined: " if kind == "child_added" else "child left: ") \
            + _unit_text(item["unit"])
    if kind in ("link_added", "link_removed"):
        arrow = "→" if item["direction"] == "out" else "←"
        verb = "link from" if kind == "link_added" else "link ended"
        return f"{verb}: {item['relation']} {arrow} {_unit_text(item['unit'])}"
    if kind in ("function_added", "function_removed"):
        return ("function added: " if kind == "function_added" else "function removed: ") \
            + item["function"]
    if kind == "headcount":
        change = "" if item.get("change") is None else f" ({item['change']:+d})"
        return f"headcount {item['headcount']} ({item['basis']}){change}"
    if kind == "renamed":
        return f"renamed {item['from']} → {item['to']}"
    if kind == "moved":
        return f"area {item.get('from_area') or '—'} → {item.get('to_area') or '—'}"
    if kind in ("post_start", "post_end"):
        verb = "takes up" if kind == "post_start" else "leaves"
        return f"{item.get('person') or item['person_id']} {verb} {item['role']}"
    return kind


@app.command()
def history(unit: str = typer.Argument(..., help="A unit id."),
            limit: int = typer.Option(200, "--limit", min=1, max=5000,
                                      help="At most this many entries."),
            offset: OffsetOption = 0,
            as_json: JsonOption = False) -> None:
    """Everything that changed for a unit, in date order, with sources; and the names it
    bore (GET /units/{id}/history)."""
    from api.routes.units import history_page
    body = _read(history_page, unit, limit, offset)
    if as_json:
        print_json(body)
        return
    u = body["unit"]
    out.print(Text(f"History of {u['name']}", style="bold"), Text(f"({u['id']})"))
    names = body.get("names") or []
    if names:
        table = _table("name", "abbreviation", "from → to", "source", title="Names")
        for n in names:
            _row(table, n["name"], n.get("abbr"), _span(n), n.get("source"))
        out.print(table)
    out.print(_shown(body, "entries"), markup=False)
    if body["items"]:
        table = _table("date", "what", "source")
        for item in body["items"]:
            source = item.get("source") or (item.get("event") or {}).get("source")
            _row(table, item["date"], _history_what(item), source)
        out.print(table)
    plans = body.get("plans") or []
    if plans:
        table = _table("plan", "name", "status",
                       title=f"Plans that would change it ({len(plans)}; not facts)")
        for p in plans:
            _row(table, p["id"], p["name"], p["status"])
        out.print(table)


@app.command()
def posts(unit: str = typer.Argument(..., help="A unit id."),
          at: AtOption = None,
          limit: LimitOption = 50,
          offset: OffsetOption = 0,
          as_json: JsonOption = False) -> None:
    """The posts in a unit on a date and who holds them (GET /units/{id}/posts)."""
    from api.routes.units import unit_posts
    body = _read(unit_posts, unit, _at(at), limit, offset)
    if as_json:
        print_json(body)
        return
    out.print(f"{_shown(body, 'posts')} in {unit} on {body['at']}", markup=False)
    if body["items"]:
        table = _table("role", "person", "person id", "from → to", "source")
        for p in body["items"]:
            _row(table, p["role"], p["person"], p["person_id"], _span(p), p.get("source"))
        out.print(table)


@app.command()
def stats(at: AtOption = None,
          root: Optional[str] = typer.Option(None, "--root", help="Only under this unit."),
          as_json: JsonOption = False) -> None:
    """Counts on a date: units by kind and level, headcount, people holding concurrent
    posts (GET /stats)."""
    from graph.queries.structure import stats as stats_of
    body = _read(stats_of, _at(at), root)
    if as_json:
        print_json(body)
        return
    scope = f"under {root}" if root else "everywhere"
    out.print(Text(f"{body['units']:,} units {scope} on {body['at']}", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    hc = body["headcount"]
    sample = ", ".join(f"{p['name'] or p['id']} ({p['posts']})"
                       for p in body["concurrent_sample"])
    for label, value in [
            ("by level", ", ".join(f"{k} {v:,}" for k, v in body["by_level"].items())),
            ("by kind", ", ".join(f"{k} {v:,}" for k, v in body["by_kind"].items())),
            ("headcount", f"{hc['total']:,} ({hc['units_with_figure']:,} units with a figure)"),
            ("people with posts", f"{body['people_with_posts']:,}"),
            ("holding several", f"{body['people_with_concurrent_posts']:,}"
             + (f": {sample}" if sample else ""))]:
        _row(facts, label, value)
    out.print(facts)


def _section(title: str, items: list[dict[str, Any]], columns: tuple[str, ...],
             cells) -> None:
    """A table of at most DIFF_ROWS rows of a diff's list, saying how many it leaves out."""
    if not items:
        return
    table = _table(*columns, title=f"{title} ({len(items):,})")
    for item in items[:DIFF_ROWS]:
        _row(table, *cells(item))
    out.print(table)
    if len(items) > DIFF_ROWS:
        out.print(f"… and {len(items) - DIFF_ROWS:,} more (--json for all)", markup=False)


@app.command()
def diff(date_from: str = typer.Option(..., "--from", help="The earlier date."),
         date_to: str = typer.Option(..., "--to", help="The later date."),
         root: Optional[str] = typer.Option(None, "--root", help="Only under this unit."),
         as_json: JsonOption = False) -> None:
    """What changed between two dates, under a root or everywhere (GET /diff); refused
    above 20,000 units, as the API refuses it."""
    from api.routes.queries import diff_answer, required_date
    start, end = required_date("--from", date_from), required_date("--to", date_to)
    body = _read(diff_answer, start, end, root, MAX_UNITS)
    if as_json:
        print_json(body)
        return
    s = body["summary"]
    scope = f"under {root}" if root else "everywhere"
    out.print(Text(f"From {body['from']} to {body['to']}, {scope}: {s['units_before']:,} → "
                   f"{s['units_after']:,} units; {s['added']:,} added, {s['removed']:,} removed, "
                   f"{s['moved']:,} moved, {s['moved_in']:,} moved in, {s['moved_out']:,} moved out, "
                   f"{s['renamed']:,} renamed; headcount {s['headcount_before']:,} → "
                   f"{s['headcount_after']:,}; {s['events']:,} event(s)", style="bold"))
    unit_cols = ("id", "name", "kind", "parent", "events")
    _section("Added", body["added"], unit_cols,
             lambda u: (u["id"], u["name"], u["kind"], u["parent"], ", ".join(u["events"])))
    _section("Removed", body["removed"], unit_cols,
             lambda u: (u["id"], u["name"], u["kind"], u["parent"], ", ".join(u["events"])))
    for key, title in (("moved", "Moved (another parent)"), ("moved_in", "Moved in"),
                       ("moved_out", "Moved out")):
        _section(title, body[key], ("unit", "parent before → after", "events"),
                 lambda m: (_unit_text(m["unit"]),
                            f"{m['from_parent'] or '—'} → {m['to_parent'] or '—'}",
                            ", ".join(m["events"])))
    _section("Renamed", body["renamed"], ("from", "to", "event", "date"),
             lambda r: (_unit_text(r["from"]), _unit_text(r["to"]), r["event"], r["date"]))
    _section("Headcount", body["headcount"], ("unit", "before", "after", "change"),
             lambda h: (_unit_text(h["unit"]), h["before"], h["after"], h["change"]))
    _section("Events", body["events"], ("date", "type", "id", "inputs → outputs", "basis"),
             _event_cells)


def _event_cells(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e["date"], e["type"], e["id"], f"{', '.join(e['inputs'])} → "
            f"{', '.join(e['outputs'])}", ", ".join(e["basis"]))


@app.command()
def events(date_from: Optional[str] = typer.Option(None, "--from", help="On or after."),
           date_to: Optional[str] = typer.Option(None, "--to", help="On or before."),
           type_: Optional[str] = typer.Option(None, "--type", help="An event type (MERGE, "
                                               "CONSOLIDATE, SPLIT, RENAME, ...)."),
           unit: Optional[str] = typer.Option(None, "--unit", help="Events with this unit "
                                              "as an input or output."),
           basis: Optional[str] = typer.Option(None, "--basis", help="Events based on this "
                                               "document."),
           limit: LimitOption = 50,
           offset: OffsetOption = 0,
           as_json: JsonOption = False) -> None:
    """Events in date order, filtered by dates, type, unit and basis document (GET /events)."""
    from api.routes.queries import event_list
    body = _read(event_list, date_from=_date(date_from, "--from"),
                 date_to=_date(date_to, "--to"), type=type_, unit=unit, basis=basis,
                 limit=limit, offset=offset)
    if as_json:
        print_json(body)
        return
    out.print(_shown(body, "events"), markup=False)
    if body["items"]:
        table = _table("date", "type", "id", "inputs → outputs", "basis", "source")
        for e in body["items"]:
            _row(table, *_event_cells(e), e["source"])
        out.print(table)


@app.command()
def documents(issuer: Optional[str] = typer.Option(None, "--issuer", help="Only those issued "
                                                   "by this unit."),
              limit: LimitOption = 50,
              offset: OffsetOption = 0,
              as_json: JsonOption = False) -> None:
    """Documents (resolutions, decisions, plans), by id (GET /documents)."""
    from api.routes.listings import document_list
    body = _read(document_list, issuer, limit, offset)
    if as_json:
        print_json(body)
        return
    out.print(_shown(body, "documents"), markup=False)
    if body["items"]:
        table = _table("id", "code", "date", "issuer", "title")
        for d in body["items"]:
            _row(table, d["id"], d["code"], d["date"], d["issuer"], d["title"])
        out.print(table)


@app.command()
def path(from_id: str = typer.Argument(..., metavar="FROM", help="A unit id."),
         to_id: str = typer.Argument(..., metavar="TO", help="A unit id."),
         at: AtOption = None,
         as_json: JsonOption = False) -> None:
    """The structural path between two units on a date: through their lowest common
    ancestor, else over any relation (GET /path)."""
    from graph.queries.structure import path as path_of
    body = _read(path_of, from_id, to_id, _at(at))
    if as_json:
        print_json(body)
        return
    ends = f"{_unit_text(body['from'])} to {_unit_text(body['to'])} on {body['at']}"
    if not body["found"]:
        out.print(f"no path from {ends}", markup=False)
        return
    via = f" via {body['common_ancestor']}" if body.get("common_ancestor") else ""
    table = _table("#", "relation", "unit", title=f"From {ends}: {body['length']} step(s) "
                   f"over {body['via']}{via}")
    for i, step in enumerate(body["steps"], 1):
        arrow = "↑" if step["direction"] == "up" else "↓"
        _row(table, i, f"{step['relation']} {arrow} ({step['direction']})", _unit_text(step))
    out.print(table)


@app.command()
def event(event_id: str = typer.Argument(..., metavar="EVENT", help="An event id."),
          as_json: JsonOption = False) -> None:
    """One event with its input and output units and its documents (GET /events/{id})."""
    from graph.queries.records import event_detail
    body = _read(event_detail, event_id)
    if as_json:
        print_json(body)
        return
    out.print(Text(f"{body['type']} {body['id']} on {body['date']}", style="bold"))
    if body.get("description"):
        out.print(Text(body["description"]))
    table = _table("side", "unit", "kind")
    for side in ("input", "output"):
        for u in body[f"{side}_units"]:
            _row(table, side, _unit_text(u), u.get("kind"))
    out.print(table)
    if body["documents"]:
        docs = _table("basis", "code", "date", "title")
        for d in body["documents"]:
            _row(docs, d["id"], d.get("code"), d.get("date"), d.get("title"))
        out.print(docs)
    out.print(Text(f"source: {body.get('source') or '—'}"))


@app.command()
def document(document_id: str = typer.Argument(..., metavar="DOCUMENT", help="A document id."),
             as_json: JsonOption = False) -> None:
    """A document with the events it mandated (GET /documents/{id})."""
    from graph.queries.records import document_detail
    body = _read(document_detail, document_id)
    if as_json:
        print_json(body)
        return
    out.print(Text(body["code"] or body["id"], style="bold"), Text(f"({body['id']})"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    problem = (body.get("url_problem") or {}).get("message")
    for label, value in [("title", body["title"]), ("issuer", body["issuer"]),
                         ("date", body["date"]), ("url", body["url"] or problem),
                         ("source", body["source"])]:
        if value:
            _row(facts, label, value)
    out.print(facts)
    if body["events"]:
        table = _table("date", "type", "id", "inputs → outputs", "basis",
                       title=f"Events it is the basis of ({len(body['events'])})")
        for e in body["events"]:
            _row(table, *_event_cells(e))
        out.print(table)
    else:
        out.print("it is the basis of no recorded event", markup=False)


@app.command()
def people(q: Optional[str] = typer.Option(None, "--name", "--q", help="Part of a name "
                                           "(diacritics optional)."),
           limit: LimitOption = 50,
           offset: OffsetOption = 0,
           as_json: JsonOption = False) -> None:
    """People, by id (GET /people); their posts: GET /people/{id}."""
    from api.routes.listings import people_list
    if q is not None and len(q) > 200:  # the API's max_length
        raise InvalidParameter("--name: at most 200 characters",
                               errors=[{"field": "--name", "message": "at most 200 characters",
                                        "value": q[:40] + "…"}])
    body = _read(people_list, q, limit, offset)
    if as_json:
        print_json(body)
        return
    out.print(_shown(body, "people"), markup=False)
    if body["items"]:
        table = _table("id", "name", "source")
        for p in body["items"]:
            _row(table, p["id"], p["name"], p.get("source"))
        out.print(table)



@app.command()
def person(person_id: str = typer.Argument(..., metavar="PERSON", help="A person id."),
           as_json: JsonOption = False) -> None:
    """A person's posts over time, and the periods they held several at once
    (GET /people/{id})."""
    from graph.queries.records import person_detail
    body = _read(person_detail, person_id)
    if as_json:
        print_json(body)
        return
    out.print(Text(body["name"], style="bold"), Text(f"({body['id']})"))
    if not body["posts"]:
        out.print("no recorded post", markup=False)
        return
    table = _table("#", "role", "unit", "from → to", "held with #", "source",
                   title=f"Posts ({len(body['posts'])}, oldest first)")
    for i, p in enumerate(body["posts"], 1):
        _row(table, i, p["role"], _unit_text(p["unit"]), _span(p),
             ", ".join(str(j + 1) for j in p["concurrent_with"]), p.get("source"))
    out.print(table)
    for c in body["concurrent"]:
        held = "; ".join(f"{h['role']} of {h['unit_id']}" for h in c["posts"])
        out.print(Text(f"{len(c['posts'])} posts at once {_span(c)}: {held}"))

@app.command()
def relations(at: Optional[str] = typer.Option(None, "--at", help=AT_HELP + " Or `all`: "
                                               "every relation ever recorded."),
              type_: Optional[str] = typer.Option(None, "--type", help="PART_OF, SERVES or "
                                                  "GUIDED_BY."),
              unit: Optional[str] = typer.Option(None, "--unit", help="Only relations from "
                                                 "or to this unit."),
              limit: LimitOption = 50,
              offset: OffsetOption = 0,
              as_json: JsonOption = False) -> None:
    """Relations (PART_OF, SERVES, GUIDED_BY) on a date, or ever (GET /relations)."""
    from api.routes.listings import relation_list
    from api.routes.units import check_choice
    from graph.model import RELATION_TYPES
    check_choice("type", type_, RELATION_TYPES)  # before the date, as the API checks them
    day = None if at is not None and at.strip().lower() == "all" else _at(at)
    body = _read(relation_list, day, type_, unit, limit, offset)
    if as_json:
        print_json(body)
        return
    when = f"on {body['at']}" if body["at"] else "ever recorded"
    out.print(f"{_shown(body, 'relations')} {when}", markup=False)
    if body["items"]:
        table = _table("from", "relation", "to", "from → to", "source")
        for r in body["items"]:
            _row(table, r["source_id"], r["type"], r["target_id"], _span(r), r.get("source"))
        out.print(table)


@app.command()
def holders(at: Optional[str] = typer.Option(None, "--at", help=AT_HELP + " Or `all`: every "
                                             "post ever held."),
            unit: Optional[str] = typer.Option(None, "--unit", help="Only posts in this unit."),
            person: Optional[str] = typer.Option(None, "--person",
                                                 help="Only posts of this person (an id)."),
            role: Optional[str] = typer.Option(None, "--role", help="Only this role "
                                               "(e.g. secretary)."),
            limit: LimitOption = 50, offset: OffsetOption = 0,
            as_json: JsonOption = False) -> None:
    """Who held which post on a date, or ever, across units (GET /posts)."""
    from api.routes.listings import post_list
    day = None if at is not None and at.strip().lower() == "all" else _at(at)
    body = _read(post_list, day, unit, person, role, limit, offset)
    if as_json:
        print_json(body)
        return
    when = f"on {body['at']}" if body["at"] else "ever held"
    out.print(f"{_shown(body, 'posts')} {when}", markup=False)
    if body["items"]:
        table = _table("role", "person", "unit", "from → to", "source")
        for p in body["items"]:
            _row(table, p["role"], f"{p['person']} ({p['person_id']})",
                 f"{p['unit']} ({p['unit_id']})", _span(p), p.get("source"))
        out.print(table)
