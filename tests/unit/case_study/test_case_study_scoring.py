"""Rescoring a recorded path with the current content, and the debrief after the ending."""
import copy

import pytest

from asn_xblocks.case_study import engine
from asn_xblocks.case_study.engine import InvalidMove, Step
from asn_xblocks.case_study.model import Scenario
from asn_xblocks.case_study.scoring import debrief, expert_choice, score_path

from case_study_builders import choice, ending, scenario_dict, situation, text

COMPETENT = scenario_dict(
    situation('n1',
              choice('a', 'n2', 10, competencies=[{'code': 'M.05', 'points': 6}, {'code': 'M.01', 'points': 4}],
                     feedback=text('Proaktif', 'Proactive')),
              choice('b', 'n2', 10, competencies=[{'code': 'M.05', 'points': 10}], feedback=text('Juga baik')),
              choice('c', 'n2', 2, competencies=[{'code': 'M.01', 'points': 1}, {'code': 'M.01', 'points': 1}],
                     feedback=text('Berisiko', 'Risky'))),
    situation('n2', choice('d', 'end', 5, competencies=[{'code': 'M.08', 'points': 5}]), choice('e', 'end', 0),
              time_limit=30, timeout={'target': 'end', 'points': 1, 'feedback': text('Terlambat', 'Late')}),
    ending('end'),
)
SCENARIO = Scenario.from_dict(COMPETENT)


def _play(*moves, late=False):
    state = engine.start(SCENARIO, 's', 0)
    state, _ = engine.choose(SCENARIO, state, moves[0], 1)
    state, _ = engine.choose(SCENARIO, state, moves[1], 100 if late else 2)
    return state


def test_competency_possible_sums_the_best_of_each_visited_node():
    breakdown = score_path(SCENARIO, _play('c', 'd').path)
    assert breakdown.earned == 7 and breakdown.possible_max == 15
    assert breakdown.competencies == {'M.05': (0, 10), 'M.01': (2, 4), 'M.08': (5, 5)}


def test_a_timeout_earns_its_points_and_still_counts_the_node_as_visited():
    state = _play('a', 'd', late=True)
    breakdown = score_path(SCENARIO, state.path)
    assert breakdown.earned == 11
    assert breakdown.competencies['M.08'] == (0, 5)


def test_rescoring_uses_the_current_content_and_tolerates_removed_choices():
    path = _play('c', 'e').path
    fixed = copy.deepcopy(COMPETENT)
    fixed['nodes'][0]['choices'][2]['points'] = 8             # the key for c was wrong
    del fixed['nodes'][1]['choices'][1]                         # e no longer exists
    fixed['nodes'][1]['choices'].append(choice('f', 'end', 1))
    breakdown = score_path(Scenario.from_dict(fixed), path)
    assert breakdown.earned == 8


def test_steps_on_unknown_nodes_score_nothing():
    assert score_path(SCENARIO, [Step('gone', 'a', 'choice', 0, 1, 99)], possible_max=15).earned == 0


def test_expert_is_the_highest_scoring_choice_and_the_first_on_a_tie():
    assert expert_choice(SCENARIO.node('n1')).id == 'a'
    assert expert_choice(SCENARIO.node('n2')).id == 'd'


def test_debrief_sets_each_decision_beside_the_expert_choice():
    report = debrief(SCENARIO, _play('c', 'd'), 'en')
    first, second = report['decisions']
    assert first == {
        'node_id': 'n1', 'title': 'Title n1', 'timed_out': False,
        'choice': {'id': 'c', 'label': 'Choice c', 'points': 2, 'feedback': 'Risky'},
        'timeout_feedback': None,
        'expert': {'id': 'a', 'label': 'Choice a', 'points': 10, 'feedback': 'Proactive'},
        'points': 2, 'followed_expert': False}
    assert second['followed_expert'] is True
    assert report['score'] == 7 and report['max_score'] == 15
    assert report['competencies']['M.01'] == {'earned': 2, 'possible': 4}
    assert report['ending'] == {'id': 'end', 'title': 'Akhir end', 'text': 'Penutup end', 'rating': 'good'}


def test_debrief_shows_a_timeout_with_its_feedback():
    second = debrief(SCENARIO, _play('a', 'd', late=True), 'id')['decisions'][1]
    assert second['timed_out'] and second['choice'] is None and second['timeout_feedback'] == 'Terlambat'
    assert second['expert']['id'] == 'd' and second['points'] == 1


def test_debrief_waits_for_the_ending():
    state = engine.start(SCENARIO, 's', 0)
    with pytest.raises(InvalidMove) as caught:
        debrief(SCENARIO, state, 'en')
    assert caught.value.code == 'not_finished'
