"""The `bomay` command line: check, load, serve, synth, changes; the query, browse, scenario,
viz and export commands are registered from their own modules.

Every user error is a `BomayError` printed as one readable message (and, for a
refused dataset, one line per problem); never a traceback. `--store` and `--backend`
are accepted before or after the command. Only `load` and `serve` create a store file;
every other command on a missing one stops with one line saying so.
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from api.app import VERSION
from graph.embedded.store import EmbeddedStore, default_store_path
from graph.errors import BomayError, NotFound, Problem, ValidationFailed
from graph.model import Dataset
from graph.store import ChangeNote, GraphStore

#: Options of the whole program that may also be written after the command.
GLOBAL_OPTIONS = ("--store", "--backend")


def hoist_global_options(args: list[str]) -> list[str]:
    """`args` with `--store X` / `--backend X` (or `--store=X`) moved to the front, where
    the program's options are parsed, wherever they were written (up to a `--`)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg or i + 1 >= len(args):
                front.append(arg)
            else:
                front.extend(args[i:i + 2])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


class HelpGroup(TyperGroup):
    """A command group whose list of commands shows each one's first paragraph as running
    text: rich markup keeps a docstring's line breaks, which cut its sentences there."""

    def get_command(self, ctx, name: str):
        command = super().get_command(ctx, name)
        if command is not None and not command.short_help and command.help:
            first = inspect.cleandoc(command.help).split("\n\n")[0]
            command.short_help = " ".join(first.split())
        return command


class _Group(HelpGroup):
    def parse_args(self, ctx, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


app = typer.Typer(cls=_Group, help="bomay: a knowledge graph of organisational structure.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# emoji=False: rich would turn `units.csv:100:5` into `units.csv💯5`.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_json(body: Any) -> None:
    """Print an answer as JSON (the API's shape), indented, straight to standard output.

    Not through rich: laying out a national scenario's 300 MB report as rich text took
    minutes and more memory than the machine has (measured: 60 s and 3.4 GB for a
    6-province reform's 26 MB); a tool reading `--json` wants the bytes only."""
    import orjson

    data = orjson.dumps(body, default=str,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    stream = out.file
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data + b"\n")
        buffer.flush()
    else:  # a text stream without bytes underneath (a test runner's capture)
        stream.write(data.decode() + "\n")
        stream.flush()


class _State:
    store_path: Path = default_store_path()
    backend: str = "embedded"


state = _State()


def _version(value: bool) -> None:
    if value:
        out.print(f"bomay {VERSION}")
        raise typer.Exit()


@app.callback()
def _main(store: Optional[Path] = typer.Option(None, "--store", envvar="BOMAY_STORE",
                                                help="The store file (default: ./bomay.db)."),
          backend: str = typer.Option("embedded", "--backend", envvar="BOMAY_BACKEND",
                                      help="embedded (SQLite file, the default) or neo4j "
                                           "(a server given by NEO4J_URI, NEO4J_USER, "
                                           "NEO4J_PASSWORD)."),
          version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    if backend not in ("embedded", "neo4j"):
        raise typer.BadParameter("expected embedded or neo4j", param_hint="--backend")
    state.store_path = store or default_store_path()
    state.backend = backend


def open_store(*, create: bool = False) -> GraphStore:
    """The store chosen by --backend / --store (or BOMAY_BACKEND / BOMAY_STORE). An
    embedded store file is created only with `create` (load, serve): a mistyped path in a
    read command is an error, not a new empty store."""
    if state.backend == "neo4j":
        from graph.neo4j.store import Neo4jStore
        return Neo4jStore.from_env()
    if not create and not state.store_path.exists():
        raise NotFound(f"no store at {state.store_path}: `bomay load FOLDER` creates one "
                       "(or choose another with --store PATH or BOMAY_STORE)")
    return EmbeddedStore(state.store_path)


def read_folder(folder: Path) -> Dataset:
    """Read and validate a folder; on a terminal, a progress bar over the files' bytes."""
    from loaders import read_dataset
    if not sys.stderr.isatty() or not folder.is_dir():
        return read_dataset(folder)
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    sizes = {p.name: p.stat().st_size for p in folder.glob("*.csv")}
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("reading", total=sum(sizes.values()) or 1)
        previous: list[str] = []

        def advance(name: str) -> None:
            if previous:
                bar.advance(task, sizes.get(previous.pop(), 0))
            previous.append(name)
            bar.update(task, description=f"reading {name}")

        dataset = read_dataset(folder, progress=advance)
        bar.update(task, completed=sum(sizes.values()), description="validated")
        return dataset


def _report_problems(exc: ValidationFailed) -> None:
    for problem in exc.problems:
        err.print(str(problem), markup=False)
        for line in _candidate_lines(problem):
            err.print(line, markup=False)
    err.print(f"{exc.detail}", markup=False)


def _candidate_lines(problem: Problem) -> list[str]:
    """The units a name could be, one a line under its problem, when there are several
    (a single one is named by the message already): `  candidate hg-qb: Huyện Quản Bạ
    (district), in Tỉnh Tuyên Quang` (`nearest` when no unit bears the name)."""
    found = problem.candidates or ()
    if len(found) < 2:
        return []
    label = "nearest" if problem.nearest else "candidate"
    out = []
    for c in found:
        area = f", in {c['area']}" if c.get("area") else ""
        before = f" (the day before: {c['area_before'] or 'none'})" \
            if "area_before" in c else ""
        out.append(f"  {label} {c.get('id')}: {c.get('name')} ({c.get('kind')}){area}{before}")
    return out


def cli_user() -> str:
    """Who runs a CLI write, for the change log: `cli:<login name>`."""
    import getpass
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container): still a CLI write
        return "cli"


def _summary(dataset: Dataset) -> str:
    return ", ".join(f"{n} {name}" for name, n in dataset.counts().items())


@app.command()
def check(folder: Path = typer.Argument(..., help="A folder of CSV files."),
          as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON (a "
                                       "list of the API's `errors` items), or the counts.")
          ) -> None:
    """Validate a folder without storing it; exit 1 listing every problem."""
    try:
        dataset = read_folder(folder)
    except ValidationFailed as exc:
        if as_json:
            print_json([p.as_dict() for p in exc.problems])
        else:
            _report_problems(exc)
        raise typer.Exit(1) from None
    if as_json:
        print_json({"ok": True, **dataset.counts(), "warnings": list(dataset.warnings)})
        return
    for warning in dataset.warnings:
        err.print(f"warning: {warning}", markup=False)
    out.print(f"ok: {_summary(dataset)}", markup=False)


@app.command()
def load(folder: Path = typer.Argument(..., help="A folder of CSV files.")) -> None:
    """Validate a folder, then replace the stored baseline with it atomically."""
    try:
        dataset = read_folder(folder)
    except ValidationFailed as exc:
        _report_problems(exc)
        err.print("the store was not changed", markup=False)
        raise typer.Exit(1) from None
    store = open_store(create=True)
    try:
        revision = store.replace_dataset(dataset, change=ChangeNote(
            "load", str(folder.resolve()), cli_user()))
    finally:
        store.close()
    out.print(f"loaded {_summary(dataset)} into {store.location} (revision {revision})",
              markup=False)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          seed: Optional[Path] = typer.Option(None, help="Dataset to load into a new store "
                                              "(default: the bundled data/seed); given, it is "
                                              "also loaded into an existing empty store."),
          tokens: Optional[Path] = typer.Option(None, "--tokens", help="Write tokens, one "
                                                "`name secret` per line (the name goes to the "
                                                "change log). Also: BOMAY_TOKEN."),
          read_tokens: Optional[Path] = typer.Option(None, "--read-tokens", help="Read "
                                                     "tokens (same format): reads then need "
                                                     "one. Also: BOMAY_READ_TOKEN."),
          read_only: bool = typer.Option(False, "--read-only", help="Refuse every write."),
          cors_origin: list[str] = typer.Option([], "--cors-origin", help="An origin allowed "
                                                "by CORS (repeat for more); default: none."),
          max_body: int = typer.Option(1_000_000, "--max-body-bytes", min=1,
                                       help="Largest request body accepted."),
          max_units: int = typer.Option(20_000, "--max-units", min=1,
                                        help="Largest tree answer (subtree, snapshot, diff), "
                                             "in units."),
          max_operations: Optional[int] = typer.Option(
              None, "--max-operations", min=1, envvar="BOMAY_SCENARIO_MAX_OPERATIONS",
              help="Most operations one scenario may hold (422 above; default 500)."),
          max_operations_per_request: Optional[int] = typer.Option(
              None, "--max-operations-per-request", min=1,
              envvar="BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST",
              help="Most operations one request may add (422 above; default 100)."),
          max_mapping_rows: Optional[int] = typer.Option(
              None, "--max-mapping-rows", min=1, envvar="BOMAY_SCENARIO_MAX_MAPPING_ROWS",
              help="Most rows one mapping table of a scenario may hold (default 20,000).")
          ) -> None:
    """Serve the API; a new store is first loaded with the bundled dataset.

    Writes need a token: BOMAY_TOKEN or --tokens FILE; with neither, a random token is
    made and printed once with the URL."""
    import threading
    import time

    import uvicorn

    from api.app import create_app
    from api.settings import LOOPBACK, Settings, generated_token, tokens_from
    from graph.embedded.memory_index import warm

    write_tokens, readers = tokens_from(tokens_file=tokens, read_tokens_path=read_tokens)
    generated = None
    if not write_tokens and not read_only:
        generated = generated_token()
        write_tokens = {"generated": generated}
    from graph.scenarios.service import ScenarioLimits

    if max_mapping_rows is not None:
        # The operation parser reads this bound from the environment (one server is one
        # process): the option sets it there for this server.
        os.environ["BOMAY_SCENARIO_MAX_MAPPING_ROWS"] = str(max_mapping_rows)
    defaults = ScenarioLimits()
    limits = ScenarioLimits(
        max_operations=max_operations or defaults.max_operations,
        max_operations_per_request=max_operations_per_request
        or defaults.max_operations_per_request)
    settings = Settings(tokens=write_tokens, read_tokens=readers, read_only=read_only,
                        cors_origins=tuple(cors_origin), max_body_bytes=max_body,
                        max_units=max_units, scenario_limits=limits)
    brand_new = state.backend == "embedded" and not state.store_path.exists()
    store = open_store(create=True)
    if store.is_empty():
        if not brand_new and seed is None and state.backend == "embedded":
            # Never load the bundled dataset over a store someone made (and emptied).
            store.close()
            raise BomayError(f"the store {store.location} holds no units: load a folder "
                             "into it (bomay load FOLDER) or give --seed FOLDER")
        folder = seed or settings.seed_dir
        try:
            dataset = read_folder(folder)
        except ValidationFailed as exc:
            _report_problems(exc)
            raise typer.Exit(1) from None
        store.replace_dataset(dataset, change=ChangeNote("load", str(Path(folder).resolve()),
                                                         "bomay serve"))
        err.print(f"loaded {folder} into the empty store {store.location}", markup=False)
    started = time.perf_counter()
    store.dataset()  # the embedded store builds its in-memory graph on first read: now
    err.print(f"read {store.location} in {time.perf_counter() - started:.1f} s", markup=False)
    server = uvicorn.Server(uvicorn.Config(create_app(store, settings), host=host, port=port,
                                          log_level="info"))

    def warm_once_listening() -> None:
        # The indexes of stats, subtrees and search, built beside the first requests once
        # the server answers (started earlier, they would slow its start down).
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        try:
            warm(store)
        except Exception as exc:  # noqa: BLE001 - the requests will build what is missing
            err.print(f"warning: warming the indexes failed ({exc}); they are built on first "
                      "use", markup=False)

    threading.Thread(target=warm_once_listening, name="bomay-warm", daemon=True).start()
    if host not in LOOPBACK:
        err.print(f"warning: listening on {host}, reachable from other machines: reads are "
                  + ("open to anyone who can reach it (set BOMAY_READ_TOKEN or --read-tokens)"
                     if not readers else "limited to the read tokens")
                  + "; writes need the token (BOMAY_TOKEN or --tokens FILE)", markup=False)
    shown = "[::1]" if host == "::1" else host
    if read_only:
        how = "read-only: every write is refused"
    elif generated:
        how = (f"write token: {generated} (send Authorization: Bearer <token>; set "
               "BOMAY_TOKEN or --tokens FILE to choose your own)")
    else:
        how = "writes need one of the configured tokens (" + ", ".join(write_tokens) + ")"
    err.print(f"serving {store.location} on http://{shown}:{port}/ — {how}", markup=False)
    server.run()


@app.command()
def changes(limit: int = typer.Option(20, "--limit", min=1, max=1000, help="At most this many."),
            as_json: bool = typer.Option(False, "--json", help="Print the API's JSON.")) -> None:
    """Who changed the baseline: every load and commit, newest first."""

    store = open_store()
    try:
        found = store.changes(limit=limit)
        revision = store.revision
    finally:
        store.close()
    if as_json:
        print_json({"items": [c.as_dict() for c in found], "revision": revision})
        return
    if not found:
        out.print(f"no recorded change in {store.location} (revision {revision})", markup=False)
        return
    from api.cli_tables import row, table as _table
    table = _table("#", "when (UTC)", "action", "who", "what", "revision",
                   title=f"Changes of {store.location} (now revision {revision})")
    for c in found:
        row(table, c.seq, c.when, c.action, c.who or "—", c.what,
            f"{c.previous_revision} → {c.revision}")
    out.print(table)


@app.command()
def synth(out_dir: Path = typer.Option(..., "--out", help="Folder to write the CSV files in."),
          provinces: int = typer.Option(63, min=1, help="Number of provinces."),
          seed: int = typer.Option(1, help="Random seed (same seed, same files).")) -> None:
    """Write a deterministic synthetic national dataset in the data contract.

    Every CSV file, and names.csv dating the area of each Party cell that follows its
    parent into a consolidated commune."""
    from loaders.synth import generate
    counts = generate(out_dir, provinces=provinces, seed=seed)
    out.print(f"wrote {sum(counts.values())} rows to {out_dir}: "
              + ", ".join(f"{n} {name}" for name, n in counts.items()), markup=False)


def problem_lines(exc: BomayError) -> list[str]:
    """The problems of `exc.errors` its one-line detail does not give (a plan's second
    bad field, a table's other rows), one line each: where (file:line, or the operation),
    the field, what is wrong, the value."""
    out = []
    for e in exc.errors:
        message = str(e.get("message") or "")
        said = f"{e['field']}: {message}" if e.get("field") else message
        if not message or said in exc.detail:  # the headline's, or listed in it
            continue
        parts = []
        if e.get("file"):
            parts.append(str(e["file"]) + (f":{e['line']}" if e.get("line") is not None else ""))
        op = e.get("operation")
        if op is not None:
            parts.append(op if isinstance(op, str) else f"operation {op}")
        field = f" [{e['field']}]" if e.get("field") else ""
        value = f" (got {e['value']!r})" if e.get("value") not in (None, "") else ""
        where = ": ".join(parts)
        out.append(f"{where}{':' if where else ''}{field} {message}{value}".strip())
    return out


def main() -> None:
    try:
        app()
    except BomayError as exc:
        err.print(f"error: {exc.detail}", markup=False)
        for line in problem_lines(exc):
            err.print(f"  {line}", markup=False)
        sys.exit(1)
    except OSError as exc:
        # An unwritable or missing folder (export, synth, viz -o): one line, no traceback.
        where = f": {exc.filename}" if exc.filename else ""
        err.print(f"error: {exc.strerror or exc}{where}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        err.print(f"error: unexpected {type(exc).__name__}: {exc}", markup=False)
        sys.exit(1)




# Imported last: these modules add their commands to `app`.
from api import cli_browse, cli_export, cli_query, cli_scenario, cli_viz  # noqa: E402,F401


if __name__ == "__main__":
    # Run the module's registered copy: `python -m api.cli` executes this file as __main__,
    # while the command modules register their commands on `api.cli`.
    from api.cli import main as registered_main
    registered_main()
