"""Scoring rules (hand-computed), Likert keying, submission checks, and what the browser may see."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.assessment.forms import draw_form
from asn_xblocks.assessment.model import Bank, load_bank
from asn_xblocks.assessment.scoring import (
    SUBMISSION_MESSAGES, SubmissionError, likert_score, public_view, read_submission, review_view,
    scaled_score, score_form,
)

from test_assessment_builders import SECRET, bank_dict, demo_bank_dict, likert, multiple, single, text

SECRET_FEEDBACK = 'UMPAN-BALIK-RAHASIA'
SECRET_EXPLANATION = 'PENJELASAN-RAHASIA'


def scored_bank():
    q1, q2 = single('q1', ('M.01',), key='b'), single('q2', ('M.01', 'M.02'), key='c', points=2)
    m1 = multiple('m1', correct='ab', scoring='per_option', codes=('M.02',), points=2)
    q1['options'][0]['feedback'] = text(SECRET_FEEDBACK, SECRET_FEEDBACK + '-EN')
    q1['explanation'] = text(SECRET_EXPLANATION)
    return load_bank(bank_dict(q1, q2, m1, likert('s1', ('M.05',)), likert('s2', ('M.05',), reverse=True)))


BANK = scored_bank()


def draw(bank=BANK, learner='anon-1', **options):
    return draw_form(bank, secret=SECRET, learner=learner, phase='pre', per_competency=None, **options)


FORM = draw()


def tokens(form, item_id, option_ids):
    return [form.token(item_id, option_id) for option_id in option_ids]


def answers(form=FORM, **overrides):
    base = {'q1': tokens(form, 'q1', 'b'), 'q2': tokens(form, 'q2', 'a'), 'm1': tokens(form, 'm1', 'a'),
            's1': 3, 's2': 4}
    base.update(overrides)
    return base


# --- scoring rules ------------------------------------------------------------------------
M1 = load_bank(bank_dict(*[multiple(f'm-{rule}', correct='ab', scoring=rule)
                           for rule in ('all_or_nothing', 'per_option', 'right_minus_wrong')]))


@pytest.mark.parametrize('chosen, all_or_nothing, per_option, right_minus_wrong', [
    # options a b c d, correct a b (n = 4, C = 2)
    ('ab', 1, 4 / 4, (2 - 0) / 2),
    ('a', 0, 3 / 4, (1 - 0) / 2),   # decisions: a ok, b missed, c ok, d ok
    ('ac', 0, 2 / 4, (1 - 1) / 2),  # a ok, b missed, c wrong, d ok
    ('c', 0, 1 / 4, 0),             # (0 - 1) / 2 floored at 0
    ('abc', 0, 3 / 4, (2 - 1) / 2),
    ('abcd', 0, 2 / 4, 0),
    ('', 0, 0, 0),                  # unanswered scores 0 under every rule
])
def test_multiple_response_rules_by_hand(chosen, all_or_nothing, per_option, right_minus_wrong):
    got = [scaled_score(item, list(chosen)) for item in M1.items]
    assert got == pytest.approx([all_or_nothing, per_option, right_minus_wrong])


def test_single_choice():
    item = BANK.item('q1')
    assert [scaled_score(item, chosen) for chosen in (['b'], ['a'], [], ['zz'])] == [1, 0, 0, 0]


def test_options_not_shown_and_unknown_ids_do_not_count():
    item = M1.item('m-per_option')
    assert scaled_score(item, ['a', 'gone']) == 0.75
    assert scaled_score(item, ['a'], shown={'a', 'b', 'c'}) == pytest.approx(2 / 3)


def test_form_score_per_item_competency_and_overall_by_hand():
    score = score_form(FORM, BANK, read_submission(FORM, BANK, answers()))
    assert [(s.item_id, s.scaled, s.earned, s.possible) for s in sorted(score.items, key=lambda s: s.item_id)] == [
        ('m1', 0.75, 1.5, 2), ('q1', 1.0, 1.0, 1), ('q2', 0.0, 0.0, 2)]
    by_code = {s.code: (s.earned, s.possible) for s in score.competencies}
    assert by_code == {'M.01': (1.0, 3), 'M.02': (1.5, 4)}  # q2 counts toward both of its tags
    assert (score.earned, score.possible, score.percent) == (2.5, 5, 50.0)
    assert {s.code: s.percent for s in score.competencies} == {'M.01': pytest.approx(100 / 3), 'M.02': 37.5}


def test_likert_items_are_not_scored_but_scaled_with_reverse_keying():
    score = score_form(FORM, BANK, read_submission(FORM, BANK, answers(s1=3, s2=4)))
    assert [(s.item_id, s.value, s.keyed, s.scaled) for s in score.likert] == [('s1', 3, 3, 50.0),
                                                                               ('s2', 4, 2, 25.0)]
    assert score.self_assessment() == {'M.05': 37.5}
    assert 's1' not in {s.item_id for s in score.items}


@pytest.mark.parametrize('low, high, reverse, value, keyed, scaled', [
    (1, 5, False, 1, 1, 0), (1, 5, False, 5, 5, 100), (1, 5, True, 1, 5, 100), (1, 5, True, 5, 1, 0),
    (1, 7, True, 3, 5, 200 / 3), (0, 3, False, 2, 2, 200 / 3), (-2, 2, True, -2, 2, 100),
])
def test_likert_keying_by_hand(low, high, reverse, value, keyed, scaled):
    item = Bank.from_dict(bank_dict(likert('s', low=low, high=high, reverse=reverse))).items[0]
    rating = likert_score(item, value)
    assert (rating.keyed, rating.scaled) == (keyed, pytest.approx(scaled))


def test_unanswered_items_score_zero_and_the_form_score_is_plain_data():
    responses = read_submission(FORM, BANK, {'q1': tokens(FORM, 'q1', 'b')}, require_all=False)
    score = score_form(FORM, BANK, responses)
    assert (score.earned, score.possible) == (1.0, 5)
    assert [s.answered for s in sorted(score.items, key=lambda s: s.item_id)] == [False, True, False]
    assert score.likert == ()
    assert json.loads(json.dumps(score.to_dict()))['percent'] == 20.0


def test_rescore_after_a_key_fix_uses_the_new_key():
    responses = read_submission(FORM, BANK, answers())
    fixed = BANK.to_dict()
    for option in fixed['items'][1]['options']:  # q2: the key was c, the author fixes it to a
        option['correct'] = option['id'] == 'a'
    assert score_form(FORM, load_bank(fixed), responses).earned == 4.5


def test_items_deleted_after_the_draw_are_withdrawn():
    smaller = BANK.to_dict()
    smaller['items'] = [item for item in smaller['items'] if item['id'] != 'q2']
    smaller = load_bank(smaller)
    assert 'q2' not in [item['item_id'] for item in public_view(FORM, smaller)['items']]
    with pytest.raises(SubmissionError) as caught:
        read_submission(FORM, smaller, answers())
    assert caught.value.code == 'unknown_item'
    score = score_form(FORM, smaller, read_submission(FORM, BANK, answers()))
    assert score.possible == 3


def test_an_empty_form_has_no_percentage():
    form = draw(load_bank(bank_dict(likert('s1'))))
    assert score_form(form, load_bank(bank_dict(likert('s1'))), {}).percent is None


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_scores_stay_in_range(data):
    responses = {}
    for form_item in FORM.items:
        item = BANK.item(form_item.item_id)
        if item.graded:
            responses[item.id] = data.draw(st.lists(st.sampled_from([o.id for o in item.options]), unique=True))
        else:
            responses[item.id] = data.draw(st.integers(1, 5))
    score = score_form(FORM, BANK, responses)
    assert all(0 <= s.scaled <= 1 and s.earned <= s.possible for s in score.items)
    assert 0 <= score.percent <= 100 and all(0 <= s.scaled <= 100 for s in score.likert)


# --- submission checks --------------------------------------------------------------------
def test_a_valid_submission_becomes_bank_ids_in_the_learners_order():
    both = tokens(FORM, 'm1', 'ba')
    responses = read_submission(FORM, BANK, answers(m1=both))
    order = [option_id for _token, option_id in FORM.form_item('m1').options if option_id in 'ab']
    assert responses == {'q1': ['b'], 'q2': ['a'], 'm1': order, 's1': 3, 's2': 4}


def number_of(item_id, form=FORM):
    return [item['item_id'] for item in public_view(form, BANK)['items']].index(item_id) + 1


OTHER = draw(learner='anon-2')


@pytest.mark.parametrize('submitted, code, params', [
    ([], 'malformed', {}),
    ({1: 'x'}, 'malformed', {}),
    (answers(zz=['x']), 'unknown_item', {'item_id': 'zz'}),
    ({'q1': tokens(FORM, 'q1', 'b')}, 'unanswered', {'count': 4, 'item_ids': [i for i in FORM.item_ids if i != 'q1']}),
    (answers(q1=tokens(FORM, 'q1', 'b')[0]), 'malformed_answer', {'item_id': 'q1'}),
    (answers(q1=[1]), 'malformed_answer', {'item_id': 'q1'}),
    (answers(q1=tokens(OTHER, 'q1', 'b')), 'unknown_option', {'item_id': 'q1'}),   # another learner's id
    (answers(q1=tokens(FORM, 'q2', 'b')), 'unknown_option', {'item_id': 'q1'}),    # another item's id
    (answers(q1=['b']), 'unknown_option', {'item_id': 'q1'}),                      # the bank's own id
    (answers(q1=tokens(FORM, 'q1', 'bb')), 'duplicate_option', {'item_id': 'q1'}),
    (answers(q1=tokens(FORM, 'q1', 'ab')), 'single_needs_one', {'item_id': 'q1'}),
    (answers(q1=[]), 'single_needs_one', {'item_id': 'q1'}),
    (answers(m1=[]), 'multiple_count', {'item_id': 'm1', 'maximum': 4}),
    (answers(s1=6), 'likert_range', {'item_id': 's1', 'minimum': 1, 'maximum': 5}),
    (answers(s1=0), 'likert_range', {'item_id': 's1', 'minimum': 1, 'maximum': 5}),
    (answers(s1=True), 'likert_range', {'item_id': 's1', 'minimum': 1, 'maximum': 5}),
    (answers(s1='3'), 'likert_range', {'item_id': 's1', 'minimum': 1, 'maximum': 5}),
    (answers(s1=3.0), 'likert_range', {'item_id': 's1', 'minimum': 1, 'maximum': 5}),
])
def test_bad_submissions_are_refused_with_a_code_and_params(submitted, code, params):
    with pytest.raises(SubmissionError) as caught:
        read_submission(FORM, BANK, submitted)
    error = caught.value
    assert error.code == code
    expected = dict(params)
    if 'item_id' in params and code != 'unknown_item':
        expected['number'] = number_of(params['item_id'])
    assert error.params == expected
    assert str(error) == SUBMISSION_MESSAGES[code].format(**error.params)


def test_too_many_options_for_a_multiple_item_is_refused():
    """More ids than options can only come with a repeat or a foreign id; both are refused."""
    too_many = tokens(FORM, 'm1', 'abcd') + tokens(OTHER, 'm1', 'a')
    with pytest.raises(SubmissionError) as caught:
        read_submission(FORM, BANK, answers(m1=too_many))
    assert caught.value.code == 'unknown_option'


def test_submission_messages_translate():
    error = SubmissionError('likert_range', number=3, item_id='s1', minimum=1, maximum=5)
    catalog = {SUBMISSION_MESSAGES['likert_range']: 'Jawaban soal {number} harus bilangan bulat {minimum} sampai '
                                                    '{maximum}.'}
    assert error.translated(lambda text: catalog.get(text, text)) == 'Jawaban soal 3 harus bilangan bulat 1 sampai 5.'


# --- what the browser sees ----------------------------------------------------------------
FORBIDDEN_KEYS = ('correct', 'points', 'feedback', 'explanation', 'difficulty', 'competenc', 'scoring',
                  'reverse', 'earned', 'possible', 'scaled', 'seed')


def test_public_view_never_holds_keys_points_or_feedback():
    for locale in ('id', 'en', None):
        view = public_view(FORM, BANK, locale, read_submission(FORM, BANK, answers()))
        serialised = json.dumps(view, ensure_ascii=False)
        for word in FORBIDDEN_KEYS + (SECRET_FEEDBACK, SECRET_EXPLANATION, SECRET, 'M.01', 'sedang'):
            assert word not in serialised, word
        for item in view['items']:
            for option in item.get('options', ()):
                assert option['id'] not in 'abcd' and len(option['id']) == 16


def test_public_view_of_the_demo_bank_for_many_learners_never_holds_the_key():
    bank = load_bank(demo_bank_dict())
    for n in range(20):
        form = draw_form(bank, secret=SECRET, learner=f'anon-{n}', phase='pre', per_competency=1)
        serialised = json.dumps(public_view(form, bank, 'id'))
        for word in FORBIDDEN_KEYS + ('Kunci', 'PP 11/2017 jo.'):
            assert word not in serialised


def test_public_view_shows_stems_options_scale_and_own_choices():
    view = public_view(FORM, BANK, 'en', read_submission(FORM, BANK, answers()))
    assert view['title'] == 'Pre-test' and view['instructions'] is None
    by_id = {item['item_id']: item for item in view['items']}
    assert [item['number'] for item in view['items']] == [1, 2, 3, 4, 5]
    q1 = by_id['q1']
    assert q1['stem'] == 'Question q1' and q1['type'] == 'single'
    assert [o['id'] for o in q1['options']] == [token for token, _ in FORM.form_item('q1').options]
    assert {o['text'] for o in q1['options']} == {'Option a', 'Option b', 'Option c', 'Option d'}
    assert q1['selected'] == tokens(FORM, 'q1', 'b')
    assert by_id['s2']['scale'][0] == {'value': 1, 'label': 'Skala 1'} and by_id['s2']['value'] == 4
    assert public_view(FORM, BANK, 'id')['items'][0]['stem'].startswith('Soal')


def test_review_view_adds_the_key_feedback_and_scores():
    review = review_view(FORM, BANK, read_submission(FORM, BANK, answers()), 'en')
    q1 = next(item for item in review['items'] if item['item_id'] == 'q1')
    assert {o['id']: o['correct'] for o in q1['options']} == dict(zip(tokens(FORM, 'q1', 'abcd'),
                                                                      [False, True, False, False]))
    assert SECRET_FEEDBACK + '-EN' in [o['feedback'] for o in q1['options']]
    assert q1['explanation'] == SECRET_EXPLANATION and (q1['scaled'], q1['earned'], q1['possible']) == (1.0, 1.0, 1)
    s2 = next(item for item in review['items'] if item['item_id'] == 's2')
    assert s2['scaled'] == 25.0
    assert (review['earned'], review['possible'], review['percent']) == (2.5, 5, 50.0)
    assert [c['code'] for c in review['competencies']] == [c.code for c in score_form(
        FORM, BANK, read_submission(FORM, BANK, answers())).competencies]
    assert SECRET not in json.dumps(review)
