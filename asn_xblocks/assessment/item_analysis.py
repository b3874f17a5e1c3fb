"""Item analysis of one test form, as Moodle's quiz statistics define it.

Input: one row per learner, one column per item, item scores scaled to [0, 1] (every
learner saw every item of the form; unanswered counts as 0). A learner's total T is the sum
of the row; an item's rest score R_i = T − x_i is "the test without this item", so an item
is not correlated with itself (Moodle's corrected item-rest statistics).

Statistics are *sample* statistics (n − 1), as Moodle uses; Canvas uses population ones.
α, the discrimination index and the efficiencies are ratios in which the choice cancels.
Figures that are undefined for the data (zero variance, too few learners) are None.

Streaming and memory. `ItemStatisticsAccumulator` reads learners in blocks of rows (an
iterable of rows, e.g. from a database cursor, or a matrix) in one pass and keeps:
- per item Σx, Σd² and Σd·t (d = x − shift, t = T − shift: shifted by the first block's
  means so sums of squares do not cancel catastrophically), and Σt … Σt⁴: O(k) numbers that
  give facility, SD, discrimination index, α, α-if-item-deleted, SEM, skewness and kurtosis;
- a histogram of distinct total scores with, per total, the count and per-item score sums:
  O(V·k), V ≤ k + 1 for right/wrong items. It gives the median and the Kelley upper/lower
  27% groups exactly. If V exceeds `max_distinct_totals` (continuous partial credit), the
  histogram is dropped and the median and upper–lower D are None, with a note.
Discriminative efficiency needs each item's scores and rest scores *sorted independently*
(the largest covariance their marginals allow), which needs the full matrix:
`analyze_items(matrix)` computes it column by column, adding O(n) memory; a streamed
analysis leaves it None, with a note. Memory is therefore O(block·k + k + V·k) when
streaming and the matrix plus O(n) with `analyze_items`.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

BLOCK_ROWS = 16_384  # rows per vectorised step: large enough for numpy, small enough for cache
DEFAULT_MAX_DISTINCT_TOTALS = 10_000
UPPER_LOWER_FRACTION = 0.27  # Kelley's groups, as Canvas buckets them
TOTAL_DECIMALS = 9  # totals equal to 9 decimals are one histogram bin (0.1 + 0.2 == 0.3)
ZERO_VARIANCE = 1e-12  # below this a variance is rounding noise, not spread
ZERO_INDEX = 1e-9  # an index (×100) this close to 0 is 0: rounding must not raise an alert
PRE_TEST_TOO_EASY = 0.9  # most learners already know it: the item cannot show a gain

NEGATIVE_DISCRIMINATION = 'negative-discrimination'
PRE_TEST_FACILITY_HIGH = 'pre-test-facility-high'
POST_FACILITY_BELOW_PRE = 'post-facility-below-pre'
DISTRACTOR_NEVER_CHOSEN = 'distractor-never-chosen'


@dataclass(frozen=True, slots=True)
class ItemStatistics:
    """One item. `discrimination_index` and `discriminative_efficiency` are ×100 (Moodle)."""

    item_id: Hashable
    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    upper_lower_d: float | None
    alpha_if_deleted: float | None


@dataclass(frozen=True, slots=True)
class FormStatistics:
    """The whole form. mean, median, sd and sem are percentages of the maximum score (0–100),
    the scale the gains use, so `sem` can be passed to `gains.matched_gains(sem_pre=...)`.
    `alpha` is Cronbach's α (equal to KR-20 for right/wrong items); `error_ratio` is
    Moodle's 100·√(1 − α); skewness and kurtosis (excess) are Moodle's k-statistics."""

    n: int
    n_items: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    error_ratio: float | None
    sem: float | None


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    items: tuple[ItemStatistics, ...]
    form: FormStatistics
    n_upper: int
    n_lower: int
    notes: tuple[str, ...] = ()

    def item(self, item_id: Hashable) -> ItemStatistics:
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True, slots=True)
class OptionUse:
    option_id: Hashable
    count: int
    proportion: float | None  # of the learners who answered the item
    is_key: bool


@dataclass(frozen=True, slots=True)
class DistractorTable:
    item_id: Hashable
    n: int  # learners who answered the item
    options: tuple[OptionUse, ...]

    @property
    def never_chosen_distractors(self) -> tuple[Hashable, ...]:
        return tuple(o.option_id for o in self.options if not o.is_key and o.count == 0)


@dataclass(frozen=True, slots=True)
class FacilityChange:
    item_id: Hashable
    pre: float | None
    post: float | None
    n_pre: int
    n_post: int

    @property
    def dropped(self) -> bool:
        return self.pre is not None and self.post is not None and self.post < self.pre


@dataclass(frozen=True, slots=True)
class Alert:
    """An item-quality warning for staff; the block turns `code` into translated text."""

    code: str
    item_id: Hashable
    value: float | None = None
    option_id: Hashable | None = None


def analyze_items(scores, item_ids: Sequence[Hashable] | None = None) -> ItemAnalysis:
    """All item statistics of a learners × items matrix, discriminative efficiency included."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise ValueError(f'expected a learners × items matrix, got {scores.ndim} dimension(s)')
    accumulator = ItemStatisticsAccumulator(
        range(scores.shape[1]) if item_ids is None else item_ids, max_distinct_totals=None)
    accumulator.add(scores)
    return accumulator.result(_discriminative_efficiency(scores, accumulator))


class ItemStatisticsAccumulator:
    """Sufficient statistics for item analysis, gathered in one pass over learners."""

    def __init__(self, item_ids: Iterable[Hashable], *,
                 max_distinct_totals: int | None = DEFAULT_MAX_DISTINCT_TOTALS):
        self.item_ids = tuple(item_ids)
        k = len(self.item_ids)
        if not k:
            raise ValueError('a form needs at least one item')
        self.n = 0
        self.max_distinct_totals = max_distinct_totals
        self._item_shift = None
        self._total_shift = 0.0
        self._item_sums = np.zeros(k)  # Σx, unshifted: exact facilities for right/wrong items
        self._squares = np.zeros(k)  # Σd²
        self._with_total = np.zeros(k)  # Σd·t
        self._total_powers = np.zeros(4)  # Σt, Σt², Σt³, Σt⁴
        self._totals = np.zeros(0)  # histogram: distinct totals, ascending
        self._total_counts = np.zeros(0)
        self._total_item_sums = np.zeros((0, k))
        self._histogram_dropped = False

    def add(self, rows) -> None:
        """Add learners: a 2-D array, or any iterable of rows of item scores."""
        if isinstance(rows, np.ndarray):
            for start in range(0, len(rows), BLOCK_ROWS):
                self._add_block(rows[start:start + BLOCK_ROWS])
            return
        rows = iter(rows)
        while block := list(itertools.islice(rows, BLOCK_ROWS)):
            self._add_block(np.asarray(block, dtype=float))

    def _add_block(self, block: np.ndarray) -> None:
        k = len(self.item_ids)
        if block.ndim != 2 or block.shape[1] != k:
            raise ValueError(f'expected rows of {k} item scores, got shape {block.shape}')
        if not (np.isfinite(block).all() and (block >= 0).all() and (block <= 1).all()):
            raise ValueError('item scores must be numbers from 0 to 1')
        if self._item_shift is None:
            self._item_shift = block.mean(axis=0)
            self._total_shift = float(self._item_shift.sum())
        totals = block.sum(axis=1)
        d = block - self._item_shift
        t = totals - self._total_shift
        self.n += len(block)
        self._item_sums += block.sum(axis=0)
        self._squares += np.einsum('ij,ij->j', d, d)
        self._with_total += np.einsum('ij,i->j', d, t)
        t2 = t * t
        self._total_powers += (t.sum(), t2.sum(), (t2 * t).sum(), (t2 * t2).sum())
        if not self._histogram_dropped:
            self._add_to_histogram(np.round(totals, TOTAL_DECIMALS), block)

    def _add_to_histogram(self, totals: np.ndarray, block: np.ndarray) -> None:
        keys, where = np.unique(np.concatenate([self._totals, totals]), return_inverse=True)
        if self.max_distinct_totals is not None and len(keys) > self.max_distinct_totals:
            self._histogram_dropped = True
            self._totals = self._total_counts = self._total_item_sums = None
            return
        counts = np.concatenate([self._total_counts, np.ones(len(totals))])
        sums = np.concatenate([self._total_item_sums, block])
        self._totals = keys
        self._total_counts = np.bincount(where, weights=counts, minlength=len(keys))
        self._total_item_sums = np.stack(
            [np.bincount(where, weights=column, minlength=len(keys)) for column in sums.T], axis=1)

    # --- results ------------------------------------------------------------------------

    def moments(self):
        """(facility, item variance, cov(item, total), total variance), sample statistics;
        the variances are None below two learners."""
        n = self.n
        facility = self._item_sums / n
        mean_d = facility - self._item_shift
        if n < 2:
            return facility, None, None, None
        mean_t = self._total_powers[0] / n
        item_var = _zeroed((self._squares - n * mean_d * mean_d) / (n - 1))
        cov_total = (self._with_total - n * mean_d * mean_t) / (n - 1)
        total_var = _zeroed((self._total_powers[1] - n * mean_t * mean_t) / (n - 1))
        return facility, item_var, cov_total, float(total_var)

    def result(self, discriminative_efficiency: np.ndarray | None = None) -> ItemAnalysis:
        """The analysis of the learners added so far."""
        k, n = len(self.item_ids), self.n
        notes = []
        if n == 0:
            items = tuple(ItemStatistics(i, 0, None, None, None, None, None, None) for i in self.item_ids)
            return ItemAnalysis(items, FormStatistics(0, k, *[None] * 8), 0, 0, ('no learners',))
        facility, item_var, cov_total, total_var = self.moments()
        if item_var is None:
            item_var = cov_total = np.full(k, np.nan)
            total_var = math.nan
        rest_var = _zeroed(total_var - 2 * cov_total + item_var)
        cov_rest = cov_total - item_var
        with np.errstate(divide='ignore', invalid='ignore'):
            discrimination = _snapped(np.where((item_var > 0) & (rest_var > 0),
                                               100 * cov_rest / np.sqrt(item_var * rest_var), np.nan))
            alpha_if_deleted = (np.where(rest_var > 0, (k - 1) / (k - 2) * (
                1 - (item_var.sum() - item_var) / rest_var), np.nan) if k > 2 else np.full(k, np.nan))
        if discriminative_efficiency is None:
            discriminative_efficiency = np.full(k, np.nan)
            notes.append('discriminative efficiency needs the full matrix (sorting); not computed')
        upper_lower, n_upper, n_lower = self._upper_lower()
        if self._histogram_dropped:
            notes.append(f'more than {self.max_distinct_totals} distinct total scores: '
                         'median and upper–lower D not computed')
        items = tuple(
            ItemStatistics(item_id, n, *(_value(v) for v in values))
            for item_id, *values in zip(self.item_ids, facility, np.sqrt(item_var), discrimination,
                                        discriminative_efficiency, upper_lower, alpha_if_deleted))
        return ItemAnalysis(items, self._form(item_var, total_var), n_upper, n_lower, tuple(notes))

    def _form(self, item_var, total_var) -> FormStatistics:
        k, n = len(self.item_ids), self.n
        percent = 100 / k if k else math.nan
        mean = self._item_sums.sum() / n * percent
        sd = math.sqrt(total_var) if total_var == total_var else math.nan
        alpha = (k / (k - 1) * (1 - item_var.sum() / total_var)
                 if k > 1 and total_var > 0 else math.nan)
        error_ratio = 100 * math.sqrt(1 - alpha) if alpha == alpha else math.nan
        skewness, kurtosis = self._shape(total_var)
        return FormStatistics(n, k, _value(mean), _value(self._median() * percent), _value(sd * percent),
                              _value(skewness), _value(kurtosis), _value(alpha),
                              _value(error_ratio), _value(error_ratio * sd * percent / 100))

    def _shape(self, total_var):
        """Moodle's skewness k3/k2^1.5 and kurtosis k4/k2² (unbiased k-statistics), from
        the shifted power sums of the totals."""
        n = self.n
        if not total_var > 0:
            return math.nan, math.nan
        s1, s2, s3, s4 = self._total_powers / n
        m2 = s2 - s1 * s1
        m3 = s3 - 3 * s1 * s2 + 2 * s1 ** 3
        m4 = s4 - 4 * s1 * s3 + 6 * s1 * s1 * s2 - 3 * s1 ** 4
        k2 = n * m2 / (n - 1)
        skewness = n * n * m3 / ((n - 1) * (n - 2)) / k2 ** 1.5 if n > 2 else math.nan
        kurtosis = (n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
                    / (k2 * k2) if n > 3 else math.nan)
        return skewness, kurtosis

    def _median(self) -> float:
        if self._histogram_dropped:
            return math.nan
        cumulative = np.cumsum(self._total_counts)
        lower, upper = (self.n - 1) // 2, self.n // 2
        return float(self._totals[np.searchsorted(cumulative, lower, side='right')] +
                     self._totals[np.searchsorted(cumulative, upper, side='right')]) / 2

    def _upper_lower(self):
        """Kelley's D = facility in the top 27% by total − facility in the bottom 27%.
        Group edges as Canvas draws them: rank round(0.73·n) and round(0.27·n) of the
        ascending totals, learners tied with an edge going to the higher group."""
        k, n = len(self.item_ids), self.n
        if self._histogram_dropped:
            return np.full(k, np.nan), 0, 0
        cumulative = np.cumsum(self._total_counts)

        def edge(fraction):  # the total at that rank, or +inf past the last learner
            rank = math.floor(fraction * n + 0.5)
            return self._totals[np.searchsorted(cumulative, rank, side='right')] if rank < n else math.inf

        upper = self._totals >= edge(1 - UPPER_LOWER_FRACTION)
        lower = self._totals < edge(UPPER_LOWER_FRACTION)
        n_upper, n_lower = int(self._total_counts[upper].sum()), int(self._total_counts[lower].sum())
        if not (n_upper and n_lower):
            return np.full(k, np.nan), n_upper, n_lower
        d = (self._total_item_sums[upper].sum(axis=0) / n_upper -
             self._total_item_sums[lower].sum(axis=0) / n_lower)
        return d, n_upper, n_lower


def distractor_tables(choices: Iterable[Sequence], item_ids: Sequence[Hashable],
                      options: dict, keys: dict | None = None) -> tuple[DistractorTable, ...]:
    """How often each offered option was chosen, in one pass; memory O(items × options).

    `choices` holds one row per learner with, per item, the chosen option id, a collection
    of ids (multiple response) or None (not answered). `options` maps item id → offered
    option ids; `keys` maps item id → correct option ids (those are not distractors).
    """
    keys = keys or {}
    counts = [dict.fromkeys(options[item_id], 0) for item_id in item_ids]
    answered = [0] * len(item_ids)
    for row in choices:
        for i, chosen in enumerate(row):
            if chosen is None:
                continue
            answered[i] += 1
            for option_id in (chosen if isinstance(chosen, (list, tuple, set, frozenset)) else (chosen,)):
                if option_id not in counts[i]:
                    raise ValueError(f'option {option_id!r} is not an option of item {item_ids[i]!r}')
                counts[i][option_id] += 1
    return tuple(
        DistractorTable(item_id, n, tuple(
            OptionUse(option_id, count, count / n if n else None, option_id in keys.get(item_id, ()))
            for option_id, count in item_counts.items()))
        for item_id, n, item_counts in zip(item_ids, answered, counts))


def item_alerts(analysis: ItemAnalysis, *, pre_test: bool,
                distractors: Iterable[DistractorTable] = ()) -> tuple[Alert, ...]:
    """Negative discrimination, (pre-test only) facility above 0.9, unchosen distractors."""
    alerts = []
    for item in analysis.items:
        if item.discrimination_index is not None and item.discrimination_index < 0:
            alerts.append(Alert(NEGATIVE_DISCRIMINATION, item.item_id, item.discrimination_index))
        if pre_test and item.facility is not None and item.facility > PRE_TEST_TOO_EASY:
            alerts.append(Alert(PRE_TEST_FACILITY_HIGH, item.item_id, item.facility))
    alerts.extend(Alert(DISTRACTOR_NEVER_CHOSEN, table.item_id, 0.0, option_id)
                  for table in distractors if table.n for option_id in table.never_chosen_distractors)
    return tuple(alerts)


def compare_facilities(pre: ItemAnalysis, post: ItemAnalysis) -> tuple[FacilityChange, ...]:
    """Facilities of the items both forms share, matched by item id, in the pre form's order."""
    post_items = {item.item_id: item for item in post.items}
    return tuple(FacilityChange(item.item_id, item.facility, post_items[item.item_id].facility,
                                item.n, post_items[item.item_id].n)
                 for item in pre.items if item.item_id in post_items)


def facility_drop_alerts(pre: ItemAnalysis, post: ItemAnalysis) -> tuple[Alert, ...]:
    """Items learners did worse on after training: a key error, or teaching that misleads."""
    return tuple(Alert(POST_FACILITY_BELOW_PRE, change.item_id, change.post - change.pre)
                 for change in compare_facilities(pre, post) if change.dropped)


def _discriminative_efficiency(scores: np.ndarray, accumulator: ItemStatisticsAccumulator):
    """Moodle: 100·cov(x_i, R_i)/cov_max, where cov_max pairs x_i and R_i each sorted on its
    own, the largest covariance two variables with these marginals can have. One column at
    a time, so the extra memory is O(n)."""
    n, k = scores.shape
    efficiency = np.full(k, np.nan)
    if n < 2:
        return efficiency
    _, item_var, cov_total, _ = accumulator.moments()
    cov_rest = cov_total - item_var
    totals = scores.sum(axis=1)
    for i in range(k):
        item = np.sort(scores[:, i])
        rest = np.sort(totals - scores[:, i])
        # einsum, not np.dot: no BLAS thread pool to wake for a vector product
        cov_max = float(np.einsum('i,i->', item - item.mean(), rest - rest.mean())) / (n - 1)
        if cov_max > ZERO_VARIANCE:
            efficiency[i] = 100 * cov_rest[i] / cov_max
    return _snapped(efficiency)


def _snapped(index):
    return np.where(np.abs(index) < ZERO_INDEX, 0.0, index)


def _zeroed(variance):
    """Variances within rounding noise of 0 are 0 (a constant item is not 'slightly spread')."""
    return np.where(np.abs(variance) < ZERO_VARIANCE, 0.0, variance)


def _value(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x
