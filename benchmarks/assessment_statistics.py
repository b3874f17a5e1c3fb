"""Time and memory of the assessment statistics core on a large synthetic cohort.

    python -m benchmarks.assessment_statistics                 # 100,000 learners × 40 items
    python -m benchmarks.assessment_statistics --learners 20000 --items 60 --repeat 3

Three measurements, each the median of --repeat timed runs plus one untimed run traced with
tracemalloc for the peak of memory allocated *beyond its input* (numpy reports its buffers
to tracemalloc):
- item analysis of the whole matrix (`analyze_items`, discriminative efficiency included);
- the same statistics streamed row by row from a generator (`ItemStatisticsAccumulator`),
  the shape of a database cursor; its memory must not grow with the number of learners;
- the matched-pairs gain report for the same number of learners (`matched_gains`).
Answers are simulated from a two-parameter logistic model (fixed seed), so discrimination
and reliability look like a real test's. No Django needed.
"""
import argparse
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np
import scipy

from asn_xblocks.assessment.gains import matched_gains
from asn_xblocks.assessment.item_analysis import ItemStatisticsAccumulator, analyze_items


def simulated_scores(learners: int, items: int, seed: int = 2024) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(learners, 1))
    difficulty = rng.normal(size=(1, items))
    discrimination = rng.uniform(0.5, 2.0, size=(1, items))
    p_correct = 1 / (1 + np.exp(-discrimination * (ability - difficulty)))
    return (rng.random((learners, items)) < p_correct).astype(float)


def measure(function, repeat: int):
    """(median wall seconds, median CPU seconds, peak MiB allocated during one extra traced
    run). CPU time is reported too because wall time on a shared machine includes waiting."""
    function()  # warm caches and lazy imports
    seconds, cpu_seconds = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        function()
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    function()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return statistics.median(seconds), statistics.median(cpu_seconds), peak / 2 ** 20


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.assessment_statistics',
                                     description=__doc__.split('\n\n')[0])
    parser.add_argument('--learners', type=int, default=100_000)
    parser.add_argument('--items', type=int, default=40)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args(argv)

    scores = simulated_scores(args.learners, args.items)
    pre = {f'learner-{j}': value for j, value in enumerate((scores[:, ::2].mean(axis=1) * 100).tolist())}
    post = {f'learner-{j}': value for j, value in enumerate((scores[:, 1::2].mean(axis=1) * 100).tolist())}

    def streamed():
        accumulator = ItemStatisticsAccumulator(range(args.items))
        accumulator.add(row for row in scores)
        return accumulator.result()

    analysis = analyze_items(scores)
    rows = [
        ('item analysis, whole matrix', lambda: analyze_items(scores)),
        ('item analysis, streamed rows', streamed),
        ('matched-pairs gains', lambda: matched_gains(pre, post, sem_pre=analysis.form.sem)),
    ]
    print(f'{args.learners:,} learners × {args.items} items ({scores.nbytes / 2 ** 20:.1f} MiB of float64 scores); '
          f'Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, '
          f'{os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}), '
          f'OPENBLAS_NUM_THREADS={os.environ.get("OPENBLAS_NUM_THREADS", "unset")}')
    print(f'α = {analysis.form.alpha:.3f}, SEM = {analysis.form.sem:.2f} points of 100; '
          f'median of {args.repeat} runs; peak = memory allocated beyond the input')
    print()
    print('| measurement | wall time (s) | CPU time (s) | peak memory (MiB) |')
    print('|---|---:|---:|---:|')
    for name, function in rows:
        seconds, cpu_seconds, peak = measure(function, args.repeat)
        print(f'| {name} | {seconds:.3f} | {cpu_seconds:.3f} | {peak:.1f} |')


if __name__ == '__main__':
    main()
