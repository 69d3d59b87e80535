"""The benchmark suite keeps working: its tiny mode runs and reports every figure.

No timing is asserted: figures on a CI machine mean nothing; only that each is a number
(a part that failed and was reported as `skipped` fails here).
"""

from __future__ import annotations

import json
import numbers

import pytest

FIGURES = [
    "generate.seconds", "generate.total_rows",
    "load.seconds", "load.peak_rss_mib",
    "load.stages.read_validate_s", "load.stages.replace_dataset_s", "load.stages.peak_rss_mib",
    "start.store_open.open_s", "start.store_open.memory_graph_build_s",
    "start.store_open.peak_rss_mib", "start.server_ready_s",
    "queries.search_index_build_s",
    *[f"queries.{q}.{m}" for q in ("unit_lookup", "children", "ancestors", "province_subtree_before",
                                   "province_subtree_after", "lineage", "national_stats", "search")
      for m in ("median_ms", "p99_ms", "max_ms")],
    "http.trivial.requests_per_s", "http.trivial.median_ms", "http.trivial.p99_ms",
    "http.unit_lookup.requests_per_s", "http.unit_lookup.median_ms", "http.unit_lookup.p99_ms",
    "http.trivial_again.requests_per_s", "http.unit_lookup_vs_trivial",
    "http.province_subtree.requests_per_s", "scenario.two_province_impact.median_ms",
]


def _get(report: dict, path: str):
    node = report
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return KeyError(path)
        node = node[key]
    return node


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from bench.run import main

    out = tmp_path_factory.mktemp("bench") / "results.json"
    main(["--provinces", "3", "--quick", "--http-duration", "1", "--out", str(out)])
    return json.loads(out.read_text())


def test_every_figure_is_a_number(report):
    missing = [p for p in FIGURES
               if not isinstance(_get(report, p), numbers.Real) or isinstance(_get(report, p), bool)]
    assert missing == [], missing


def test_report_says_what_ran_where(report):
    assert report["machine"]["nproc"] >= 1
    assert report["params"]["provinces"] == 3
    assert "error" not in report
    for name, figure in report["queries"].items():
        if isinstance(figure, dict) and name != "cold":  # cold: build times, not queries
            assert figure.get("impl"), name
    assert all(isinstance(v, numbers.Real) for v in report["queries"]["cold"].values())


def test_the_reform_digests_name_every_output_and_repeat_exactly(tmp_path):
    """`python -m bench.reform --digest` is how a faster version is shown to answer the
    same: it must cover every output, and two processes (string hashes seeded apart, so
    that any order taken from a set differs) must print the same digests."""
    import os
    import subprocess
    import sys

    from loaders.synth import generate

    generate(tmp_path, provinces=2, seed=3)
    runs = [subprocess.run([sys.executable, "-m", "bench.reform", "--data", str(tmp_path),
                            "--digest"], capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    for r in runs:
        assert r.returncode == 0, r.stderr
    first, second = (json.loads(r.stdout) for r in runs)
    assert first == second
    assert {"log", "impact", "diff", "units_ordered", "relations_sorted", "posts_ordered",
            "names_sorted"} <= set(first)
    assert first["changes"]["new_units"] > 0 and first["changes"]["events"] > 0
