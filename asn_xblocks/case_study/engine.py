"""Playing a scenario: pure state transitions over an explicit, JSON-storable PlayState.

Every function takes the state and returns a new one; nothing is mutated, nothing is read
from a clock or a random source the caller did not pass in. That is what lets the XBlock
keep the state in a user_state field, lets a rescore replay a recorded path, and lets tests
use a fake clock.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from typing import Iterable

from .conditions import apply_effects, parse_effects, when_holds
from .model import Ending, Event, EventOutcome, LocalizedText, Router, Scenario, Situation

#: Seconds allowed beyond a situation's time_limit before the answer counts as late: the
#: page is rendered, sent and answered over a network, so the learner's clock starts a
#: little after `shown_at` and the answer arrives a little after it was given.
TIME_GRACE_SECONDS = 2.0

DECISION_KINDS = ('choice', 'timeout')
STEP_KINDS = DECISION_KINDS + ('event',)


class InvalidMove(ValueError):
    """A request that does not fit the current state; nothing was changed.

    `code` is one of: unknown_choice, choice_unavailable, finished, not_finished,
    not_a_decision, not_an_event, not_expired, undo_disabled, nothing_to_undo.
    """

    def __init__(self, code: str, message: str = ''):
        super().__init__(message or code)
        self.code = code


class ScenarioError(RuntimeError):
    """The content cannot be played from here (a broken target, a route loop); validate() reports these."""


@dataclass(frozen=True)
class Step:
    """One move on the learner's path."""

    node_id: str
    choice_id: str | None
    kind: str  # 'choice' | 'timeout' | 'event'
    shown_at: float
    answered_at: float
    points: float = 0

    def to_dict(self) -> dict:
        return {'node_id': self.node_id, 'choice_id': self.choice_id, 'kind': self.kind,
                'shown_at': self.shown_at, 'answered_at': self.answered_at, 'points': self.points}

    @classmethod
    def from_dict(cls, data: dict) -> Step:
        if data['kind'] not in STEP_KINDS:
            raise ValueError(f'Unknown step kind {data["kind"]!r}.')
        return cls(str(data['node_id']), data['choice_id'], data['kind'], float(data['shown_at']),
                   float(data['answered_at']), data['points'])


@dataclass(frozen=True)
class PlayState:
    """Where one learner stands in one attempt. `node_id` is never a route node."""

    seed: str
    node_id: str
    shown_at: float
    values: tuple[tuple[str, int | bool], ...]
    path: tuple[Step, ...] = ()
    score: float = 0
    finished: bool = False
    ending_id: str | None = None

    @property
    def variables(self) -> dict[str, int | bool]:
        return dict(self.values)

    def to_dict(self) -> dict:
        return {'seed': self.seed, 'node_id': self.node_id, 'shown_at': self.shown_at,
                'variables': dict(self.values), 'path': [s.to_dict() for s in self.path],
                'score': self.score, 'finished': self.finished, 'ending_id': self.ending_id}

    @classmethod
    def from_dict(cls, data: dict) -> PlayState:
        """Read a stored state; raises ValueError (or KeyError/TypeError) on a corrupt one."""
        return cls(seed=str(data['seed']), node_id=str(data['node_id']), shown_at=float(data['shown_at']),
                   values=tuple(dict(data['variables']).items()),
                   path=tuple(Step.from_dict(s) for s in data['path']),
                   score=data['score'], finished=bool(data['finished']), ending_id=data['ending_id'])


@dataclass(frozen=True)
class Outcome:
    """What a move produced. The caller decides whether to show `feedback` now or in the debrief."""

    kind: str  # 'choice' | 'timeout' | 'event'
    node_id: str
    choice_id: str | None
    points: float
    feedback: LocalizedText | None
    finished: bool
    ending_id: str | None

    @property
    def timed_out(self) -> bool:
        return self.kind == 'timeout'


def _arrive(scenario: Scenario, target: str, values: dict, score: float) -> str:
    """The first non-route node reached from `target`, following routes."""
    seen = set()
    node = scenario.node(target)
    while isinstance(node, Router):
        if node.id in seen:
            raise ScenarioError(f'Routes loop back to {node.id!r}.')
        seen.add(node.id)
        route = next((r for r in node.routes if when_holds(r.when, values, score)), None)
        if route is None:
            raise ScenarioError(f'No route of {node.id!r} applies.')
        target, node = route.target, scenario.node(route.target)
    if node is None:
        raise ScenarioError(f'Unknown target node {target!r}.')
    return node.id


def start(scenario: Scenario, seed: str, now: float) -> PlayState:
    """A fresh attempt. `seed` is chosen by the caller, per learner and attempt."""
    values = scenario.initial_values()
    node_id = _arrive(scenario, scenario.start, values, 0)
    return _at(scenario, PlayState(seed, node_id, now, tuple(values.items())), node_id, now)


def _at(scenario: Scenario, state: PlayState, node_id: str, now: float) -> PlayState:
    ending = isinstance(scenario.node(node_id), Ending)
    return replace(state, node_id=node_id, shown_at=now, finished=ending, ending_id=node_id if ending else None)


def _move(scenario: Scenario, state: PlayState, step: Step, target: str, values: dict,
          feedback: LocalizedText | None) -> tuple[PlayState, Outcome]:
    score = state.score + step.points
    node_id = _arrive(scenario, target, values, score)
    moved = replace(state, values=tuple(values.items()), path=state.path + (step,), score=score)
    new_state = _at(scenario, moved, node_id, step.answered_at)
    return new_state, Outcome(step.kind, step.node_id, step.choice_id, step.points, feedback,
                              new_state.finished, new_state.ending_id)


def _current(scenario: Scenario, state: PlayState, kind: type, code: str):
    if state.finished:
        raise InvalidMove('finished', 'The scenario has ended.')
    node = scenario.node(state.node_id)
    if not isinstance(node, kind):
        raise InvalidMove(code, f'Node {state.node_id!r} is not a {kind.kind}.')
    return node


def available_choices(situation: Situation, state: PlayState):
    """The choices whose `when` holds in this state, in author order."""
    values = state.variables
    return [c for c in situation.choices if when_holds(c.when, values, state.score)]


def is_expired(situation: Situation, state: PlayState, now: float) -> bool:
    """Whether the learner ran out of time at this situation (with the grace allowance)."""
    return (situation.time_limit is not None and situation.timeout is not None
            and now - state.shown_at > situation.time_limit + TIME_GRACE_SECONDS)


def _time_out(scenario: Scenario, state: PlayState, situation: Situation, now: float):
    timeout = situation.timeout
    step = Step(situation.id, None, 'timeout', state.shown_at, now, timeout.points)
    return _move(scenario, state, step, timeout.target, state.variables, timeout.feedback)


def choose(scenario: Scenario, state: PlayState, choice_id: str, now: float) -> tuple[PlayState, Outcome]:
    """Take a choice at the current situation; a late answer takes the timeout route instead."""
    situation = _current(scenario, state, Situation, 'not_a_decision')
    choice = situation.choice(choice_id)
    if choice is None:
        raise InvalidMove('unknown_choice', f'No choice {choice_id!r} at {situation.id!r}.')
    if not when_holds(choice.when, state.variables, state.score):
        raise InvalidMove('choice_unavailable', f'Choice {choice_id!r} is not available now.')
    if is_expired(situation, state, now):
        return _time_out(scenario, state, situation, now)
    values = state.variables
    if choice.effects:
        values = apply_effects(parse_effects(choice.effects), values, scenario.variables_by_name)
    step = Step(situation.id, choice.id, 'choice', state.shown_at, now, choice.points)
    return _move(scenario, state, step, choice.target, values, choice.feedback)


def expire(scenario: Scenario, state: PlayState, now: float) -> tuple[PlayState, Outcome]:
    """Take the timeout route once the time is up (the browser's timer ran out)."""
    situation = _current(scenario, state, Situation, 'not_a_decision')
    if not is_expired(situation, state, now):
        raise InvalidMove('not_expired', 'There is still time to answer.')
    return _time_out(scenario, state, situation, now)


def draw_event_outcome(event: Event, seed: str, visit: int) -> EventOutcome:
    """The outcome of the `visit`-th (0-based) visit to `event`: by weight, reproducible.

    Seeding with (seed, node, visit) rather than one stream per attempt makes a draw
    independent of everything else the learner did, so a replay or rescore draws the same.
    """
    outcomes = [o for o in event.outcomes if o.weight > 0]
    if not outcomes:
        raise ScenarioError(f'Event {event.id!r} has no outcome with a positive weight.')
    rng = random.Random(json.dumps([seed, event.id, visit]))
    point = rng.random() * sum(o.weight for o in outcomes)
    for outcome in outcomes:
        point -= outcome.weight
        if point < 0:
            return outcome
    return outcomes[-1]


def continue_event(scenario: Scenario, state: PlayState, now: float) -> tuple[PlayState, Outcome]:
    """Leave an event node: the server draws its outcome."""
    event = _current(scenario, state, Event, 'not_an_event')
    visit = sum(1 for s in state.path if s.kind == 'event' and s.node_id == event.id)
    outcome = draw_event_outcome(event, state.seed, visit)
    step = Step(event.id, None, 'event', state.shown_at, now, 0)
    return _move(scenario, state, step, outcome.target, state.variables, None)


def replay_values(scenario: Scenario, path: Iterable[Step]) -> dict[str, int | bool]:
    """Variable values after `path`, applying the current content's effects."""
    values = scenario.initial_values()
    for step in path:
        node = scenario.node(step.node_id)
        choice = node.choice(step.choice_id) if step.kind == 'choice' and isinstance(node, Situation) else None
        if choice is not None and choice.effects:
            values = apply_effects(parse_effects(choice.effects), values, scenario.variables_by_name)
    return values


def undo(scenario: Scenario, state: PlayState, now: float | None = None) -> PlayState:
    """Step back to the last decision. Variables and score are replayed, never snapshotted.

    With `now`, the situation is shown afresh (its timer restarts); without, it keeps the
    moment it was first shown. Undo is refused after the ending: the debrief may have shown
    every consequence by then, and a new attempt is the way back.
    """
    if not scenario.allow_undo:
        raise InvalidMove('undo_disabled', 'Undo is not allowed in this scenario.')
    if state.finished:
        raise InvalidMove('finished', 'The scenario has ended.')
    last = next((i for i in range(len(state.path) - 1, -1, -1) if state.path[i].kind in DECISION_KINDS), None)
    if last is None:
        raise InvalidMove('nothing_to_undo', 'There is no decision to undo.')
    kept, undone = state.path[:last], state.path[last]
    values = replay_values(scenario, kept)
    return replace(state, node_id=undone.node_id, shown_at=undone.shown_at if now is None else now,
                   values=tuple(values.items()), path=kept, score=sum(s.points for s in kept))


def situation_text(situation: Situation, state: PlayState) -> LocalizedText:
    """The situation's text, or its first variant whose condition holds."""
    values = state.variables
    return next((v.text for v in situation.variants if when_holds(v.when, values, state.score)), situation.text)


def seconds_remaining(situation: Situation, state: PlayState, now: float) -> float | None:
    """Time left to answer (without the grace allowance), or None when untimed."""
    if situation.time_limit is None or situation.timeout is None:
        return None
    return max(0.0, situation.time_limit - (now - state.shown_at))


def current_view(scenario: Scenario, state: PlayState, locale: str | None, now: float) -> dict:
    """What the browser may see now, and nothing more.

    Never targets, points, feedback, conditions or any node ahead: whatever reaches the
    browser can be read by the learner, who could then walk the best path.
    """
    node = scenario.node(state.node_id)
    if node is None:
        raise ScenarioError(f'The learner is at {state.node_id!r}, which the scenario no longer has.')
    view = {'node_id': node.id, 'kind': node.kind, 'title': node.title.get(locale)}
    if isinstance(node, Ending):
        view.update(text=node.text.get(locale), rating=node.rating)
    elif isinstance(node, Event):
        view.update(text=node.text.get(locale))
    else:
        image = node.image and {'url': node.image.url, 'alt': node.image.alt.get(locale)}
        video = node.video and {'provider': node.video.provider, 'embed_url': node.video.embed_url,
                                'title': node.video.title.get(locale)}
        view.update(text=situation_text(node, state).get(locale), image=image, video=video,
                    choices=[{'id': c.id, 'label': c.label.get(locale)} for c in available_choices(node, state)],
                    seconds_remaining=seconds_remaining(node, state, now))
    return view
