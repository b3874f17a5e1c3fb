"""Measure every registered asn block against the workbench's no-op floor, in one run.

    python -m benchmarks.run                 # 200 iterations, Markdown table on stdout
    python -m benchmarks.run --quick         # 30 iterations
    python -m benchmarks.run --write         # also refresh the results section of BENCHMARKS.md
    python -m benchmarks.run --analysis      # only the content analysis section (no workbench)
    ASN_TEST_DB=mysql python -m benchmarks.run   # MariaDB/MySQL: a throwaway `asn_bench` database

Each run builds a throwaway workbench database (SQLite in a temporary ASN_VAR_DIR, or a
dedicated MySQL database it creates and drops), migrates it, registers the benchmark-only
floor blocks as temporary XBlock plugins, and drives real scenario pages and handler URLs
through Django's test client with CSRF enforced. Iterations are interleaved round-robin
across all measurements so that drift (thermal, other load) hits every row alike.
A second section times the case study's content analysis (benchmarks/analysis.py) on the
bundled and generated scenarios; it runs first, before Django is set up, and is written to
its own marked section. Must run in a fresh process: it configures Django itself.
"""
import argparse
import contextlib
import datetime
import gc
import importlib.metadata
import math
import os
import pathlib
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc

REPO = pathlib.Path(__file__).resolve().parent.parent
BENCHMARKS_MD = REPO / 'BENCHMARKS.md'
START_MARKER = '<!-- benchmark-results:start {} (generated: python -m benchmarks.run --write) -->'
END_MARKER = '<!-- benchmark-results:end {} -->'
SETTINGS = 'benchmarks.settings'
TARGET_RATIO = 1.2  # the issues' target for each block's main handler and render


# --- arguments and environment ------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.run', description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true', help='30 iterations and fewer warm-ups (a quick look)')
    parser.add_argument('--iterations', type=int, help='timed iterations per measurement (default 200, --quick 30)')
    parser.add_argument('--warmup', type=int, help='untimed warm-up iterations (default 20, --quick 5)')
    parser.add_argument('--memory-samples', type=int,
                        help='requests per measurement traced with tracemalloc (default 20, --quick 5)')
    parser.add_argument('--write', action='store_true', help='refresh the results section of BENCHMARKS.md')
    parser.add_argument('--analysis', action='store_true',
                        help='only the content analysis section (validate + score range), without the workbench')
    parser.add_argument('--output', type=pathlib.Path, default=BENCHMARKS_MD,
                        help='the file --write updates (default: BENCHMARKS.md at the repository root)')
    args = parser.parse_args(argv)
    args.iterations = args.iterations or (30 if args.quick else 200)
    args.warmup = args.warmup if args.warmup is not None else (5 if args.quick else 20)
    args.memory_samples = args.memory_samples if args.memory_samples is not None else (5 if args.quick else 20)
    args.analysis_repeats = 5 if args.quick else 21
    if args.iterations < 1 or args.warmup < 0 or args.memory_samples < 1:
        parser.error('--iterations and --memory-samples must be at least 1, --warmup at least 0')
    return args


def mysql_params():
    return {
        'host': os.environ.get('ASN_MYSQL_HOST', '127.0.0.1'),
        'port': int(os.environ.get('ASN_MYSQL_PORT', '3306')),
        'user': os.environ.get('ASN_MYSQL_USER', 'root'),
        'password': os.environ.get('ASN_MYSQL_PASSWORD', ''),
    }


@contextlib.contextmanager
def mysql_database(name):
    """Create `name` empty for the run and drop it afterwards (never a shared database)."""
    import MySQLdb  # pylint: disable=import-outside-toplevel
    if not re.fullmatch(r'[A-Za-z0-9_]+', name) or name in {'mysql', 'test', 'information_schema'}:
        raise SystemExit(f'Refusing to use {name!r} as the throwaway benchmark database')
    server = MySQLdb.connect(**mysql_params())
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS `{name}`')
            cursor.execute(f'CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci')
        yield
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections  # pylint: disable=import-outside-toplevel
            connections.close_all()
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS `{name}`')
        server.close()


@contextlib.contextmanager
def throwaway_workbench():
    """Point the settings at a temporary var dir and database, set Django up, migrate."""
    if 'django.conf' in sys.modules:
        from django.conf import settings  # pylint: disable=import-outside-toplevel
        if settings.configured:
            raise SystemExit('benchmarks.run configures Django itself: run it in a fresh process')
    with tempfile.TemporaryDirectory(prefix='asn-bench-', ignore_cleanup_errors=True) as var_dir, \
            contextlib.ExitStack() as stack:
        os.environ['ASN_VAR_DIR'] = var_dir
        os.environ['DJANGO_SETTINGS_MODULE'] = SETTINGS
        if os.environ.get('ASN_TEST_DB') == 'mysql':
            name = os.environ.get('ASN_BENCH_DB', 'asn_bench')
            os.environ['ASN_MYSQL_DB'] = name
            stack.enter_context(mysql_database(name))
        import django  # pylint: disable=import-outside-toplevel
        from django.core.management import call_command  # pylint: disable=import-outside-toplevel
        django.setup()
        call_command('migrate', run_syncdb=True, verbosity=0, interactive=False)
        try:
            yield
        finally:
            from django.db import connections  # pylint: disable=import-outside-toplevel
            connections.close_all()


# --- measuring ----------------------------------------------------------------------------

def registered_block_types():
    """Every xblock.v1 entry point implemented in asn_xblocks, by block type."""
    return sorted({entry.name for entry in importlib.metadata.entry_points(group='xblock.v1')
                   if entry.module.split('.')[0] == 'asn_xblocks'})


def percentile(values, fraction):
    """Nearest-rank percentile (defined for any non-empty sample)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(cases, iterations, warmup, memory_samples, progress):
    """Round-robin timing of every case, then a separate, untimed pass that traces memory
    allocations (tracemalloc slows Python down) and counts SQL statements."""
    timings = {id(case): [] for case in cases}
    timed = [case for case in cases if case.prepare is not None]
    rounds = warmup + iterations
    gc.collect()
    for round_number in range(rounds):
        for case in timed:
            request = case.prepare(round_number)
            start = time.perf_counter_ns()
            request()
            elapsed = time.perf_counter_ns() - start
            if round_number >= warmup:
                timings[id(case)].append(elapsed)
        if progress and (round_number + 1) % 25 == 0:
            print(f'  round {round_number + 1}/{rounds}', file=sys.stderr)
    peaks, queries = {}, {}
    from django.db import connection  # pylint: disable=import-outside-toplevel
    counter = QueryCounter()
    tracemalloc.start()
    try:
        with connection.execute_wrapper(counter):
            for case in timed:
                peak, counts = 0, []
                for sample in range(memory_samples):
                    request = case.prepare(rounds + sample)
                    counter.count = 0
                    tracemalloc.reset_peak()
                    before, _ = tracemalloc.get_traced_memory()
                    request()
                    peak = max(peak, tracemalloc.get_traced_memory()[1] - before)
                    counts.append(counter.count)
                peaks[id(case)], queries[id(case)] = peak, statistics.median(counts)
    finally:
        tracemalloc.stop()
    return [summarise(case, timings[id(case)], peaks.get(id(case)), queries.get(id(case))) for case in cases]


class QueryCounter:
    """Counts the SQL statements a request runs (installed only for the untimed pass)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def summarise(case, samples, peak, queries):
    row = {'label': case.label, 'block_type': case.block_type, 'kind': case.kind, 'role': case.role,
           'note': case.note, 'n': len(samples), 'peak_bytes': peak, 'queries': queries}
    if samples:
        row['median_ns'] = statistics.median(samples)
        row['p95_ns'] = percentile(samples, 0.95)
    return row


def run_measurements(args, progress=True):
    """Register the floor blocks, reload the workbench's scenarios and measure everything."""
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    from xblock.core import XBlock  # pylint: disable=import-outside-toplevel

    from . import blocks  # pylint: disable=import-outside-toplevel
    from .floor import TEMP_PLUGINS  # pylint: disable=import-outside-toplevel
    from .visitor import Visitor  # pylint: disable=import-outside-toplevel

    def measure_all():
        reset_global_state()  # scenarios now include the temporary floor blocks
        visitor = Visitor()
        block_types = registered_block_types()
        cases = blocks.floor_cases(visitor)
        for block_type in block_types:
            cases.extend(blocks.block_cases(visitor, block_type))
        if progress:
            timed = sum(case.prepare is not None for case in cases)
            print(f'Measuring {timed} requests x {args.warmup} warm-up + {args.iterations} iterations '
                  f'for {", ".join(block_types) or "no asn blocks"} ...', file=sys.stderr)
        rows = measure(cases, args.iterations, args.warmup, args.memory_samples, progress)
        reset_global_state()
        return block_types, rows

    for block_class, identifier in TEMP_PLUGINS:
        measure_all = XBlock.register_temp_plugin(block_class, identifier)(measure_all)
    return measure_all()


# --- reporting ----------------------------------------------------------------------------

def cpu_model():
    with contextlib.suppress(OSError):
        for line in pathlib.Path('/proc/cpuinfo').read_text(encoding='utf-8').splitlines():
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    return platform.processor() or platform.machine()


def database_description():
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        if connection.vendor == 'sqlite':
            cursor.execute('select sqlite_version()')
            return f'SQLite {cursor.fetchone()[0]} (temporary file)'
        cursor.execute('select version()')
        server = cursor.fetchone()[0]
        name = 'MariaDB' if 'mariadb' in server.lower() else 'MySQL'
        return f'{name} {server} (throwaway database `{connection.settings_dict["NAME"]}`)'


def connection_vendor():
    from django.db import connection  # pylint: disable=import-outside-toplevel
    return connection.vendor


def version(dist):
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        return importlib.metadata.version(dist)
    return 'not installed'


def environment(args):
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'python': platform.python_version(),
        'django': version('Django'),
        'xblock': version('XBlock'),
        'sdk': version('xblock-sdk'),
        'asn': version('asn-xblocks'),
        'cores': os.cpu_count(),
        'cpu': cpu_model(),
        'os': f'{platform.system()} {platform.release()}',
        'database': database_description(),
        'vendor': connection_vendor(),
        'iterations': args.iterations,
        'warmup': args.warmup,
        'memory_samples': args.memory_samples,
        'maxrss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'load': ' / '.join(f'{load:.1f}' for load in os.getloadavg()),
    }


def ms(nanoseconds):
    return f'{nanoseconds / 1e6:.2f}'


def ratio(value, base):
    return f'{value / base:.2f}×' if base else '—'


def markdown_table(rows):
    floor = next((row['median_ns'] for row in rows if row['role'] == 'floor'), None)
    render_floor = next((row['median_ns'] for row in rows if row['role'] == 'render_floor'), None)
    lines = [
        '| Measurement | Kind | Median (ms) | p95 (ms) | × floor | × render floor | SQL/request '
        '| Peak alloc (KiB) | n |',
        '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for row in rows:
        if 'median_ns' not in row:
            lines.append(f'| {row["label"]} | {row["kind"]} | — | — | — | — | — | — | 0 |')
            continue
        peak = f'{row["peak_bytes"] / 1024:.0f}' if row['peak_bytes'] is not None else '—'
        queries = f'{row["queries"]:g}' if row['queries'] is not None else '—'
        lines.append(
            f'| {row["label"]} | {row["kind"]} | {ms(row["median_ns"])} | {ms(row["p95_ns"])} '
            f'| {ratio(row["median_ns"], floor)} '
            f'| {ratio(row["median_ns"], render_floor) if row["kind"] == "render" else "—"} '
            f'| {queries} | {peak} | {row["n"]} |')
    return '\n'.join(lines)


def target_lines(rows):
    """How each block's main handler compares with the issues' 1.2× target, against each floor."""
    floors = {role: next((row['median_ns'] for row in rows if row['role'] == role), None)
              for role in ('floor', 'state_floor', 'ledger_floor')}
    lines = []
    for row in rows:
        if row['role'] == 'main' and floors['floor'] and 'median_ns' in row:
            times = row['median_ns'] / floors['floor']
            verdict = 'within' if times <= TARGET_RATIO else 'above'
            others = ''.join(f', {row["median_ns"] / floors[role]:.2f}× the {name}'
                             for role, name in (('state_floor', 'one-field state floor'),
                                                ('ledger_floor', 'state + ledger floor')) if floors[role])
            lines.append(f'- Main handler, {row["label"]}: **{times:.2f}×** the floor{others} '
                         f'({verdict} the issues\' {TARGET_RATIO}× target against the no-op floor).')
    return lines


def note_lines(rows):
    return [f'- *{row["label"]}*: {row["note"]}.' for row in rows if row['note']]


def report(block_types, rows, env):
    text = [
        f'Measured {env["date"]}: {env["iterations"]} timed iterations per row after {env["warmup"]} '
        'warm-up iterations, interleaved round-robin across rows. SQL/request and peak allocation '
        f'(the largest tracemalloc peak) come from a separate untimed pass of {env["memory_samples"]} '
        'requests per row.',
        '',
        markdown_table(rows),
        '',
        *note_lines(rows),
        '',
        *target_lines(rows),
        '',
        f'- Blocks measured: {", ".join(f"`{name}`" for name in block_types) or "none"}',
        f'- Machine: {env["cores"]} cores, {env["cpu"]}, {env["os"]}; load average at the end '
        f'(1/5/15 min): {env["load"]} (a busy machine inflates absolute times; rows are '
        'interleaved, so ratios suffer less)',
        f'- Python {env["python"]}, Django {env["django"]}, XBlock {env["xblock"]}, '
        f'xblock-sdk {env["sdk"]}, asn-xblocks {env["asn"]}',
        f'- Database: {env["database"]}; settings `{SETTINGS}` (DEBUG off)',
        f'- Process peak RSS after the run: {env["maxrss_mib"]:.0f} MiB',
        '- Reproduce: `make benchmark` prints this table; `.venv/bin/python -m benchmarks.run --write` '
        'refreshes this section (`--quick` for 30 iterations, `ASN_TEST_DB=mysql` for MariaDB)',
    ]
    return '\n'.join(text).replace('\n\n\n', '\n\n')


DEFAULT_DOCUMENT = """# Benchmarks

Latency of each asn block in the XBlock SDK workbench, compared with the workbench's floor.
`make benchmark` prints the table; `.venv/bin/python -m benchmarks.run --write` refreshes the
generated sections below (one per database).
"""


def write_document(path, results, database):
    """Replace the generated section for `database` in `path` (added if missing); keep the prose."""
    start, end = START_MARKER.format(database), END_MARKER.format(database)
    document = path.read_text(encoding='utf-8') if path.exists() else DEFAULT_DOCUMENT
    if start not in document or end not in document:
        document = document.rstrip('\n') + f'\n\n{start}\n{end}\n'
    head, rest = document.split(start, 1)
    _old, tail = rest.split(end, 1)
    path.write_text(f'{head}{start}\n{results}\n{end}{tail}', encoding='utf-8')


def analysis_results(args):
    """The content analysis section (measured before Django is set up: a smaller, quieter heap)."""
    from . import analysis  # pylint: disable=import-outside-toplevel
    print(f'Timing the content analysis: {args.analysis_repeats} repetitions ...', file=sys.stderr)
    rows, yardstick = analysis.measure(args.analysis_repeats, warmup=1)
    date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    return analysis.report(rows, yardstick, args.analysis_repeats, 1, date)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sections = [('analysis', analysis_results(args))]
    if not args.analysis:
        with throwaway_workbench():
            block_types, rows = run_measurements(args)
            env = environment(args)
            sections.insert(0, (env['vendor'], report(block_types, rows, env)))
    print('\n\n'.join(results for _, results in sections))
    if args.write:
        for database, results in sections:  # in printing order, so a new file reads like the output
            write_document(args.output, results, database)
        print(f'\nUpdated {args.output}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
