"""The fast content analysis (statespace.py) answers exactly as the plain walk it replaced.

`Reference` below is the original, straightforward implementation: it walks every
(node, all variable values, score if any condition reads it) state with dict values and
solves best and worst totals separately. The optimised analysis forgets dead values, leaves
ending-only variables and the score out of the state, packs values into ints and shares one
walk; none of that may change validate(), max_achievable() or min_achievable(). Where the
reference gives up (too many states), the faster analysis may give an answer, so those cases
are not compared. Speed itself is measured in benchmarks/, never asserted here.
"""
import json
import math
from importlib.resources import files

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from asn_xblocks.case_study import analysis, statespace
from asn_xblocks.case_study.analysis import _error, _warning  # the reference builds the same problems
from asn_xblocks.case_study.conditions import (
    ConditionError, apply_effects, parse_condition, parse_effects, when_holds,
)
from asn_xblocks.case_study.model import Event, Router, Scenario, Situation

from case_study_builders import build, choice, counter, ending, event, flag, route, situation, text

LIMIT = 3000  # both walks stop here, so point farms gated by the score end fast


class Reference:
    """The analysis as it was before the speed work, kept verbatim in spirit (dicts, one state per
    full valuation, the score tracked whenever any condition, even a variant's, reads it)."""

    def __init__(self, scenario):
        self.scenario = scenario

    def uses_score(self):
        s = self.scenario
        texts = [v.when for n in s.nodes if isinstance(n, Situation) for v in n.variants]
        texts += [c.when for n in s.nodes if isinstance(n, Situation) for c in n.choices if c.when]
        texts += [r.when for n in s.nodes if isinstance(n, Router) for r in n.routes if r.when]
        found = False
        for t in texts:
            try:
                found = found or 'score' in parse_condition(t).names
            except ConditionError:
                pass
        return found

    def successors(self, node, values, score):
        s, moves = self.scenario, []
        if isinstance(node, Situation):
            for c in node.choices:
                if when_holds(c.when, values, score) is not False:
                    after = apply_effects(parse_effects(c.effects), values, s.variables_by_name) \
                        if c.effects else values
                    moves.append((c.points, c.target, after))
            if node.time_limit is not None and node.timeout is not None:
                moves.append((node.timeout.points, node.timeout.target, values))
        elif isinstance(node, Event):
            moves = [(0, o.target, values) for o in node.outcomes if o.weight > 0]
        elif isinstance(node, Router):
            for r in node.routes:
                answer = when_holds(r.when, values, score)
                if answer is not False:
                    moves.append((0, r.target, values))
                if answer is True:
                    break
        return [m for m in moves if s.node(m[1]) is not None]

    def explore(self, track):
        s, names = self.scenario, list(self.scenario.variables_by_name)
        states, edges, index = [], [], {}

        def add(state):
            if state not in index:
                index[state] = len(states)
                states.append(state)
                edges.append([])
            return index[state]
        if s.node(s.start) is None:
            return states, edges
        initial = s.initial_values()
        add((s.start, tuple(initial[n] for n in names), 0 if track else None))
        cursor = 0
        while cursor < len(states):
            node_id, values, score = states[cursor]
            for points, target, after in self.successors(s.node(node_id), dict(zip(names, values)), score):
                new_score = round(score + points, 9) if track else None
                edges[cursor].append((points, add((target, tuple(after[n] for n in names), new_score))))
                if len(states) > LIMIT:
                    raise statespace.AnalysisTooComplex('too many')
            cursor += 1
        return states, edges

    def best_totals(self, graph, sign):
        states, edges = graph
        fake = statespace.StateGraph(None, False, node=[0] * len(states), edges=edges)
        totals, budget = [-math.inf] * len(states), statespace.RELAXATION_LIMIT
        for component in statespace.components(fake):
            for st_ in component:
                if not edges[st_] and self.scenario.node(states[st_][0]).kind == 'ending':
                    totals[st_] = 0.0
            for _ in range(len(component) + 1):
                changed = False
                for st_ in component:
                    for points, target in edges[st_]:
                        candidate = sign * points + totals[target]
                        if candidate > totals[st_] + statespace.EPSILON:
                            totals[st_], changed = candidate, True
                    budget -= len(edges[st_]) + 1
                if not changed:
                    break
                if budget < 0:
                    raise statespace.AnalysisTooComplex('loops')
            else:
                raise statespace.UnboundedScore(sorted({states[i][0] for i in component}))
        return totals

    def achievable(self, sign):
        try:
            graph = self.explore(self.uses_score())
        except ConditionError as error:
            raise statespace.AnalysisError(str(error)) from error
        value = self.best_totals(graph, sign)[0] if graph[0] else -math.inf
        return float(sign * value) if math.isfinite(value) else 0.0

    def state_problems(self, flagged):
        s, tracked = self.scenario, self.uses_score()
        try:
            graph = self.explore(tracked)
        except statespace.AnalysisTooComplex:
            if tracked:
                try:
                    self.best_totals(self.explore(False), 1)
                except statespace.UnboundedScore as error:
                    yield _error('unbounded_score', error.node_ids[0], nodes=', '.join(error.node_ids))
                    return
                except statespace.AnalysisTooComplex:
                    pass
            yield _warning('analysis_too_complex')
            return
        states, edges = graph
        visited = {state[0] for state in states}
        for node in s.nodes_by_id.values():
            if node.id not in flagged and node.id not in visited:
                yield _warning('unreachable_node', node.id)
                flagged.add(node.id)
        try:
            best = self.best_totals(graph, 1)
        except statespace.UnboundedScore as error:
            yield _error('unbounded_score', error.node_ids[0], nodes=', '.join(error.node_ids))
            return
        except statespace.AnalysisTooComplex:
            yield _warning('analysis_too_complex')
            return
        for node_id in sorted({states[i][0] for i, total in enumerate(best) if total == -math.inf}):
            if node_id not in flagged:
                yield _error('stuck_state', node_id)
        names, hidden, lucky = list(s.variables_by_name), set(), set()
        for index, (node_id, values, score) in enumerate(states):
            node = s.node(node_id)
            if isinstance(node, Situation) and node.time_limit is not None and node.timeout and node_id not in hidden:
                if not any(when_holds(c.when, dict(zip(names, values)), score) for c in node.choices):
                    hidden.add(node_id)
                    yield _warning('no_choice_shown', node_id)
        for index, (node_id, _, _) in enumerate(states):
            if node_id in lucky or not isinstance(s.node(node_id), Event):
                continue
            totals = {best[t] for _, t in edges[index] if math.isfinite(best[t])}
            if max(totals, default=0) - min(totals, default=0) > 1e-9:
                lucky.add(node_id)
                yield _warning('luck_dependent', node_id)
        try:
            self.best_totals(graph, -1)
        except statespace.UnboundedScore as error:
            yield _warning('unbounded_penalty', error.node_ids[0], nodes=', '.join(error.node_ids))
        except statespace.AnalysisTooComplex:
            pass

    def validate(self):
        s, a = self.scenario, analysis
        problems = [*a._duplicates(s), *a._missing_indonesian(s), *a._targets(s), *a._shapes(s)]
        expression_problems = list(a._expression_problems(s))
        problems += expression_problems
        if s.node(s.start) is None:
            return problems
        structural = list(a._structure(s))
        problems += structural
        if not expression_problems:
            problems += self.state_problems({p.node_id for p in structural if p.node_id})
        return problems


def _outcome(compute):
    try:
        return 'value', compute()
    except statespace.UnboundedScore as error:
        return 'unbounded', error.node_ids
    except statespace.AnalysisTooComplex:
        return 'too complex', None
    except statespace.AnalysisError:
        return 'cannot analyse', None


def assert_same_as_reference(data):
    """Compare on a fresh Scenario each (the fast analysis caches on the object)."""
    reference = Reference(Scenario.from_dict(data))
    expected = (reference.validate(), _outcome(lambda: reference.achievable(1)),
                _outcome(lambda: reference.achievable(-1)))
    gave_up = any(p.code == 'analysis_too_complex' for p in expected[0]) or \
        any(kind == 'too complex' for kind, _ in expected[1:])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statespace, 'STATE_LIMIT', LIMIT)
        scenario = Scenario.from_dict(data)
        found = (analysis.validate(scenario), _outcome(lambda: analysis.max_achievable(scenario)),
                 _outcome(lambda: analysis.min_achievable(scenario)))
    if not gave_up:
        assert found == expected
    return found


# --- random small scenarios --------------------------------------------------------------------

NODES = ['n0', 'n1', 'n2', 'n3', 'n4']
ENDS = ['e0', 'e1', 'e2']
CHOICE_WHENS = [None, None, None, None, 'vip', 'not vip', 'trust >= 2', 'trust < 1 and not vip', 'vip and not vip']
ROUTE_WHENS = ['vip', 'trust >= 2', 'score >= 5', 'score < 8 and vip', 'breach', 'breach and score > 3',
               'not breach', 'score == 4', 'score != 4 and trust <= 1', 'not score']
EFFECTS = [None, None, None, 'vip = true', 'vip = false', 'trust += 2', 'trust -= 1; vip = false', 'trust = 9',
           'breach = true', 'trust = 1; trust += 1', 'note = true']
BROKEN = ['vip ==', 'ghost', 'trust += true']


@st.composite
def scenarios(draw):
    """Small scenarios of every shape: forward and backward edges, events, timed situations,
    routes to endings by flag and score, variants reading the score, now and then broken text."""
    def target(position, forward=True):
        later = NODES[position + 1:] + ENDS
        pool = later if forward and draw(st.integers(0, 4)) else NODES + ENDS + ['bad']
        return draw(st.sampled_from(pool))
    broken = draw(st.integers(0, 5)) == 0
    choice_whens = CHOICE_WHENS + (['score >= 5'] if draw(st.integers(0, 3)) == 0 else []) + BROKEN[:2] * broken
    route_whens, effects = ROUTE_WHENS + BROKEN[:2] * broken, EFFECTS + BROKEN[2:] * broken
    halves = draw(st.integers(0, 4)) == 0
    nodes = []
    for position, node_id in enumerate(NODES):
        kind = draw(st.sampled_from(['situation', 'situation', 'situation', 'event', 'route', 'final']))
        if kind == 'situation':
            choices = []
            for i in range(draw(st.sampled_from([1, 2, 2, 3, 3, 4]))):
                extra = {k: v for k, v in (('when', draw(st.sampled_from(choice_whens))),
                                           ('effects', draw(st.sampled_from(effects)))) if v}
                points = draw(st.sampled_from([-3, -1, 0, 0, 1, 2, 3, 5, 10, 0.5] if halves else [-2, 0, 1, 3, 5, 10]))
                choices.append(choice(f'c{i}', target(position), points, **extra))
            extra = {}
            if draw(st.integers(0, 3)) == 0:
                extra = {'time_limit': 10, 'timeout': {'target': target(position), 'points': draw(st.integers(0, 2))}}
            if draw(st.booleans()):
                extra['variants'] = [{'when': draw(st.sampled_from(['score >= 5', 'vip', 'breach'])),
                                      'text': text('V')}]
            nodes.append(situation(node_id, *choices, **extra))
        elif kind == 'event':
            nodes.append(event(node_id, *[(target(position), draw(st.sampled_from([0, 1, 2, 3, 3])))
                                          for _ in range(draw(st.integers(1, 3)))]))
        else:
            pick = (lambda: draw(st.sampled_from(ENDS))) if kind == 'final' else (lambda: target(position))
            whens = route_whens if kind == 'final' or draw(st.booleans()) else CHOICE_WHENS[4:]
            routes = [(draw(st.sampled_from(whens)), pick()) for _ in range(draw(st.integers(0, 3)))]
            last = [] if draw(st.integers(0, 6)) == 0 else [(None, pick())]
            nodes.append(route(node_id, *routes, *last))
    nodes += [ending(e) for e in ENDS]
    variables = [flag('vip', draw(st.booleans())), counter('trust', 1, 0, 3), flag('breach'), flag('note')]
    return json.loads(json.dumps(build(*nodes, variables=variables).to_dict()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_get_the_reference_answers(data):
    assert_same_as_reference(data)


# --- fixed shapes worth pinning ------------------------------------------------------------------

FINAL = route('r', ('breach', 'e-breach'), ('score >= 12', 'e-good'), ('score >= 7', 'e-fair'), (None, 'e-poor'))
ENDINGS = [ending('e-breach', 'poor'), ending('e-good'), ending('e-fair', 'fair'), ending('e-poor', 'poor')]


def _data(*nodes, **kwargs):
    return build(*nodes, **kwargs).to_dict()


@pytest.mark.parametrize('data', [
    # the score band in the middle is reachable only by an odd mix: 0/10 then 0/3
    _data(situation('a', choice('x', 'b', 10), choice('y', 'b', 0, effects='breach = true')),
          situation('b', choice('x', 'r', 3), choice('y', 'r', 0)), FINAL, *ENDINGS, variables=[flag('breach')]),
    # a band no path can hit: 0 or 10, then 0 or 10 again
    _data(situation('a', choice('x', 'b', 10), choice('y', 'b', 0)),
          situation('b', choice('x', 'r', 10), choice('y', 'r', 0)), FINAL, *ENDINGS, variables=[flag('breach')]),
    # negative points before the route, and a route without a catch-all (some scores get stuck)
    _data(situation('a', choice('x', 'r', -4), choice('y', 'r', 13)),
          route('r', ('score >= 12', 'e-good'), ('score < 0', 'e-poor')), *ENDINGS),
    # a zero-point loop in front of a route by score: the exact walk decides
    _data(situation('a', choice('x', 'a', 0), choice('y', 'r', 12)), FINAL, *ENDINGS, variables=[flag('breach')]),
    # a flag read first by a route to endings, then by a choice
    _data(situation('a', choice('x', 'r2', 1, effects='breach = true'), choice('y', 'r2', 2)),
          route('r2', ('breach', 'b'), (None, 'r')), situation('b', choice('x', 'r', 1, when='breach'),
                                                               choice('y', 'r', 0)),
          FINAL, *ENDINGS, variables=[flag('breach')]),
], ids=['odd-band', 'empty-band', 'no-catch-all', 'zero-loop', 'flag-read-twice'])
def test_routes_to_endings_by_flag_and_score(data):
    assert_same_as_reference(data)


@pytest.mark.parametrize('name', ['katering_bu_sari.json', 'sampah_sekolah.json'])
def test_shipped_scenarios(name):
    assert_same_as_reference(json.loads((files('asn_xblocks.case_study') / 'data' / name).read_text('utf-8')))


@pytest.mark.parametrize('nodes, variables', [(40, True), (40, False), (60, False)])
def test_generated_benchmark_scenarios(nodes, variables):
    from benchmarks.scenario_generator import generate  # pylint: disable=import-outside-toplevel
    found = assert_same_as_reference(generate(nodes, variables=variables))
    assert not any(p.severity == 'error' for p in found[0])
