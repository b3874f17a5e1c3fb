"""Survey aggregates with the suppression rule applied, vectorised over a whole course's responses.

Every figure carries `n` (respondents behind it) and `suppressed`; a suppressed figure has no
value at all (privacy.MIN_GROUP), so nothing computed from fewer people can leak into the page
or an export. Comments are shown only for a kind with enough responses, sorted by text so their
order says nothing about who answered when.

Answers are held as one column of floats per item (NaN: not answered), so a course of 100,000
respondents is a few arrays, not 100,000 dicts. Means are `math.fsum(values) / n`, exactly what
`statistics.fmean` returns, so the figures do not depend on summation order.
"""
from __future__ import annotations

import math
from itertools import chain

import numpy as np

from . import privacy
from .model import LIKERT_MAX, LIKERT_MIN


def survey_mean(values) -> float:
    """The mean of a non-empty list or array, exactly rounded whatever the order of the values."""
    return math.fsum(values) / len(values)


def figure(values, suppress=True) -> dict:
    """{n, mean, suppressed, caution} of a list or array of numbers. From survey answers
    (`suppress`) the mean is shown only for MIN_GROUP people or more; test scores are not
    anonymous, so their small groups are shown with a caution instead."""
    n = len(values)
    hidden = suppress and privacy.is_suppressed(n)
    return {'n': n, 'mean': survey_mean(values) if n and not hidden else None,
            'suppressed': hidden, 'caution': n < privacy.CAUTION_GROUP}


def likert_figure(values) -> dict:
    """`figure` plus how many chose each point of the scale (also suppressed below MIN_GROUP)."""
    out = figure(values)
    points = np.asarray(values, dtype=int) - LIKERT_MIN
    counts = np.bincount(points, minlength=LIKERT_MAX - LIKERT_MIN + 1).tolist()
    out['distribution'] = None if out['suppressed'] else counts
    return out


class KindResults:
    """What the dashboard shows of one survey kind over a course: items, comments, per-respondent scores.

    `respondents`, `answers` ({item id: value}) and `comments` are parallel sequences, one entry
    per response. A respondent who answered two blocks of the kind counts once: their last answers
    stand for them in per-respondent figures, while item figures count every response.
    """

    def __init__(self, respondents, answers, comments=(), number_ids=frozenset()):
        self.item_ids = list(dict.fromkeys(chain.from_iterable(answers)))  # first-seen order
        self.columns = {item_id: np.fromiter((row.get(item_id, np.nan) for row in answers), float, len(answers))
                        for item_id in self.item_ids}
        self.row_of = {respondent: row for row, respondent in enumerate(respondents)}  # the last row wins
        self.number_ids = number_ids
        self.respondents = len(self.row_of)
        self.suppressed = privacy.is_suppressed(self.respondents)
        self.comments = None if self.suppressed else sorted(filter(None, comments), key=str.casefold)

    def values(self, item_id) -> np.ndarray:
        """Every answer to `item_id` (empty for an item nobody answered)."""
        column = self.columns.get(item_id)
        return np.empty(0) if column is None else column[~np.isnan(column)]

    def items(self) -> dict:
        """{item id: likert_figure or figure (numbers)}."""
        return {item_id: figure(self.values(item_id)) if item_id in self.number_ids
                else likert_figure(self.values(item_id)) for item_id in self.item_ids}

    def rows(self, respondents) -> np.ndarray:
        """The rows of those `respondents` who answered (their last response)."""
        row_of = self.row_of
        return np.fromiter((row_of[r] for r in respondents if r in row_of), int)

    def among(self, keys) -> np.ndarray:
        """Per respondent (in `scores` order), whether they are in the set `keys`."""
        return np.fromiter((r in keys for r in self.row_of), bool, self.respondents)

    def scores(self, item_ids) -> np.ndarray:
        """Per respondent (their last row), the mean rating over `item_ids` they answered (NaN: none):
        their reaction score. Ratings are small integers, so the sums are exact."""
        rows = np.fromiter(self.row_of.values(), int, self.respondents)
        known = [self.columns[item_id][rows] for item_id in item_ids if item_id in self.columns]
        if not known:
            return np.full(len(rows), np.nan)
        table = np.vstack(known)
        answered = (~np.isnan(table)).sum(axis=0)
        with np.errstate(invalid='ignore', divide='ignore'):
            return np.nansum(table, axis=0) / answered


def matched_change(before: KindResults, after: KindResults, item_ids) -> dict:
    """{item id: {n, before, after, change, suppressed}} over respondents who answered both surveys."""
    both = [r for r in before.row_of if r in after.row_of]
    first_rows, second_rows = before.rows(both), after.rows(both)
    out = {}
    for item_id in item_ids:
        first, second = before.columns[item_id][first_rows], after.columns[item_id][second_rows]
        answered = ~np.isnan(first) & ~np.isnan(second)
        n = int(answered.sum())
        if not privacy.is_suppressed(n):
            mean_first, mean_second = survey_mean(first[answered]), survey_mean(second[answered])
            out[item_id] = {'n': n, 'before': mean_first, 'after': mean_second, 'change': mean_second - mean_first,
                            'suppressed': False}
        else:
            out[item_id] = {'n': n, 'before': None, 'after': None, 'change': None, 'suppressed': True}
    return out


def group_means(scores: np.ndarray, inside: np.ndarray, suppress=True) -> tuple[dict, dict]:
    """(figure of the members' scores, figure of everyone else's): `inside` marks the members
    among `scores` (NaN: no score, left out of both)."""
    scored = ~np.isnan(scores)
    return figure(scores[scored & inside], suppress), figure(scores[scored & ~inside], suppress)
