"""Best and worst totals over a play-state graph, and which routes on `later` values are taken.

Pure graph algorithms for statespace.py, apart so that each module stays readable: the
graph is integer-indexed (state i has `graph.edges[i]`, a list of (points, target state)),
and nothing here reads the scenario's texts. See statespace.py for why the analysis is built
this way; the answers are pinned against a plain reference walk in
tests/unit/case_study/test_case_study_analysis_speed_equivalence.py.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .conditions import apply_update, tests_hold

if TYPE_CHECKING:  # statespace imports this module
    from .statespace import Program

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


def topological_order(graph) -> list[int] | None:
    """States with every edge pointing later in the list, or None if the graph has a loop."""
    if graph.program.forward:  # every move leads to a later node: order the states by node
        return sorted(range(len(graph.node)), key=graph.node.__getitem__)
    incoming = [0] * len(graph.node)
    for out in graph.edges:
        for _, target in out:
            incoming[target] += 1
    order = [i for i, count in enumerate(incoming) if not count]
    edges = graph.edges
    for state in order:  # the list grows while it is read (Kahn's algorithm)
        for _, target in edges[state]:
            incoming[target] -= 1
            if not incoming[target]:
                order.append(target)
    return order if len(order) == len(incoming) else None


def _at_least(bit: int) -> int:
    """All bits from `bit` up (a negative int has endless ones to the left)."""
    return -(1 << bit) if bit > 0 else -1


def _score_mask(tests, base: int, lanes: int) -> int:
    """Bits (bit i * lanes + code: score base + i) of the scores passing every (op, value) test."""
    mask = -1
    for op, value in tests:
        if op in ('is', 'not'):  # truthy: non-zero
            op, value = ('!=' if op == 'is' else '=='), 0
        low, above = _at_least((value - base) * lanes), _at_least((value - base + 1) * lanes)
        mask &= {'>=': low, '>': above, '<': ~low, '<=': ~above, '==': low & ~above, '!=': ~(low & ~above)}[op]
    return mask


class _Lanes:
    """Sets of (later values, score) as one int: bit `(score - base) * count + code`, one lane
    per packed `later` code, so moving along an edge is a shift and an or."""

    def __init__(self, program: Program, base: int):
        self.program, self.base, self.count = program, base, 1 << program.later.width
        self.every, self.masks, self.size = -1, {}, 0  # one lane: every bit

    def cover(self, bits: int) -> None:
        """Make the lane masks as wide as `bits` (they are built for the scores seen so far)."""
        if self.count > 1 and bits.bit_length() > self.size:
            self.size = (2 * bits.bit_length() // self.count + 1) * self.count  # whole lanes
            self.every = ((1 << self.size) - 1) // ((1 << self.count) - 1)  # bit 0 of each lane
            self.masks = {}

    def codes(self, keep) -> int:
        """The lanes of the codes `keep(code)` accepts."""
        return sum(self.every << code for code in range(self.count) if keep(code))

    def route(self, tests) -> int:
        if tests not in self.masks:
            mask, expected, others, on_score = tests
            lanes = self.codes(lambda code: code & mask == expected and (not others or tests_hold(others, code)))
            self.masks[tests] = lanes & _score_mask(on_score, self.base, self.count)
        return self.masks[tests]

    def update(self, update):
        """(lane mask, shift) pairs moving each code to its code after `update`."""
        if update not in self.masks:
            keep, put, general = update
            moved = {}
            for code in range(self.count):
                after = (code & keep | put) if general is None else apply_update(general, code)
                moved[after - code] = moved.get(after - code, 0) | self.every << code
            self.masks[update] = tuple((mask, shift) for shift, mask in moved.items())
        return self.masks[update]


def settle_later(graph, order: list[int]) -> bool:
    """Mark the states that real values reach, where routes to endings test `later` values.

    Walks the loop-free graph in order, carrying per state the set of reachable (later values,
    score) as _Lanes bits; at a route node each route takes what its tests pass of what earlier
    routes left. False when some values take no route at all (then the exact walk decides).
    """
    program, edges, extras, nodes = graph.program, graph.edges, graph.extras, graph.node
    is_router = program.is_router
    shifting = program.score_later
    base = 0
    if shifting and program.losses:  # a path meets each state once: how far below 0 it can go
        base = int(sum(program.losses.get(node, 0) for node in nodes))
    lanes = _Lanes(program, base)
    width = lanes.count if shifting else 0
    reached = [0] * len(nodes)
    if nodes:
        reached[0] = 1 << (-base * lanes.count + program.later_initial)
    for state in order:
        bits = reached[state]
        if not bits:
            continue
        extra = extras.get(state)
        if extra is None:
            for points, target in edges[state]:
                if points and width:
                    points = int(points) * width
                    reached[target] |= bits << points if points > 0 else bits >> -points
                else:
                    reached[target] |= bits
        elif is_router[nodes[state]]:
            lanes.cover(bits)
            for (_, target), tests in zip(edges[state], extra):
                taken = bits if tests is None else bits & lanes.route(tests)
                bits ^= taken
                reached[target] |= taken
            if bits:
                return False
        else:
            lanes.cover(bits)
            for (points, target), update in zip(edges[state], extra):
                moved = bits
                if update is not None:
                    moved = 0
                    for mask, shift in lanes.update(update):
                        moved |= (bits & mask) << shift if shift >= 0 else (bits & mask) >> -shift
                if points and width:
                    points = int(points) * width
                    moved = moved << points if points > 0 else moved >> -points
                reached[target] |= moved
    graph.reachable = [bits != 0 for bits in reached]
    return True


def components(graph) -> list[list[int]]:
    """Strongly connected components, each after every component it can reach (Tarjan, iterative)."""
    count = len(graph.node)
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


def _ends(graph) -> list[bool]:
    return list(map(graph.program.is_ending.__getitem__, graph.node))


def best_totals(graph, sign: int = 1, parts: list[list[int]] | None = None) -> list[float]:
    """Per state, the best (sign=1) or, negated, the worst (sign=-1) points still to earn on
    the way to an ending; -inf where no ending can be reached.

    Components are solved sinks first; inside a loop, values are relaxed until they settle.
    If they still change after as many rounds as the loop has states, a cycle gains points
    every time round: UnboundedScore.
    """
    totals, ends = [-math.inf] * len(graph.node), _ends(graph)
    budget = RELAXATION_LIMIT
    for component in components(graph) if parts is None else parts:
        for state in component:
            if not graph.edges[state] and ends[state]:
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


def loop_free_totals(graph, order: list[int]) -> tuple[list[float], list[float]]:
    """best_totals for both signs at once, one pass backwards over a topological order."""
    best, worst, ends = [-math.inf] * len(graph.node), [-math.inf] * len(graph.node), _ends(graph)
    edges = graph.edges
    for state in reversed(order):
        out = edges[state]
        if not out:
            if ends[state]:
                best[state] = worst[state] = 0.0
            continue
        high = low = -math.inf
        for points, target in out:  # the same comparisons, in the same order, as best_totals
            candidate = points + best[target]
            if candidate > high + EPSILON:
                high = candidate
            candidate = -points + worst[target]
            if candidate > low + EPSILON:
                low = candidate
        best[state], worst[state] = high, low
    return best, worst
