"""Reading a large YAML plan file: what composing and building it costs.

Writes a plan of about `--mb` MB (one `consolidate_map` whose rows are written in the plan,
as a planner keeps a national mapping in it, plus many small operations up to the bound),
then times, in CPU seconds, the stages a plan file goes through
(`graph.scenarios.plan_lines.compose_plan`: parse and compose, the node checks, the
operations counted, the values built; then `node_lines`) with the pure-Python PyYAML
loader and with the libyaml one, and `graph.scenarios.files.read_plan` on the file (which
also parses the operations). Reports figures only.

    PYTHONPATH=. .venv/bin/python -m bench.plan_parse --mb 5
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from graph.scenarios import plan_lines


def plan_text(mb: float) -> str:
    """A valid plan of about `mb` MB: 400 small operations and one consolidate_map of many
    rows written in the plan (Vietnamese names, as a national mapping has)."""
    head = ["name: Sắp xếp đơn vị hành chính (bench)", "at: 2025-07-01",
            "description: a large plan to time its reading", "operations:"]
    for i in range(400):
        head += ["  - op: rename", f"    unit: u-{i:05d}", f"    name: Xã Tân Lập {i}",
                 "    basis: [doc-18-nq-tw, doc-86-kh-tu]"]
    head += ["  - op: consolidate_map", "    rows:"]
    out = "\n".join(head) + "\n"
    rows: list[str] = []
    size, i = len(out), 0
    while size < mb * 1_000_000:
        rows.append(f"      - new: {{id: n-{i:06d}, name: Phường Hòa Bình {i}}}\n"
                    f"        within: p-{i % 63:02d}\n"
                    f"        names:\n          - Xã Tân Lập {i}\n          - Xã Tân Hòa {i}\n"
                    f"          - Thị trấn Đông Hưng {i}\n")
        size += len(rows[-1])
        i += 1
    return out + "".join(rows)


def timed(fn: Any) -> tuple[float, Any]:
    start = time.process_time()
    value = fn()
    return round(time.process_time() - start, 3), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()
    text = plan_text(args.mb)
    report: dict[str, Any] = {"bytes": len(text.encode()), "libyaml": plan_lines.fast_loader()
                              is not None}
    for label, loader in (("pure_python", plan_lines.PlanLoader),
                          ("libyaml", plan_lines.fast_loader())):
        if loader is None:
            report[label] = "skipped: PyYAML has no libyaml here"
            continue
        seconds, (node, _) = timed(functools.partial(
            plan_lines.compose_plan, text, max_operations=500, name="bench.yaml",
            loader=loader))
        lines_s, lines = timed(functools.partial(plan_lines.node_lines, node))
        report[label] = {"compose_plan_s": seconds, "node_lines_s": lines_s,
                         "operations": len(lines.operations)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(text, encoding="utf-8")
        os.environ.setdefault("BOMAY_SCENARIO_MAX_MAPPING_ROWS", "1000000")
        from graph.scenarios.files import read_plan
        report["read_plan_s"], plan = timed(lambda: read_plan(path))
        report["read_plan_operations"] = len(plan.operations)
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
