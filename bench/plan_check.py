"""Loading a dataset whose `plans/` holds a whole reform: what checking the plan costs.

The dataset of `bench.reform` (the synthetic data as it stood before the reform date) is
written as a folder whose `plans/reform.yaml` is the reform of `bench.reform` (its mapping
tables in `plans/tables/`), as a planner keeps it beside the baseline. Loading such a
folder checks the plan (`loaders.plans.check_plans`: every operation applied to the
baseline, the units it would change listed); this times that check in CPU time, the
baseline read once beforehand and not timed.

    python -m bench.plan_check --data /tmp/reform_vn6     # after: bomay synth --provinces 6
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

PLAN = """\
name: Sắp xếp đơn vị hành chính 2025 (synthetic)
status: planned
date: 2025-06-01
at: 2025-07-01
operations:
  - op: consolidate_map
    mapping: tables/provinces.csv
  - op: dissolve_level
    level: district
    bodies: merge
  - op: consolidate_map
    mapping: tables/communes.csv
"""


def write_folder(data: Path, out: Path) -> None:
    """The dataset before the reform, with the reform as its plan, into `out`."""
    from bench.reform import before, write_plan
    from loaders import read_dataset
    from loaders.export import write_dataset

    full = read_dataset(data)
    write_dataset(before(full), out)
    tables = out / "plans" / "tables"
    write_plan(full, tables)
    (tables / "reform.yaml").unlink()  # the plan bench.reform writes; ours names the tables
    (out / "plans" / "reform.yaml").write_text(PLAN, encoding="utf-8")


def run(data: Path, repeat: int = 1) -> dict[str, Any]:
    from graph.errors import ProblemCollector
    from loaders import read_dataset
    from loaders.plans import check_plans, read_plan_files

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        write_folder(data, folder)
        plans = folder / "plans"
        (Path(tmp) / "baseline").mkdir()
        for f in folder.glob("*.csv"):  # the baseline alone, read once
            (Path(tmp) / "baseline" / f.name).symlink_to(f)
        baseline = read_dataset(Path(tmp) / "baseline")
        runs = []
        for _ in range(repeat):
            problems = ProblemCollector()
            sources = read_plan_files(plans, problems)
            start = time.process_time()
            kept = check_plans(sources, baseline, plans, problems)
            runs.append(round(time.process_time() - start, 3))
            if problems.problems or len(kept) != 1:
                raise SystemExit(f"the plan did not check: {problems.problems[:3]}")
    return {"check_cpu_s": runs, "best_s": min(runs), "units_changed": len(kept[0].units),
            "baseline_units": len(baseline.units), "loadavg": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="A synthetic dataset folder.")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.data, args.repeat), indent=1))


if __name__ == "__main__":
    main()
