"""The case-study XBlock under XBlock's TestRuntime: grading, secrecy, completion, events."""
import copy
import json

import pytest

from asn_xblocks.case_study.block import CaseStudyBlock
from asn_xblocks.case_study.defaults import scenario_data
from asn_xblocks.core.ledger import api as ledger
from tests.unit.core.doubles import FakeUserService, make_block
from tests.unit.core.test_handlers import post


@pytest.fixture(autouse=True)
def no_ledger(monkeypatch):
    """Unit tests run as on a site without the ledger app; the integration tests cover the ledger."""
    monkeypatch.setattr(ledger, 'is_available', lambda: False)


class Block(CaseStudyBlock):
    """The real block, with the `location` the LMS's modulestore adds (rescore messages read it)."""

    location = 'block-v1:ASN+CS+2026+type@asn_case_study+block@t'


def new_block(user=None, **fields):
    return make_block(cls=Block, user=user, fields=fields)


def events(block, name):
    return [c.args[2] for c in block.runtime.publish.call_args_list if c.args[1] == name]


def body(response):
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def play(block, pick=lambda choices: choices[0]['id']):
    """Play from the start to an ending, choosing with `pick`; return the final payload."""
    payload = body(post(block, 'begin', {}))
    while not payload['finished']:
        view = payload['view']
        if view['kind'] == 'event':
            payload = body(post(block, 'proceed', {'step': payload['step']}))
        else:
            payload = body(post(block, 'choose', {'step': payload['step'], 'choice': pick(view['choices'])}))
    return payload


def best(choices):
    return choices[0]['id']


def worst(choices):
    return choices[-1]['id']


def test_max_score_comes_from_content_alone():
    block = new_block(user=None)
    assert block.max_score() == 100
    assert Block.has_score and Block.icon_class == 'problem'


def test_playing_to_an_ending_publishes_one_grade_and_full_completion():
    block = new_block()
    final = play(block)
    grades = events(block, 'grade')
    assert len(grades) == 1
    assert grades[0]['value'] == final['debrief']['score']
    assert grades[0]['max_value'] == 100
    assert events(block, 'completion') == [{'completion': 1.0}]
    assert [e['ending'] for e in events(block, 'asn.case_study.completed')] == [final['view']['node_id']]


def test_every_choice_is_tracked_and_nothing_else_can_be_published():
    block = new_block()
    play(block)
    names = {c.args[1] for c in block.runtime.publish.call_args_list}
    assert names <= {'grade', 'completion', 'asn.case_study.choice', 'asn.case_study.completed'}
    assert len(events(block, 'asn.case_study.choice')) >= 10


def test_a_worse_later_attempt_never_lowers_the_best_grade():
    block = new_block()
    first = play(block, best)['debrief']['score']
    body(post(block, 'begin', {}))
    second = play(block, worst)['debrief']['score']
    assert second < first
    assert block.get_score().raw_earned == first
    assert events(block, 'grade')[-1]['only_if_higher'] is True


def test_undo_restores_the_previous_step_and_does_not_touch_the_grade():
    block = new_block()
    start = body(post(block, 'begin', {}))
    moved = body(post(block, 'choose', {'step': 0, 'choice': start['view']['choices'][0]['id']}))
    assert moved['can_undo']
    back = body(post(block, 'go_back', {'step': moved['step']}))
    assert back['view'] == start['view'] | {'seconds_remaining': back['view']['seconds_remaining']}
    assert events(block, 'grade') == []


def test_the_attempt_limit_is_enforced_on_the_server():
    block = new_block(max_attempts=1)
    play(block)
    response = post(block, 'begin', {})
    assert response.status_code == 400
    assert block.attempts_used == 1


def test_attempt_counters_come_with_the_page_the_start_and_the_end_but_not_with_each_move():
    block = new_block(max_attempts=2)
    assert block.student_view().json_init_args['state']['attempts_remaining'] == 2
    payloads = [body(post(block, 'begin', {}))]
    while not payloads[-1]['finished']:
        view, step = payloads[-1]['view'], payloads[-1]['step']
        if view['kind'] == 'event':
            payloads.append(body(post(block, 'proceed', {'step': step})))
        else:
            payloads.append(body(post(block, 'choose', {'step': step, 'choice': view['choices'][0]['id']})))
    start, moves, end = payloads[0], payloads[1:-1], payloads[-1]
    assert (start['attempts_used'], start['attempts_remaining']) == (0, 2)
    assert moves and not any('attempts_used' in p or 'attempts_remaining' in p for p in moves)
    assert (end['attempts_used'], end['attempts_remaining'], end['can_retry']) == (1, 1, True)
    assert body(post(block, 'load', {}))['attempts_remaining'] == 1


def test_rescoring_after_the_author_fixes_points_uses_the_recorded_path():
    block = new_block()
    final = play(block, best)
    content = copy.deepcopy(block.scenario)
    first_node = next(n for n in content['nodes'] if n['id'] == content['start'])
    taken = final['debrief']['decisions'][0]['choice']['id']
    next(c for c in first_node['choices'] if c['id'] == taken)['points'] -= 4
    block.scenario = content
    block.rescore(only_if_higher=False)
    assert events(block, 'grade')[-1]['value'] == final['debrief']['score'] - 4


def test_override_publishes_the_overridden_score():
    from xblock.scorable import Score  # pylint: disable=import-outside-toplevel

    block = new_block()
    play(block)
    block.set_score(Score(55.0, 100.0))
    block.publish_grade()
    assert events(block, 'grade')[-1] == {'value': 55.0, 'max_value': 100.0, 'only_if_higher': None}


def test_the_debrief_waits_for_the_ending_when_the_author_holds_feedback():
    data = scenario_data('sampah_sekolah')
    data['feedback_mode'] = 'debrief'
    block = new_block(scenario=data)
    start = body(post(block, 'begin', {}))
    moved = body(post(block, 'choose', {'step': 0, 'choice': start['view']['choices'][0]['id']}))
    assert moved['feedback'] is None and 'debrief' not in moved


def test_mobile_data_has_no_graph_points_or_feedback():
    text = json.dumps(new_block().student_view_data())
    for secret in ('"choices"', '"points"', '"target"', '"feedback"', '"nodes"'):
        assert secret not in text


def test_learner_page_carries_only_the_current_step():
    block = new_block()
    body(post(block, 'begin', {}))
    args = block.student_view().json_init_args
    text = json.dumps(args)
    assert args['locale'] == 'id'
    for secret in ('"points"', '"target"', '"effects"', '"competencies"'):
        assert secret not in text


def test_a_block_without_a_user_cannot_start():
    block = new_block()
    block.runtime._services['user'] = None  # pylint: disable=protected-access
    assert post(block, 'begin', {}).status_code == 403


@pytest.mark.parametrize('handler,data', [('choose', {'step': 0, 'choice': 'a'}), ('proceed', {'step': 0}),
                                          ('go_back', {'step': 0}), ('time_up', {'step': 0})])
def test_moves_before_starting_are_refused(handler, data):
    block = new_block()
    response = post(block, handler, data)
    assert response.status_code == 400
    assert block.play == {}


def test_staff_are_told_when_the_ledger_is_missing_and_learners_are_not():
    staff_page = new_block(user=FakeUserService(staff=True)).student_view().content
    learner_page = new_block().student_view().content
    assert 'asn-notice" role="note"' in staff_page and 'role="note"' not in learner_page
