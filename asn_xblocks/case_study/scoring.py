"""Scoring a recorded path, and the debrief that compares it with the expert's choices.

Scores are always recomputed from the path and the *current* content, never taken from
what was stored during play: that is what lets an instructor fix a key and rescore. A
choice the author has since removed scores 0 instead of failing the whole rescore.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .engine import DECISION_KINDS, InvalidMove, PlayState, Step
from .model import Choice, Scenario, Situation
from .statespace import max_achievable


@dataclass(frozen=True)
class ScoreBreakdown:
    earned: float
    possible_max: float  # the best any play-through can earn: content only, the grade's maximum
    competencies: dict[str, tuple[float, float]]  # code -> (earned, possible on the visited nodes)

    def to_dict(self) -> dict:
        return {'earned': self.earned, 'possible_max': self.possible_max,
                'competencies': {code: {'earned': e, 'possible': p} for code, (e, p) in self.competencies.items()}}


def _competency_points(choice: Choice) -> dict[str, float]:
    totals: dict[str, float] = {}
    for item in choice.competencies:
        totals[item.code] = totals.get(item.code, 0) + item.points
    return totals


def best_competency_points(situation: Situation) -> dict[str, float]:
    """Per competency, the most one choice at this situation gives."""
    best: dict[str, float] = {}
    for choice in situation.choices:
        for code, points in _competency_points(choice).items():
            best[code] = max(best.get(code, points), points)
    return best


def step_points(scenario: Scenario, step: Step) -> float:
    """What a step is worth under the current content (0 for a choice that no longer exists)."""
    node = scenario.node(step.node_id)
    if not isinstance(node, Situation):
        return 0
    if step.kind == 'timeout':
        return node.timeout.points if node.timeout else 0
    choice = node.choice(step.choice_id) if step.kind == 'choice' else None
    return choice.points if choice else 0


def score_path(scenario: Scenario, path: Iterable[Step], possible_max: float | None = None) -> ScoreBreakdown:
    """Rescore a path. Pass `possible_max` to reuse a cached max_achievable(scenario)."""
    earned, competencies = 0, {}
    for step in path:
        node = scenario.node(step.node_id)
        if step.kind not in DECISION_KINDS or not isinstance(node, Situation):
            continue
        earned += step_points(scenario, step)
        choice = node.choice(step.choice_id) if step.kind == 'choice' else None
        gained = _competency_points(choice) if choice else {}
        for code, best in best_competency_points(node).items():
            was_earned, was_possible = competencies.get(code, (0, 0))
            competencies[code] = (was_earned + gained.get(code, 0), was_possible + best)
    if possible_max is None:
        possible_max = max_achievable(scenario)
    return ScoreBreakdown(earned, possible_max, competencies)


def expert_choice(situation: Situation) -> Choice | None:
    """The choice with the most points; on a tie, the first the author listed."""
    return max(situation.choices, key=lambda c: c.points, default=None)


def _choice_view(choice: Choice | None, locale: str | None) -> dict | None:
    if choice is None:
        return None
    return {'id': choice.id, 'label': choice.label.get(locale), 'points': choice.points,
            'feedback': choice.feedback.get(locale) if choice.feedback else None}


def _decision(scenario: Scenario, step: Step, locale: str | None) -> dict:
    situation = scenario.node(step.node_id)
    chosen = situation.choice(step.choice_id) if step.kind == 'choice' else None
    expert = expert_choice(situation)
    timeout = situation.timeout if step.kind == 'timeout' else None
    return {
        'node_id': situation.id, 'title': situation.title.get(locale),
        'timed_out': step.kind == 'timeout',
        'choice': _choice_view(chosen, locale),
        'timeout_feedback': timeout.feedback.get(locale) if timeout and timeout.feedback else None,
        'expert': _choice_view(expert, locale),
        'points': step_points(scenario, step),
        'followed_expert': chosen is not None and expert is not None and chosen.id == expert.id,
    }


def debrief(scenario: Scenario, state: PlayState, locale: str | None, possible_max: float | None = None) -> dict:
    """After the ending: each decision beside the expert's, the score and the competency profile.

    Everything here is safe to send to the browser only because the attempt is over.
    """
    if not state.finished:
        raise InvalidMove('not_finished', 'The debrief is shown after the ending.')
    decisions = [_decision(scenario, step, locale) for step in state.path
                 if step.kind in DECISION_KINDS and isinstance(scenario.node(step.node_id), Situation)]
    breakdown = score_path(scenario, state.path, possible_max)
    ending = scenario.node(state.ending_id)
    return {
        'decisions': decisions,
        'score': breakdown.earned, 'max_score': breakdown.possible_max,
        'competencies': breakdown.to_dict()['competencies'],
        'ending': {'id': ending.id, 'title': ending.title.get(locale), 'text': ending.text.get(locale),
                   'rating': ending.rating} if ending else None,
    }
