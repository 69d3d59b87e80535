"""The text of every Cypher query the Neo4j store sends: fixed vocabulary, no data, every
value a `$parameter`; optionally through Neo4j's own Cypher linter. No server needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def test_query_texts_hold_no_data_and_every_value_is_a_parameter():
    from graph.neo4j.cypher import FULLTEXT_INDEX
    from graph.neo4j.store import LABELS, LINKS, QUERIES, REL_TYPES
    # the only literals: Meta keys, the basis that ranks below approved, the full-text
    # index's name and analyzer; the only numbers: single-digit structural constants and
    # the positions in a compact row of a load (`row[12]`)
    allowed_literals = {"'current'", "'empty'", "'changes'", "'scenarios'", "'actual'",
                        "'whitespace'", f"'{FULLTEXT_INDEX}'",
                        "''"}  # the empty text: what an absent text property reads as
    identifiers = set(LABELS.values()) | set(REL_TYPES) | {t for _, _, t, _, _ in LINKS.values()}
    for name, text in QUERIES.items():
        assert set(re.findall(r"'[^']*'", text)) <= allowed_literals, name
        assert '"' not in text, name
        assert "`" not in text.replace("`fulltext.analyzer`", ""), name
        assert not re.search(r"\b\d{2,}\b", re.sub(r"\brow\[\d+\]", "row[i]", text)), name
        returned = _final_return(text)
        if returned is not None:  # every returned column is named: the store reads rows by name
            for item in _top_level_items(returned):
                assert re.fullmatch(r"(?s).+ AS \w+|\w+", item.strip()), (name, item)
        for label in re.findall(r"[(\[]\w*:(\w+)", text):
            assert label in identifiers | {"Meta", "Scenario", "Change"}, (name, label)
        for rel_types in re.findall(r"\[\w*:([\w|]+)[\]* ]", text):
            assert set(rel_types.split("|")) <= identifiers, (name, rel_types)


def _final_return(text):
    """The items of the query's last RETURN outside any subquery, or None."""
    depth, last = 0, None
    for i, ch in enumerate(text):
        depth += ch in "({["
        depth -= ch in ")}]"
        if depth == 0 and text.startswith("RETURN ", i):
            last = i + len("RETURN ")
    if last is None:
        return None
    depth, rest = 0, text[last:]
    for i, ch in enumerate(rest):  # up to its ORDER BY / SKIP / LIMIT (not a subquery's)
        depth += ch in "({["
        depth -= ch in ")}]"
        if depth == 0 and re.match(r" (ORDER BY|SKIP|LIMIT) ", rest[i:]):
            return rest[:i]
    return rest


def _top_level_items(text):
    depth, items, current = 0, [], ""
    for ch in text:
        depth += ch in "({["
        depth -= ch in ")}]"
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    return items + [current]


LINT_JS = r"""
const {lintCypherQuery} = require('@neo4j-cypher/language-support');
const queries = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const found = [];
for (const version of ['CYPHER 5 ', 'CYPHER 25 ']) {
  for (const [name, text] of Object.entries(queries)) {
    for (const d of lintCypherQuery(version + text, {}).diagnostics) {
      if (!d.message.startsWith('Parameter $')) found.push([version + name, d.message]);
    }
  }
}
const control = lintCypherQuery('MATCH (n) RETURN m', {}).diagnostics.length;
console.log(JSON.stringify({found, control}));
"""


def test_every_query_passes_the_neo4j_cypher_linter(tmp_path):
    """Neo4j's own parser and semantic analysis (npm `@neo4j-cypher/language-support`) on
    every query text, as Cypher 5 and Cypher 25: no error, warning or deprecation.

    Needs node and the package: `npm install --prefix DIR @neo4j-cypher/language-support`
    and BOMAY_CYPHER_LINT=DIR (see docs/neo4j.md)."""
    import json
    import os
    import shutil
    import subprocess

    from graph.neo4j.store import QUERIES
    folder = os.environ.get("BOMAY_CYPHER_LINT")
    node = shutil.which("node")
    package = Path(folder or ".") / "node_modules" / "@neo4j-cypher" / "language-support"
    if not folder or not node or not package.is_dir():
        if os.environ.get("BOMAY_REQUIRE_NEO4J") == "1":  # CI (.ci/run) installs it
            pytest.fail("BOMAY_REQUIRE_NEO4J=1 but the Cypher linter is not installed: "
                        "npm install --prefix DIR @neo4j-cypher/language-support@2.0.0-next.38 "
                        "and BOMAY_CYPHER_LINT=DIR")
        pytest.skip("BOMAY_CYPHER_LINT not set to a folder with @neo4j-cypher/language-support "
                    "installed (npm install --prefix DIR @neo4j-cypher/language-support)")
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(QUERIES), encoding="utf-8")
    env = {**os.environ, "NODE_PATH": str(Path(folder) / "node_modules")}
    out = subprocess.run([node, "-e", LINT_JS, str(queries)], capture_output=True, text=True,
                         env=env, timeout=600, check=True)  # ~0.25 s CPU a query
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["control"] > 0  # the linter does report a broken query
    assert report["found"] == []
