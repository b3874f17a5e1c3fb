"""Survey aggregates with the suppression rule applied: pure Python over response rows.

Every figure carries `n` (respondents behind it) and `suppressed`; a suppressed figure has no
value at all (privacy.MIN_GROUP), so nothing computed from fewer people can leak into the page
or an export. Comments are shown only for a kind with enough responses, sorted by text so their
order says nothing about who answered when.
"""
from __future__ import annotations

import statistics

from . import privacy
from .model import LIKERT_MAX, LIKERT_MIN


def figure(values, suppress=True) -> dict:
    """{n, mean, suppressed, caution} of a list of numbers. From survey answers (`suppress`) the
    mean is shown only for MIN_GROUP people or more; test scores are not anonymous, so their
    small groups are shown with a caution instead."""
    n = len(values)
    hidden = suppress and privacy.is_suppressed(n)
    return {'n': n, 'mean': statistics.fmean(values) if values and not hidden else None,
            'suppressed': hidden, 'caution': n < privacy.CAUTION_GROUP}


def likert_figure(values) -> dict:
    """`figure` plus how many chose each point of the scale (also suppressed below MIN_GROUP)."""
    out = figure(values)
    counts = [0] * (LIKERT_MAX - LIKERT_MIN + 1)
    for value in values:
        counts[value - LIKERT_MIN] += 1
    out['distribution'] = None if out['suppressed'] else counts
    return out


class KindResults:
    """What the dashboard shows of one survey kind over a course: items, comments, per-respondent scores."""

    def __init__(self, rows, number_ids=frozenset()):
        self.values = {}  # item id -> values, in first-seen order
        self.by_respondent = {}  # respondent -> answers
        comments = []
        for _usage, respondent, answers, comment in rows:
            self.by_respondent[respondent] = answers
            for item_id, value in answers.items():
                self.values.setdefault(item_id, []).append(value)
            if comment:
                comments.append(comment)
        self.number_ids = number_ids
        self.respondents = len(self.by_respondent)
        self.suppressed = privacy.is_suppressed(self.respondents)
        self.comments = None if self.suppressed else sorted(comments, key=str.casefold)

    def items(self) -> dict:
        """{item id: likert_figure or figure (numbers)}."""
        return {item_id: figure(values) if item_id in self.number_ids else likert_figure(values)
                for item_id, values in self.values.items()}

    def score_of(self, respondent, item_ids) -> float | None:
        """A respondent's mean rating over `item_ids` they answered (their reaction score)."""
        answers = self.by_respondent.get(respondent, {})
        values = [answers[item_id] for item_id in item_ids if item_id in answers]
        return statistics.fmean(values) if values else None


def matched_change(before: KindResults, after: KindResults, item_ids) -> dict:
    """{item id: {n, before, after, change, suppressed}} over respondents who answered both surveys."""
    both = before.by_respondent.keys() & after.by_respondent.keys()
    out = {}
    for item_id in item_ids:
        pairs = [(before.by_respondent[r][item_id], after.by_respondent[r][item_id]) for r in both
                 if item_id in before.by_respondent[r] and item_id in after.by_respondent[r]]
        n = len(pairs)
        if not privacy.is_suppressed(n):
            first, second = statistics.fmean(p[0] for p in pairs), statistics.fmean(p[1] for p in pairs)
            out[item_id] = {'n': n, 'before': first, 'after': second, 'change': second - first, 'suppressed': False}
        else:
            out[item_id] = {'n': n, 'before': None, 'after': None, 'change': None, 'suppressed': True}
    return out


def group_means(scores: dict, members, suppress=True) -> tuple[dict, dict]:
    """(figure of the members' scores, figure of everyone else's): `scores` is {who: score or None}."""
    inside = [score for who, score in scores.items() if score is not None and who in members]
    outside = [score for who, score in scores.items() if score is not None and who not in members]
    return figure(inside, suppress), figure(outside, suppress)
