"""The scenario as a graph of play states, and the best and worst scores over it.

A node alone is not enough to know what a learner can do next: conditions hide choices and
pick routes by variable values (and sometimes by the running score). So the analysis walks
states `(node, variable values[, score])`. The score is part of the state only when some
condition reads it; then a loop that keeps adding points creates endless states and the
walk stops at STATE_LIMIT instead of running forever.

Events are treated as "any outcome may happen": the best score assumes the luckiest draw,
the worst score the unluckiest.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .conditions import ConditionError, apply_effects, parse_condition, parse_effects, when_holds
from .model import Event, Router, Scenario, Situation

STATE_LIMIT = 200_000
#: Edge relaxations allowed when solving loops; a bound on time, not on scenario size.
RELAXATION_LIMIT = 5_000_000
EPSILON = 1e-9


class AnalysisError(ValueError):
    """The content cannot be scored."""


class AnalysisTooComplex(AnalysisError):
    """The scenario has too many distinct play states to analyse exhaustively."""


class UnboundedScore(AnalysisError):
    """Points can be earned (or lost) again and again in a loop that still reaches an ending."""

    def __init__(self, node_ids: list[str]):
        super().__init__(f'Points can repeat without bound through: {", ".join(node_ids)}.')
        self.node_ids = node_ids


@dataclass
class StateGraph:
    """Play states reachable from the start, with scored edges. State 0 is the start."""

    track_score: bool
    names: list[str] = field(default_factory=list)  # variable names, in the order of each state's values
    states: list[tuple] = field(default_factory=list)  # (node id, values, score | None)
    edges: list[list[tuple[float, int]]] = field(default_factory=list)  # (points, target state)
    index: dict[tuple, int] = field(default_factory=dict)

    def add(self, state: tuple) -> int:
        if state not in self.index:
            self.index[state] = len(self.states)
            self.states.append(state)
            self.edges.append([])
        return self.index[state]

    def values(self, state: int) -> dict:
        return dict(zip(self.names, self.states[state][1]))

    def node_ids(self, members) -> list[str]:
        return sorted({self.states[i][0] for i in members})


def uses_score(scenario: Scenario) -> bool:
    """Whether any condition reads the running score (unreadable conditions are ignored)."""
    texts = [v.when for n in scenario.nodes if isinstance(n, Situation) for v in n.variants]
    texts += [c.when for n in scenario.nodes if isinstance(n, Situation) for c in n.choices if c.when]
    texts += [r.when for n in scenario.nodes if isinstance(n, Router) for r in n.routes if r.when]
    found = False
    for text in texts:
        try:
            found = found or 'score' in parse_condition(text).names
        except ConditionError:
            pass
    return found


def successors(scenario: Scenario, node, values: dict, score: float | None):
    """(points, target node id, values after) for every way on; unknown targets are skipped.

    With `score=None`, a condition on the score is unknown and both answers are followed.
    """
    moves = []
    if isinstance(node, Situation):
        for choice in node.choices:
            if when_holds(choice.when, values, score) is not False:
                after = apply_effects(parse_effects(choice.effects), values, scenario.variables_by_name) \
                    if choice.effects else values
                moves.append((choice.points, choice.target, after))
        if node.time_limit is not None and node.timeout is not None:
            moves.append((node.timeout.points, node.timeout.target, values))
    elif isinstance(node, Event):
        moves = [(0, o.target, values) for o in node.outcomes if o.weight > 0]
    elif isinstance(node, Router):
        for route in node.routes:
            answer = when_holds(route.when, values, score)
            if answer is not False:
                moves.append((0, route.target, values))
            if answer is True:
                break
    return [m for m in moves if scenario.node(m[1]) is not None]


def explore(scenario: Scenario, track_score: bool, limit: int | None = None) -> StateGraph:
    """Every state reachable from the start. Raises AnalysisTooComplex past `limit` states."""
    limit = STATE_LIMIT if limit is None else limit
    names = list(scenario.variables_by_name)
    graph = StateGraph(track_score, names)
    if scenario.node(scenario.start) is None:
        return graph
    initial = scenario.initial_values()
    graph.add((scenario.start, tuple(initial[n] for n in names), 0 if track_score else None))
    cursor = 0
    while cursor < len(graph.states):
        node_id, values, score = graph.states[cursor]
        for points, target, after in successors(scenario, scenario.node(node_id), dict(zip(names, values)), score):
            new_score = round(score + points, 9) if track_score else None
            graph.edges[cursor].append((points, graph.add((target, tuple(after[n] for n in names), new_score))))
            if len(graph.states) > limit:
                raise AnalysisTooComplex(f'More than {limit} play states; simplify the variables or loops.')
        cursor += 1
    return graph


def components(graph: StateGraph) -> list[list[int]]:
    """Strongly connected components, each after every component it can reach (Tarjan, iterative)."""
    count = len(graph.states)
    order, low, on_stack = [None] * count, [0] * count, [False] * count
    stack, found, counter = [], [], 0
    for root in range(count):
        if order[root] is not None:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            state, position = work[-1]
            if position < len(graph.edges[state]):
                work[-1] = (state, position + 1)
                target = graph.edges[state][position][1]
                if order[target] is None:
                    order[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[state] = min(low[state], order[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[state])
            if low[state] == order[state]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == state:
                        break
                found.append(component)
    return found


def best_totals(scenario: Scenario, graph: StateGraph, sign: int = 1) -> list[float]:
    """Per state, the best (sign=1) or, negated, the worst (sign=-1) points still to earn on
    the way to an ending; -inf where no ending can be reached.

    Components are solved sinks first; inside a loop, values are relaxed until they settle.
    If they still change after as many rounds as the loop has states, a cycle gains points
    every time round: UnboundedScore.
    """
    totals = [-math.inf] * len(graph.states)
    budget = RELAXATION_LIMIT
    for component in components(graph):
        for state in component:
            if not graph.edges[state] and _is_ending(scenario, graph.states[state][0]):
                totals[state] = 0.0
        for _ in range(len(component) + 1):
            changed = False
            for state in component:
                for points, target in graph.edges[state]:
                    candidate = sign * points + totals[target]
                    if candidate > totals[state] + EPSILON:
                        totals[state], changed = candidate, True
                budget -= len(graph.edges[state]) + 1
            if not changed:
                break
            if budget < 0:
                raise AnalysisTooComplex('The loops in this scenario are too large to score.')
        else:
            raise UnboundedScore(graph.node_ids(component))
    return totals


def _is_ending(scenario: Scenario, node_id: str) -> bool:
    return scenario.node(node_id).kind == 'ending'


def graph_for_scoring(scenario: Scenario) -> StateGraph:
    """The exact state graph: with the score in the state only when a condition reads it."""
    try:
        return explore(scenario, track_score=uses_score(scenario))
    except ConditionError as error:
        raise AnalysisError(str(error)) from error


def max_achievable(scenario: Scenario) -> float:
    """The most points any complete play-through can earn (0 if no ending can be reached).

    Raises UnboundedScore or AnalysisTooComplex; validate() reports both to authors.
    """
    graph = graph_for_scoring(scenario)
    best = best_totals(scenario, graph, 1)[0] if graph.states else -math.inf
    return float(best) if math.isfinite(best) else 0.0


def min_achievable(scenario: Scenario) -> float:
    """The fewest points any complete play-through can earn (0 if no ending can be reached)."""
    graph = graph_for_scoring(scenario)
    worst = best_totals(scenario, graph, -1)[0] if graph.states else -math.inf
    return float(-worst) if math.isfinite(worst) else 0.0
