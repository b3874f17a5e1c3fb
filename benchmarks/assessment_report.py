"""Time and memory of the assessment's staff report over a large cohort, from a real ledger.

    python -m benchmarks.assessment_report                       # 100,000 learners × 40 items
    python -m benchmarks.assessment_report --learners 20000 --repeat 3
    ASN_TEST_DB=mysql python -m benchmarks.assessment_report     # MariaDB (throwaway database)

Builds a throwaway database (benchmarks.run.throwaway_workbench), writes one pre-test and one
post-test ledger attempt per learner with the summary the block records (40 single-choice
items over 8 competencies, answers simulated from a two-parameter logistic model, seeded),
then times `report.build_report` over `ledger.phase_records` — exactly what the staff report
handler and the CSV exports run: both phases streamed from the database with the JSON summary
extracted there, matched gains overall and per competency, item analysis of both phases with
discriminative efficiency, alerts. Memory is the tracemalloc peak of one extra run, reported
per learner at two cohort sizes, so growth beyond the result rows would show.
"""
import argparse
import platform
import statistics
import time
import tracemalloc

import numpy as np

from .run import throwaway_workbench

ITEMS, COMPETENCIES = 40, [f'M.0{n}' for n in range(1, 9)]
OPTIONS = ('a', 'b', 'c', 'd')
INSERT_BATCH = 500  # rows per INSERT: 500 full answers stay under MariaDB's default max_allowed_packet


def bank_dict(items=ITEMS):
    return {'format': 1, 'id': 'bench', 'title': {'id': 'Tes'}, 'items': [
        {'id': f'q{i:02d}', 'type': 'single', 'stem': {'id': f'Soal {i}'},
         'competencies': [COMPETENCIES[i % len(COMPETENCIES)]],
         'options': [{'id': o, 'text': {'id': o}, 'correct': o == 'a'} for o in OPTIONS]}
        for i in range(items)]}


def simulated(learners, items, shift, seed):
    """learners × items right/wrong, from abilities that rise by `shift` after training."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(learners, 1)) + shift
    difficulty = np.random.default_rng(7).normal(size=(1, items))
    p = 1 / (1 + np.exp(-(ability - difficulty)))
    return rng.random((learners, items)) < p


def summaries(right, key):
    """The ledger summary text (asn_xblocks.assessment.summary) of each simulated learner."""
    form = ' '.join(f'q{i:02d}' for i in range(right.shape[1]))
    wrong_choice = np.random.default_rng(11).integers(1, len(OPTIONS), size=right.shape)
    masks = np.where(right, 1, 1 << wrong_choice)  # option a (bit 0) is the key
    for row, mask in zip(right, masks):
        yield '|'.join((form, ''.join('0348' if value else '0000' for value in row),
                        ''.join(f'{m:02x}' for m in mask), '0' * len(row), key, ''))


def answers_like_the_block(items):
    """A full `answers` of the size the block stores (form with opaque ids, responses), which the
    report must not read."""
    form = {'items': [{'item_id': f'q{i:02d}', 'options': [[f'{i:02d}{o}' * 8, o] for o in OPTIONS]}
                      for i in range(items)]}
    return {'form': form, 'responses': {f'q{i:02d}': ['a'] for i in range(items)}, 'confidence': {}}


def write(attempts, summaries_):
    from asn_xblocks.core.ledger.models import Attempt, AttemptSummary  # pylint: disable=import-outside-toplevel
    Attempt.objects.bulk_create(attempts)  # sets primary keys on SQLite, MariaDB and PostgreSQL
    AttemptSummary.objects.bulk_create(summaries_)  # which Django copies into attempt_id here


def fill(learners, items):
    """Write the cohort's pre- and post-test attempts; returns the bank."""
    from asn_xblocks.assessment.model import Bank  # pylint: disable=import-outside-toplevel
    from asn_xblocks.assessment.summary import key_fingerprint  # pylint: disable=import-outside-toplevel
    from asn_xblocks.core.ledger.models import Attempt, AttemptSummary  # pylint: disable=import-outside-toplevel
    bank = Bank.from_dict(bank_dict(items))
    key = key_fingerprint(bank)
    answers = answers_like_the_block(items)
    for phase, shift, seed in (('pre', 0.0, 1), ('post', 0.8, 2)):
        right = simulated(learners, items, shift, seed)
        attempts, summaries_ = [], []
        for learner, (row, text) in enumerate(zip(right, summaries(right, key))):
            attempt = Attempt(course_key='bench', usage_key=f'bench.{phase}', block_type='asn_assessment',
                              user_id=str(100000 + learner), attempt_number=1, phase=phase, pairing_key='k',
                              score=100.0 * row.mean(), max_score=100.0, answers=answers)
            attempts.append(attempt)
            summaries_.append(AttemptSummary(attempt=attempt, course_key='bench', pairing_key='k', phase=phase,
                                             user_id=attempt.user_id, attempt_number=1, percent=attempt.score, text=text))
            if len(attempts) == INSERT_BATCH:
                write(attempts, summaries_)
                attempts, summaries_ = [], []
        write(attempts, summaries_)
    return bank


def run_report(bank):
    from asn_xblocks.assessment import report  # pylint: disable=import-outside-toplevel
    from asn_xblocks.core.ledger import api as ledger  # pylint: disable=import-outside-toplevel
    pre, post = (ledger.phase_records('bench', 'k', phase) for phase in ('pre', 'post'))
    return report.build_report(pre, post, bank)


def measure(bank, repeat):
    run_report(bank)  # warm the database cache and lazy imports
    wall, cpu = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = run_report(bank)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    tracemalloc.start()
    run_report(bank)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(wall), statistics.median(cpu), peak / 2 ** 20, result


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.assessment_report', description=__doc__.split('\n\n')[0])
    parser.add_argument('--learners', type=int, default=100_000)
    parser.add_argument('--items', type=int, default=ITEMS)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args(argv)
    with throwaway_workbench():
        from django.db import connection  # pylint: disable=import-outside-toplevel
        from asn_xblocks.core.ledger.models import Attempt, AttemptSummary  # pylint: disable=import-outside-toplevel
        rows = []
        for learners in sorted({max(args.learners // 10, 1), args.learners}):
            for model in (AttemptSummary, Attempt):  # a fresh cohort (the ledger refuses deletes)
                model.objects.all()._raw_delete(model.objects.db)
            started = time.perf_counter()
            bank = fill(learners, args.items)
            filled = time.perf_counter() - started
            wall, cpu, peak, result = measure(bank, args.repeat)
            assert result['gains']['n_matched'] == learners
            rows.append((learners, filled, wall, cpu, peak, result['gains']['class_gain']['value'],
                         result['phases']['post']['form']['alpha']))
        print(f'database: {connection.vendor} {connection.Database.__name__}; Python {platform.python_version()}; '
              f'{platform.processor() or platform.machine()}')
        print('| Learners × items | Report (median wall s) | CPU s | Peak memory (MiB) | KiB per learner | '
              '⟨g⟩ | α post | Fill (s) |')
        print('|---|---|---|---|---|---|---|---|')
        for learners, filled, wall, cpu, peak, gain, alpha in rows:
            print(f'| {learners:,} × {args.items} | {wall:.2f} | {cpu:.2f} | {peak:.1f} | '
                  f'{1024 * peak / learners:.2f} | {gain:.3f} | {alpha:.3f} | {filled:.0f} |')


if __name__ == '__main__':
    main()
