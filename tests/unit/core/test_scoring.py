"""The grading contract: what the LMS gradebook, rescoring and overrides rely on."""
import pytest
from xblock.core import XBlock
from xblock.scorable import Score

from asn_xblocks.core.scoring import LAST

from .doubles import CoreDemoBlock, make_block
from .test_handlers import post


def grade_events(block):
    return [call.args[2] for call in block.runtime.publish.call_args_list if call.args[1] == 'grade']


def test_has_score_is_a_class_attribute_and_max_score_needs_no_learner():
    assert CoreDemoBlock.has_score is True
    assert CoreDemoBlock.icon_class == 'problem'
    block = make_block(user=None)
    assert block.max_score() == 10.0


def test_weight_is_a_settings_field_defaulting_to_one():
    assert CoreDemoBlock.weight.scope.name == 'settings'
    assert make_block().weight == 1.0


def test_submission_publishes_one_grade_and_stores_it():
    block = make_block()
    post(block, 'submit', {'answer': 5})
    assert grade_events(block) == [{'value': 8.0, 'max_value': 10.0, 'only_if_higher': True}]
    assert block.get_score() == Score(8.0, 10.0)
    assert block.has_submitted_answer()


def test_best_policy_keeps_the_best_attempt_when_a_later_one_is_worse():
    block = make_block()
    post(block, 'submit', {'answer': 7})
    post(block, 'submit', {'answer': 0})
    assert block.get_score().raw_earned == 10.0
    assert all(event['only_if_higher'] for event in grade_events(block))


def test_last_policy_takes_the_last_attempt():
    block = make_block(fields={'grading_policy': LAST})
    post(block, 'submit', {'answer': 7})
    post(block, 'submit', {'answer': 5})
    assert block.get_score().raw_earned == 8.0
    assert grade_events(block)[-1] == {'value': 8.0, 'max_value': 10.0, 'only_if_higher': None}


def test_set_score_is_idempotent_and_never_publishes():
    block = make_block()
    block.set_score(Score(3.0, 10.0))
    block.set_score(Score(3.0, 10.0))
    assert block.get_score() == Score(3.0, 10.0)
    block.runtime.publish.assert_not_called()


def test_publish_grade_without_arguments_publishes_the_stored_score_as_override_does():
    block = make_block()
    block.set_score(Score(6.0, 10.0))
    block.publish_grade()
    assert grade_events(block) == [{'value': 6.0, 'max_value': 10.0, 'only_if_higher': None}]


def test_rescore_uses_the_current_content():
    block = make_block()
    post(block, 'submit', {'answer': 5})
    CoreDemoBlock.key = 5
    try:
        block.rescore(only_if_higher=False)
    finally:
        CoreDemoBlock.key = 7
    assert grade_events(block)[-1] == {'value': 10.0, 'max_value': 10.0, 'only_if_higher': False}
    assert block.get_score().raw_earned == 10.0


def test_rescore_only_if_higher_keeps_a_better_stored_score():
    block = make_block()
    post(block, 'submit', {'answer': 7})
    CoreDemoBlock.key = 0
    try:
        block.rescore(only_if_higher=True)
    finally:
        CoreDemoBlock.key = 7
    assert block.get_score().raw_earned == 10.0


def test_rescore_before_any_submission_is_refused_as_the_lms_expects():
    with pytest.raises(ValueError):
        make_block().rescore(only_if_higher=False)


def test_attempt_limit_refuses_further_submissions_and_changes_nothing():
    block = make_block(fields={'max_attempts': 1})
    post(block, 'submit', {'answer': 7})
    response = post(block, 'submit', {'answer': 1})
    assert response.status_code == 400
    assert block.attempts_used == 1
    assert len(grade_events(block)) == 1
    assert block.attempts_remaining() == 0


def test_unlimited_attempts_report_no_remaining_count():
    assert make_block().attempts_remaining() is None


def test_registered_blocks_keep_the_contract():
    for _name, cls in XBlock.load_classes():
        if cls.__module__.startswith('asn_xblocks') and getattr(cls, 'has_score', False):
            assert cls.max_score is not CoreDemoBlock.content_max_score
