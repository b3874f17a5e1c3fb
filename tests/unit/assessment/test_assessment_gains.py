"""Matched-pairs learning gain: hand-computed values, scipy cross-checks, edge cases, properties."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from asn_xblocks.assessment.gains import (
    GainReport, gains_by_competency, hake_band, matched_gains, paired_t_test, wilcoxon_signed_rank)

PRE = {'ani': 40, 'budi': 60, 'citra': 100, 'dewi': 50, 'eko': 80}
POST = {'ani': 70, 'budi': 60, 'citra': 90, 'dewi': 80, 'fajar': 50}


@pytest.fixture(name='report')
def fixture_report() -> GainReport:
    return matched_gains(PRE, POST, sem_pre=5.0)


def test_pairs_are_matched_by_learner(report):
    """ani, budi, citra, dewi sat both tests; eko only the pre-test, fajar only the post-test."""
    assert (report.n_matched, report.n_pre_only, report.n_post_only) == (4, 1, 1)
    assert [row.learner_id for row in report.learners] == ['ani', 'budi', 'citra', 'dewi']


def test_descriptive_statistics_by_hand(report):
    """pre 40, 60, 100, 50: mean 62.5, median (50+60)/2 = 55,
    squared deviations 506.25 + 6.25 + 1406.25 + 156.25 = 2075, SD √(2075/3) = 26.2996.
    post 70, 60, 90, 80: mean 75, median 75, SD √((25+225+225+25)/3) = √166.67 = 12.9099.
    Δ 30, 0, −10, 30: mean 12.5, SD √((306.25+156.25+506.25+306.25)/3) = √425 = 20.6155."""
    assert (report.pre.n, report.pre.mean, report.pre.median) == (4, 62.5, 55)
    assert report.pre.sd == pytest.approx(26.29956)
    assert (report.post.mean, report.post.median) == (75, 75)
    assert report.post.sd == pytest.approx(12.90994)
    assert report.raw_gain.mean == 12.5
    assert report.raw_gain.sd == pytest.approx(math.sqrt(425))


def test_normalized_gains_by_hand(report):
    """g: ani 30/60 = 0.5, budi 0/40 = 0, citra at the ceiling (excluded), dewi 30/50 = 0.6;
    g_avg = 1.1/3 = 0.36667 over 3 learners.
    <g> = (75 − 62.5)/(100 − 62.5) = 12.5/37.5 = 1/3 over all 4 learners: 'medium'."""
    gains = {row.learner_id: row.normalized_gain for row in report.learners}
    assert gains == {'ani': 0.5, 'budi': 0.0, 'citra': None, 'dewi': 0.6}
    assert [row.at_ceiling for row in report.learners] == [False, False, True, False]
    assert report.n_ceiling == 1
    assert report.normalized_gain.n == 3
    assert report.normalized_gain.mean == pytest.approx(1.1 / 3)
    assert report.average_normalized_gain.value == pytest.approx(1.1 / 3)
    assert report.average_normalized_gain.n == 3
    assert report.class_gain.value == pytest.approx(1 / 3)
    assert report.class_gain.n == 4
    assert report.class_gain_band == 'medium'


def test_normalized_change_by_hand(report):
    """c: ani up 30/60 = 0.5, budi unchanged 0, citra down −10/100 = −0.1 (a loss is scaled
    by the room to fall, here the pre score 100), dewi 30/50 = 0.6; mean 1.0/4 = 0.25."""
    changes = [row.normalized_change for row in report.learners]
    assert changes == pytest.approx([0.5, 0.0, -0.1, 0.6])
    assert report.normalized_change.n == 4 and report.n_change_dropped == 0
    assert report.normalized_change.mean == pytest.approx(0.25)


def test_effect_sizes_by_hand(report):
    """d_z = 12.5/20.6155 = 0.60634; d_av = 12.5/((26.2996 + 12.9099)/2) = 12.5/19.6048 = 0.63760."""
    assert report.effect_size_dz.value == pytest.approx(0.606339, rel=1e-5)
    assert report.effect_size_dav.value == pytest.approx(0.637603, rel=1e-5)
    assert report.effect_size_dz.n == report.effect_size_dav.n == 4


def test_t_test_by_hand_and_against_scipy(report):
    """t = 12.5/(20.6155/√4) = 1.21268 with 3 degrees of freedom; p = 2·P(T3 > 1.21268)."""
    assert report.t_test.statistic == pytest.approx(1.212678, rel=1e-5)
    assert report.t_test.p_value == pytest.approx(2 * stats.t.sf(1.212678, 3), rel=1e-5)
    direct = stats.ttest_rel([70, 60, 90, 80], [40, 60, 100, 50])
    assert (report.t_test.statistic, report.t_test.p_value) == (direct.statistic, direct.pvalue)
    assert report.t_test.n == 4 and report.t_test.reason is None and report.t_test.method == 't'


def test_wilcoxon_by_hand_and_against_scipy(report):
    """budi's zero difference is dropped: Δ 30, −10, 30 ranked by size 2.5, 1, 2.5, so
    W+ = 5 and W− = 1; the statistic is min(W+, W−) = 1 over n = 3 learners.
    Tied ranks → normal approximation: mean n(n+1)/4 = 3, variance n(n+1)(2n+1)/24 = 3.5
    minus the tie correction (2³ − 2)/48 = 0.125 → 3.375; z = (1 − 3)/√3.375 = −1.0887,
    p = 2Φ(−1.0887) = 0.27630."""
    assert report.wilcoxon.statistic == 1 and report.wilcoxon.n == 3
    assert report.wilcoxon.method == 'normal approximation'
    assert report.wilcoxon.p_value == pytest.approx(2 * stats.norm.cdf(-2 / math.sqrt(3.375)))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)  # older scipy: 'sample size too small'
        direct = stats.wilcoxon([30, -10, 30], method='approx')
    assert report.wilcoxon.p_value == pytest.approx(direct.pvalue)


def test_wilcoxon_exact_without_ties():
    """Δ 30, −10, 20: ranks 3, 1, 2, W+ = 5, W− = 1. Of the 2³ = 8 equally likely sign
    patterns under no change, those with min(W+, W−) <= 1 are W− in {0, 1} or W+ in {0, 1}:
    4 of 8, so p = 0.5."""
    result = matched_gains({'a': 40, 'b': 60, 'c': 50}, {'a': 70, 'b': 50, 'c': 70}).wilcoxon
    assert (result.statistic, result.p_value, result.method) == (1, 0.5, 'exact')


def test_reliable_change_by_hand(report):
    """SEM 5 → SE of a difference 5·√2 = 7.0711: ani and dewi 30/7.0711 = 4.243 (improved),
    budi 0 and citra −10/7.0711 = −1.414 (within measurement error)."""
    rci = [row.reliable_change_index for row in report.learners]
    assert rci == pytest.approx([4.242641, 0.0, -1.414214, 4.242641], rel=1e-5)
    change = report.reliable_change
    assert (change.n, change.n_improved, change.n_declined, change.n_unchanged) == (4, 2, 0, 2)


def test_reliable_change_needs_a_usable_sem():
    assert matched_gains(PRE, POST).reliable_change.reason == 'no standard error of measurement given'
    assert all(row.reliable_change_index is None for row in matched_gains(PRE, POST).learners)
    assert 'is 0' in matched_gains(PRE, POST, sem_pre=0.0).reliable_change.reason
    with pytest.raises(ValueError):
        matched_gains(PRE, POST, sem_pre=-1.0)
    declined = matched_gains({'a': 90}, {'a': 10}, sem_pre=2.0).reliable_change
    assert declined.n_declined == 1


def test_no_learners():
    report = matched_gains({}, {})
    assert report.n_matched == 0 and report.learners == ()
    assert report.pre.mean is None and report.raw_gain.n == 0
    assert report.class_gain.value is None and report.class_gain.reason == 'no matched learners'
    assert report.class_gain_band is None
    assert report.t_test.p_value is None and report.t_test.reason
    assert report.wilcoxon.p_value is None and report.wilcoxon.reason
    assert report.effect_size_dz.value is None and report.effect_size_dav.value is None
    assert report.average_normalized_gain.value is None


def test_one_learner():
    report = matched_gains({'a': 50}, {'a': 75})
    assert report.pre.sd is None and report.pre.median == 50
    assert report.class_gain.value == 0.5 and report.normalized_gain.mean == 0.5
    assert report.t_test.reason == 'needs at least 2 matched learners'
    assert report.wilcoxon.reason == 'needs at least 2 matched learners'
    assert report.effect_size_dz.reason == 'needs at least 2 matched learners'


def test_missing_post_test():
    report = matched_gains({'a': 50, 'b': 70}, {})
    assert (report.n_matched, report.n_pre_only, report.n_post_only) == (0, 2, 0)
    assert report.class_gain.value is None


def test_everyone_at_the_ceiling_on_the_pre_test():
    """Both started at 100: no individual g, no class gain. c: a 100→90 is −10/100 = −0.1,
    b 100→100 is dropped (Marx–Cummings)."""
    report = matched_gains({'a': 100, 'b': 100}, {'a': 90, 'b': 100})
    assert report.n_ceiling == 2 and report.normalized_gain.n == 0
    assert report.average_normalized_gain.value is None
    assert report.class_gain.value is None and 'no room to gain' in report.class_gain.reason
    assert report.n_change_dropped == 1 and report.normalized_change.mean == pytest.approx(-0.1)


def test_zero_to_zero_is_dropped_from_normalized_change_only():
    report = matched_gains({'a': 0, 'b': 20}, {'a': 0, 'b': 60})
    assert [row.normalized_change for row in report.learners] == [None, 0.5]
    assert [row.normalized_gain for row in report.learners] == [0.0, 0.5]


def test_no_change_at_all():
    report = matched_gains({'a': 50, 'b': 70}, {'a': 50, 'b': 70})
    assert report.t_test.reason == 'every learner scored the same on both tests'
    assert report.wilcoxon.reason == 'no learner scored differently on the two tests'
    assert report.wilcoxon.n == 0
    assert report.effect_size_dz.value is None


def test_the_same_change_for_everyone():
    """Δ = 10 for both: a t statistic would be infinite; d_z likewise undefined."""
    report = matched_gains({'a': 50, 'b': 70}, {'a': 60, 'b': 80})
    assert 'same amount' in report.t_test.reason and report.t_test.p_value is None
    assert report.effect_size_dz.value is None
    assert report.wilcoxon.n == 2 and report.wilcoxon.p_value is not None


def test_no_spread_on_either_test():
    report = matched_gains({'a': 50, 'b': 50}, {'a': 60, 'b': 60})
    assert report.effect_size_dav.reason == 'neither test has any spread (SD 0)'


@pytest.mark.parametrize('bad', [101, -1, math.nan, math.inf])
def test_scores_outside_0_to_100_are_refused(bad):
    with pytest.raises(ValueError, match="learner 'b'"):
        matched_gains({'a': 50, 'b': bad}, {'a': 50, 'b': 50})


@pytest.mark.parametrize('gain, band', [
    (-0.2, 'low'), (0.0, 'low'), (0.2999, 'low'), (0.3, 'medium'), (0.7, 'medium'), (0.7001, 'high'),
    (1.0, 'high'), (None, None)])
def test_hake_bands(gain, band):
    assert hake_band(gain) == band


def test_gains_by_competency():
    """M.01 is matched for ani (50→75) and budi (60→60); M.02 only for ani (100→100, at the
    ceiling); budi's M.02 exists only on the post-test."""
    pre = {'ani': {'M.01': 50, 'M.02': 100}, 'budi': {'M.01': 60}}
    post = {'ani': {'M.01': 75, 'M.02': 100}, 'budi': {'M.01': 60, 'M.02': 40}}
    reports = gains_by_competency(pre, post, sem_pre={'M.01': 4.0})
    assert list(reports) == ['M.01', 'M.02']
    assert reports['M.01'].n_matched == 2
    assert reports['M.01'].class_gain.value == pytest.approx((67.5 - 55) / 45)
    assert reports['M.01'].reliable_change.sem_pre == 4.0
    assert (reports['M.02'].n_matched, reports['M.02'].n_post_only, reports['M.02'].n_ceiling) == (1, 1, 1)
    assert reports['M.02'].reliable_change.sem_pre is None


def test_the_tests_accept_arrays_directly():
    pre, post = np.array([10.0, 20, 30]), np.array([15.0, 30, 33])
    assert paired_t_test(pre, post).p_value == stats.ttest_rel(post, pre).pvalue
    assert wilcoxon_signed_rank(pre, post).p_value == stats.wilcoxon(post, pre, method='exact').pvalue


percentages = st.floats(min_value=0, max_value=100, allow_nan=False)
cohorts = st.dictionaries(st.integers(0, 30), st.tuples(percentages, percentages), max_size=25)


@given(cohorts)
def test_properties(cohort):
    """g ≤ 1 and −1 ≤ c ≤ 1 always; the counts add up; t-test agrees with scipy."""
    pre = {learner: a for learner, (a, _) in cohort.items()}
    post = {learner: b for learner, (_, b) in cohort.items()}
    report = matched_gains(pre, post)
    assert report.n_matched == len(cohort)
    for row in report.learners:
        assert row.normalized_gain is None or row.normalized_gain <= 1
        assert row.normalized_change is None or -1 <= row.normalized_change <= 1
    assert report.normalized_gain.n + report.n_ceiling == report.n_matched
    assert report.normalized_change.n + report.n_change_dropped == report.n_matched
    if report.class_gain.value is not None:
        assert report.class_gain.value <= 1
    if report.t_test.p_value is not None:
        direct = stats.ttest_rel(list(post.values()), list(pre.values()))
        assert report.t_test.p_value == pytest.approx(direct.pvalue, nan_ok=False)
