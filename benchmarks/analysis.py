"""The case study's content analysis: validate() + max_achievable() + min_achievable().

Studio runs all three on every save and unit render (studio.analyse), on one Scenario object,
so that is what is timed here, on a freshly parsed Scenario each time (the analysis caches
its walk on the object; parsing is timed separately). Scenarios: the bundled ones and
generated ones (benchmarks/scenario_generator.py) of growing size, to show the growth is
linear; the issue's bar is under 100 ms at 5,000 nodes. No Django is needed.

Repetitions are interleaved round-robin across rows, so that load from other processes hits
every row alike; wall-clock and CPU time (`time.process_time_ns`, which excludes time spent
waiting for a core) are both reported, with a fixed pure-Python loop as a yardstick of how
fast this machine was during the run.
"""
import gc
import json
import os
import statistics
import sys
import time
from importlib.resources import files

from asn_xblocks.case_study import analysis, statespace
from asn_xblocks.case_study.model import Scenario

from .scenario_generator import generate

TARGET_MS = 100
TARGET_NODES = 5000


def cases():
    """(label, scenario dict, note) for every row."""
    data = files('asn_xblocks.case_study') / 'data'
    rows = [(f'bundled `{name[:-5]}`', json.loads((data / name).read_text(encoding='utf-8')), '')
            for name in sorted(p.name for p in data.iterdir() if p.name.endswith('.json'))]
    for nodes in (1000, 2000, 5000):
        rows.append((f'generated, {nodes:,} nodes', generate(nodes), ''))
    rows.append((f'generated, {TARGET_NODES:,} nodes, no variables', generate(TARGET_NODES, variables=False), ''))
    rows.append((f'generated, {TARGET_NODES:,} nodes, one long chain', generate(TARGET_NODES, deep=True),
                 'stress case: every chapter in a row, a play-through of ~2,000 decisions'))
    return rows


def _analyse(scenario):
    problems = analysis.validate(scenario)
    return problems, analysis.max_achievable(scenario), analysis.min_achievable(scenario)


def yardstick_ms() -> float:
    """CPU time of a fixed loop (3 million additions): the machine's speed during the run."""
    start, total = time.process_time_ns(), 0
    for i in range(3_000_000):
        total += i & 7
    return (time.process_time_ns() - start) / 1e6


def measure(repeats: int, warmup: int, progress: bool = False):
    rows = [{'label': label, 'data': data, 'note': note, 'wall': [], 'cpu': [], 'parse': []}
            for label, data, note in cases()]
    yardsticks = [yardstick_ms()]
    for round_number in range(warmup + repeats):
        for row in rows:
            start = time.perf_counter_ns()
            scenario = Scenario.from_dict(row['data'])
            parsed = time.perf_counter_ns() - start
            gc.collect()  # every row starts from the same heap, whatever the previous one left
            wall, cpu = time.perf_counter_ns(), time.process_time_ns()
            problems, high, low = _analyse(scenario)
            cpu, wall = time.process_time_ns() - cpu, time.perf_counter_ns() - wall
            if round_number >= warmup:
                row['wall'].append(wall), row['cpu'].append(cpu), row['parse'].append(parsed)
            row['result'] = (problems, high, low, statespace.analyse(scenario))
        if progress:
            print(f'  analysis round {round_number + 1}/{warmup + repeats}', file=sys.stderr)
    yardsticks.append(yardstick_ms())
    return rows, statistics.median(yardsticks)


def _summary(row):
    problems, high, low, result = row['result']
    graph = result.graph
    return {
        'nodes': len(row['data']['nodes']),
        'states': len(graph.node) if graph else 0,
        'edges': sum(map(len, graph.edges)) if graph else 0,
        'errors': sum(p.severity == 'error' for p in problems),
        'warnings': sum(p.severity == 'warning' for p in problems),
        'range': f'{low:g}–{high:g}',
        'wall': statistics.median(row['wall']) / 1e6,
        'p95': sorted(row['wall'])[max(0, -(-len(row['wall']) * 95 // 100) - 1)] / 1e6,
        'cpu': statistics.median(row['cpu']) / 1e6,
        'parse': statistics.median(row['parse']) / 1e6,
    }


def report(rows, yardstick: float, repeats: int, warmup: int, date: str) -> str:
    summaries = [(row, _summary(row)) for row in rows]
    lines = [
        f'Measured {date}: validate() + max_achievable() + min_achievable() on a freshly parsed Scenario, '
        f'{repeats} timed repetitions per row after {warmup} warm-up, interleaved round-robin across rows; '
        'medians. CPU time excludes waiting for a core; the yardstick is a fixed pure-Python loop timed '
        'before and after (median), to compare runs on machines of different speed or load.',
        '',
        '| Scenario | Nodes | States | Edges | Median (ms) | p95 (ms) | CPU (ms) | µs per node (CPU) '
        '| Parse (ms) | Score range | Errors / warnings |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ]
    for row, s in summaries:
        lines.append(f'| {row["label"]} | {s["nodes"]:,} | {s["states"]:,} | {s["edges"]:,} | {s["wall"]:.1f} '
                     f'| {s["p95"]:.1f} | {s["cpu"]:.1f} | {1000 * s["cpu"] / s["nodes"]:.1f} | {s["parse"]:.0f} '
                     f'| {s["range"]} | {s["errors"]} / {s["warnings"]} |')
    lines.append('')
    lines += [f'- *{row["label"]}*: {row["note"]}.' for row in rows if row['note']]
    generated = [(row, s) for row, s in summaries if row['label'].startswith('generated') and not row['note']
                 and 'no variables' not in row['label']]
    if len(generated) >= 2:
        (_, small), (_, big) = generated[0], generated[-1]
        lines.append(f'- Growth: {big["nodes"] / small["nodes"]:.0f}× the nodes took '
                     f'{big["cpu"] / small["cpu"]:.1f}× the CPU time ({1000 * small["cpu"] / small["nodes"]:.1f} → '
                     f'{1000 * big["cpu"] / big["nodes"]:.1f} µs per node); linear growth keeps that ratio near '
                     f'{big["nodes"] / small["nodes"]:.0f}×.')
    target = next((s for row, s in generated if s['nodes'] == TARGET_NODES), None)
    if target:
        verdict = 'within' if target['wall'] < TARGET_MS else 'above'
        lines.append(f'- Target: {TARGET_NODES:,} generated nodes in under {TARGET_MS} ms: median **{target["wall"]:.1f} ms** '
                     f'wall, {target["cpu"]:.1f} ms CPU ({verdict} the target).')
    load = ' / '.join(f'{value:.1f}' for value in os.getloadavg())
    lines.append(f'- Yardstick: {yardstick:.0f} ms CPU; load average at the end (1/5/15 min): {load} on '
                 f'{os.cpu_count()} cores')
    lines.append('- Reproduce: `.venv/bin/python -m benchmarks.run --analysis` (this section only, '
                 'no workbench; add `--write` to refresh it here)')
    return '\n'.join(lines)
