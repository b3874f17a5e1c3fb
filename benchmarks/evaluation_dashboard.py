"""Time and memory of the evaluation dashboard over a large course, from a real ledger.

    python -m benchmarks.evaluation_dashboard                    # 100,000 learners
    python -m benchmarks.evaluation_dashboard --learners 20000 --repeat 3
    ASN_TEST_DB=mysql python -m benchmarks.evaluation_dashboard  # MariaDB (throwaway database)

Builds a throwaway database (benchmarks.run.throwaway_workbench) holding one course: per learner
a pre-test and a post-test attempt with the assessment's summary (benchmarks.assessment_report's
cohort, 40 items over 8 competencies), a start of every block, a finished case study with two
competency sub-scores (two learners in three), an expert session completed by half, and before
and reaction survey responses. Then times a cold `evaluation.dashboard.build` — what a staff
page view computes when the ledger has changed since the last view — and a warm view
(`evaluation.snapshot.dashboard_data`, served from Django's cache while no ledger row was
added: a few index lookups). Peak memory is the tracemalloc peak of one cold build.
The target in issue 6 is 500 ms for 100,000 learners.
"""
import argparse
import platform
import statistics
import time
import tracemalloc
from types import SimpleNamespace

from .assessment_report import fill as fill_tests
from .run import throwaway_workbench

COURSE = 'bench'  # the course key benchmarks.assessment_report writes its attempts under
CASE, EXPERT, BEFORE, REACTION = 'bench.case', 'bench.expert', 'bench.before', 'bench.reaction'
FILL_BATCH = 20_000  # learners per round of bulk inserts: set-up only, large batches are faster


class Course:
    """A stand-in block of the course: the dashboard needs its course and its runtime's get_block."""

    def __init__(self, bank):
        self.scope_ids = SimpleNamespace(usage_id=SimpleNamespace(course_key=COURSE, __str__=lambda: REACTION),
                                         block_type='asn_evaluation')
        session = SimpleNamespace(stakeholder_counts=lambda: {'akademisi': 1, 'praktisi': 1, 'oms': 1})
        self.runtime = SimpleNamespace(get_block=lambda key: SimpleNamespace(
            model=bank if 'assessment' in str(key) or str(key).startswith('bench.p') else session))


def fill_course(learners):
    """Everything but the tests: starts, case-study attempts and sub-scores, milestones, survey answers."""
    from asn_xblocks.core.ledger import models  # pylint: disable=import-outside-toplevel
    from asn_xblocks.evaluation.privacy import respondent_keys  # pylint: disable=import-outside-toplevel
    for start in range(0, learners, FILL_BATCH):
        ids = [str(100000 + n) for n in range(start, min(start + FILL_BATCH, learners))]
        keys = respondent_keys(COURSE, ids)
        models.Participation.objects.bulk_create([
            models.Participation(course_key=COURSE, usage_key=usage, block_type=kind, user_id=u, anonymous_user_id=u)
            for u in ids for usage, kind in (('bench.pre', 'asn_assessment'), (CASE, 'asn_case_study'),
                                             (EXPERT, 'asn_expert_session'), ('bench.post', 'asn_assessment'))])
        cases = [models.Attempt(course_key=COURSE, usage_key=CASE, block_type='asn_case_study', user_id=u,
                                anonymous_user_id=u, attempt_number=1, score=int(u) % 11 * 10, max_score=100)
                 for u in ids if int(u) % 3]
        models.Attempt.objects.bulk_create(cases)
        models.CompetencyScore.objects.bulk_create([
            models.CompetencyScore(attempt=a, competency=code, earned=a.score / 2, possible=50)
            for a in cases for code in ('M.05', 'M.01')])
        models.Milestone.objects.bulk_create([
            models.Milestone(course_key=COURSE, usage_key=EXPERT, block_type='asn_expert_session', user_id=u,
                             kind='completed', value=100) for u in ids if int(u) % 2])
        models.SurveyResponse.objects.bulk_create([
            models.SurveyResponse(course_key=COURSE, usage_key=usage, kind=kind, respondent=keys[u],
                                  answers=answers(int(u), kind), comment='Bermanfaat' if int(u) % 50 == 0 else '')
            for u in ids for usage, kind in ((BEFORE, 'before'), (REACTION, 'reaction'))])


def answers(n, kind):
    ready = {'siap': 1 + n % 3, 'yakin': 1 + n % 4}
    if kind == 'before':
        return ready
    return {'materi': 1 + n % 5, 'fasilitator': 2 + n % 4, 'method-case_study': 1 + n % 5, 'siap': 2 + n % 4,
            'yakin': 2 + n % 4}


def questions():
    from asn_xblocks.evaluation.defaults import default_questions  # pylint: disable=import-outside-toplevel
    from asn_xblocks.evaluation.model import Questions  # pylint: disable=import-outside-toplevel
    return Questions.from_dict(default_questions())


def run(block):
    """A cold build: everything read from the ledger."""
    from asn_xblocks.evaluation import dashboard  # pylint: disable=import-outside-toplevel
    return dashboard.build(block, questions())


def view(block):
    """A staff view while the ledger is unchanged: the cached snapshot."""
    from asn_xblocks.evaluation import snapshot  # pylint: disable=import-outside-toplevel
    return snapshot.dashboard_data(block, questions())


def timed(function, repeat):
    function()  # warm caches and lazy imports
    wall = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), result


def parts(block, repeat):
    """Median seconds of the dashboard's main parts, to show where the time goes."""
    from asn_xblocks.evaluation import course_data, dashboard, records  # pylint: disable=import-outside-toplevel
    blocks = course_data.block_figures(COURSE)
    return {
        'funnel queries': timed(lambda: course_data.block_figures(COURSE), repeat)[0],
        'pre/post report (assessment)': timed(lambda: dashboard.pre_post(block, blocks), repeat)[0],
        'survey rows (both kinds)': timed(lambda: [records.responses(COURSE, k) for k in ('before', 'reaction')],
                                          repeat)[0],
        'case-study competencies': timed(lambda: course_data.case_study_competencies(COURSE), repeat)[0],
        'method groups (ledger reads)': timed(lambda: (course_data.case_study_learners(COURSE),
                                                       course_data.expert_session_learners([EXPERT])), repeat)[0],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m benchmarks.evaluation_dashboard',
                                     description=__doc__.split('\n\n')[0])
    parser.add_argument('--learners', type=int, default=100_000)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args(argv)
    with throwaway_workbench():
        from django.db import connection  # pylint: disable=import-outside-toplevel
        started = time.perf_counter()
        bank = fill_tests(args.learners, 40)
        fill_course(args.learners)
        filled = time.perf_counter() - started
        block = Course(bank)
        cold, result = timed(lambda: run(block), args.repeat)
        warm, cached = timed(lambda: view(block), args.repeat)
        tracemalloc.start()
        run(block)
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
        assert result['pre_post'][0]['gains']['n_matched'] == args.learners
        assert result['surveys']['reaction']['respondents'] == args.learners
        assert {**cached, 'computed_at': ''} == {**result, 'computed_at': ''}
        print(f'database: {connection.vendor}; Python {platform.python_version()}; '
              f'{platform.processor() or platform.machine()}; fill {filled:.0f} s')
        print('| Learners | Cold build (median wall s) | Warm view, cached (median wall ms) | '
              'Peak memory, cold (MiB) | Target |')
        print('|---|---|---|---|---|')
        print(f'| {args.learners:,} | {cold:.2f} | {1000 * warm:.1f} | {peak:.0f} | 0.50 s |')
        print('\nWhere the time goes (median s):')
        for name, seconds in parts(block, args.repeat).items():
            print(f'- {name}: {seconds:.2f}')


if __name__ == '__main__':
    main()
