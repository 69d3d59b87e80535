"""The floor of an eager scenario state: what creating and indexing the national reform's
records costs in this Python, before any rule is applied.

A national plan (`bench.reform`) ends with an overlay of about 1.1 million records
(`ScenarioState.changes()` after the three operations, 63 provinces: 231,547 units set,
430,479 relations, 131,840 functions, 10,038 headcounts and 287,475 posts added, with
302,128 relations, 106,268 functions and 155,603 posts of the baseline hidden). Whatever
the rules, an implementation that writes each record of the result as an object has to
build those records, hash the hidden ones into a set and index the added ones by unit.
This times exactly that, in CPU time and with the collector paused as `apply` does, on
records built from synthetic ids: the cost of the output alone.

    python -m bench.record_floor            # the counts above
    python -m bench.record_floor --scale 0.1
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from typing import Any, Callable

from graph.dates import PartialDate
from graph.model import Function, Headcount, Post, Relation, Unit

#: The national reform's overlay after its three operations (63 provinces, seed 1).
COUNTS = {"units": 231_547, "relations": 430_479, "functions": 131_840,
          "headcounts": 10_038, "posts": 287_475,
          "relations_hidden": 302_128, "functions_hidden": 106_268, "posts_hidden": 155_603}

_FROM, _TO = PartialDate(2010), PartialDate(2025, 7, 1)


def _makers(n: int) -> dict[str, Callable[[int], Any]]:
    """Record builders over ids made beforehand (a plan reuses the ids it reads: only
    the records are new)."""
    u = [f"u{i}" for i in range(n)]
    names = [f"Xã {i}" for i in range(n)]
    people = [f"p{i}" for i in range(n)]
    return {
        "units": lambda i: Unit(id=u[i], name=names[i], kind="commune", level="commune",
                                area=u[i % 3000], valid_from=_FROM, valid_to=_TO),
        "relations": lambda i: Relation(source_id=u[i], type="PART_OF",
                                        target_id=u[i % 40000], valid_from=_TO,
                                        source="scenario:x"),
        "functions": lambda i: Function(unit_id=u[i % 100000], function="office_admin",
                                        valid_from=_TO, source="scenario:x"),
        "headcounts": lambda i: Headcount(unit_id=u[i], date=_TO, headcount=12,
                                          basis="approved"),
        "posts": lambda i: Post(person_id=people[i], unit_id=u[i % 100000], role="member",
                                valid_from=_TO, source="scenario:x"),
    }


def run(scale: float = 1.0) -> dict[str, Any]:
    counts = {k: int(v * scale) for k, v in COUNTS.items()}
    makers = _makers(max(counts.values()))
    ids = {k: range(counts[k]) for k in makers}
    out: dict[str, Any] = {"counts": counts}
    gc.disable()
    try:
        start = time.process_time()
        records = {k: [make(i) for i in ids[k]] for k, make in makers.items()}
        out["create_s"] = round(time.process_time() - start, 3)
        start = time.process_time()
        hidden: set = set()
        for k in ("relations", "functions", "posts"):
            hidden.update(records[k][:counts[f"{k}_hidden"]])  # a hash of each record
        out["hide_s"] = round(time.process_time() - start, 3)
        start = time.process_time()
        index: dict[str, dict[int, Any]] = {}
        for k in ("relations", "functions", "headcounts", "posts"):
            key = "source_id" if k == "relations" else "unit_id"
            for r in records[k]:
                bucket = index.get(getattr(r, key))
                if bucket is None:
                    index[getattr(r, key)] = {id(r): r}
                else:
                    bucket[id(r)] = r
        out["index_s"] = round(time.process_time() - start, 3)
        start = time.process_time()
        # one read of a field of every record (what any later pass, the impact's, costs)
        n = sum(1 for k in records for r in records[k] if r.source != "x")
        out["read_once_s"] = round(time.process_time() - start, 3)
        out["records"] = n
    finally:
        gc.enable()
    out["total_s"] = round(out["create_s"] + out["hide_s"] + out["index_s"]
                           + out["read_once_s"], 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="A fraction of the counts.")
    args = parser.parse_args()
    print(json.dumps(run(args.scale), indent=1))


if __name__ == "__main__":
    main()
