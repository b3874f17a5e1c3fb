"""What instructors see about a case study: pure aggregation over the ledger's attempt records.

Input is an iterable of attempt records, plain dicts as `core.ledger.api.attempt_records`
yields them — user_id, attempt_number, score, max_score, answers ({'path': [step dicts],
'ending': node id, 'seed': …}), submitted_at, competencies ({code: (earned, possible)}) —
grouped by learner with attempts in order, and the *current* Scenario (labels, ratings).
One pass; memory grows with the number of learners and of distinct poor paths, never with
the number of attempts.

Which attempts a figure counts (a teacher reads "learners" as people, so nobody who retried
is counted twice):

- summary: every attempt; learners are distinct people.
- scores, endings/ratings (`learners`), choices, competencies: each learner's *latest*
  attempt (the highest attempt number), i.e. where each learner stands now.
- endings/ratings also give `attempts`: every attempt, to show how often an ending is hit.
- poor paths: every attempt that ended at a poor-rated ending; each learner counts once per
  distinct path, however often they repeated it.
- transitions: each learner's latest attempt, where every recorded step (choice, timeout,
  event) actually led: the next step's node, or the ending after the last step (routes
  already followed). The scenario-graph drawing (`graph_layout`) reads event outcomes and
  routes from these, as the recorded path names no outcome or route.

Every figure is a dict carrying `learners` (how many people it is computed from), `basis`
('latest_attempt' or 'all_attempts') and `computed_at` (ISO 8601, UTC).
"""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timezone
from itertools import groupby
from typing import Iterable, Iterator

from ..core.competencies import Catalogue, standard_catalogue
from .engine import DECISION_KINDS, STEP_KINDS
from .model import RATINGS, Ending, Scenario, Situation

BAND_COUNT = 10
TOP_PATHS = 5
POOR = 'poor'
LATEST = 'latest_attempt'
ALL = 'all_attempts'
TIMEOUT_STEP = 'timeout'  # the choice part of a "node:choice" step when time ran out
START = 'start'  # the kind of the transition into the first node (from no node)


class RecordOrderError(ValueError):
    """The records were not grouped by learner (a learner's attempts came in two runs)."""


# --- one attempt ----------------------------------------------------------------------------

def percent(record: dict) -> float:
    """The attempt's score as a percentage of its maximum (0 when nothing was possible)."""
    maximum = record.get('max_score') or 0
    return 100.0 * (record.get('score') or 0) / maximum if maximum else 0.0


def decision_steps(answers: dict) -> list[dict]:
    """The recorded decisions (choices and timeouts) of an attempt, in order; events left out."""
    path = (answers or {}).get('path') or []
    return [step for step in path if isinstance(step, dict) and step.get('kind') in DECISION_KINDS
            and step.get('node_id') is not None]


def step_label(step: dict) -> str:
    """`node:choice`, or `node:timeout` when the learner did not answer in time."""
    choice = step.get('choice_id') if step.get('kind') == 'choice' else TIMEOUT_STEP
    return f'{step["node_id"]}:{choice}'


def path_labels(answers: dict) -> list[str]:
    """The attempt's path as `node:choice` steps."""
    return [step_label(step) for step in decision_steps(answers)]


def transitions(answers: dict) -> list[tuple[str | None, str, str | None, str]]:
    """(from node, kind, choice id, arrival) for each recorded step, after a `start` one.

    Kind is 'start' (from None), 'choice', 'timeout' or 'event'; the arrival is the next
    step's node, or the recorded ending after the last step. Steps with no arrival (an
    unfinished path) are left out.
    """
    answers = answers or {}
    path = [step for step in answers.get('path') or []
            if isinstance(step, dict) and step.get('kind') in STEP_KINDS and step.get('node_id') is not None]
    arrivals = [step['node_id'] for step in path] + [answers.get('ending')]
    out = [(None, START, None, arrivals[0])] if arrivals[0] is not None else []
    for step, arrival in zip(path, arrivals[1:]):
        if arrival is not None:
            choice_id = step.get('choice_id') if step['kind'] == 'choice' else None
            out.append((step['node_id'], step['kind'], choice_id, arrival))
    return out


def ending_of(scenario: Scenario, answers: dict) -> tuple[str | None, Ending | None]:
    """The ending id recorded for an attempt, and that ending in the current content (or None)."""
    ending_id = (answers or {}).get('ending')
    node = scenario.node(ending_id) if ending_id is not None else None
    return ending_id, node if isinstance(node, Ending) else None


def _band(value: float) -> int:
    # Rounding first keeps 69.99999999 (float noise from 7/10*100) in the 60-70 band it means.
    return min(max(int(round(value, 6) // (100 / BAND_COUNT)), 0), BAND_COUNT - 1)


def _rounded(value):
    return None if value is None else round(value, 2)


# --- grouping -------------------------------------------------------------------------------

def learners_of(records: Iterable[dict]) -> Iterator[tuple[str, list[dict]]]:
    """(user_id, that learner's attempts in attempt order) per learner.

    Records must come grouped by learner, as `attempt_records` yields them; a learner seen in
    two separate runs raises RecordOrderError rather than being counted twice.
    """
    seen = set()
    for user_id, attempts in groupby(records, key=lambda record: str(record['user_id'])):
        if user_id in seen:
            raise RecordOrderError(f'Attempts of learner {user_id!r} are not grouped together.')
        seen.add(user_id)
        yield user_id, sorted(attempts, key=lambda record: record['attempt_number'])


# --- the tallies ------------------------------------------------------------------------------

class _Tally:
    """Running counts over learners; `figures()` turns them into the report's figures."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.learners = 0
        self.attempts = 0
        self.last_submitted = None
        self.percents: list[float] = []
        self.ending_learners: Counter = Counter()
        self.ending_attempts: Counter = Counter()
        self.rating_learners: Counter = Counter()
        self.rating_attempts: Counter = Counter()
        self.situation_learners: Counter = Counter()
        self.choice_learners: Counter = Counter()  # (node, choice id or None for timeout)
        self.poor_paths: Counter = Counter()  # (path tuple, ending id) -> learners
        self.transition_learners: Counter = Counter()  # transitions() tuple -> learners
        self.poor_learners = 0
        self.competency_sum: Counter = Counter()
        self.competency_learners: Counter = Counter()

    def add_learner(self, attempts: list[dict]) -> None:
        self.learners += 1
        self.attempts += len(attempts)
        poor = set()
        for record in attempts:
            ending_id, ending = ending_of(self.scenario, record.get('answers'))
            self.ending_attempts[ending_id] += 1
            if ending is not None:
                self.rating_attempts[ending.rating] += 1
                if ending.rating == POOR:
                    poor.add((tuple(path_labels(record.get('answers'))), ending_id))
            submitted = record.get('submitted_at')
            if submitted is not None and (self.last_submitted is None or submitted > self.last_submitted):
                self.last_submitted = submitted
        for key in poor:
            self.poor_paths[key] += 1
        self.poor_learners += bool(poor)
        self.add_latest(attempts[-1])

    def add_latest(self, record: dict) -> None:
        self.percents.append(percent(record))
        ending_id, ending = ending_of(self.scenario, record.get('answers'))
        self.ending_learners[ending_id] += 1
        if ending is not None:
            self.rating_learners[ending.rating] += 1
        steps = decision_steps(record.get('answers'))
        for node_id in {step['node_id'] for step in steps}:
            self.situation_learners[node_id] += 1
        for node_id, choice_id in {(s['node_id'], s.get('choice_id') if s['kind'] == 'choice' else None)
                                   for s in steps}:
            self.choice_learners[node_id, choice_id] += 1
        for key in set(transitions(record.get('answers'))):
            self.transition_learners[key] += 1
        for code, (earned, possible) in (record.get('competencies') or {}).items():
            if possible:
                self.competency_sum[code] += 100.0 * earned / possible
                self.competency_learners[code] += 1


def _figure(learners: int, basis: str, computed_at: str, **data) -> dict:
    return {'learners': learners, 'basis': basis, 'computed_at': computed_at, **data}


def _scores(tally: _Tally, computed_at: str) -> dict:
    values = tally.percents
    bands = Counter(_band(value) for value in values)
    width = 100 // BAND_COUNT
    return _figure(
        len(values), LATEST, computed_at,
        mean=_rounded(statistics.fmean(values)) if values else None,
        median=_rounded(statistics.median(values)) if values else None,
        bands=[{'from': index * width, 'to': (index + 1) * width, 'count': bands[index]}
               for index in range(BAND_COUNT)])


def _endings(tally: _Tally, locale: str | None, computed_at: str) -> tuple[dict, dict]:
    known = [node for node in tally.scenario.nodes if isinstance(node, Ending)]
    rows = [{'ending_id': node.id, 'title': node.title.get(locale), 'rating': node.rating,
             'learners': tally.ending_learners[node.id], 'attempts': tally.ending_attempts[node.id]}
            for node in known]
    # Endings an author has since removed still happened: show them under their id.
    known_ids = {node.id for node in known}
    rows += [{'ending_id': ending_id, 'title': str(ending_id), 'rating': None,
              'learners': tally.ending_learners[ending_id], 'attempts': count}
             for ending_id, count in sorted(tally.ending_attempts.items(), key=lambda item: str(item[0]))
             if ending_id not in known_ids]
    ratings = [{'rating': rating, 'learners': tally.rating_learners[rating],
                'attempts': tally.rating_attempts[rating]} for rating in RATINGS]
    return (_figure(tally.learners, LATEST, computed_at, rows=rows),
            _figure(tally.learners, LATEST, computed_at, rows=ratings))


def _choices(tally: _Tally, locale: str | None, computed_at: str) -> dict:
    situations = [node for node in tally.scenario.nodes if isinstance(node, Situation)]
    known = {node.id for node in situations}
    rows = []
    for node in situations:
        choices = [{'choice_id': choice.id, 'label': choice.label.get(locale),
                    'learners': tally.choice_learners[node.id, choice.id]} for choice in node.choices]
        listed = {choice.id for choice in node.choices}
        choices += [{'choice_id': choice_id, 'label': str(choice_id), 'learners': count}
                    for (node_id, choice_id), count in sorted(tally.choice_learners.items(), key=str)
                    if node_id == node.id and choice_id is not None and choice_id not in listed]
        rows.append({'node_id': node.id, 'title': node.title.get(locale),
                     'learners': tally.situation_learners[node.id], 'choices': choices,
                     'timed_out': tally.choice_learners[node.id, None]})
    for node_id in sorted(set(tally.situation_learners) - known, key=str):
        choices = [{'choice_id': choice_id, 'label': str(choice_id), 'learners': count}
                   for (at, choice_id), count in sorted(tally.choice_learners.items(), key=str)
                   if at == node_id and choice_id is not None]
        rows.append({'node_id': node_id, 'title': str(node_id), 'learners': tally.situation_learners[node_id],
                     'choices': choices, 'timed_out': tally.choice_learners[node_id, None]})
    return _figure(tally.learners, LATEST, computed_at, situations=rows)


def _poor_paths(tally: _Tally, locale: str | None, computed_at: str) -> dict:
    by_count = sorted(tally.poor_paths.items(), key=lambda item: (-item[1], item[0][0], str(item[0][1])))
    top = by_count[:TOP_PATHS]
    rows = []
    for (path, ending_id), learners in top:
        _ending_id, ending = ending_of(tally.scenario, {'ending': ending_id})
        rows.append({'path': list(path), 'ending_id': ending_id,
                     'ending_title': ending.title.get(locale) if ending else str(ending_id), 'learners': learners})
    return _figure(tally.poor_learners, ALL, computed_at, rows=rows)


def _transitions(tally: _Tally, computed_at: str) -> dict:
    rows = [{'from': from_id, 'kind': kind, 'choice_id': choice_id, 'to': to, 'learners': count}
            for (from_id, kind, choice_id, to), count in sorted(
                tally.transition_learners.items(), key=lambda item: tuple(map(str, item[0])))]
    return _figure(tally.learners, LATEST, computed_at, rows=rows)


def _competencies(tally: _Tally, locale: str | None, catalogue: Catalogue, computed_at: str) -> dict:
    rows = [{'code': code, 'label': catalogue.get(code).label(locale) if code in catalogue else code,
             'average_percent': _rounded(tally.competency_sum[code] / count), 'learners': count}
            for code, count in sorted(tally.competency_learners.items())]
    return _figure(tally.learners, LATEST, computed_at, rows=rows)


def build_report(records: Iterable[dict], scenario: Scenario, locale: str | None = None,
                 now: datetime | None = None, catalogue: Catalogue | None = None) -> dict:
    """The instructors' report over `records` (see the module docstring for what counts)."""
    computed_at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat()
    tally = _Tally(scenario)
    for _user_id, attempts in learners_of(records):
        tally.add_learner(attempts)
    endings, ratings = _endings(tally, locale, computed_at)
    last = tally.last_submitted
    return {
        'computed_at': computed_at,
        'summary': _figure(
            tally.learners, ALL, computed_at, attempts=tally.attempts,
            attempts_per_learner=_rounded(tally.attempts / tally.learners) if tally.learners else None,
            last_submitted_at=last.isoformat() if hasattr(last, 'isoformat') else last),
        'scores': _scores(tally, computed_at),
        'endings': endings,
        'ratings': ratings,
        'choices': _choices(tally, locale, computed_at),
        'poor_paths': _poor_paths(tally, locale, computed_at),
        'transitions': _transitions(tally, computed_at),
        'competencies': _competencies(tally, locale, catalogue or standard_catalogue(), computed_at),
    }
