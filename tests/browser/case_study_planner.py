"""Plan a case-study play-through toward a kind of ending, one move at a time, with the pure engine.

The browser test cannot know in advance where an event sends the learner: the server draws it,
seeded per learner and attempt. So it plays adaptively: at each step it tells a `Walk` where the
page says the learner is, and the walk picks a choice from which the wanted ending can still be
*forced*, whatever the remaining events draw. The walk also keeps the path it took, so the test
can compare the page's score and debrief with what the engine computes for that path.

Goals (the bands the default scenarios' route node uses, checked here independently of it):
  good    an ending rated good, score >= 85, no integrity breach
  fair    an ending rated fair, 60 <= score < 85, no integrity breach
  poor    an ending rated poor, score < 60, no integrity breach
  breach  any ending reached with the integrity flag set
"""
from __future__ import annotations

from dataclasses import dataclass, field

from asn_xblocks.case_study import engine, scoring
from asn_xblocks.case_study.conditions import apply_effects, parse_effects, when_holds
from asn_xblocks.case_study.model import Ending, Event, Router, Scenario, Situation

INTEGRITY_FLAG = 'pelanggaran_integritas'
GOOD_MIN, FAIR_MIN = 85, 60
GOALS = ('good', 'fair', 'poor', 'breach')


def goal_met(goal: str, ending: Ending, values: dict, score: float) -> bool:
    """Whether finishing at `ending` with these variables and score is the `goal` kind of ending."""
    breach = bool(values.get(INTEGRITY_FLAG))
    if goal == 'breach':
        return breach
    if breach:
        return False
    return {
        'good': ending.rating == 'good' and score >= GOOD_MIN,
        'fair': ending.rating == 'fair' and FAIR_MIN <= score < GOOD_MIN,
        'poor': ending.rating == 'poor' and score < FAIR_MIN,
    }[goal]


def _key(values: dict) -> tuple:
    return tuple(sorted(values.items()))


def arrive(scenario: Scenario, target: str, values: dict, score: float) -> str:
    """The first node that is not a route, following routes from `target` (as the engine does)."""
    node = scenario.node(target)
    for _ in range(len(scenario.nodes) + 1):
        if not isinstance(node, Router):
            return node.id
        node = scenario.node(next(r.target for r in node.routes if when_holds(r.when, values, score)))
    raise AssertionError(f'routes loop from {target!r}')


def after_choice(scenario: Scenario, choice, values: dict) -> dict:
    return apply_effects(parse_effects(choice.effects), values, scenario.variables_by_name) \
        if choice.effects else dict(values)


class Planner:
    """Which choices still force `goal`, over states (node, variables, score). Memoised; the
    default scenarios have a few thousand such states at most."""

    def __init__(self, scenario: Scenario, goal: str):
        if goal not in GOALS:
            raise ValueError(f'unknown goal {goal!r}; expected one of {GOALS}')
        self.scenario, self.goal = scenario, goal
        self._memo: dict[tuple, bool] = {}

    def available(self, situation: Situation, values: dict, score: float):
        return [c for c in situation.choices if when_holds(c.when, values, score)]

    def forces(self, node_id: str, values: dict, score: float) -> bool:
        """Whether the goal can be reached from here whatever events draw (never by timing out)."""
        key = (node_id, _key(values), score)
        if key not in self._memo:
            self._memo[key] = self._forces(self.scenario.node(node_id), values, score)
        return self._memo[key]

    def _forces(self, node, values, score) -> bool:
        if isinstance(node, Ending):
            return goal_met(self.goal, node, values, score)
        if isinstance(node, Event):
            outcomes = [o for o in node.outcomes if o.weight > 0]
            return bool(outcomes) and all(
                self.forces(arrive(self.scenario, o.target, values, score), values, score) for o in outcomes)
        if isinstance(node, Situation):
            return bool(self.winning(node, values, score))
        raise AssertionError(f'the walk stopped on {node!r}')

    def winning(self, situation: Situation, values: dict, score: float):
        """The available choices after which the goal can still be forced."""
        found = []
        for choice in self.available(situation, values, score):
            new_values, new_score = after_choice(self.scenario, choice, values), score + choice.points
            if self.forces(arrive(self.scenario, choice.target, new_values, new_score), new_values, new_score):
                found.append(choice)
        return found

    def pick(self, situation: Situation, values: dict, score: float):
        """A winning choice: the best one for `good`, else the one worth fewest points (so the
        debrief shows the expert's differing answer), the author's order breaking ties."""
        choices = self.winning(situation, values, score)
        if not choices:
            raise AssertionError(f'{self.goal!r} can no longer be forced at {situation.id!r}')
        if self.goal == 'good':
            return max(choices, key=lambda c: c.points)
        return min(choices, key=lambda c: c.points)


@dataclass
class Walk:
    """One play-through as the test process sees it: where the learner is and what they did."""

    scenario: Scenario
    goal: str
    node_id: str = ''
    values: dict = field(default_factory=dict)
    score: float = 0
    path: list = field(default_factory=list)

    def __post_init__(self):
        self.planner = Planner(self.scenario, self.goal)
        self.values = self.scenario.initial_values()
        self.node_id = arrive(self.scenario, self.scenario.start, self.values, 0)
        if not self.planner.forces(self.node_id, self.values, 0):
            raise AssertionError(f'{self.scenario.id}: the {self.goal!r} ending cannot be forced from the start')

    @property
    def node(self):
        return self.scenario.node(self.node_id)

    def next_choice(self):
        """The choice to take at the current situation."""
        assert isinstance(self.node, Situation), f'{self.node_id!r} is not a situation'
        return self.planner.pick(self.node, self.values, self.score)

    def chose(self, choice) -> str:
        """Record taking `choice` here; return the node the learner must arrive at."""
        self.path.append(engine.Step(self.node_id, choice.id, 'choice', 0, 0, choice.points))
        self.values = after_choice(self.scenario, choice, self.values)
        self.score += choice.points
        self.node_id = arrive(self.scenario, choice.target, self.values, self.score)
        return self.node_id

    def proceeded(self, drawn_node_id: str) -> None:
        """Record leaving the current event for the node the server drew (checked to be possible)."""
        event = self.node
        assert isinstance(event, Event), f'{self.node_id!r} is not an event'
        possible = {arrive(self.scenario, o.target, self.values, self.score) for o in event.outcomes if o.weight > 0}
        assert drawn_node_id in possible, f'the server drew {drawn_node_id!r}, not one of {sorted(possible)}'
        self.path.append(engine.Step(self.node_id, None, 'event', 0, 0, 0))
        self.node_id = drawn_node_id

    @property
    def finished(self) -> bool:
        return isinstance(self.node, Ending)

    def final_state(self) -> engine.PlayState:
        assert self.finished, f'the walk is at {self.node_id!r}, not at an ending'
        return engine.PlayState(seed='test', node_id=self.node_id, shown_at=0, values=tuple(self.values.items()),
                                path=tuple(self.path), score=self.score, finished=True, ending_id=self.node_id)

    def goal_reached(self) -> bool:
        return self.finished and goal_met(self.goal, self.node, self.values, self.score)

    def score_breakdown(self) -> scoring.ScoreBreakdown:
        return scoring.score_path(self.scenario, self.path)

    def debrief(self, locale: str = 'id') -> dict:
        return scoring.debrief(self.scenario, self.final_state(), locale)
