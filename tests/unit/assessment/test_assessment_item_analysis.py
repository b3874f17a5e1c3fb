"""Item analysis: hand-computed values, independent cross-checks, streaming, edge cases, properties."""
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from asn_xblocks.assessment import item_analysis
from asn_xblocks.assessment.gains import matched_gains
from asn_xblocks.assessment.item_analysis import (
    DISTRACTOR_NEVER_CHOSEN, NEGATIVE_DISCRIMINATION, POST_FACILITY_BELOW_PRE, PRE_TEST_FACILITY_HIGH,
    ItemStatisticsAccumulator, analyze_items, compare_facilities, distractor_tables, facility_drop_alerts,
    item_alerts)

# Four learners, three right/wrong items, a perfect Guttman pattern. Totals 3, 2, 1, 0.
GUTTMAN = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_item_statistics_by_hand():
    """Facilities 3/4, 2/4, 1/4. Sample variances p(1−p)·n/(n−1): 0.1875·4/3 = 0.25,
    0.25·4/3 = 1/3, 0.25, so SDs 0.5, 0.57735, 0.5.
    Item 1: x = 1,1,1,0, rest R = 2,1,0,0; deviations (.25,.25,.25,−.75)·(1.25,.25,−.75,−.75)
    sum to 0.75, cov = 0.25; var R = 2.75/3 = 0.91667; DI = 100·0.25/√(0.25·0.91667) = 52.223.
    Item 2: x = 1,1,0,0, R = 2,1,1,0: cov = 1/3, var R = 2/3, DI = 100·(1/3)/√(2/9) = 70.711.
    Item 3 mirrors item 1. In a Guttman pattern sorting changes nothing: efficiency 100.
    Canvas groups: top edge rank round(0.73·4) = 3 → total 3 (1 learner); bottom edge rank
    round(0.27·4) = 1 → totals below 1 (1 learner); every item 1 − 0 = 1.
    α if deleted: item 1 → 2·(1 − (1/3 + 0.25)/0.91667) = 0.72727; item 2 → 2·(1 − 0.5/(2/3)) = 0.5."""
    analysis = analyze_items(GUTTMAN, ['q1', 'q2', 'q3'])
    q1, q2, q3 = analysis.items
    assert [q.facility for q in analysis.items] == pytest.approx([0.75, 0.5, 0.25])
    assert [q.sd for q in analysis.items] == pytest.approx([0.5, 0.577350, 0.5])
    assert [q.discrimination_index for q in analysis.items] == pytest.approx([52.2233, 70.7107, 52.2233], rel=1e-5)
    assert [q.discriminative_efficiency for q in analysis.items] == pytest.approx([100, 100, 100])
    assert [q.upper_lower_d for q in analysis.items] == [1, 1, 1]
    assert (analysis.n_upper, analysis.n_lower) == (1, 1)
    assert [q.alpha_if_deleted for q in analysis.items] == pytest.approx([8 / 11, 0.5, 8 / 11])
    assert q1.n == q2.n == q3.n == 4 and analysis.item('q2') is q2


def test_form_statistics_by_hand():
    """Totals 3, 2, 1, 0 of 3: mean 1.5 = 50%, median 1.5 = 50%, sample variance
    (2.25+0.25+0.25+2.25)/3 = 5/3, SD 1.29099 = 43.033%.
    α = 3/2·(1 − (0.25 + 1/3 + 0.25)/(5/3)) = 1.5·(1 − 0.5) = 0.75.
    KR-20 with population figures: Σpq = 0.625, σ² = 1.25, 1.5·(1 − 0.5) = 0.75 as well.
    Error ratio 100·√0.25 = 50; SEM 43.033·0.5 = 21.517%.
    Skewness 0 (symmetric). Kurtosis: m2 = 1.25, m4 = (2·5.0625 + 2·0.0625)/4 = 2.5625,
    k4 = 16·(5·2.5625 − 9·1.5625)/6 = −3.3333, k2 = 5/3, k4/k2² = −1.2."""
    form = analyze_items(GUTTMAN).form
    assert (form.n, form.n_items) == (4, 3)
    assert form.mean == pytest.approx(50) and form.median == pytest.approx(50)
    assert form.sd == pytest.approx(43.0331, rel=1e-5)
    assert form.alpha == pytest.approx(0.75)
    assert form.error_ratio == pytest.approx(50)
    assert form.sem == pytest.approx(21.5166, rel=1e-5)
    assert form.skewness == pytest.approx(0, abs=1e-12)
    assert form.kurtosis == pytest.approx(-1.2)


def _simulated(n=300, k=10, seed=7, partial=False):
    rng = np.random.default_rng(seed)
    ability, difficulty = rng.normal(size=(n, 1)), rng.normal(size=(1, k))
    p = 1 / (1 + np.exp(-(ability - difficulty)))
    if partial:  # scores in steps of 1/4, as a multiple-response item with partial credit gives
        return rng.binomial(4, p) / 4
    return (rng.random((n, k)) < p).astype(float)


@pytest.mark.parametrize('partial', [False, True])
def test_against_an_independent_computation(partial):
    """Each figure recomputed naively, learner by learner, with Python's statistics module and scipy."""
    scores = _simulated(partial=partial)
    analysis = analyze_items(scores)
    totals = scores.sum(axis=1)
    k = scores.shape[1]
    for i, item in enumerate(analysis.items):
        x, rest = scores[:, i].tolist(), (totals - scores[:, i]).tolist()
        assert item.facility == pytest.approx(statistics.mean(x))
        assert item.sd == pytest.approx(statistics.stdev(x))
        assert item.discrimination_index == pytest.approx(100 * statistics.correlation(x, rest))
        cov_max = statistics.covariance(sorted(x), sorted(rest))
        assert item.discriminative_efficiency == pytest.approx(100 * statistics.covariance(x, rest) / cov_max)
        without = np.delete(scores, i, axis=1)
        assert item.alpha_if_deleted == pytest.approx(
            (k - 1) / (k - 2) * (1 - without.var(axis=0, ddof=1).sum() / without.sum(axis=1).var(ddof=1)))
    variance = totals.var(ddof=1)
    form = analysis.form
    assert form.alpha == pytest.approx(k / (k - 1) * (1 - scores.var(axis=0, ddof=1).sum() / variance))
    assert form.mean == pytest.approx(totals.mean() / k * 100)
    assert form.median == pytest.approx(np.median(totals) / k * 100)
    assert form.sd == pytest.approx(np.sqrt(variance) / k * 100)
    assert form.skewness == pytest.approx(stats.skew(totals, bias=False))
    assert form.kurtosis == pytest.approx(stats.kurtosis(totals, bias=False))
    assert form.sem == pytest.approx(form.sd * np.sqrt(1 - form.alpha))


def test_upper_lower_groups_against_a_direct_ranking():
    """Canvas's rule: rank round(0.27·n)/round(0.73·n) of the sorted totals; ties go up."""
    scores = _simulated(n=301)
    totals = scores.sum(axis=1)
    ranked = np.sort(totals)
    upper = totals >= ranked[int(np.floor(0.73 * 301 + 0.5))]
    lower = totals < ranked[int(np.floor(0.27 * 301 + 0.5))]
    analysis = analyze_items(scores)
    assert (analysis.n_upper, analysis.n_lower) == (upper.sum(), lower.sum())
    expected = scores[upper].mean(axis=0) - scores[lower].mean(axis=0)
    assert [item.upper_lower_d for item in analysis.items] == pytest.approx(expected.tolist())


def test_alpha_is_kr20_for_right_wrong_items():
    scores = _simulated()
    k, p = scores.shape[1], scores.mean(axis=0)
    kr20 = k / (k - 1) * (1 - (p * (1 - p)).sum() / scores.sum(axis=1).var())  # population figures
    assert analyze_items(scores).form.alpha == pytest.approx(kr20)


@pytest.mark.parametrize('partial', [False, True])
def test_streaming_rows_gives_the_matrix_figures(monkeypatch, partial):
    """Rows fed one by one from a generator, in blocks of 37 (so the histogram merges)."""
    monkeypatch.setattr(item_analysis, 'BLOCK_ROWS', 37)
    scores = _simulated(partial=partial)
    accumulator = ItemStatisticsAccumulator(range(scores.shape[1]))
    accumulator.add(row.tolist() for row in scores)
    streamed, whole = accumulator.result(), analyze_items(scores)
    assert streamed.form.n == whole.form.n == 300
    for name in ('mean', 'median', 'sd', 'skewness', 'kurtosis', 'alpha', 'error_ratio', 'sem'):
        assert getattr(streamed.form, name) == pytest.approx(getattr(whole.form, name)), name
    for a, b in zip(streamed.items, whole.items):
        for name in ('facility', 'sd', 'discrimination_index', 'upper_lower_d', 'alpha_if_deleted'):
            assert getattr(a, name) == pytest.approx(getattr(b, name)), name
        assert a.discriminative_efficiency is None
    assert any('full matrix' in note for note in streamed.notes)


def test_streaming_bounds_the_histogram():
    accumulator = ItemStatisticsAccumulator(['a', 'b'], max_distinct_totals=2)
    accumulator.add([[0, 0], [1, 0], [1, 1]])
    analysis = accumulator.result()
    assert analysis.form.median is None and analysis.items[0].upper_lower_d is None
    assert analysis.form.alpha is not None
    assert any('distinct total scores' in note for note in analysis.notes)


def test_no_learners():
    analysis = analyze_items(np.zeros((0, 3)))
    assert analysis.form.n == 0 and analysis.form.alpha is None and analysis.notes == ('no learners',)
    assert all(item.facility is None for item in analysis.items)


def test_one_learner():
    analysis = analyze_items([[1, 0, 0.5]])
    assert [item.facility for item in analysis.items] == [1, 0, 0.5]
    assert all(item.sd is None and item.discrimination_index is None for item in analysis.items)
    assert analysis.form.median == pytest.approx(50) and analysis.form.sd is None
    assert analysis.form.alpha is None


def test_zero_variance_items_and_form():
    """Item c is right for everybody: SD 0, no discrimination; it still counts in α's k."""
    scores = [[1, 0, 1], [0, 1, 1], [1, 1, 1], [0, 0, 1]]
    c = analyze_items(scores, 'abc').item('c')
    assert (c.facility, c.sd, c.discrimination_index, c.discriminative_efficiency) == (1, 0, None, None)
    everyone_equal = analyze_items([[1, 0], [1, 0], [1, 0]])
    assert everyone_equal.form.sd == 0 and everyone_equal.form.alpha is None
    assert everyone_equal.form.skewness is None and everyone_equal.form.kurtosis is None


def test_a_single_item_form():
    analysis = analyze_items([[1], [0], [1]])
    assert analysis.form.alpha is None and analysis.items[0].alpha_if_deleted is None


@pytest.mark.parametrize('bad', [[[1.5, 0]], [[np.nan, 0]], [[-0.1, 0]], [[1, 0, 1]]])
def test_bad_scores_are_refused(bad):
    with pytest.raises(ValueError):
        ItemStatisticsAccumulator(['a', 'b']).add(bad)


def test_shape_and_empty_forms_are_refused():
    with pytest.raises(ValueError):
        analyze_items([1, 0, 1])
    with pytest.raises(ValueError):
        ItemStatisticsAccumulator([])


def test_sem_feeds_the_reliable_change_index():
    sem = analyze_items(GUTTMAN).form.sem
    report = matched_gains({'a': 20}, {'a': 90}, sem_pre=sem)
    assert report.learners[0].reliable_change_index == pytest.approx(70 / (21.5166 * np.sqrt(2)), rel=1e-5)


def test_distractor_tables():
    """Three learners; item q1 offers A (key), B, C; nobody chose C. q2 is multiple response
    (keys X, Y) and one learner skipped it: proportions are of the 2 who answered."""
    choices = [['A', ['X', 'Y']], ['B', None], ['A', ('X', 'Z')]]
    tables = distractor_tables(choices, ['q1', 'q2'], {'q1': ['A', 'B', 'C'], 'q2': ['X', 'Y', 'Z']},
                               keys={'q1': {'A'}, 'q2': {'X', 'Y'}})
    q1, q2 = tables
    assert [(o.option_id, o.count, o.is_key) for o in q1.options] == [('A', 2, True), ('B', 1, False), ('C', 0, False)]
    assert q1.n == 3 and q1.options[0].proportion == pytest.approx(2 / 3)
    assert q1.never_chosen_distractors == ('C',)
    assert q2.n == 2 and [o.count for o in q2.options] == [2, 1, 1] and q2.never_chosen_distractors == ()
    with pytest.raises(ValueError, match='not an option'):
        distractor_tables([['D']], ['q1'], {'q1': ['A', 'B']})


def test_item_alerts():
    """q5 is right only for two learners who are weak on q2–q4: item-rest r = −0.72, an alert.
    q2's item-rest covariance is exactly 0 (x = 1,1,1,1,0 against rest 3,2,1,2,2, mean 2:
    deviations .2,.2,.2,.2,−.8 times 1,0,−1,0,0 sum to 0), so the floating-point noise
    around it must not raise an alert. q1 has facility 5/5 = 1 > 0.9 on a pre-test. B and C of q2 were never chosen."""
    scores = [[1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [1, 1, 0, 0, 1], [1, 0, 0, 0, 1]]
    analysis = analyze_items(scores, ['q1', 'q2', 'q3', 'q4', 'q5'])
    assert analysis.item('q2').discrimination_index == 0
    assert analysis.item('q5').discrimination_index == pytest.approx(-72.0577, rel=1e-5)
    tables = distractor_tables([['A', 'A', 'B', 'A', 'A']] * 2, ['q1', 'q2', 'q3', 'q4', 'q5'],
                               {'q1': ['A'], 'q2': ['A', 'B', 'C'], 'q3': ['B'], 'q4': ['A'], 'q5': ['A']},
                               keys={'q2': {'A'}})
    pre_alerts = item_alerts(analysis, pre_test=True, distractors=tables)
    assert {(a.code, a.item_id, a.option_id) for a in pre_alerts} == {
        (NEGATIVE_DISCRIMINATION, 'q5', None), (PRE_TEST_FACILITY_HIGH, 'q1', None),
        (DISTRACTOR_NEVER_CHOSEN, 'q2', 'B'), (DISTRACTOR_NEVER_CHOSEN, 'q2', 'C')}
    assert PRE_TEST_FACILITY_HIGH not in {a.code for a in item_alerts(analysis, pre_test=False)}


def test_post_facility_below_pre_by_item_id():
    """Forms share q1 and q2 in different orders; q9 is on the post form only."""
    pre = analyze_items([[1, 0], [1, 1], [0, 1]], ['q1', 'q2'])
    post = analyze_items([[1, 0, 1], [1, 0, 1], [0, 1, 1]], ['q2', 'q1', 'q9'])
    changes = compare_facilities(pre, post)
    assert [(c.item_id, c.dropped, c.n_pre, c.n_post) for c in changes] == [('q1', True, 3, 3), ('q2', False, 3, 3)]
    assert [(c.pre, c.post) for c in changes] == [(2 / 3, 1 / 3), (2 / 3, 2 / 3)]
    alerts = facility_drop_alerts(pre, post)
    assert [(a.code, a.item_id) for a in alerts] == [(POST_FACILITY_BELOW_PRE, 'q1')]
    assert alerts[0].value == pytest.approx(-1 / 3)


matrices = hnp.arrays(float, st.tuples(st.integers(0, 25), st.integers(1, 6)),
                      elements=st.sampled_from([0.0, 0.25, 0.5, 1.0]))


@settings(max_examples=60, deadline=None)
@given(matrices, st.randoms(use_true_random=False))
def test_properties(scores, random):
    """Facility in [0, 1]; DI in [−100, 100]; α unchanged when the items are reordered."""
    analysis = analyze_items(scores)
    for item in analysis.items:
        assert item.facility is None or 0 <= item.facility <= 1 + 1e-12
        assert item.discrimination_index is None or -100 - 1e-6 <= item.discrimination_index <= 100 + 1e-6
    order = list(range(scores.shape[1]))
    random.shuffle(order)
    shuffled = analyze_items(scores[:, order]).form.alpha
    if analysis.form.alpha is None:
        assert shuffled is None
    else:
        assert shuffled == pytest.approx(analysis.form.alpha, abs=1e-9)
