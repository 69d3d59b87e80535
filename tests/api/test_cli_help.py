"""`bomay --help` and `bomay scenario --help` list each command with its first paragraph as
running text (a docstring's line breaks used to cut its sentences in the listing)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

import pytest
import typer

from api.cli import app


def _listed(*group: str) -> dict[str, str]:
    """Each command of the group -> its docstring's first paragraph on one line."""
    command = typer.main.get_command(app)
    ctx = command.make_context("bomay", ["--help"], resilient_parsing=True)
    for name in group:
        command = command.get_command(ctx, name)
    out = {}
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is not None and sub.help and not sub.hidden:
            out[name] = " ".join(inspect.cleandoc(sub.help).split("\n\n")[0].split())
    return out


@pytest.mark.parametrize("group", [(), ("scenario",)], ids=["bomay", "scenario"])
def test_each_command_is_listed_with_its_first_paragraph_on_one_line(group):
    listed = _listed(*group)
    assert len(listed) >= (20 if not group else 10)
    # wide enough that no description wraps: any line break left is the docstring's
    result = subprocess.run([sys.executable, "-m", "api.cli", *group, "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "400", "TERM": "dumb"})
    assert result.returncode == 0, result.stderr
    lines = [line.strip("│ ").strip() for line in result.stdout.splitlines()]
    for name, text in listed.items():
        row = next((line for line in lines if line.split(" ", 1)[0] == name), None)
        assert row is not None, f"{name} not listed"
        assert row.split(None, 1)[1].strip() == text, name
