"""Benchmarks of bomay at national scale: figures, never pass/fail.

Run `python -m bench.run --help`; see bench/README.md and docs/performance.md.
"""
