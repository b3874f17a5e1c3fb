"""The scenario as a graph of play states, and the best and worst scores over it.

A node alone is not enough to know what a learner can do next: conditions hide choices and
pick routes by variable values (and sometimes by the running score). So the analysis walks
states `(node, variable values[, score])`. Events count as "any outcome may happen": the best
score assumes the luckiest draw, the worst score the unluckiest.

Studio checks a scenario on every save and render and generated scenarios reach thousands of
nodes, so the walk must stay linear in the size of the content. What keeps it so, without
changing any answer (tests/unit/case_study/test_case_study_analysis_speed_equivalence.py
compares it with the plain walk):

- Only values that can still change the way on are part of a state. Variant conditions change
  text, never the path; at each node only the variables that a later choice or route reads
  before overwriting them are kept (*live* variables, a backward pass over the node graph).
  States that differ only in forgotten values would play identically.
- Values packed into one int (conditions.Layout), so states hash, test and update cheaply.
- Variables and the score that only *routes straight to endings* read (the usual "ending by
  integrity flag, then by score") are left out of the state: the walk follows every such route
  whose answer they decide, and when the graph has no loops, one forward pass carrying the set
  of reachable (their values, score) per state (scores as bits of a Python int) decides which
  of those routes can really be taken. Otherwise the exact walk keeps them in the state; a
  loop that keeps adding points then creates endless states and stops at STATE_LIMIT.
- One walk per scenario, cached on the Scenario object (validate, max and min share it), with
  integer-indexed arrays, and best and worst totals in one backward pass when there is no loop
  (score_bounds.py holds those graph algorithms and the score sets).
"""
from __future__ import annotations

import contextlib
import gc
import math
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import itemgetter

from .conditions import (
    CLAUSE_TESTS, SCORE, ConditionError, Layout, apply_update, effect_type_error, parse_condition, parse_effects,
    tests_hold,
)
from .model import Ending, Event, Router, Scenario, Situation
from . import score_bounds
from .score_bounds import (  # noqa: F401 - the errors and limits are part of this module's API
    EPSILON, RELAXATION_LIMIT, AnalysisError, AnalysisTooComplex, UnboundedScore, best_totals, components,
    loop_free_totals, settle_later, topological_order,
)

STATE_LIMIT = 200_000
_CACHE = '_statespace_analysis'  # key in Scenario.__dict__, as functools.cached_property does
_NO_EFFECTS = ((), ())


def _names(text: str | None) -> frozenset:
    try:
        return parse_condition(text).names if text else frozenset()
    except ConditionError:
        return frozenset()  # unreadable: evaluating it raises, whatever the values


def _plain_move(points, target: int) -> tuple:
    """A move without condition or effect (see Program); only one to an unknown target (-1) spells that out."""
    return points, target, None if target >= 0 else (None, -1, 0, None, None, False)


def score_holds(tests, score) -> bool:
    return all(CLAUSE_TESTS[op](score, value) for op, value in tests)


class Program:
    """The scenario compiled once: nodes as integers, kept values packed into one int (`layout`),
    conditions and effects read into masks. With `defer`, variables that only routes straight
    to endings read go to `later` instead, and so does the score if only they read it.
    Content errors are kept and raised when the walk reaches them, as play would.

    `moves[node]` lists (points, target node or -1, special): `special` is None for a move
    without condition or effect to a known node (most moves, which explore() takes quickly),
    else _move's tuple."""

    def __init__(self, scenario: Scenario, defer: bool):
        self.nodes = nodes = list(scenario.nodes_by_id.values())
        self.index = index = {node.id: i for i, node in enumerate(nodes)}
        self.start, self.broken, self.declared = index.get(scenario.start), False, scenario.variables_by_name
        self.is_ending = [node.__class__ is Ending for node in nodes]
        self.is_router = [node.__class__ is Router for node in nodes]
        situations = [node for node in nodes if node.__class__ is Situation]
        whens = {c.when for node in situations for c in node.choices} - {None}
        early, late = self._readers(whens, defer)
        self.track_score, self.score_later = SCORE in early, SCORE in late - early
        self.layout = Layout([n for n in self.declared if n in early], self.declared)
        self.later = Layout([n for n in self.declared if n in late - early], self.declared)
        initial = scenario.initial_values()
        self.initial, self.later_initial = self.layout.encode(initial), self.later.encode(initial)
        self.choice_guards, self.losses = {}, {}  # losses: node -> its most negative points
        guards = {None: (None, 0), **{text: self._guard(text) for text in whens}}
        effects = {text: self._effects(text) for text in {c.effects for node in situations for c in node.choices}
                   if text}
        self.moves, reads = self._compile(guards, effects)
        # Authors list nodes in reading order: when every move leads on to a later node, one
        # sweep settles liveness, and play states sorted by node are in topological order.
        self.forward = not [node for node, out in enumerate(self.moves) for _, target, _ in out if 0 <= target <= node]
        self.live = self._liveness(reads)
        self.initial &= self.live[self.start] if self.start is not None else 0

    def _readers(self, whens, defer):
        """Who reads what: (names choices and routes read, names only routes straight to endings read)."""
        nodes, index = self.nodes, self.index
        early, late = set(), set()
        for text in whens:
            early |= _names(text)
        for node in nodes:
            if node.__class__ is Router:
                to_endings = defer and all(r.target in index and nodes[index[r.target]].__class__ is Ending
                                           for r in node.routes)
                for route in node.routes:
                    (late if to_endings else early).update(_names(route.when))
        return early, late

    def _compile(self, guards, effects):
        """(moves per node, bits its conditions read per node), each condition and effect read once."""
        index, compiled, moves, reads = self.index, {}, [], []
        for i, node in enumerate(self.nodes):
            out, read = [], 0
            if node.__class__ is Situation:
                for c in node.choices:
                    guard, bits = guards[c.when]
                    read |= bits
                    target = index.get(c.target, -1)
                    if guard is None and not c.effects and target >= 0:
                        out.append((c.points, target, None))
                    else:
                        special = compiled.get((c.when, c.effects)) or compiled.setdefault(
                            (c.when, c.effects), self._move(guard, effects.get(c.effects, _NO_EFFECTS), False))
                        out.append((c.points, target, special))
                    if c.points < 0:
                        self.losses[i] = min(self.losses.get(i, 0), c.points)
                if node.time_limit is not None and node.timeout is not None:
                    self.choice_guards[i] = [move[2] and move[2][0] for move in out]  # for validate's no_choice_shown
                    out.append(_plain_move(node.timeout.points, index.get(node.timeout.target, -1)))
                    if node.timeout.points < 0:
                        self.losses[i] = min(self.losses.get(i, 0), node.timeout.points)
            elif node.__class__ is Event:
                out = [_plain_move(0, index.get(o.target, -1)) for o in node.outcomes if o.weight > 0]
            elif node.__class__ is Router:
                for r in node.routes:
                    if r.when not in guards:
                        guards[r.when] = self._guard(r.when)
                    read |= guards[r.when][1]
                    out.append((0, index.get(r.target, -1), self._move(guards[r.when][0], _NO_EFFECTS, True)))
            moves.append(out)
            reads.append(read)
        return moves, reads

    def points_integral(self) -> bool:
        points = set(map(itemgetter(0), chain.from_iterable(self.moves)))  # a few distinct values
        return all(p.__class__ is int or float(p).is_integer() for p in points)

    def _guard(self, text):
        """((mask, expected, other tests, open tests or None) or the error, bits read)."""
        try:
            condition = parse_condition(text)
        except ConditionError as error:
            self.broken = True
            return error, 0
        kept, later, score = [], [], []
        for clause in condition.clauses:
            if clause.name == SCORE:
                score.append((clause.op, clause.value))
            elif clause.name in self.layout.fields or clause.name in self.later.fields:
                (kept if clause.name in self.layout.fields else later).append(clause)
            else:
                self.broken = True
                text = condition.to_text()
                return ConditionError(f'Unknown variable {clause.name!r} in {text!r}.', text), 0
        opened = (*self.later.tests(later), tuple(score)) if later or score else None
        return (*self.layout.tests(kept), opened), self.layout.mask({c.name for c in kept})

    def _effects(self, text):
        """(effects on kept variables, effects on `later` ones), or the error applying them raises."""
        try:
            effects = parse_effects(text)
        except ConditionError as error:
            self.broken = True
            return error
        for effect in effects:
            variable = self.declared.get(effect.name)
            problem = f'Unknown variable {effect.name!r} in {effect.to_text()!r}.' if variable is None \
                else effect_type_error(effect, variable.kind)
            if problem:
                self.broken = True
                return ConditionError(problem, effect.to_text())
        return (tuple(e for e in effects if e.name in self.layout.fields),
                tuple(e for e in effects if e.name in self.later.fields))

    def _liveness(self, reads) -> list[int]:
        """Per node, the bits of kept values that a later condition may still read (backward fixpoint).
        A move's `keep` mask clears what its effects assign: the value before no longer matters."""
        live = list(reads)
        if not self.layout.fields:
            return live
        for node in range(len(reads) - 1, -1, -1):  # one sweep settles content whose moves point forward
            mask = reads[node]
            for _, target, special in self.moves[node]:
                if target >= 0:
                    mask |= live[target] if special is None else live[target] & special[1]
            live[node] = mask
        if self.forward:
            return live
        before = [[] for _ in reads]
        for node, out in enumerate(self.moves):
            for _, target, _ in out:
                if target >= 0:
                    before[target].append(node)
        work, queued = list(range(len(reads))), [True] * len(reads)
        while work:
            node = work.pop()
            queued[node] = False
            mask = reads[node]
            for _, target, special in self.moves[node]:
                if target >= 0:
                    mask |= live[target] if special is None else live[target] & special[1]
            if mask != live[node]:
                live[node] = mask
                for source in before[node]:
                    if not queued[source]:
                        queued[source] = True
                        work.append(source)
        return live

    def _move(self, guard, effects, router):
        """(guard, keep, set, general update or error, extra, stops) of a move: the next code is
        `apply_update(general, code) & keep | set`, then forgets what the target no longer reads;
        `extra` holds a route's open tests or a choice's update of the `later` values."""
        opened = guard[3] if router and guard.__class__ is tuple else None
        if effects.__class__ is ConditionError:
            return guard, -1, 0, effects, None, router
        if effects is _NO_EFFECTS:
            return guard, -1, 0, None, opened, router
        keep, put, general = self.layout.update(effects[0])
        return guard, keep, put, general, opened if router else (self.later.update(effects[1]) if effects[1] else None), \
            router

    def holds(self, guard, code: int, score) -> bool | None:
        """Like conditions.holds on a state: None when open tests or an unknown score decide."""
        if guard is None:
            return True
        if guard.__class__ is ConditionError:
            raise guard
        mask, expected, others, opened = guard
        if code & mask != expected or (others and not tests_hold(others, code)):
            return False
        if opened is None:
            return True
        return None if score is None else score_holds(opened[3], score)


@dataclass
class StateGraph:
    """Play states reachable from the start, with scored edges. State 0 is the start."""

    program: Program
    track_score: bool
    node: list[int] = field(default_factory=list)  # node index of each state
    code: list[int] = field(default_factory=list)  # kept values, packed (program.layout)
    score: list | None = None  # the score of each state when it is tracked
    edges: list[list[tuple]] = field(default_factory=list)  # (points, target state)
    extras: dict = field(default_factory=dict)  # state: per edge, open route tests or `later` updates
    reachable: list[bool] | None = None  # set by settle_later when open tests exclude some states

    def node_ids(self, members) -> list[str]:
        return sorted({self.program.nodes[self.node[i]].id for i in members})

    def live_states(self):
        return range(len(self.node)) if self.reachable is None else list(compress(range(len(self.node)), self.reachable))


def explore(program: Program, limit: int | None = None) -> StateGraph:
    """Every state reachable from the start, the score in the state when program.track_score.
    Raises AnalysisTooComplex past `limit` states, ConditionError where content cannot be applied."""
    limit = STATE_LIMIT if limit is None else limit
    track = program.track_score
    graph = StateGraph(program, track, score=[] if track else None)
    if program.start is None:
        return graph
    nodes, codes, edges, extras, moves, live = graph.node, graph.code, graph.edges, graph.extras, program.moves, program.live
    count = len(program.nodes)
    nodes.append(program.start), codes.append(program.initial)
    index = {(program.start, program.initial, 0) if track else program.initial * count + program.start: 0}
    if track:
        graph.score.append(0)
    cursor, score = 0, None
    while cursor < len(nodes):
        code = codes[cursor]
        if track:
            score = graph.score[cursor]
        out, extra = [], None
        for points, target, special in moves[nodes[cursor]]:
            if special is None:  # no condition, no effect, a known target: most moves
                after = code & live[target]
            else:
                guard, keep, put, general, more, stops = special
                answer = True
                if guard is not None:
                    answer = program.holds(guard, code, score)
                    if answer is False:
                        continue
                if general is None:
                    after = code & keep | put
                elif general.__class__ is ConditionError:
                    raise general
                else:
                    after = apply_update(general, code)
                if target < 0:
                    if stops and answer is True:
                        break
                    continue
                after &= live[target]
            if track:
                key = (target, after, round(score + points, 9))
            else:
                key = after * count + target
            state = index.get(key)
            if state is None:
                state = index[key] = len(nodes)
                nodes.append(target), codes.append(after)
                if track:
                    graph.score.append(key[2])
                if state >= limit:
                    raise AnalysisTooComplex(f'More than {limit} play states; simplify the variables or loops.')
            out.append((points, state))
            if special is None:
                if extra is not None:
                    extra.append(None)
                continue
            if more is not None and not track:
                extra = extra or [None] * (len(out) - 1)
            if extra is not None:
                extra.append(more)
            if stops and answer is True:
                break
        edges.append(out)
        if extra is not None:
            extras[cursor] = extra
        cursor += 1
    return graph


@dataclass
class Analysis:
    """Everything validate(), max_achievable() and min_achievable() need, computed once."""

    scenario: Scenario
    graph: StateGraph | None = None
    error: AnalysisError | None = None  # the walk failed: too complex, or content that cannot be read
    tracked: bool = False  # the score was part of the state
    best: list | AnalysisError | None = None
    worst: list | AnalysisError | None = None

    def abstract_problem(self) -> UnboundedScore | None:
        """With the score tracked and too many states: a point-farming loop found with the score unknown."""
        program = Program(self.scenario, defer=False)
        program.track_score = False
        try:
            best_totals(explore(program), 1)
        except UnboundedScore as error:
            return error
        except AnalysisTooComplex:
            pass
        return None


def _solve(graph: StateGraph, order: list[int] | None, result: Analysis) -> Analysis:
    result.graph = graph
    if order is not None:
        result.best, result.worst = loop_free_totals(graph, order)
        return result
    parts = components(graph)
    for sign, name in ((1, 'best'), (-1, 'worst')):
        try:
            setattr(result, name, best_totals(graph, sign, parts))
        except AnalysisError as error:
            setattr(result, name, error)
    return result


def _analyse(scenario: Scenario) -> Analysis:
    result = Analysis(scenario)
    try:
        program = Program(scenario, defer=True)
        if not program.track_score and not program.broken and (not program.score_later or program.points_integral()):
            try:
                graph = explore(program)
                order = topological_order(graph)
                if not graph.extras or (order is not None and settle_later(graph, order)):  # else: exact walk
                    return _solve(graph, order, result)
            except AnalysisTooComplex:
                pass  # the exact walk below decides
        program = Program(scenario, defer=False)
        result.tracked = program.track_score
        graph = explore(program)
        return _solve(graph, topological_order(graph), result)
    except AnalysisError as error:
        result.error = error
    except ConditionError as error:
        result.error = AnalysisError(str(error))
    return result


@contextlib.contextmanager
def no_cyclic_gc():
    """Suspend the cycle collector: the analysis allocates tens of thousands of containers and
    makes no cycles, and each collection would rescan the whole (large) scenario."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def analyse(scenario: Scenario) -> Analysis:
    """The analysis of `scenario`, cached on it (a Scenario is immutable) per limit setting."""
    key = (STATE_LIMIT, score_bounds.RELAXATION_LIMIT)
    cached = scenario.__dict__.get(_CACHE)
    if cached is None or cached[0] != key:
        with no_cyclic_gc():
            cached = scenario.__dict__[_CACHE] = (key, _analyse(scenario))
    return cached[1]


def _from_start(scenario: Scenario, name: str) -> float:
    result = analyse(scenario)
    if result.error is not None:
        raise result.error
    totals = getattr(result, name)
    if isinstance(totals, AnalysisError):
        raise totals
    return totals[0] if totals else -math.inf


def max_achievable(scenario: Scenario) -> float:
    """The most points any complete play-through can earn (0 if no ending can be reached).

    Raises UnboundedScore or AnalysisTooComplex; validate() reports both to authors.
    """
    best = _from_start(scenario, 'best')
    return float(best) if math.isfinite(best) else 0.0


def min_achievable(scenario: Scenario) -> float:
    """The fewest points any complete play-through can earn (0 if no ending can be reached)."""
    worst = _from_start(scenario, 'worst')
    return float(-worst) if math.isfinite(worst) else 0.0
