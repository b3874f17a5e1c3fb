"""Learning gain from a pre-test to a post-test, over matched pairs of learners.

Only learners with both a pre and a post score are compared: a learner who skipped the
post-test says nothing about the training's effect, and mixing them in would bias every
mean. They are counted (`n_pre_only`, `n_post_only`) so staff can see how many dropped out.

Scores are percentages of the maximum (0–100). Statistics that are undefined for the data
at hand (too few learners, no spread, pre-test at the ceiling) come back as None with a
`reason`, never as NaN or an exception: the staff report must always render. Every figure
carries `n`, the number of learners it was computed from.

Formulas: research/assessment-anchors.md §3 (Hake 1998; Bao 2006; Marx & Cummings 2007;
Jacobson & Truax 1991). Sample statistics (n − 1), as Moodle uses.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import stats

MAX_SCORE = 100.0
# Hake (1998): low < 0.3 <= medium <= 0.7 < high.
HAKE_MEDIUM_FROM, HAKE_HIGH_ABOVE = 0.3, 0.7
# |RCI| above the two-sided 95% normal quantile means a change larger than measurement error.
RELIABLE_CHANGE_Z = 1.96
EXACT_WILCOXON_MAX_N = 50  # scipy's own limit for the exact distribution


@dataclass(frozen=True, slots=True)
class Summary:
    """Mean, median and sample SD of `n` values; SD needs two values, the others one."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None


@dataclass(frozen=True, slots=True)
class Estimate:
    """One figure, the number of learners behind it, and why it is None when it is."""

    value: float | None
    n: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SignificanceTest:
    """A two-sided test of 'no change'; `n` is the number of pairs the test used and
    `method` how the p-value was obtained ('t', 'exact', 'normal approximation')."""

    statistic: float | None
    p_value: float | None
    n: int
    reason: str | None = None
    method: str | None = None


class LearnerGain(NamedTuple):
    """One matched learner: a light row, as reports hold one per learner (`_asdict()` for CSV).
    `normalized_gain` is None at the ceiling (pre = 100), `normalized_change` for the pairs
    Marx–Cummings drop (0→0, 100→100), `reliable_change_index` without a usable SEM."""

    learner_id: Hashable
    pre: float
    post: float
    raw_gain: float
    normalized_gain: float | None
    at_ceiling: bool
    normalized_change: float | None
    reliable_change_index: float | None


@dataclass(frozen=True, slots=True)
class ReliableChange:
    """Jacobson–Truax counts: how many learners changed by more than measurement error."""

    sem_pre: float | None
    n: int
    n_improved: int
    n_declined: int
    n_unchanged: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class GainReport:
    """Everything the staff report shows for one set of matched pairs."""

    n_matched: int
    n_pre_only: int
    n_post_only: int
    pre: Summary
    post: Summary
    raw_gain: Summary
    n_ceiling: int
    normalized_gain: Summary  # individual g_j, ceiling learners excluded; its mean is g_avg
    class_gain: Estimate  # Hake's <g> from the class means
    class_gain_band: str | None
    normalized_change: Summary  # Marx–Cummings c_j; its mean is <c>
    n_change_dropped: int
    effect_size_dz: Estimate
    effect_size_dav: Estimate
    t_test: SignificanceTest
    wilcoxon: SignificanceTest
    reliable_change: ReliableChange
    learners: tuple[LearnerGain, ...]

    @property
    def average_normalized_gain(self) -> Estimate:
        """g_avg (Bao 2006): the mean of individual gains; differs from <g> in general."""
        g = self.normalized_gain
        return Estimate(g.mean, g.n, None if g.n else 'no learner below the ceiling')


def hake_band(class_gain: float | None) -> str | None:
    """'low', 'medium' or 'high' for a class gain (a negative gain is 'low')."""
    if class_gain is None:
        return None
    if class_gain < HAKE_MEDIUM_FROM:
        return 'low'
    return 'medium' if class_gain <= HAKE_HIGH_ABOVE else 'high'


def matched_gains(pre: Mapping[Hashable, float], post: Mapping[Hashable, float], *,
                  sem_pre: float | None = None) -> GainReport:
    """Compare pre and post percentages (keyed by learner id) over the learners in both.

    `sem_pre` is the pre-test's standard error of measurement in percentage points (for
    instance `item_analysis.analyze_items(...).form.sem`); without it the reliable
    change index is None with a reason.
    """
    matched = [learner for learner in pre if learner in post]
    pre_scores = np.array([pre[learner] for learner in matched], dtype=float)
    post_scores = np.array([post[learner] for learner in matched], dtype=float)
    return paired_gains(matched, pre_scores, post_scores, n_pre_only=len(pre) - len(matched),
                        n_post_only=len(post) - len(matched), sem_pre=sem_pre)


def paired_gains(learner_ids, pre_scores: np.ndarray, post_scores: np.ndarray, *, n_pre_only: int = 0,
                 n_post_only: int = 0, sem_pre: float | None = None, with_learners: bool = True) -> GainReport:
    """`matched_gains` for learners already paired: position j of both arrays is learner_ids[j].

    Vectorised throughout, for reports over a whole cohort; `with_learners=False` leaves the
    per-learner rows out (`learners` is empty) when only the figures are wanted.
    """
    _check_range(pre_scores, learner_ids, 'pre')
    _check_range(post_scores, learner_ids, 'post')
    n = len(pre_scores)
    delta = post_scores - pre_scores
    ceiling = pre_scores == MAX_SCORE
    g = _normalized_gain(pre_scores, post_scores, ceiling)
    c = _normalized_change(pre_scores, post_scores)
    rci, reliable = _reliable_change(delta, sem_pre)
    pre_summary, post_summary = summarize(pre_scores), summarize(post_scores)
    class_gain = _class_gain(pre_summary, post_summary)
    learners = tuple(
        # x == x is False only for NaN: the undefined gains become None
        LearnerGain(learner, a, b, d, gj if gj == gj else None, at, cj if cj == cj else None, rj)
        for learner, a, b, d, gj, at, cj, rj in zip(
            learner_ids, pre_scores.tolist(), post_scores.tolist(), delta.tolist(), g.tolist(),
            ceiling.tolist(), c.tolist(), rci.tolist() if rci is not None else [None] * n)
    ) if with_learners else ()
    return GainReport(
        n_matched=n,
        n_pre_only=n_pre_only,
        n_post_only=n_post_only,
        pre=pre_summary,
        post=post_summary,
        raw_gain=summarize(delta),
        n_ceiling=int(ceiling.sum()),
        normalized_gain=summarize(g[~ceiling]),
        class_gain=class_gain,
        class_gain_band=hake_band(class_gain.value),
        normalized_change=summarize(c[~np.isnan(c)]),
        n_change_dropped=int(np.isnan(c).sum()),
        effect_size_dz=_effect_size_dz(delta),
        effect_size_dav=_effect_size_dav(pre_summary, post_summary),
        t_test=paired_t_test(pre_scores, post_scores),
        wilcoxon=wilcoxon_signed_rank(pre_scores, post_scores),
        reliable_change=reliable,
        learners=learners,
    )


def gains_by_competency(pre: Mapping[Hashable, Mapping[str, float]],
                        post: Mapping[Hashable, Mapping[str, float]], *,
                        sem_pre: Mapping[str, float] | None = None) -> dict[str, GainReport]:
    """`matched_gains` per competency, from per-learner {competency: percentage} maps.

    A learner is matched for a competency when both tests scored it, so the n of each
    competency can differ (stratified forms, items added to the bank later).
    """
    competencies = sorted({code for scores in (*pre.values(), *post.values()) for code in scores})
    sem_pre = sem_pre or {}
    return {
        code: matched_gains(
            {learner: scores[code] for learner, scores in pre.items() if code in scores},
            {learner: scores[code] for learner, scores in post.items() if code in scores},
            sem_pre=sem_pre.get(code))
        for code in competencies
    }


def summarize(values: np.ndarray) -> Summary:
    """Mean, median and sample SD, with None where the sample is too small."""
    n = len(values)
    if n == 0:
        return Summary(0, None, None, None)
    return Summary(n, float(np.mean(values)), float(np.median(values)),
                   float(np.std(values, ddof=1)) if n > 1 else None)


def paired_t_test(pre_scores: np.ndarray, post_scores: np.ndarray) -> SignificanceTest:
    """scipy's paired t-test, unless the data cannot support one."""
    n = len(pre_scores)
    delta = post_scores - pre_scores
    if n < 2:
        return SignificanceTest(None, None, n, 'needs at least 2 matched learners')
    if np.ptp(delta) == 0:
        why = 'every learner scored the same on both tests' if delta[0] == 0 else \
            'every learner changed by exactly the same amount (no spread to test against)'
        return SignificanceTest(None, None, n, why)
    result = stats.ttest_rel(post_scores, pre_scores)
    return SignificanceTest(float(result.statistic), float(result.pvalue), n, method='t')


def wilcoxon_signed_rank(pre_scores: np.ndarray, post_scores: np.ndarray) -> SignificanceTest:
    """scipy's Wilcoxon signed-rank test (statistic: the smaller rank sum).

    Learners with no change are left out first (Wilcoxon's own rule), so `n` counts the
    learners whose score moved. The p-value method is chosen here, not by scipy's 'auto',
    whose choice differs between scipy releases (the LMS pins its own): the exact null
    distribution when it is valid (no tied differences, n <= 50), otherwise the normal
    approximation with scipy's tie correction.
    """
    delta = post_scores - pre_scores
    changed = delta[delta != 0]
    n_changed = len(changed)
    if len(pre_scores) < 2:
        return SignificanceTest(None, None, n_changed, 'needs at least 2 matched learners')
    if n_changed == 0:
        return SignificanceTest(None, None, 0, 'no learner scored differently on the two tests')
    exact = n_changed <= EXACT_WILCOXON_MAX_N and len(np.unique(np.abs(changed))) == n_changed
    with warnings.catch_warnings():
        # Older scipy warns that n < 10 is small for the approximation; `method` says so.
        warnings.simplefilter('ignore', UserWarning)
        result = stats.wilcoxon(changed, method='exact' if exact else 'approx')
    return SignificanceTest(float(result.statistic), float(result.pvalue), n_changed,
                            method='exact' if exact else 'normal approximation')


def _check_range(values: np.ndarray, learners, phase: str) -> None:
    bad = ~np.isfinite(values) | (values < 0) | (values > MAX_SCORE)
    if bad.any():
        index = int(np.argmax(bad))
        raise ValueError(f'{phase}-test score of learner {learners[index]!r} is {values[index]!r}; '
                         f'expected a percentage from 0 to 100')


def normalized_gains(pre_scores: np.ndarray, post_scores: np.ndarray) -> np.ndarray:
    """Each learner's g_j = (post − pre)/(100 − pre); NaN at the ceiling, where there was nothing to gain."""
    return _normalized_gain(pre_scores, post_scores, pre_scores == MAX_SCORE)


def _normalized_gain(pre_scores, post_scores, ceiling) -> np.ndarray:
    g = np.full(len(pre_scores), np.nan)
    room = ~ceiling
    g[room] = (post_scores[room] - pre_scores[room]) / (MAX_SCORE - pre_scores[room])
    return g


def _normalized_change(pre_scores, post_scores) -> np.ndarray:
    """Marx–Cummings c_j: gains scaled by the room to rise, losses by the room to fall;
    NaN for 0→0 and 100→100, which carry no information about the training."""
    c = np.zeros(len(pre_scores))
    up, down = post_scores > pre_scores, post_scores < pre_scores
    c[up] = (post_scores[up] - pre_scores[up]) / (MAX_SCORE - pre_scores[up])
    c[down] = (post_scores[down] - pre_scores[down]) / pre_scores[down]
    same = post_scores == pre_scores
    c[same & ((pre_scores == 0) | (pre_scores == MAX_SCORE))] = np.nan
    return c


def _class_gain(pre: Summary, post: Summary) -> Estimate:
    if pre.n == 0:
        return Estimate(None, 0, 'no matched learners')
    if pre.mean == MAX_SCORE:
        return Estimate(None, pre.n, 'the class averaged 100 on the pre-test: no room to gain')
    return Estimate((post.mean - pre.mean) / (MAX_SCORE - pre.mean), pre.n)


def _effect_size_dz(delta: np.ndarray) -> Estimate:
    """d_z = mean(Δ)/sd(Δ): the paired effect size that matches the t-test."""
    n = len(delta)
    if n < 2:
        return Estimate(None, n, 'needs at least 2 matched learners')
    sd = float(np.std(delta, ddof=1))
    if sd == 0:
        return Estimate(None, n, 'every learner changed by the same amount (SD of gains is 0)')
    return Estimate(float(np.mean(delta)) / sd, n)


def _effect_size_dav(pre: Summary, post: Summary) -> Estimate:
    """d_av = (mean post − mean pre)/average SD: comparable with unpaired studies."""
    if pre.n < 2:
        return Estimate(None, pre.n, 'needs at least 2 matched learners')
    spread = (pre.sd + post.sd) / 2
    if spread == 0:
        return Estimate(None, pre.n, 'neither test has any spread (SD 0)')
    return Estimate((post.mean - pre.mean) / spread, pre.n)


def _reliable_change(delta: np.ndarray, sem_pre: float | None):
    """Jacobson–Truax RCI_j = Δ_j / (SEM·√2): the standard error of a difference of two
    scores with the pre-test's measurement error each."""
    n = len(delta)
    if sem_pre is None:
        return None, ReliableChange(None, n, 0, 0, 0, 'no standard error of measurement given')
    if not math.isfinite(sem_pre) or sem_pre < 0:
        raise ValueError(f'sem_pre must be a non-negative number of percentage points, not {sem_pre!r}')
    if sem_pre == 0:
        return None, ReliableChange(sem_pre, n, 0, 0, 0,
                                    'the standard error of measurement is 0 (reliability 1)')
    rci = delta / (sem_pre * math.sqrt(2))
    improved = int((rci > RELIABLE_CHANGE_Z).sum())
    declined = int((rci < -RELIABLE_CHANGE_Z).sum())
    return rci, ReliableChange(sem_pre, n, improved, declined, n - improved - declined)
