"""The benchmark harness still runs and still covers every block (it reports speed; nothing here times anything).

`benchmarks.run` configures Django and its own throwaway database, so it runs in a subprocess
(the test session's Django is already set up against the test database).
"""
import importlib.metadata
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def registered_block_types():
    return sorted({entry.name for entry in importlib.metadata.entry_points(group='xblock.v1')
                   if entry.module.split('.')[0] == 'asn_xblocks'})


def table_rows(output):
    """The first cell of each data row of the Markdown table."""
    rows = [line for line in output.splitlines() if line.startswith('| ')]
    return [row.split('|')[1].strip() for row in rows[1:]]  # rows[0] is the header


def test_quick_run_reports_the_floor_and_every_registered_block(tmp_path):
    output_file = tmp_path / 'BENCHMARKS.md'
    output_file.write_text('# Benchmarks\n\nHand-written prose stays.\n', encoding='utf-8')
    env = {**os.environ, 'PYTHONWARNINGS': 'ignore'}
    env.pop('DJANGO_SETTINGS_MODULE', None)
    env['ASN_BENCH_DB'] = f'asn_bench_test_{os.getpid()}'  # with ASN_TEST_DB=mysql: never a running benchmark's
    result = subprocess.run(
        [sys.executable, '-m', 'benchmarks.run', '--quick', '--iterations', '3', '--warmup', '1',
         '--memory-samples', '1', '--write', '--output', str(output_file)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]

    labels = table_rows(result.stdout)
    assert any(label.startswith('floor: no-op handler') for label in labels), labels
    assert any(label.startswith('floor: page render') for label in labels), labels
    blocks = registered_block_types()
    assert 'asn_case_study' in blocks
    for block_type in blocks:
        rows = [label for label in labels if label.startswith(f'{block_type}:')]
        assert rows, f'no benchmark row for {block_type}: {labels}'
        assert not any('no workbench scenario' in label for label in rows), rows
    assert any(label.startswith('asn_case_study: `choose`') for label in labels), labels

    written = output_file.read_text(encoding='utf-8')
    assert 'Hand-written prose stays.' in written
    assert table_rows(written) == labels
    assert 'make benchmark' in written
