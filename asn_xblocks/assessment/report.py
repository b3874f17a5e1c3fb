"""The staff report of a pre/post pair: matched gains and item analysis, from ledger summaries.

Input: the ledger rows of the pre phase and of the post phase of one pairing key in one
course (`ledger.phase_records`: (learner, attempt number, percent, summary text of
summary.py), ordered by learner, then attempt). A learner's *pre* score is their first pre-test attempt
(the baseline before training), their *post* score their last post-test attempt.

Item analysis needs learners who answered the same items (one test form, as Moodle's quiz
statistics define it). When every learner gets every item (the default) that is everyone;
when forms are drawn per learner, learners are grouped by the set of items they saw and the
largest group is analysed; the report says how many learners that is and how many forms exist.
Per-competency scores come from the item scores and the bank's current points and tags.

Speed and memory: rows are read once, the fields of their summaries kept as short texts and
decoded per form with numpy; everything after that is vectorised. Memory is the
result rows (a few bytes per learner and item) and nothing else that grows with the cohort.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone

import numpy as np

from . import gains, item_analysis
from .model import Bank
from .summary import (
    SCALE, SEPARATOR, decode_choices, decode_confidence, decode_scores, key_fingerprint, layout, parse,
)

FIRST, LAST = 'first', 'last'
DISTRIBUTION_BINS = 10
DECODE_ROWS = 4096


def one_per_learner(rows, which):
    """The first or last row of each learner from rows ordered by (learner, attempt)."""
    learner, chosen = None, None
    for row in rows:
        if row[0] != learner:
            if chosen is not None:
                yield chosen
            learner, chosen = row[0], row
        elif which == LAST:
            chosen = row
    if chosen is not None:
        yield chosen


class Form:
    """The learners of one phase who saw one set of items, and their answers as arrays.

    Summaries arrive as text and are decoded every DECODE_ROWS learners, by slicing their
    fixed-width fields (summary.layout), so the texts of a large cohort never pile up: what
    stays is a few bytes per learner and item.
    """

    def __init__(self, form, key):
        self.item_ids = tuple(form.split())
        self.key = key  # the fingerprint of the bank's current key
        self.fields = layout(form)
        self.rows, self.texts = [], []
        self._blocks = ([], [], [], [])

    def add(self, row, text):
        self.rows.append(row)
        self.texts.append(text)
        if len(self.texts) == DECODE_ROWS:
            self._decode()

    def _decode(self):
        if not self.texts:
            return
        k, texts = len(self.item_ids), self.texts
        scores, choices, confidence, key = (self.fields[name] for name in ('scores', 'choices', 'confidence', 'key'))
        for blocks, array in zip(self._blocks, (
                decode_scores([text[scores] for text in texts], k),
                decode_choices([text[choices] for text in texts], k),
                decode_confidence([text[confidence] for text in texts], k),
                np.array([text[key] == self.key for text in texts], dtype=bool))):
            blocks.append(array)
        self.texts = []

    def decoded(self):
        """(scores × SCALE, choice masks, confidence ratings, rows scored with the current key) as
        small integer arrays (a float copy of the scores is made only where statistics need it)."""
        self._decode()
        return tuple(np.concatenate(blocks) for blocks in self._blocks)


class Phase:
    """What one phase contributes: each learner's percent and competency percents, its forms."""

    def __init__(self, rows, which, bank: Bank):
        key = key_fingerprint(bank)
        learners, percents, forms, self_sums = [], [], {}, {}
        for user_id, _attempt, percent, text in one_per_learner(rows, which):
            form, _bar, rest = text.partition(SEPARATOR)
            if form:
                group = forms.get(form)
                if group is None:
                    group = forms[form] = Form(form, key)
                group.add(len(learners), text)
            learners.append(user_id)
            percents.append(percent)
            if not rest.endswith(SEPARATOR):  # self-ratings, the last field, are rare
                for code, value in parse(text).self_ratings().items():
                    total, count = self_sums.get(code, (0.0, 0))
                    self_sums[code] = (total + value, count + 1)
        self.bank = bank
        self.learners = np.array(learners, dtype=object)
        self.percent = np.array(percents, dtype=float)
        self.forms = sorted(forms.values(), key=lambda form: -len(form.rows))
        self.form_of = np.full(len(learners), -1)  # each learner's index in self.forms (-1: nothing graded)
        for index, form in enumerate(self.forms):
            self.form_of[form.rows] = index
        self.decoded = [form.decoded() for form in self.forms]
        self.stale_key = int(sum((~current).sum() for _s, _c, _r, current in self.decoded))
        self.self_assessment = {code: {'mean': total / count, 'n': count} for code, (total, count) in sorted(self_sums.items())}
        self.codes = sorted({code for item in bank.items if item.graded for code in item.competencies})
        self.competency_percent = self._competency_percent()

    def _competency_percent(self) -> np.ndarray:
        """learners × codes: each learner's percent per competency (NaN where their form had none)."""
        result = np.full((len(self.learners), len(self.codes)), np.nan)
        column = {code: index for index, code in enumerate(self.codes)}
        for form, (scores, _choices, _confidence, _current) in zip(self.forms, self.decoded):
            weights = np.zeros((len(form.item_ids), len(self.codes)))
            for row, item_id in enumerate(form.item_ids):
                item = self.bank.item(item_id)
                for code in (item.competencies if item is not None and item.graded else ()):
                    weights[row, column[code]] = item.points
            possible = weights.sum(axis=0)
            measured = possible > 0
            earned = (scores @ weights[:, measured]) / SCALE
            result[np.ix_(form.rows, np.flatnonzero(measured))] = 100.0 * earned / possible[measured]
        return result

    def analysis(self, pre_test: bool) -> dict:
        """Item analysis of the main form (the one most learners saw), its alerts and how representative it is."""
        entry = {'learners': len(self.learners), 'forms': len(self.forms), 'form_learners': 0, 'alerts': [],
                 'items': [], 'form': None, 'distractors': [], 'notes': [], 'analysis': None}
        if not self.forms:
            return entry
        form, (scores, choices, _confidence, current) = self.forms[0], self.decoded[0]
        analysis = item_analysis.analyze_items(scores / SCALE, form.item_ids)
        distractors = self._distractors(form, choices[current])
        entry.update(
            analysis=analysis, form_learners=len(scores),
            items=[asdict(item) for item in analysis.items], form=asdict(analysis.form),
            distractors=[{'item_id': t.item_id, 'n': t.n, 'options': [asdict(o) for o in t.options]} for t in distractors],
            notes=list(analysis.notes),
            alerts=[asdict(a) for a in item_analysis.item_alerts(analysis, pre_test=pre_test, distractors=distractors)])
        return entry

    def _distractors(self, form: Form, choices: np.ndarray):
        """Option use per item of the form, counted from the bit masks of attempts scored with the current key."""
        tables = []
        for column, item_id in enumerate(form.item_ids):
            item = self.bank.item(item_id)
            if item is None or not item.graded:
                continue
            masks = choices[:, column]
            n = int((masks != 0).sum())
            tables.append(item_analysis.DistractorTable(item_id, n, tuple(
                item_analysis.OptionUse(option.id, count, count / n if n else None, option.correct)
                for option, count in ((option, int(((masks >> position) & 1).sum()))
                                      for position, option in enumerate(item.options)))))
        return tuple(tables)

    def calibration(self) -> dict:
        """Mean confidence (1–4) on answers that were right and on those that were not."""
        sums = {True: [0, 0], False: [0, 0]}
        for scores, _choices, confidence, _current in self.decoded:
            rated = confidence > 0
            for right in (True, False):
                chosen = rated & ((scores == SCALE) == right)
                sums[right][0] += int(confidence[chosen].sum())
                sums[right][1] += int(chosen.sum())
        return {('right' if right else 'wrong'): {'mean': total / count if count else None, 'n': count}
                for right, (total, count) in sums.items()}


def build_report(pre_rows, post_rows, bank: Bank, *, now=None, with_learners=False, with_gain_arrays=False) -> dict:
    """The whole staff report as plain data (numbers, ids, codes: the page translates).

    `with_learners` adds each matched learner's row overall (`learners`) and per competency
    (`competency_learners`), for the CSV export; the page gets the `distribution` instead.
    `with_gain_arrays` adds `gain_arrays`: the matched learner ids and their normalised gains
    (NaN at the ceiling) as two numpy arrays, for callers that group a whole cohort's gains
    (a tuple per learner would cost more than the report itself).
    """
    pre, post = Phase(pre_rows, FIRST, bank), Phase(post_rows, LAST, bank)
    phases = {'pre': pre.analysis(pre_test=True), 'post': post.analysis(pre_test=False)}
    pre_analysis, post_analysis = phases['pre'].pop('analysis'), phases['post'].pop('analysis')
    _ids, pre_index, post_index = np.intersect1d(pre.learners.astype(str), post.learners.astype(str),
                                                 assume_unique=True, return_indices=True)
    matched = pre.learners[pre_index]
    overall = gains.paired_gains(
        matched.tolist(), pre.percent[pre_index], post.percent[post_index],
        n_pre_only=len(pre.learners) - len(matched), n_post_only=len(post.learners) - len(matched),
        sem_pre=pre_analysis.form.sem if pre_analysis else None, with_learners=with_learners)
    by_competency = competency_gains(pre, post, pre_index, post_index, matched, with_learners)
    phases['post']['repeated_items'] = repeated_items(pre, post, pre_index, post_index)
    facility = ()
    if pre_analysis and post_analysis:
        facility = item_analysis.compare_facilities(pre_analysis, post_analysis)
        phases['post']['alerts'] += [asdict(a) for a in item_analysis.facility_drop_alerts(pre_analysis, post_analysis)]
    report = {
        'computed_at': (now or datetime.now(timezone.utc)).isoformat(),
        'gains': gain_json(overall),
        'competencies': {code: gain_json(result) for code, result in by_competency.items()},
        'distribution': distribution(pre.percent[pre_index], post.percent[post_index]),
        'phases': phases,
        'facility_change': [asdict(change) for change in facility],
        'self_assessment': {'pre': pre.self_assessment, 'post': post.self_assessment},
        'confidence': {'pre': pre.calibration(), 'post': post.calibration()},
        'stale_key': {'pre': pre.stale_key, 'post': post.stale_key},
    }
    if with_gain_arrays:
        report['gain_arrays'] = {'learner_id': matched.astype(str), 'normalized_gain': gains.normalized_gains(
            pre.percent[pre_index], post.percent[post_index])}
    if with_learners:
        report['learners'] = [row._asdict() for row in overall.learners]
        report['competency_learners'] = {code: [{'learner_id': row.learner_id, 'pre': row.pre, 'post': row.post}
                                                for row in result.learners] for code, result in by_competency.items()}
    return report


def repeated_items(pre: Phase, post: Phase, pre_index, post_index) -> int:
    """How many matched learners met in the post-test items they had seen in the pre-test
    (a bank too small for parallel forms, or every item drawn): their gain partly measures memory."""
    shared = np.array([[bool(set(a.item_ids) & set(b.item_ids)) for b in post.forms] for a in pre.forms] or [[False]])
    before, after = pre.form_of[pre_index], post.form_of[post_index]
    both = (before >= 0) & (after >= 0)
    return int(shared[before[both], after[both]].sum())


def competency_gains(pre: Phase, post: Phase, pre_index, post_index, matched, with_learners):
    """`paired_gains` per competency over the matched learners whose two forms both measured it."""
    results = {}
    post_column = {code: index for index, code in enumerate(post.codes)}
    for column, code in enumerate(pre.codes):
        if code not in post_column:
            continue
        before = pre.competency_percent[pre_index, column]
        after = post.competency_percent[post_index, post_column[code]]
        both = ~np.isnan(before) & ~np.isnan(after)
        results[code] = gains.paired_gains(
            matched[both].tolist(), before[both], after[both],
            n_pre_only=int((~np.isnan(pre.competency_percent[:, column])).sum() - both.sum()),
            n_post_only=int((~np.isnan(post.competency_percent[:, post_column[code]])).sum() - both.sum()),
            with_learners=with_learners)
    return results


def gain_json(report: gains.GainReport) -> dict:
    """A GainReport without its per-learner rows (those go out once, in `learners`)."""
    out = {name: getattr(report, name) for name in report.__dataclass_fields__ if name != 'learners'}
    out = {name: asdict(value) if hasattr(value, '__dataclass_fields__') else value for name, value in out.items()}
    out['average_normalized_gain'] = asdict(report.average_normalized_gain)
    return out


def distribution(pre_scores: np.ndarray, post_scores: np.ndarray) -> dict:
    """How many matched learners scored in each tenth of the scale, before and after: the page's
    histogram (a report over a whole cohort never sends one row per learner to the browser)."""
    edges = np.linspace(0, gains.MAX_SCORE, DISTRIBUTION_BINS + 1)
    return {'edges': edges.tolist(), 'pre': np.histogram(pre_scores, edges)[0].tolist(),
            'post': np.histogram(post_scores, edges)[0].tolist()}
