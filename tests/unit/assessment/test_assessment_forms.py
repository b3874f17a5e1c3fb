"""Drawing a learner's form: stratified, seeded, shuffled, opaque ids, parallel post-test forms."""
import json
import re
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.assessment.forms import (
    PHASES, Coverage, ForeignOptionId, Form, FormError, draw_form, option_token,
)
from asn_xblocks.assessment.model import load_bank

from test_assessment_builders import SECRET, bank_dict, big_bank_dict, demo_bank_dict, likert, single

BIG = load_bank(big_bank_dict(per_code=4))
DEMO = load_bank(demo_bank_dict())


def draw(bank=BIG, learner='anon-1', phase='pre', **options):
    options.setdefault('per_competency', 2)
    return draw_form(bank, secret=SECRET, learner=learner, phase=phase, **options)


def per_code(form, bank=BIG):
    return Counter(code for item_id in form.item_ids for code in bank.item(item_id).competencies)


# --- stratified draw ----------------------------------------------------------------------
def test_n_items_per_competency_then_every_likert_item_in_bank_order():
    form = draw(per_competency=2)
    assert per_code(form) == {'M.01': 2, 'M.02': 2, 'M.03': 2, 'M.05': 2}  # M.05: the two Likert items
    assert form.item_ids[-2:] == ('s1', 's2')
    assert [c.to_dict() for c in form.coverage] == [
        {'code': code, 'wanted': 2, 'drawn': 2, 'reused': 0} for code in ('M.01', 'M.02', 'M.03')]
    assert not form.reused


def test_likert_items_can_be_left_out():
    assert all(not item_id.startswith('s') for item_id in draw(include_likert=False).item_ids)


def test_counts_per_competency_from_a_mapping_and_codes_missing_from_the_bank():
    form = draw(per_competency={'M.01': 3, 'M.03': 1, 'T.ABSENT': 2}, include_likert=False)
    assert per_code(form) == {'M.01': 3, 'M.03': 1}
    assert [(c.code, c.wanted, c.drawn, c.short) for c in form.coverage] == [
        ('M.01', 3, 3, False), ('M.02', 0, 0, False), ('M.03', 1, 1, False), ('T.ABSENT', 2, 0, True)]


def test_none_draws_every_graded_item():
    assert sorted(draw(per_competency=None, include_likert=False).item_ids) == sorted(
        item.id for item in BIG.items if item.graded)


def test_an_item_with_several_tags_is_drawn_once_and_counts_for_each():
    bank = load_bank(bank_dict(single('both', ('M.01', 'M.02')), single('a1', ('M.01',)), single('a2', ('M.01',)),
                               single('b1', ('M.02',))))
    for learner in range(30):
        form = draw(bank, learner=str(learner), per_competency=1)
        assert len(set(form.item_ids)) == len(form.item_ids)
        counts = per_code(form, bank)
        assert counts['M.01'] >= 1 and counts['M.02'] >= 1
        assert len(form.item_ids) <= 2


def test_scarce_competencies_are_filled_first():
    """T.X has only the shared item: drawing it first covers M.01 too, so one item is enough."""
    bank = load_bank(bank_dict(single('shared', ('M.01', 'T.X')), *[single(f'm{n}', ('M.01',)) for n in range(5)]))
    for learner in range(20):
        assert draw(bank, learner=str(learner), per_competency=1).item_ids == ('shared',)


def test_a_bank_too_small_gives_what_it_has_and_says_so():
    form = draw(per_competency=6, include_likert=False)
    assert len(form.item_ids) == 12
    assert all(c.short and c.drawn == 4 for c in form.coverage)


# --- determinism and variety --------------------------------------------------------------
def test_same_learner_phase_and_attempt_give_the_same_form():
    assert draw() == draw()
    assert draw().to_dict() == draw().to_dict()


def test_other_learners_attempts_phases_and_secrets_give_other_forms():
    base = draw()
    others = [draw(learner='anon-2'), draw(attempt=2), draw(phase='post'),
              draw_form(BIG, secret=SECRET + 'x', learner='anon-1', phase='pre', per_competency=2)]
    for other in others:
        assert other.seed != base.seed and other.items != base.items


def test_different_learners_get_different_item_orders_and_draws():
    forms = [draw(learner=f'anon-{n}') for n in range(40)]
    assert len({form.item_ids for form in forms}) > 30


def test_order_and_draw_are_not_biased_to_the_bank_order():
    first = Counter(draw(learner=f'anon-{n}', include_likert=False).item_ids[0] for n in range(300))
    assert len(first) == 12 and max(first.values()) < 60


def test_a_stored_form_is_json_and_comes_back_equal():
    form = draw(phase='post', seen=draw().item_ids, per_competency=3)
    stored = json.loads(json.dumps(form.to_dict()))
    assert Form.from_dict(stored) == form


@pytest.mark.parametrize('broken', [{}, {'bank_id': 'b'}, {'bank_id': 'b', 'phase': 'pre', 'attempt': 'x', 'seed': 's',
                                                          'items': []},
                                    {'bank_id': 'b', 'phase': 'pre', 'attempt': 1, 'seed': 's', 'items': [{'x': 1}]}])
def test_a_broken_stored_form_is_refused(broken):
    with pytest.raises(FormError):
        Form.from_dict(broken)


@pytest.mark.parametrize('options, message', [
    ({'phase': 'middle'}, 'phase must be one of pre, post'),
    ({'attempt': 0}, 'attempt must be a positive'),
    ({'attempt': True}, 'attempt must be a positive'),
    ({'per_competency': -1}, 'items per competency'),
    ({'per_competency': {'M.01': 1.5}}, 'items per competency'),
])
def test_bad_draw_requests(options, message):
    with pytest.raises(FormError, match=message):
        draw(**options)


def test_a_short_secret_is_refused():
    with pytest.raises(FormError, match='at least 16 bytes'):
        draw_form(BIG, secret='short', learner='a', phase='pre')
    assert PHASES == ('pre', 'post')


# --- option order and opaque ids ----------------------------------------------------------
def test_options_are_all_there_in_a_per_learner_order():
    orders = Counter()
    for n in range(50):
        form = draw(learner=f'anon-{n}', include_likert=False)
        for form_item in form.items:
            assert sorted(option_id for _token, option_id in form_item.options) == ['a', 'b', 'c', 'd']
        orders[tuple(option_id for _token, option_id in form.form_item(form.item_ids[0]).options)] += 1
    assert len(orders) > 10


def test_tokens_are_url_safe_and_reveal_nothing():
    form = draw()
    tokens = [token for form_item in form.items for token, _ in form_item.options]
    assert all(re.fullmatch(r'[A-Za-z0-9_-]{16}', token) for token in tokens)
    assert len(set(tokens)) == len(tokens)
    assert not any(option_id in token for form_item in form.items for token, option_id in form_item.options
                   if len(option_id) > 1)


def test_tokens_differ_per_learner_item_option_and_secret():
    base = option_token(SECRET, 'anon-1', 'q1', 'a')
    assert base == option_token(SECRET, 'anon-1', 'q1', 'a')
    assert len({base, option_token(SECRET, 'anon-2', 'q1', 'a'), option_token(SECRET, 'anon-1', 'q2', 'a'),
                option_token(SECRET, 'anon-1', 'q1', 'b'), option_token(SECRET + '!', 'anon-1', 'q1', 'a'),
                option_token(SECRET, 'anon-1q', '1', 'a'), option_token(SECRET.encode(), 'anon-1', 'q1', 'a')}) == 6


def test_tokens_map_back_to_the_bank_option():
    form = draw()
    for form_item in form.items:
        for token, option_id in form_item.options:
            assert form.option_id(form_item.item_id, token) == option_id
            assert form.token(form_item.item_id, option_id) == token


def test_foreign_and_unknown_tokens_are_refused():
    mine, theirs = draw(learner='anon-1'), draw(learner='anon-2')
    item_id = next(item_id for item_id in mine.item_ids if item_id in theirs.item_ids and not item_id.startswith('s'))
    other_item = next(i for i in mine.item_ids if i != item_id and not i.startswith('s'))
    their_token = theirs.form_item(item_id).options[0][0]
    my_other_token = mine.form_item(other_item).options[0][0]
    for item, token in [(item_id, their_token), (item_id, my_other_token), (item_id, 'a'), (item_id, ''),
                        (item_id, None), (item_id, ['x']), ('nope', mine.form_item(item_id).options[0][0]),
                        ('s1', 'a')]:
        with pytest.raises(ForeignOptionId):
            mine.option_id(item, token)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=20),
       st.text(alphabet='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', min_size=16, max_size=16))
def test_a_guessed_token_is_refused(learner, guess):
    form = draw(learner=learner)
    item_id = form.item_ids[0]
    if guess not in dict(form.form_item(item_id).options):
        with pytest.raises(ForeignOptionId):
            form.option_id(item_id, guess)


# --- parallel post-test forms -------------------------------------------------------------
def test_post_test_avoids_pre_test_items_when_the_bank_has_enough():
    pre = draw(per_competency=2)
    post = draw(phase='post', per_competency=2, seen=pre.item_ids)
    graded_pre = {i for i in pre.item_ids if not i.startswith('s')}
    graded_post = {i for i in post.item_ids if not i.startswith('s')}
    assert not graded_pre & graded_post
    assert per_code(post) == per_code(pre)
    assert not post.reused and post.reused_item_ids == ()
    assert all(c.reused == 0 and not c.short for c in post.coverage)


def test_post_test_reuses_items_and_says_so_when_the_bank_is_small():
    pre = draw(per_competency=3)
    post = draw(phase='post', per_competency=3, seen=pre.item_ids)
    assert per_code(post) == per_code(pre)
    assert post.reused
    assert sorted(Counter(BIG.item(i).competencies[0] for i in post.reused_item_ids).values()) == [2, 2, 2]
    assert [(c.code, c.drawn, c.reused) for c in post.coverage] == [('M.01', 3, 2), ('M.02', 3, 2), ('M.03', 3, 2)]
    fresh = {i for i in post.item_ids if i not in pre.item_ids}
    assert len(fresh) == 3  # every unseen item of the bank is used before any seen one


def test_demo_bank_post_test_must_reuse():
    pre = draw(DEMO, per_competency=1)
    post = draw(DEMO, phase='post', per_competency=1, seen=pre.item_ids)
    assert post.reused
    assert {c.code for c in post.coverage if c.reused} >= {'M.01', 'M.06'}


def test_likert_items_repeat_in_the_post_test_without_counting_as_reuse():
    pre = draw(per_competency=1)
    post = draw(phase='post', per_competency=1, seen=pre.item_ids)
    assert pre.item_ids[-2:] == post.item_ids[-2:] == ('s1', 's2')
    assert 's1' not in post.reused_item_ids


def test_coverage_is_plain_data():
    assert Coverage('M.01', 2, 1, 1).to_dict() == {'code': 'M.01', 'wanted': 2, 'drawn': 1, 'reused': 1}
    assert Coverage('M.01', 2, 1).short


def test_likert_form_items_have_no_options():
    bank = load_bank(bank_dict(single('q1'), likert('s1')))
    form = draw(bank, per_competency=1)
    assert form.form_item('s1').options == ()
