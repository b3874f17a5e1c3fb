"""Checks an author's scenario before learners meet it, and the score range it allows.

`validate` returns every problem at once, each with a code, the node and choice at fault
and the values for its message, so Studio can list them all in the author's language.
Checks that need play states (stuck learners, loops that farm points, luck) only run when
every condition and effect can be read; otherwise their answers would be guesses.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from ..core.localized import DEFAULT_LANGUAGE, LocalizedText
from .conditions import SCORE, ConditionError, effect_type_error, parse_condition, parse_effects
from .model import Ending, Event, Router, Scenario, Situation
from .statespace import (  # noqa: F401 - max/min_achievable are part of this module's API
    AnalysisError, AnalysisTooComplex, UnboundedScore, analyse, max_achievable, min_achievable, no_cyclic_gc,
)

MIN_CHOICES, MAX_CHOICES = 2, 6


def N_(text: str) -> str:
    """Marks a message for translation; the block translates it when it shows it."""
    return text


MESSAGES = {
    'duplicate_id': N_('The {kind} id "{id}" is used more than once.'),
    'missing_indonesian': N_('Node "{node_id}": the {field} has no Indonesian (id) text.'),
    'unknown_start': N_('The start node "{target}" does not exist.'),
    'unknown_target': N_('Node "{node_id}": the {via} leads to "{target}", which does not exist.'),
    'no_choices': N_('Situation "{node_id}" has no choices.'),
    'too_few_choices': N_('Situation "{node_id}" has {count} choice; give at least {minimum}.'),
    'too_many_choices': N_('Situation "{node_id}" has {count} choices; give at most {maximum}.'),
    'time_limit_without_timeout': N_('Situation "{node_id}" has a time limit but no timeout route.'),
    'timeout_without_time_limit': N_('Situation "{node_id}" has a timeout route but no time limit; it is never used.'),
    'no_routes': N_('Route node "{node_id}" has no routes.'),
    'route_last_conditional': N_('Route node "{node_id}": the last route must have no condition.'),
    'no_outcomes': N_('Event "{node_id}" has no outcomes.'),
    'event_weight': N_('Event "{node_id}": outcome {index} has weight {weight}; weights must be positive.'),
    'condition_syntax': N_('Node "{node_id}": the condition "{text}" cannot be read.'),
    'effect_syntax': N_('Node "{node_id}": the effects "{text}" cannot be read.'),
    'undefined_variable': N_('Node "{node_id}": "{text}" uses the undeclared variable "{name}".'),
    'effect_type': N_('Node "{node_id}": "{text}" does not suit the {kind} "{name}".'),
    'unreachable_node': N_('Node "{node_id}" can never be reached.'),
    'ending_unreachable': N_('Ending "{node_id}" can never be reached.'),
    'no_ending': N_('No ending can be reached from the start.'),
    'no_exit': N_('From node "{node_id}" no ending can be reached: learners would loop forever.'),
    'stuck_state': N_('Node "{node_id}": with some variable values no choice or route leads on to an ending.'),
    'no_choice_shown': N_('Situation "{node_id}": with some variable values every choice is hidden; '
                          'learners can only wait for the timeout.'),
    'unbounded_score': N_('Points can be earned again and again in the loop through {nodes}.'),
    'unbounded_penalty': N_('Points can be lost again and again in the loop through {nodes}.'),
    'luck_dependent': N_('Event "{node_id}": the best achievable score depends on the outcome drawn.'),
    'analysis_too_complex': N_('The scenario has too many variable combinations to check every path.'),
}


@dataclass(frozen=True)
class Problem:
    severity: str  # 'error' | 'warning'
    code: str
    node_id: str | None = None
    choice_id: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message; translate MESSAGES[code] first, then format it the same way."""
        return MESSAGES[self.code].format(node_id=self.node_id, choice_id=self.choice_id, **self.params)


def _error(code, node_id=None, choice_id=None, **params) -> Problem:
    return Problem('error', code, node_id, choice_id, params)


def _warning(code, node_id=None, choice_id=None, **params) -> Problem:
    return Problem('warning', code, node_id, choice_id, params)


def _duplicates(scenario: Scenario):
    for kind, ids in (('node', [n.id for n in scenario.nodes]), ('variable', [v.name for v in scenario.variables])):
        if len(set(ids)) == len(ids):  # the common case, without counting
            continue
        for dup, count in Counter(ids).items():
            if count > 1:
                yield _error('duplicate_id', dup if kind == 'node' else None, kind=kind, id=dup)
    for node in scenario.nodes:
        if isinstance(node, Situation) and len({c.id for c in node.choices}) != len(node.choices):
            for dup, count in Counter(c.id for c in node.choices).items():
                if count > 1:
                    yield _error('duplicate_id', node.id, dup, kind='choice', id=dup)


def _texts(scenario: Scenario):
    """(node id, choice id, field name, text) for every learner-facing text."""
    yield None, None, 'scenario title', scenario.title
    if scenario.introduction:
        yield None, None, 'introduction', scenario.introduction
    for node in scenario.nodes:
        if isinstance(node, Router):
            continue
        yield node.id, None, 'title', node.title
        yield node.id, None, 'text', node.text
        if isinstance(node, Situation):
            for variant in node.variants:
                yield node.id, None, 'variant text', variant.text
            if node.image:
                yield node.id, None, 'image alt text', node.image.alt
            if node.video:
                yield node.id, None, 'video title', node.video.title
            if node.timeout and node.timeout.feedback:
                yield node.id, None, 'timeout feedback', node.timeout.feedback
            for choice in node.choices:
                yield node.id, choice.id, 'choice label', choice.label
                if choice.feedback:
                    yield node.id, choice.id, 'choice feedback', choice.feedback


def _missing_indonesian(scenario: Scenario):
    texts = _all_texts(scenario)
    if _indonesian_first(texts) or all(map(LocalizedText.has_indonesian, texts)):
        return  # the common case: one quick pass, then the detailed one only when something is missing
    for node_id, choice_id, name, text in _texts(scenario):
        if not text.indonesian.strip():
            yield _error('missing_indonesian', node_id, choice_id, field=name)


def _indonesian_first(texts) -> bool:
    """Whether every text starts with a non-blank Indonesian entry, as authored texts do (then
    every text has its Indonesian); False means: look closer. No call per text."""
    return not [text for text in texts if text.texts[0][0] != DEFAULT_LANGUAGE or not text.texts[0][1].strip()]


def _all_texts(scenario: Scenario):
    """The texts of _texts, without their labels (comprehensions only: no call or yield per text)."""
    shown = [node for node in scenario.nodes if not isinstance(node, Router)]
    situations = [node for node in shown if isinstance(node, Situation)]
    choices = [choice for node in situations for choice in node.choices]
    optional = [scenario.introduction, *[node.image and node.image.alt for node in situations],
                *[node.video and node.video.title for node in situations],
                *[node.timeout and node.timeout.feedback for node in situations]]
    return [scenario.title, *[node.title for node in shown], *[node.text for node in shown],
            *[variant.text for node in situations for variant in node.variants],
            *[choice.label for choice in choices], *[choice.feedback for choice in choices if choice.feedback],
            *[text for text in optional if text]]


def _links(node):
    """(choice id, via, target) for every way out of `node`."""
    if isinstance(node, Situation):
        yield from ((c.id, 'choice', c.target) for c in node.choices)
        if node.timeout:
            yield None, 'timeout', node.timeout.target
    elif isinstance(node, Event):
        yield from ((None, 'outcome', o.target) for o in node.outcomes)
    elif isinstance(node, Router):
        yield from ((None, 'route', r.target) for r in node.routes)


def _targets(scenario: Scenario):
    known = scenario.nodes_by_id
    if scenario.start not in known:
        yield _error('unknown_start', target=scenario.start)
    situations = [n for n in scenario.nodes if isinstance(n, Situation)]
    every = {c.target for n in situations for c in n.choices} | {n.timeout.target for n in situations if n.timeout}
    every |= {o.target for n in scenario.nodes if isinstance(n, Event) for o in n.outcomes}
    every |= {r.target for n in scenario.nodes if isinstance(n, Router) for r in n.routes}
    if every <= known.keys():
        return  # the common case: one set comparison
    for node in scenario.nodes:
        for choice_id, via, target in _links(node):
            if target not in known:
                yield _error('unknown_target', node.id, choice_id, via=via, target=target)


def _shapes(scenario: Scenario):
    for node in scenario.nodes:
        if isinstance(node, Situation):
            count = len(node.choices)
            if count == 0:
                yield _error('no_choices', node.id)
            elif count < MIN_CHOICES:
                yield _error('too_few_choices', node.id, count=count, minimum=MIN_CHOICES)
            elif count > MAX_CHOICES:
                yield _error('too_many_choices', node.id, count=count, maximum=MAX_CHOICES)
            if node.time_limit is not None and node.timeout is None:
                yield _error('time_limit_without_timeout', node.id)
            if node.timeout is not None and node.time_limit is None:
                yield _warning('timeout_without_time_limit', node.id)
        elif isinstance(node, Router):
            if not node.routes:
                yield _error('no_routes', node.id)
            elif node.routes[-1].when is not None:
                yield _error('route_last_conditional', node.id)
        elif isinstance(node, Event):
            if not node.outcomes:
                yield _error('no_outcomes', node.id)
            for index, outcome in enumerate(node.outcomes, 1):
                if outcome.weight <= 0:
                    yield _error('event_weight', node.id, index=index, weight=outcome.weight)


def _expressions(scenario: Scenario):
    """(node id, choice id, 'condition'|'effects', text) for every condition and effect."""
    for node in scenario.nodes:
        if isinstance(node, Situation):
            for variant in node.variants:
                yield node.id, None, 'condition', variant.when
            for choice in node.choices:
                if choice.when:
                    yield node.id, choice.id, 'condition', choice.when
                if choice.effects:
                    yield node.id, choice.id, 'effects', choice.effects
        elif isinstance(node, Router):
            for route in node.routes:
                if route.when:
                    yield node.id, None, 'condition', route.when


def _expression_problems(scenario: Scenario):
    declared = scenario.variables_by_name
    found = {(what, text): list(_text_problems(what, text, declared)) for what, text in _expression_texts(scenario)}
    if not any(found.values()):
        return  # the common case: authors reuse a few texts many times, and every one reads fine
    for node_id, choice_id, what, text in _expressions(scenario):
        for code, params in found[what, text]:
            yield _error(code, node_id, choice_id, **params)


def _expression_texts(scenario: Scenario) -> set[tuple[str, str]]:
    """The distinct ('condition'|'effects', text) of _expressions."""
    situations = [node for node in scenario.nodes if isinstance(node, Situation)]
    conditions = {variant.when for node in situations for variant in node.variants}
    conditions |= {choice.when for node in situations for choice in node.choices if choice.when}
    conditions |= {route.when for node in scenario.nodes if isinstance(node, Router) for route in node.routes
                   if route.when}
    effects = {choice.effects for node in situations for choice in node.choices if choice.effects}
    return {('condition', text) for text in conditions} | {('effects', text) for text in effects}


def _text_problems(what: str, text: str, declared: dict):
    """(code, params) for one condition or effects text."""
    try:
        parsed = parse_condition(text) if what == 'condition' else parse_effects(text)
    except ConditionError as error:
        yield ('condition_syntax' if what == 'condition' else 'effect_syntax'), {'text': text, 'detail': str(error)}
        return
    names = parsed.names - {SCORE} if what == 'condition' else [e.name for e in parsed]
    for name in sorted(set(names) - set(declared)):
        yield 'undefined_variable', {'text': text, 'name': name}
    for effect in parsed if what == 'effects' else ():
        if effect.name in declared and effect_type_error(effect, declared[effect.name].kind):
            yield 'effect_type', {'text': text, 'name': effect.name, 'kind': declared[effect.name].kind}


def _spread(starts: list[int], links: list[list[int]]) -> list[bool]:
    seen, todo = [False] * len(links), list(starts)
    for start in starts:
        seen[start] = True
    while todo:
        for target in links[todo.pop()]:
            if not seen[target]:
                seen[target] = True
                todo.append(target)
    return seen


def _forward_links(scenario: Scenario, number: dict) -> list[list[int]]:
    """Per node number, the numbers its links lead to (unknown targets, reported by _targets, left out)."""
    forward = [[] for _ in number]
    for node in scenario.nodes:
        try:
            if isinstance(node, Situation):  # most nodes: read in place, without a call per node
                links = [number[choice.target] for choice in node.choices]
                if node.timeout:
                    links.append(number[node.timeout.target])
            else:
                links = [number[target] for _, _, target in _links(node)]
        except KeyError:
            links = [number[target] for _, _, target in _links(node) if target in number]
        forward[number[node.id]] += links
    return forward


def _structure(scenario: Scenario):
    """Reachability on the node graph, ignoring conditions (what an author sees on a map)."""
    known = scenario.nodes_by_id
    number = {node_id: i for i, node_id in enumerate(known)}  # nodes sharing an id share their links
    forward = _forward_links(scenario, number)
    backward = [[] for _ in forward]
    for source, targets in enumerate(forward):
        for target in targets:
            backward[target].append(source)
    reachable = _spread([number[scenario.start]], forward)
    endings = [number[n.id] for n in known.values() if isinstance(n, Ending)]
    finishing = _spread(endings, backward)  # everything from which some ending can be reached
    if not any(reachable[i] for i in endings):
        yield _error('no_ending')
    for i, node in enumerate(known.values()):
        if not reachable[i]:
            yield _warning('ending_unreachable' if isinstance(node, Ending) else 'unreachable_node', node.id)
        elif not finishing[i]:
            yield _error('no_exit', node.id)


def _state_problems(scenario: Scenario, flagged: set[str]):
    """Checks over play states: stuck learners, point-farming loops, luck (one shared analysis)."""
    result = analyse(scenario)
    if isinstance(result.error, AnalysisTooComplex):
        farm = result.abstract_problem() if result.tracked else None
        if farm is not None:
            yield _error('unbounded_score', farm.node_ids[0], nodes=', '.join(farm.node_ids))
            return
        yield _warning('analysis_too_complex')
        return
    if result.error is not None:
        raise result.error
    graph, states = result.graph, result.graph.live_states()
    nodes = graph.program.nodes  # scenario.nodes_by_id, numbered
    visited = set(map(graph.node.__getitem__, states))
    for i, node in enumerate(nodes) if len(visited) < len(nodes) else ():  # else: the common case
        if i not in visited and node.id not in flagged:
            yield _warning('unreachable_node', node.id)
            flagged.add(node.id)
    if isinstance(result.best, UnboundedScore):
        yield _error('unbounded_score', result.best.node_ids[0], nodes=', '.join(result.best.node_ids))
        return
    if isinstance(result.best, AnalysisTooComplex):
        yield _warning('analysis_too_complex')
        return
    best = result.best
    for node_id in graph.node_ids(i for i in states if best[i] == -math.inf) if -math.inf in best else ():
        if node_id not in flagged:
            yield _error('stuck_state', node_id)
    yield from _hidden_choices(graph, states)
    yield from _luck(graph, states, best)
    if isinstance(result.worst, UnboundedScore):
        yield _warning('unbounded_penalty', result.worst.node_ids[0], nodes=', '.join(result.worst.node_ids))


def _hidden_choices(graph, states):
    """Timed situations where every choice can be hidden (untimed ones are already stuck_state)."""
    program = graph.program
    reported, nodes, guards, node_of = set(), program.nodes, program.choice_guards, graph.node  # guards: timed only
    for index in [i for i in states if node_of[i] in guards] if guards else ():
        node = nodes[node_of[index]]
        if node.id in reported or not isinstance(node, Situation) or node.time_limit is None or not node.timeout:
            continue
        code, score = graph.code[index], graph.score[index] if graph.score is not None else None
        if not any(program.holds(guard, code, score) for guard in guards[node_of[index]]):
            reported.add(node.id)
            yield _warning('no_choice_shown', node.id)


def _luck(graph, states, best: list[float]):
    nodes, node_of = graph.program.nodes, graph.node
    events = {i for i, node in enumerate(nodes) if isinstance(node, Event)}
    reported = set()
    for index in [i for i in states if node_of[i] in events]:
        node = nodes[node_of[index]]
        if node.id in reported:
            continue
        totals = [best[target] for _, target in graph.edges[index] if math.isfinite(best[target])]
        if totals and max(totals) - min(totals) > 1e-9:
            reported.add(node.id)
            yield _warning('luck_dependent', node.id)


def validate(scenario: Scenario) -> list[Problem]:
    """Every problem found, errors and warnings, in a stable order."""
    with no_cyclic_gc():
        return _validate(scenario)


def _validate(scenario: Scenario) -> list[Problem]:
    problems = [*_duplicates(scenario), *_missing_indonesian(scenario), *_targets(scenario),
                *_shapes(scenario)]
    expression_problems = list(_expression_problems(scenario))
    problems += expression_problems
    if scenario.node(scenario.start) is None:
        return problems
    structural = list(_structure(scenario))
    problems += structural
    if not expression_problems:
        flagged = {p.node_id for p in structural if p.node_id}
        problems += _state_problems(scenario, flagged)
    return problems
