"""Latency benchmarks for asn-xblocks, run against the workbench's own no-op floor.

`make benchmark` (or `python -m benchmarks.run`) measures every registered asn block type
in one throwaway workbench and prints a Markdown table; `--write` refreshes BENCHMARKS.md.
Speed is reported here, never asserted in tests (CONVENTIONS.md §5).
"""
