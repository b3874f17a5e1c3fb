"""The staff report of a pre/post pair: matched gains and item analysis, from ledger summaries.

Input: the ledger records of the pre phase and of the post phase of one pairing key in one
course (`ledger.phase_records`: ordered by learner, then attempt; each with the compact
summary of summary.py). A learner's *pre* score is their first pre-test attempt (the baseline
before training), their *post* score their last post-test attempt.

Item analysis needs learners who answered the same items (one test form, as Moodle's quiz
statistics define it). When every learner gets every item (the default) that is everyone;
when forms are drawn per learner, learners are grouped by the set of items they saw and the
largest group is analysed; the report says how many learners that is and how many forms exist.

Memory: one row of item scores per learner of the analysed form (the result rows) plus
per-learner percentages for the gains; nothing else grows with the cohort.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import datetime, timezone

import numpy as np

from . import gains, item_analysis
from .model import Bank
from .summary import key_fingerprint

FIRST, LAST = 'first', 'last'


def one_per_learner(records, which):
    """The first or last record of each learner from records ordered by (learner, attempt)."""
    learner, chosen = None, None
    for record in records:
        if record['user_id'] != learner:
            if chosen is not None:
                yield chosen
            learner, chosen = record['user_id'], record
        elif which == LAST:
            chosen = record
    if chosen is not None:
        yield chosen


class PhaseData:
    """What one phase contributes: per-learner percentages, and the largest form's item rows."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.current_key = key_fingerprint(bank)
        self.percent = {}
        self.competencies = {}
        self.self_assessment = {}
        self.form_sizes = Counter()
        self.form_rows = {}  # item set -> list of numpy blocks + the pending block
        self.choices = {}  # item set -> Counter of (item, option)
        self.answered = {}  # item set -> Counter of item
        self.confidence = {True: [0, 0], False: [0, 0]}  # correct? -> [sum, count]
        self.stale_key = 0

    def add(self, record):
        summary = record['summary'] or {}
        learner = record['user_id']
        self.percent[learner] = 100.0 * record['score'] / record['max_score'] if record['max_score'] else 0.0
        self.competencies[learner] = summary.get('competencies', {})
        if summary.get('self'):
            self.self_assessment[learner] = summary['self']
        self.stale_key += summary.get('key') != self.current_key
        items = summary.get('items') or {}
        if not items:
            return
        form = tuple(sorted(items))
        self.form_sizes[form] += 1
        self.form_rows.setdefault(form, []).append([items[item_id] for item_id in form])
        answered = self.answered.setdefault(form, Counter())
        chosen = self.choices.setdefault(form, Counter())
        for item_id, options in (summary.get('choices') or {}).items():
            answered[item_id] += 1
            chosen.update((item_id, option) for option in options)
        for item_id, level in (summary.get('confidence') or {}).items():
            slot = self.confidence[items.get(item_id) == 1.0]
            slot[0] += level
            slot[1] += 1

    def main_form(self):
        """(item ids, learners × items matrix) of the form most learners saw, or (None, None)."""
        if not self.form_sizes:
            return None, None
        form, _count = self.form_sizes.most_common(1)[0]
        return form, np.asarray(self.form_rows[form], dtype=float)

    def distractors(self, form):
        """Option use per item of `form`, with the bank's current key marked."""
        chosen, answered = self.choices.get(form, Counter()), self.answered.get(form, Counter())
        tables = []
        for item_id in form:
            item = self.bank.item(item_id)
            if item is None or not item.graded:
                continue
            n = answered[item_id]
            tables.append(item_analysis.DistractorTable(item_id, n, tuple(
                item_analysis.OptionUse(option.id, chosen[(item_id, option.id)],
                                        chosen[(item_id, option.id)] / n if n else None, option.correct)
                for option in item.options)))
        return tuple(tables)


def read_phase(records, which, bank):
    data = PhaseData(bank)
    for record in one_per_learner(records, which):
        data.add(record)
    return data


def build_report(pre_records, post_records, bank: Bank, now=None) -> dict:
    """The whole staff report as plain data (numbers, ids, codes: the page translates)."""
    pre, post = read_phase(pre_records, FIRST, bank), read_phase(post_records, LAST, bank)
    analyses = {name: analyse_phase(data, pre_test=name == 'pre') for name, data in (('pre', pre), ('post', post))}
    pre_analysis, post_analysis = analyses['pre'].get('analysis'), analyses['post'].get('analysis')
    sem_pre = pre_analysis.form.sem if pre_analysis else None
    overall = gains.matched_gains(pre.percent, post.percent, sem_pre=sem_pre)
    by_competency = gains.gains_by_competency(pre.competencies, post.competencies)
    facility = ()
    if pre_analysis and post_analysis:
        facility = item_analysis.compare_facilities(pre_analysis, post_analysis)
        analyses['post']['alerts'] += [asdict(a) for a in item_analysis.facility_drop_alerts(
            pre_analysis, post_analysis)]
    for entry in analyses.values():
        entry.pop('analysis', None)
    return {
        'computed_at': (now or datetime.now(timezone.utc)).isoformat(),
        'gains': gain_json(overall),
        'competencies': {code: gain_json(report) for code, report in by_competency.items()},
        'learners': [row._asdict() for row in overall.learners],
        'competency_learners': {code: [{'learner_id': row.learner_id, 'pre': row.pre, 'post': row.post}
                                       for row in report.learners] for code, report in by_competency.items()},
        'phases': analyses,
        'facility_change': [asdict(change) for change in facility],
        'self_assessment': {'pre': mean_by_code(pre.self_assessment), 'post': mean_by_code(post.self_assessment)},
        'confidence': {'pre': calibration(pre), 'post': calibration(post)},
        'stale_key': {'pre': pre.stale_key, 'post': post.stale_key},
    }


def analyse_phase(data: PhaseData, pre_test: bool) -> dict:
    """Item analysis of the phase's main form, its alerts and how representative it is."""
    form, matrix = data.main_form()
    entry = {'learners': len(data.percent), 'forms': len(data.form_sizes), 'alerts': [],
             'form_learners': 0, 'items': [], 'form': None, 'distractors': [], 'notes': []}
    if form is None:
        return entry
    analysis = item_analysis.analyze_items(matrix, form)
    distractors = data.distractors(form)
    entry.update(
        analysis=analysis, form_learners=len(matrix),
        items=[asdict(item) for item in analysis.items], form=asdict(analysis.form),
        distractors=[{'item_id': t.item_id, 'n': t.n, 'options': [asdict(o) for o in t.options]} for t in distractors],
        notes=list(analysis.notes),
        alerts=[asdict(a) for a in item_analysis.item_alerts(analysis, pre_test=pre_test, distractors=distractors)])
    return entry


def gain_json(report: gains.GainReport) -> dict:
    """A GainReport without its per-learner rows (those go out once, in `learners`)."""
    out = {name: getattr(report, name) for name in report.__dataclass_fields__ if name != 'learners'}
    out = {name: asdict(value) if hasattr(value, '__dataclass_fields__') else value for name, value in out.items()}
    out['average_normalized_gain'] = asdict(report.average_normalized_gain)
    return out


def mean_by_code(per_learner: dict) -> dict:
    """{code: {'mean': …, 'n': …}} over learners' per-competency values."""
    sums = {}
    for values in per_learner.values():
        for code, value in values.items():
            total, count = sums.get(code, (0.0, 0))
            sums[code] = (total + value, count + 1)
    return {code: {'mean': total / count, 'n': count} for code, (total, count) in sorted(sums.items())}


def calibration(data: PhaseData) -> dict:
    """Mean confidence (1–4) on answers that were right and on those that were not."""
    return {('right' if correct else 'wrong'): {'mean': total / count if count else None, 'n': count}
            for correct, (total, count) in data.confidence.items()}


DISTRIBUTION_BINS = 10


def distribution(learners) -> dict:
    """How many matched learners scored in each tenth of the scale, before and after: the page's
    histogram (a report over a whole cohort never sends one row per learner to the browser)."""
    edges = np.linspace(0, gains.MAX_SCORE, DISTRIBUTION_BINS + 1)
    pre = np.fromiter((row['pre'] for row in learners), dtype=float, count=len(learners))
    post = np.fromiter((row['post'] for row in learners), dtype=float, count=len(learners))
    return {'edges': edges.tolist(), 'pre': np.histogram(pre, edges)[0].tolist(),
            'post': np.histogram(post, edges)[0].tolist()}
