"""Anonymity and suppression: keyed respondent hashes, and no survey figure from fewer than five people."""
import numpy as np
import pytest
from django.test import override_settings

from asn_xblocks.evaluation import privacy
from asn_xblocks.evaluation.survey_stats import KindResults, figure, group_means, likert_figure, matched_change


def test_the_respondent_key_is_stable_per_course_and_unlinkable_across_courses():
    first = privacy.respondent_key('course-v1:A+B+1', 'anon-1')
    assert first == privacy.respondent_key('course-v1:A+B+1', 'anon-1')
    assert len(first) == 64 and 'anon-1' not in first
    assert first != privacy.respondent_key('course-v1:A+B+2', 'anon-1')
    assert first != privacy.respondent_key('course-v1:A+B+1', 'anon-2')


def test_the_respondent_key_depends_on_the_site_secret():
    first = privacy.respondent_key('c', 'anon-1')
    with override_settings(SECRET_KEY='another-site'):
        assert privacy.respondent_key('c', 'anon-1') != first


@pytest.mark.parametrize('n, hidden', [(0, True), (1, True), (4, True), (5, False), (40, False)])
def test_survey_figures_are_suppressed_below_five(n, hidden):
    values = [4] * n
    result = likert_figure(values)
    assert result['suppressed'] is hidden
    assert (result['mean'] is None) is hidden and (result['distribution'] is None) is hidden
    if not hidden:
        assert result['mean'] == 4 and result['distribution'] == [0, 0, 0, n, 0]


def test_test_score_figures_are_not_suppressed_but_carry_a_caution():
    small = figure([0.5, 1.0], suppress=False)
    assert small == {'n': 2, 'mean': 0.75, 'suppressed': False, 'caution': True}
    assert figure([1.0] * 10, suppress=False)['caution'] is False


def rows(answers_by_respondent, comments=None):
    """KindResults' arguments: respondents, answers and comments, one entry per response."""
    respondents = list(answers_by_respondent)
    return respondents, list(answers_by_respondent.values()), [(comments or {}).get(r, '') for r in respondents]


def test_comments_are_hidden_below_five_respondents_and_sorted_otherwise():
    four = KindResults(*rows({f'r{i}': {'a': 3} for i in range(4)}, {'r0': 'zeta', 'r1': 'Alpha'}))
    assert four.suppressed and four.comments is None
    five = KindResults(*rows({f'r{i}': {'a': 3} for i in range(5)}, {'r0': 'zeta', 'r1': 'Alpha', 'r3': 'beta'}))
    assert five.comments == ['Alpha', 'beta', 'zeta']


def test_before_and_after_are_matched_by_respondent_and_hidden_below_five():
    before = KindResults(*rows({f'r{i}': {'siap': 2} for i in range(6)}))
    after = KindResults(*rows({**{f'r{i}': {'siap': 4} for i in range(5)}, 'other': {'siap': 1}}))
    change = matched_change(before, after, ['siap'])['siap']
    assert change == {'n': 5, 'before': 2, 'after': 4, 'change': 2, 'suppressed': False}
    few = matched_change(before, KindResults(*rows({'r0': {'siap': 5}})), ['siap'])['siap']
    assert few['suppressed'] and few['before'] is None and few['change'] is None


def test_group_means_split_members_from_the_rest_and_suppress_small_survey_groups():
    scores = np.array([float(i) for i in range(8)] + [np.nan])
    inside, outside = group_means(scores, np.array([True] * 3 + [False] * 6))
    assert inside['suppressed'] and inside['mean'] is None and inside['n'] == 3
    assert outside == {'n': 5, 'mean': 5.0, 'suppressed': False, 'caution': True}


def test_reaction_scores_average_the_answered_items_of_each_respondent_once():
    results = KindResults(*rows({'r0': {'a': 2, 'b': 4}, 'r1': {'a': 5}, 'r2': {'c': 1}}))
    assert results.scores(['a', 'b', 'unknown']).tolist()[:2] == [3.0, 5.0]
    assert np.isnan(results.scores(['a', 'b'])[2])
    assert results.among({'r1'}).tolist() == [False, True, False]


def test_many_respondent_keys_equal_one_at_a_time():
    assert privacy.respondent_keys('c', ['anon-1', 'anon-2']) == {
        'anon-1': privacy.respondent_key('c', 'anon-1'), 'anon-2': privacy.respondent_key('c', 'anon-2')}
