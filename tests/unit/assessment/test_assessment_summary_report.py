"""The ledger summary of an attempt, and the staff report built from many of them."""
from datetime import datetime, timezone
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

from asn_xblocks.assessment import report
from asn_xblocks.assessment.forms import draw_form
from asn_xblocks.assessment.model import Bank, load_bank
from asn_xblocks.assessment.scoring import score_form
from asn_xblocks.assessment.summary import (
    SCALE, attempt_summary, decode_choices, decode_confidence, decode_scores, key_fingerprint, parse,
)

from test_assessment_builders import SECRET, bank_dict, likert, multiple, single

BANK = load_bank(bank_dict(single('q1', ('M.01',)), single('q2', ('M.01', 'M.02'), key='b'),
                           multiple('m1', correct='ab'), likert('s1', ('M.05',))))


def summary_of(bank, learner, responses, confidence=None):
    form = draw_form(bank, secret=SECRET, learner=learner, phase='pre', per_competency=None)
    score = score_form(form, bank, responses)
    return attempt_summary(score, responses, confidence or {}, bank), score


def test_a_summary_keeps_every_item_score_choice_and_rating_exactly():
    text, score = summary_of(BANK, 'ani', {'q1': ['a'], 'q2': ['a'], 'm1': ['a', 'c'], 's1': 4}, {'q1': 3})
    summary = parse(text)
    assert summary.item_ids == ['m1', 'q1', 'q2']  # graded items, sorted: the same for every learner of the form
    scores = decode_scores([summary.scores], 3)[0] / SCALE
    assert scores.tolist() == pytest.approx([0.5, 1.0, 0.0])  # per_option: a right, b wrong, c wrong, d right
    assert decode_choices([summary.choices], 3)[0].tolist() == [0b101, 0b1, 0b1]
    assert decode_confidence([summary.confidence], 3)[0].tolist() == [0, 3, 0]
    assert summary.self_ratings() == {'M.05': 75.0}
    assert summary.key == key_fingerprint(BANK)
    assert score.percent == pytest.approx(100 * 1.5 / 3)


@given(st.integers(min_value=2, max_value=8), st.data())
def test_every_partial_credit_score_is_a_whole_number_of_840ths(options, data):
    """k/n for n ≤ 8 options: the hex in a summary is exact, never rounded."""
    k = data.draw(st.integers(min_value=0, max_value=options))
    assert (Fraction(k, options) * SCALE).denominator == 1


def test_the_fingerprint_changes_with_the_key_and_the_option_order():
    fixed = bank_dict(single('q1', key='b'), single('q2', key='b'), multiple('m1', correct='ab'), likert('s1'))
    reordered = bank_dict(single('q1', options='bacd'), single('q2', key='b'), multiple('m1', correct='ab'),
                          likert('s1'))
    assert len({key_fingerprint(BANK), key_fingerprint(Bank.from_dict(fixed)),
                key_fingerprint(Bank.from_dict(reordered))}) == 3


# --- the report over many learners -----------------------------------------------------------
def rows(bank, answers, phase_key=None):
    """Ledger rows (user, attempt, percent, summary) as phase_records yields them, by learner."""
    out = []
    for learner, attempts in sorted(answers.items()):
        for number, responses in enumerate(attempts, start=1):
            text, score = summary_of(bank, learner, responses)
            out.append((learner, number, score.percent, text))
    return out


RIGHT = {'q1': ['a'], 'q2': ['b'], 'm1': ['a', 'b'], 's1': 5}
WRONG = {'q1': ['b'], 'q2': ['a'], 'm1': ['c', 'd'], 's1': 1}
HALF = {'q1': ['a'], 'q2': ['a'], 'm1': ['a', 'b'], 's1': 3}  # q1 and m1 right: 2 of 3 points


def test_the_pre_test_counts_first_attempts_and_the_post_test_last_ones():
    pre = rows(BANK, {'ani': [WRONG, RIGHT], 'budi': [HALF]})
    post = rows(BANK, {'ani': [HALF, RIGHT], 'budi': [RIGHT], 'citra': [RIGHT]})
    result = report.build_report(pre, post, BANK, now=datetime(2026, 11, 30, tzinfo=timezone.utc), with_learners=True)
    by_learner = {row['learner_id']: row for row in result['learners']}
    assert by_learner['ani']['pre'] == 0.0 and by_learner['ani']['post'] == 100.0
    assert by_learner['budi']['pre'] == pytest.approx(200 / 3) and by_learner['budi']['post'] == 100.0
    gains = result['gains']
    assert (gains['n_matched'], gains['n_pre_only'], gains['n_post_only']) == (2, 0, 1)
    assert result['computed_at'] == '2026-11-30T00:00:00+00:00'
    # per competency from item scores: M.01 has q1 and q2 (budi: 1 of 2 before, 2 of 2 after)
    m01 = {row['learner_id']: row for row in result['competency_learners']['M.01']}
    assert m01['budi']['pre'] == 50.0 and m01['budi']['post'] == 100.0
    # first pre-test attempts: ani rated 1 (0 on 0–100), budi 3 (50)
    assert result['self_assessment']['pre']['M.05'] == {'mean': 25.0, 'n': 2}
    assert result['distribution']['post'][-1] == 2


def test_item_analysis_uses_the_form_most_learners_saw_and_says_so():
    small = load_bank(bank_dict(single('q1'), single('q2'), single('q3'), single('q4', ('M.02',)),
                                single('q5', ('M.02',))))
    rows_ = []
    for index, learner in enumerate(['a1', 'a2', 'a3', 'a4', 'a5']):
        form = draw_form(small, secret=SECRET, learner=learner, phase='pre', per_competency=1)
        responses = {item_id: ['a'] if index % 2 else ['b'] for item_id in form.item_ids}
        score = score_form(form, small, responses)
        rows_.append((learner, 1, score.percent, attempt_summary(score, responses, {}, small)))
    result = report.build_report(rows_, [], small)
    phase = result['phases']['pre']
    sizes = {}
    for _l, _a, _p, text in rows_:
        sizes[parse(text).form] = sizes.get(parse(text).form, 0) + 1
    assert phase['forms'] == len(sizes) and phase['form_learners'] == max(sizes.values())
    assert phase['learners'] == 5 and result['gains']['n_matched'] == 0


def test_learners_who_met_pre_test_items_again_are_counted():
    """Six items, two per form: a and b get parallel post-tests; c's post-test has every item."""
    bank = load_bank(bank_dict(*(single(f'q{n}') for n in range(1, 7))))
    pre, post = [], []
    for learner in ('a', 'b', 'c'):
        seen = draw_form(bank, secret=SECRET, learner=learner, phase='pre', per_competency=2)
        later = draw_form(bank, secret=SECRET, learner=learner, phase='post', seen=seen.item_ids,
                          per_competency=None if learner == 'c' else 2)
        for rows_, form in ((pre, seen), (post, later)):
            rows_.append((learner, 1, 0.0, attempt_summary(score_form(form, bank, {}), {}, {}, bank)))
    assert report.build_report(pre, post, bank)['phases']['post']['repeated_items'] == 1


def test_attempts_scored_with_an_older_key_are_counted_and_kept_out_of_option_counts():
    pre = rows(BANK, {'ani': [RIGHT], 'budi': [WRONG]})
    fixed = load_bank(bank_dict(single('q1', ('M.01',), key='b'), single('q2', ('M.01', 'M.02'), key='b'),
                                multiple('m1', correct='ab'), likert('s1', ('M.05',))))
    result = report.build_report(pre, [], fixed)
    assert result['stale_key'] == {'pre': 2, 'post': 0}
    assert all(table['n'] == 0 for table in result['phases']['pre']['distractors'])


def test_distractors_nobody_chose_are_flagged():
    pre = rows(BANK, {name: [RIGHT] for name in ('a', 'b', 'c')} | {'d': [WRONG]})
    alerts = report.build_report(pre, [], BANK)['phases']['pre']['alerts']
    never = {(a['item_id'], a['option_id']) for a in alerts if a['code'] == 'distractor-never-chosen'}
    assert ('q1', 'c') in never and ('q1', 'b') not in never  # d chose b for q1


def test_confidence_is_compared_on_right_and_wrong_answers():
    text_right, _ = summary_of(BANK, 'a', RIGHT, {'q1': 4, 'q2': 4})
    text_wrong, _ = summary_of(BANK, 'b', WRONG, {'q1': 2})
    result = report.build_report([('a', 1, 100.0, text_right), ('b', 1, 0.0, text_wrong)], [], BANK)
    assert result['confidence']['pre'] == {'right': {'mean': 4.0, 'n': 2}, 'wrong': {'mean': 2.0, 'n': 1}}


def test_an_empty_report_renders():
    result = report.build_report([], [], BANK)
    assert result['gains']['n_matched'] == 0 and result['phases']['pre']['form'] is None
    assert result['distribution']['pre'] == [0] * report.DISTRIBUTION_BINS
    assert np.isfinite(result['distribution']['edges']).all()
