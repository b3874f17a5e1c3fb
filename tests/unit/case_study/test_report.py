"""The instructors' report: pure aggregation over attempt records, with hand-computed numbers."""
from datetime import datetime, timedelta, timezone

import pytest

from asn_xblocks.case_study.report import RecordOrderError, build_report, path_labels, percent

from case_study_builders import build, choice, ending, situation, text

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)

# n1: a -> n2, b -> n2, c -> bad (poor) ; n2: c -> good, d -> poor, timeout -> poor ; meh (fair) unreachable.
SCENARIO = build(
    situation('n1', choice('a', 'n2', 10), choice('b', 'n2', 0), choice('c', 'bad', 2)),
    situation('n2', choice('c', 'good', 5), choice('d', 'poor', 1),
              time_limit=30, timeout={'target': 'poor', 'points': 0, 'feedback': text('Terlambat')}),
    ending('good', 'good'), ending('meh', 'fair'), ending('poor', 'poor'), ending('bad', 'poor'),
)


def steps(*moves):
    """'n1:a' -> a choice step, 'n2:timeout' -> a timeout step, 'e1:' -> an event step."""
    out = []
    for index, move in enumerate(moves):
        node, picked = move.split(':')
        kind = 'timeout' if picked == 'timeout' else ('event' if picked == '' else 'choice')
        out.append({'node_id': node, 'choice_id': picked if kind == 'choice' else None, 'kind': kind,
                    'shown_at': float(index), 'answered_at': index + 0.5, 'points': 0})
    return out


def rec(user, number, score, moves, ending_id, competencies=None, minutes=0):
    return {'user_id': user, 'attempt_number': number, 'score': score, 'max_score': 15.0,
            'answers': {'path': steps(*moves), 'ending': ending_id, 'seed': f'{user}:{number}'},
            'submitted_at': NOW - timedelta(minutes=60 - minutes), 'competencies': competencies or {}}


RECORDS = [
    rec('u1', 1, 1, ['n1:b', 'n2:d'], 'poor', {'M.05': (0, 10)}, minutes=1),
    rec('u1', 2, 15, ['n1:a', 'n2:c'], 'good', {'M.05': (10, 10), 'M.01': (1, 4)}, minutes=9),
    rec('u2', 1, 1, ['n1:b', 'n2:d'], 'poor', {'M.05': (0, 10), 'M.08': (0, 0)}, minutes=2),
    rec('u3', 1, 2, ['n1:c'], 'bad', {'M.05': (0, 10)}, minutes=3),
    rec('u3', 2, 1, ['n1:b', 'n2:d'], 'poor', {'M.05': (0, 10)}, minutes=4),
    rec('u3', 3, 1, ['n1:b', 'n2:d'], 'poor', {'M.05': (0, 10)}, minutes=5),
    rec('u4', 1, 10, ['n1:a', 'n2:timeout'], 'poor', {'M.05': (10, 10)}, minutes=6),
]


@pytest.fixture(name='report')
def fixture_report():
    return build_report(iter(RECORDS), SCENARIO, 'en', now=NOW)


def test_every_figure_says_how_many_learners_and_when(report):
    for name in ('summary', 'scores', 'endings', 'ratings', 'choices', 'poor_paths', 'competencies'):
        assert report[name]['computed_at'] == '2026-11-30T08:00:00+00:00', name
        assert report[name]['learners'] == 4, name
        assert report[name]['basis'] in ('latest_attempt', 'all_attempts'), name
    assert report['computed_at'] == '2026-11-30T08:00:00+00:00'


def test_summary_counts_learners_once_and_every_attempt(report):
    summary = report['summary']
    assert (summary['learners'], summary['attempts'], summary['attempts_per_learner']) == (4, 7, 1.75)
    assert summary['last_submitted_at'] == (NOW - timedelta(minutes=51)).isoformat()


def test_scores_use_each_learners_latest_attempt(report):
    # Latest percents: u1 15/15 = 100, u2 1/15 = 6.67, u3 1/15 = 6.67, u4 10/15 = 66.67.
    scores = report['scores']
    assert scores['basis'] == 'latest_attempt'
    assert scores['mean'] == 45.0  # (100 + 6.667 + 6.667 + 66.667) / 4
    assert scores['median'] == 36.67  # (6.667 + 66.667) / 2
    assert [band['count'] for band in scores['bands']] == [2, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    assert (scores['bands'][0]['from'], scores['bands'][0]['to'], scores['bands'][9]['to']) == (0, 10, 100)


def test_band_edges_belong_to_the_band_they_start():
    records = [rec(f'u{i}', 1, score, ['n1:a'], 'good') for i, score in enumerate([0, 1.5, 10.5, 15])]
    # 0% and 10% -> band 0 and band 1; 70% exactly (10.5 / 15, float noise) -> band 7; 100% -> band 9.
    bands = [band['count'] for band in build_report(records, SCENARIO, now=NOW)['scores']['bands']]
    assert bands == [1, 1, 0, 0, 0, 0, 0, 1, 0, 1]


def test_endings_and_ratings_count_latest_attempts_for_learners_and_every_attempt_for_attempts(report):
    rows = {row['ending_id']: row for row in report['endings']['rows']}
    assert [row['ending_id'] for row in report['endings']['rows']] == ['good', 'meh', 'poor', 'bad']
    assert {key: (row['learners'], row['attempts']) for key, row in rows.items()} == {
        'good': (1, 1), 'meh': (0, 0), 'poor': (3, 5), 'bad': (0, 1)}
    assert rows['good']['title'] == 'Akhir good' and rows['bad']['rating'] == 'poor'
    assert report['ratings']['rows'] == [
        {'rating': 'good', 'learners': 1, 'attempts': 1},
        {'rating': 'fair', 'learners': 0, 'attempts': 0},
        {'rating': 'poor', 'learners': 3, 'attempts': 6},
    ]


def test_choice_distribution_per_situation_with_labels_in_the_locale(report):
    n1, n2 = report['choices']['situations']
    assert (n1['node_id'], n1['title'], n1['learners'], n1['timed_out']) == ('n1', 'Title n1', 4, 0)
    assert [(c['choice_id'], c['label'], c['learners']) for c in n1['choices']] == [
        ('a', 'Choice a', 2), ('b', 'Choice b', 2), ('c', 'Choice c', 0)]
    assert (n2['learners'], n2['timed_out']) == (4, 1)
    assert [(c['choice_id'], c['learners']) for c in n2['choices']] == [('c', 1), ('d', 2)]
    indonesian = build_report(iter(RECORDS), SCENARIO, 'id', now=NOW)['choices']['situations'][0]
    assert indonesian['title'] == 'Judul n1' and indonesian['choices'][0]['label'] == 'Pilihan a'


def test_poor_paths_count_each_learner_once_per_path(report):
    poor = report['poor_paths']
    assert poor['basis'] == 'all_attempts'
    assert poor['rows'] == [
        {'path': ['n1:b', 'n2:d'], 'ending_id': 'poor', 'ending_title': 'Akhir poor', 'learners': 3},
        {'path': ['n1:a', 'n2:timeout'], 'ending_id': 'poor', 'ending_title': 'Akhir poor', 'learners': 1},
        {'path': ['n1:c'], 'ending_id': 'bad', 'ending_title': 'Akhir bad', 'learners': 1},
    ]


def test_only_the_top_five_poor_paths_are_listed():
    records = [rec(f'u{i}', 1, 0, ['n1:b'] * (i + 1), 'poor') for i in range(7)]
    records += [rec('v', 1, 0, ['n1:b'] * 7, 'poor')]
    rows = build_report(records, SCENARIO, now=NOW)['poor_paths']['rows']
    assert len(rows) == 5
    assert (len(rows[0]['path']), rows[0]['learners']) == (7, 2)  # u6 and v took the same path


def test_competency_average_of_learners_percentages_on_latest_attempts(report):
    rows = report['competencies']['rows']
    # M.05: u1 100, u2 0, u3 0, u4 100 -> 50; M.01 only u1: 1/4 -> 25; M.08 had nothing possible.
    assert [(r['code'], r['average_percent'], r['learners']) for r in rows] == [
        ('M.01', 25.0, 1), ('M.05', 50.0, 4)]
    assert rows[1]['label'] and rows[1]['label'] != 'M.05'


def test_events_are_not_part_of_a_path_and_removed_content_is_still_counted():
    record = rec('u1', 1, 0, ['n1:b', 'e1:', 'gone:x'], 'old-ending')
    assert path_labels(record['answers']) == ['n1:b', 'gone:x']
    report = build_report([record], SCENARIO, now=NOW)
    assert report['endings']['rows'][-1] == {'ending_id': 'old-ending', 'title': 'old-ending', 'rating': None,
                                            'learners': 1, 'attempts': 1}
    gone = report['choices']['situations'][-1]
    assert (gone['node_id'], gone['learners'], gone['choices']) == (
        'gone', 1, [{'choice_id': 'x', 'label': 'x', 'learners': 1}])


def test_no_records_gives_empty_figures():
    report = build_report([], SCENARIO, now=NOW)
    assert report['summary']['learners'] == 0 and report['summary']['attempts_per_learner'] is None
    assert report['scores']['mean'] is None and report['scores']['median'] is None
    assert sum(band['count'] for band in report['scores']['bands']) == 0
    assert report['poor_paths']['rows'] == [] and report['competencies']['rows'] == []


def test_records_of_one_learner_must_come_together():
    with pytest.raises(RecordOrderError):
        build_report([RECORDS[0], RECORDS[2], RECORDS[1]], SCENARIO, now=NOW)


def test_percent_of_a_block_with_no_points_is_zero():
    assert percent({'score': 0, 'max_score': 0}) == 0.0
    assert percent({'score': 3, 'max_score': 4}) == 75.0
