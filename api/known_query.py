"""Unknown query parameters are refused: a route's parameters are a fixed set, and one it
does not know (`/stats?area=mc`, a typo such as `?limt=5`) is a 422 problem naming it and
the ones the route accepts, instead of an answer that silently ignores it.

`known_query_parameters` is an app-wide dependency (`api.app.create_app`). What a route
accepts is what it declares (its own query parameters and its dependencies', `as_of`...),
plus what a dependency reads from the query itself and says so with the attributes
`extra_query_names` / `extra_query_prefixes` (the assumptions' `single_holder_roles` and
`saving.<function>`), plus `format` on the listings (`api.csv_answers` reads it), and the
`limit` / `offset` the CSV hook adds when it gathers pages. The pages (HTML, tag `pages`)
are left alone: a link to a page may carry what a browser or a campaign adds.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from api.csv_answers import LISTING, PAGING_SCOPE_KEY
from graph.errors import InvalidParameter

#: What a route that does not know a parameter suggests instead ((path, name): how).
HINTS = {("/units", "root"): "the units under {value}: GET /units/{value}/subtree (or "
                             "/children); area={value} lists the units of an area"}

#: The attribute of a route that keeps what `accepted` found (routes are not hashable).
_CACHE = "_bomay_accepted_query"


def accepted(route: APIRoute) -> tuple[frozenset[str], tuple[str, ...]]:
    """The query parameter names `route` accepts, and the prefixes of those it reads by
    pattern (`saving.`), from its dependency tree (kept on the route)."""
    found: tuple[frozenset[str], tuple[str, ...]] | None = getattr(route, _CACHE, None)
    if found is None:
        names: set[str] = set()
        prefixes: list[str] = []
        stack = [route.dependant]
        while stack:
            dependant = stack.pop()
            stack.extend(dependant.dependencies)
            names.update(f.alias for f in dependant.query_params)
            names.update(getattr(dependant.call, "extra_query_names", ()))
            prefixes.extend(getattr(dependant.call, "extra_query_prefixes", ()))
        found = (frozenset(names), tuple(dict.fromkeys(prefixes)))
        setattr(route, _CACHE, found)
    return found


def _listed(names: frozenset[str], prefixes: tuple[str, ...]) -> str:
    shown = sorted(names) + [f"{p}<name>" for p in prefixes]
    return ", ".join(shown) if shown else "no query parameters"


def known_query_parameters(request: Request) -> None:
    """Refuse (422) a query parameter the route does not accept."""
    route: Any = request.scope.get("route")
    if not isinstance(route, APIRoute) or "pages" in (route.tags or ()):
        return
    names, prefixes = accepted(route)
    if LISTING.match(request.scope.get("path", "")):  # as api.csv_answers matches it
        names = names | {"format"}
    allowed = names
    if request.scope.get(PAGING_SCOPE_KEY):
        allowed = names | {"limit", "offset"}
    unknown = [k for k in dict.fromkeys(request.query_params.keys())
               if k not in allowed and not k.startswith(prefixes)]
    if not unknown:
        return
    expected = _listed(names, prefixes)
    errors = []
    for name in unknown:
        value = request.query_params.get(name)
        error = {"field": name, "location": "query",
                 "message": f"unknown query parameter; expected one of {expected}",
                 "value": value, "accepted": sorted(names) + [f"{p}<name>" for p in prefixes]}
        hint = HINTS.get((route.path_format, name))
        if hint:
            error["hint"] = hint.format(value=value)
        errors.append(error)
    quoted = ", ".join(repr(n) for n in unknown)
    detail = (f"{quoted}: unknown query parameter{'s' if len(unknown) > 1 else ''} of "
              f"{request.method} {route.path_format}, which accepts {expected}")
    hints = [e["hint"] for e in errors if "hint" in e]
    if hints:
        detail += " (" + "; ".join(hints) + ")"
    raise InvalidParameter(detail, errors=errors)
