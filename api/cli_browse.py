"""`bomay` browsing commands (added to `api.cli.app` on import): units, children, tree,
snapshot, ancestors, history, posts, stats, diff, path, events, event, documents, document,
people, person, relations, holders.

Each answers as its read endpoint does (GET /units, /units/{id}/children, /subtree,
/snapshot, /ancestors, /history, /units/{id}/posts, /stats, /diff, /path, /events,
/events/{id}, /documents, /documents/{id}, /people, /people/{id}, /relations, /posts): it
calls the same answer function as the route (`api.routes.units`, `api.routes.queries`,
`api.routes.listings`, which call `graph.queries`; the snapshot's, `snapshot_answer`, is
here for now), with the API's defaults and bounds (limits, the 20,000-unit cap of a tree,
a snapshot or a diff: `api.bounds`). `--json` prints the
route's JSON body (without the `next` link the HTTP layer adds to a listing: a CLI
pages with `--offset`); otherwise rich tables of plain text (names may hold brackets).
Errors are `BomayError`s, which `api.cli.main` prints as one line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Callable, Iterable, Optional, Sequence

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from api.cli import app, open_store, out, print_json
from api.cli_query import AT_HELP, _date, _span
from api.cli_tables import row as _row, table as _table
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


def _print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 title: str | None = None) -> None:
    """Print a `_table` of `columns`, a row of plain-text cells (`_row`) for each of `rows`
    (printed with its header even when there are none: callers say when to leave it out)."""
    table = _table(*columns, title=title)
    for cells in rows:
        _row(table, *cells)
    out.print(table)


def _print_page(body: dict[str, Any], what: str, scope: str, columns: Sequence[str],
                cells: Callable[[dict[str, Any]], Sequence[Any]]) -> None:
    """A listing's page: the `_shown` line (then `scope`, e.g. ` on 2018-08-07`), then its
    items as a table of `columns`, `cells(item)` a row, when there are any."""
    out.print(f"{_shown(body, what)}{scope}", markup=False)
    if body["items"]:
        _print_table(columns, map(cells, body["items"]))


def _print_facts(facts: Iterable[tuple[str, Any]]) -> None:
    """Print (label, value) pairs as two columns without borders, the labels dim."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, value in facts:
        _row(grid, label, value)
    out.print(grid)


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
    # an area listing's body naming no area: the area its PART_OF chain gives
    _print_page(body, "units", f" on {body['at']}",
                ("id", "name", "kind", "level", "area", "parent"),
                lambda u: (u["id"], u["name"], u["kind"], u["level"],
                           f"{u['area']} (inferred)" if u.get("area_inferred") else u["area"],
                           u["parent"]))


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
    _print_page(body, "children", f" of {unit} on {body['at']}",
                ("id", "name", "kind", "level", "headcount", "source of the link"),
                lambda k: (k["id"], k["name"], k["kind"], k["level"], k["headcount"],
                           k.get("parent_source")))


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
def snapshot(at: AtOption = None,
             root: Optional[str] = typer.Option(None, "--root",
                                                help="Only the tree under this unit."),
             depth: Optional[int] = typer.Option(None, "--depth", min=0, max=100,
                                                 help="Levels below each root (default: all)."),
             limit: LimitOption = 50,
             offset: OffsetOption = 0,
             as_json: JsonOption = False) -> None:
    """The structure on a date: the trees of the units without a parent, a page of them, or
    the one tree under --root (GET /snapshot); refused above 20,000 units, as the API
    refuses it."""
    from api.routes.queries import snapshot_answer
    body = _read(snapshot_answer, _at(at), root, depth, limit, offset, MAX_UNITS)
    if as_json:
        print_json(body)
        return
    scope = f" under {root}" if root else ""
    below = "all levels" if depth is None else f"{depth} level(s)"
    out.print(f"{_shown(body, 'trees')}{scope} on {body['at']}, {below} below", markup=False)
    for node in body["items"]:
        top = Tree(_node_label(node))
        _grow(top, node)
        out.print(top)


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
    _print_table(("#", "id", "name", "kind", "level"),
                 [(i, u["id"], u["name"], u["kind"], u["level"])
                  for i, u in enumerate(body["items"], 1)],
                 title=f"Above {unit} on {body['at']} ({body['total']}, parent first)")


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
        _print_table(("name", "abbreviation", "from → to", "source"),
                     [(n["name"], n.get("abbr"), _span(n), n.get("source")) for n in names],
                     title="Names")
    _print_page(body, "entries", "", ("date", "what", "source"),
                lambda item: (item["date"], _history_what(item),
                              item.get("source") or (item.get("event") or {}).get("source")))
    plans = body.get("plans") or []
    if plans:
        _print_table(("plan", "name", "status"), [(p["id"], p["name"], p["status"]) for p in plans],
                     title=f"Plans that would change it ({len(plans)}; not facts)")


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
    _print_page(body, "posts", f" in {unit} on {body['at']}",
                ("role", "person", "person id", "from → to", "source"),
                lambda p: (p["role"], p["person"], p["person_id"], _span(p), p.get("source")))


@app.command()
def stats(at: AtOption = None,
          root: Optional[str] = typer.Option(None, "--root", help="Only under this unit."),
          area: Optional[str] = typer.Option(None, "--area", help="Only the units of this "
                                             "area (a place's id), as `units --area` lists "
                                             "them (with --root: those under the root)."),
          as_json: JsonOption = False) -> None:
    """Counts on a date: units by kind and level, headcount, people holding concurrent
    posts (GET /stats)."""
    from graph.queries.structure import stats as stats_of
    body = _read(stats_of, _at(at), root, area or None)
    if as_json:
        print_json(body)
        return
    scope = " and ".join(([f"under {root}"] if root else []) + ([f"in area {area}"]
                                                               if area else [])) or "everywhere"
    out.print(Text(f"{body['units']:,} units {scope} on {body['at']}", style="bold"))
    hc = body["headcount"]
    sample = ", ".join(f"{p['name'] or p['id']} ({p['posts']})"
                       for p in body["concurrent_sample"])
    _print_facts([
        ("by level", ", ".join(f"{k} {v:,}" for k, v in body["by_level"].items())),
        ("by kind", ", ".join(f"{k} {v:,}" for k, v in body["by_kind"].items())),
        # no figure at all is not a headcount of 0
        ("headcount", f"{hc['total']:,} ({hc['units_with_figure']:,} units with a figure)"
         if hc["units_with_figure"] else "unknown (no unit with a figure)"),
        ("people with posts", f"{body['people_with_posts']:,}"),
        ("holding several", f"{body['people_with_concurrent_posts']:,}"
         + (f": {sample}" if sample else ""))])


def _section(title: str, items: list[dict[str, Any]], columns: tuple[str, ...],
             cells) -> None:
    """A table of at most DIFF_ROWS rows of a diff's list, saying how many it leaves out."""
    if not items:
        return
    _print_table(columns, map(cells, items[:DIFF_ROWS]), title=f"{title} ({len(items):,})")
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
    _print_page(body, "events", "", ("date", "type", "id", "inputs → outputs", "basis", "source"),
                lambda e: (*_event_cells(e), e["source"]))


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
    _print_page(body, "documents", "", ("id", "code", "date", "issuer", "title"),
                lambda d: (d["id"], d["code"], d["date"], d["issuer"], d["title"]))


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
    _print_table(("#", "relation", "unit"),
                 [(i, f"{step['relation']} {'↑' if step['direction'] == 'up' else '↓'} "
                   f"({step['direction']})", _unit_text(step))
                  for i, step in enumerate(body["steps"], 1)],
                 title=f"From {ends}: {body['length']} step(s) over {body['via']}{via}")


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
    _print_table(("side", "unit", "kind"),
                 [(side, _unit_text(u), u.get("kind"))
                  for side in ("input", "output") for u in body[f"{side}_units"]])
    if body["documents"]:
        _print_table(("basis", "code", "date", "title"),
                     [(d["id"], d.get("code"), d.get("date"), d.get("title"))
                      for d in body["documents"]])
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
    problem = (body.get("url_problem") or {}).get("message")
    _print_facts((label, value) for label, value in [
        ("title", body["title"]), ("issuer", body["issuer"]), ("date", body["date"]),
        ("url", body["url"] or problem), ("source", body["source"])] if value)
    if body["events"]:
        _print_table(("date", "type", "id", "inputs → outputs", "basis"),
                     map(_event_cells, body["events"]),
                     title=f"Events it is the basis of ({len(body['events'])})")
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
    _print_page(body, "people", "", ("id", "name", "source"),
                lambda p: (p["id"], p["name"], p.get("source")))


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
    _print_table(("#", "role", "unit", "from → to", "held with #", "source"),
                 [(i, p["role"], _unit_text(p["unit"]), _span(p),
                   ", ".join(str(j + 1) for j in p["concurrent_with"]), p.get("source"))
                  for i, p in enumerate(body["posts"], 1)],
                 title=f"Posts ({len(body['posts'])}, oldest first)")
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
    _print_page(body, "relations", f" {when}", ("from", "relation", "to", "from → to", "source"),
                lambda r: (r["source_id"], r["type"], r["target_id"], _span(r), r.get("source")))


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
    _print_page(body, "posts", f" {when}", ("role", "person", "unit", "from → to", "source"),
                lambda p: (p["role"], f"{p['person']} ({p['person_id']})",
                           f"{p['unit']} ({p['unit_id']})", _span(p), p.get("source")))
