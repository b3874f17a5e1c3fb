"""Content analysis: the achievable score range and every validation problem an author can meet."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from asn_xblocks.case_study import engine, statespace
from asn_xblocks.case_study.analysis import (
    MESSAGES, AnalysisTooComplex, Problem, UnboundedScore, max_achievable, min_achievable, validate,
)

from case_study_builders import build, choice, counter, ending, event, flag, route, situation, text, two_step

def problems(scenario):
    found = validate(scenario)
    for problem in found:
        assert problem.message  # every message template formats with the params given
    return {(p.severity, p.code, p.node_id, p.choice_id) for p in found}


def _two(node_id, target, **extra):
    return situation(node_id, choice('a', target), choice('b', target), **extra)


# --- achievable scores ------------------------------------------------------------------------

FOLDBACK = build(
    situation('n1', choice('a', 'n2', 10), choice('b', 'n3', 0)),
    situation('n2', choice('c', 'n4', 5), choice('d', 'n4', 0)),
    situation('n3', choice('e', 'n4', 20), choice('f', 'n4', 1)),
    situation('n4', choice('g', 'end', 3), choice('h', 'end', 0)),
    ending('end'),
)


def test_best_and_worst_over_branches_that_fold_back():
    assert max_achievable(FOLDBACK) == 23   # b, e, g
    assert min_achievable(FOLDBACK) == 1    # b, f, h
    assert validate(FOLDBACK) == []


def test_hidden_choices_do_not_count_toward_the_best():
    scenario = build(situation('n1', choice('a', 'end', 50, when='vip'), choice('b', 'end', 5)), ending('end'),
                     variables=[flag('vip')])
    assert max_achievable(scenario) == 5


def test_effects_open_choices_later_on():
    scenario = build(situation('n1', choice('a', 'n2', 0, effects='vip = true'), choice('b', 'n2', 1)),
                     situation('n2', choice('c', 'end', 50, when='vip'), choice('d', 'end', 0)), ending('end'),
                     variables=[flag('vip')])
    assert max_achievable(scenario) == 50 and min_achievable(scenario) == 0


def test_counters_are_clamped_when_exploring():
    # three times +5 on a counter capped at 1 never reaches 2: the bonus route is closed.
    scenario = build(
        situation('n1', choice('a', 'n2', 0, effects='trust += 5'), choice('b', 'n2', 0)),
        situation('n2', choice('a', 'r', 0, effects='trust += 5'), choice('b', 'r', 0)),
        route('r', ('trust >= 2', 'bonus'), (None, 'end')),
        situation('bonus', choice('a', 'end', 100), choice('b', 'end', 100)),
        ending('end'), variables=[counter('trust', 0, 0, 1)])
    assert max_achievable(scenario) == 0
    assert ('warning', 'unreachable_node', 'bonus', None) in problems(scenario)


def test_events_count_as_any_outcome():
    scenario = build(situation('n1', choice('a', 'ev', 1), choice('b', 'end', 0)),
                     event('ev', ('lucky', 1), ('end', 9)),
                     situation('lucky', choice('a', 'end', 10), choice('b', 'end', 0)), ending('end'))
    assert max_achievable(scenario) == 11 and min_achievable(scenario) == 0
    assert ('warning', 'luck_dependent', 'ev', None) in problems(scenario)


def test_only_the_first_route_that_holds_is_followed():
    scenario = build(_two('n1', 'r'), route('r', ('not vip', 'end'), (None, 'bonus')),
                     situation('bonus', choice('a', 'end', 100), choice('b', 'end', 100)), ending('end'),
                     variables=[flag('vip')])
    assert max_achievable(scenario) == 0
    assert ('warning', 'unreachable_node', 'bonus', None) in problems(scenario)


def test_routes_on_the_running_score():
    scenario = build(situation('n1', choice('a', 'r', 10), choice('b', 'r', 2)),
                     route('r', ('score >= 10', 'n-good'), (None, 'end')),
                     situation('n-good', choice('a', 'end', 5), choice('b', 'end', 0)), ending('end'))
    assert max_achievable(scenario) == 15 and min_achievable(scenario) == 2


def test_a_loop_gated_by_the_score_is_bounded():
    scenario = build(situation('n1', choice('a', 'r', 5), choice('b', 'end', 0)),
                     route('r', ('score < 20', 'n1'), (None, 'end')), ending('end'))
    assert max_achievable(scenario) == 20
    assert validate(scenario) == []


def test_a_loop_that_keeps_adding_points_is_unbounded():
    scenario = build(situation('n1', choice('again', 'n1', 5), choice('stop', 'end', 0)), ending('end'))
    with pytest.raises(UnboundedScore):
        max_achievable(scenario)
    assert min_achievable(scenario) == 0
    assert ('error', 'unbounded_score', 'n1', None) in problems(scenario)


def test_a_loop_that_gains_and_loses_the_same_is_bounded():
    scenario = build(situation('n1', choice('up', 'n2', 5), choice('stop', 'end', 0)),
                     situation('n2', choice('down', 'n1', -5), choice('stop', 'end', 1)), ending('end'))
    assert max_achievable(scenario) == 6 and min_achievable(scenario) == 0


def test_a_loop_that_keeps_costing_points_is_a_warning():
    scenario = build(situation('n1', choice('again', 'n1', -1), choice('stop', 'end', 3)), ending('end'))
    assert max_achievable(scenario) == 3
    with pytest.raises(UnboundedScore):
        min_achievable(scenario)
    assert problems(scenario) == {('warning', 'unbounded_penalty', 'n1', None)}


def test_too_many_states_is_reported_not_hung(monkeypatch):
    monkeypatch.setattr(statespace, 'STATE_LIMIT', 3)
    with pytest.raises(AnalysisTooComplex):
        max_achievable(FOLDBACK)
    assert problems(FOLDBACK) == {('warning', 'analysis_too_complex', None, None)}


def test_a_score_tracked_point_farm_is_found_with_the_score_left_unknown(monkeypatch):
    monkeypatch.setattr(statespace, 'STATE_LIMIT', 50)
    scenario = build(situation('n1', choice('again', 'n1', 5), choice('stop', 'r', 0)),
                     route('r', ('score >= 10', 'end'), (None, 'end')), ending('end'))
    with pytest.raises(AnalysisTooComplex):
        max_achievable(scenario)
    assert ('error', 'unbounded_score', 'n1', None) in problems(scenario)


def test_no_reachable_ending_scores_zero():
    scenario = build(_two('n1', 'n2'), _two('n2', 'n1'), ending('end'))
    assert max_achievable(scenario) == 0 and min_achievable(scenario) == 0


# --- validation codes -------------------------------------------------------------------------

def test_a_sound_scenario_has_no_problems():
    assert validate(two_step()) == []


CASES = [
    ([_two('n1', 'end'), _two('n1', 'end'), ending('end')], {},
     ('error', 'duplicate_id', 'n1', None)),
    ([situation('n1', choice('a', 'end'), choice('a', 'end')), ending('end')], {},
     ('error', 'duplicate_id', 'n1', 'a')),
    ([_two('n1', 'end'), ending('end')], {'variables': [flag('x'), flag('x')]},
     ('error', 'duplicate_id', None, None)),
    ([_two('n1', 'end'), ending('end')], {'start': 'nowhere'},
     ('error', 'unknown_start', None, None)),
    ([situation('n1', choice('a', 'end'), choice('b', 'nowhere')), ending('end')], {},
     ('error', 'unknown_target', 'n1', 'b')),
    ([_two('n1', 'end', time_limit=5, timeout={'target': 'nowhere'}), ending('end')], {},
     ('error', 'unknown_target', 'n1', None)),
    ([event('n1', ('end', 1), ('nowhere', 1)), ending('end')], {},
     ('error', 'unknown_target', 'n1', None)),
    ([route('n1', ('x', 'nowhere'), (None, 'end')), ending('end')], {'variables': [flag('x')]},
     ('error', 'unknown_target', 'n1', None)),
    ([situation('n1'), ending('end')], {},
     ('error', 'no_choices', 'n1', None)),
    ([situation('n1', choice('a', 'end')), ending('end')], {},
     ('error', 'too_few_choices', 'n1', None)),
    ([situation('n1', *[choice(str(i), 'end') for i in range(7)]), ending('end')], {},
     ('error', 'too_many_choices', 'n1', None)),
    ([_two('n1', 'end', time_limit=5), ending('end')], {},
     ('error', 'time_limit_without_timeout', 'n1', None)),
    ([_two('n1', 'end', timeout={'target': 'end'}), ending('end')], {},
     ('warning', 'timeout_without_time_limit', 'n1', None)),
    ([route('n1'), ending('end')], {},
     ('error', 'no_routes', 'n1', None)),
    ([route('n1', ('x', 'end')), ending('end')], {'variables': [flag('x')]},
     ('error', 'route_last_conditional', 'n1', None)),
    ([event('n1'), ending('end')], {},
     ('error', 'no_outcomes', 'n1', None)),
    ([event('n1', ('end', 1), ('end', 0)), ending('end')], {},
     ('error', 'event_weight', 'n1', None)),
    ([situation('n1', choice('a', 'end', when='x =='), choice('b', 'end')), ending('end')], {'variables': [flag('x')]},
     ('error', 'condition_syntax', 'n1', 'a')),
    ([_two('n1', 'end', variants=[{'when': 'x or y', 'text': text('V')}]), ending('end')], {'variables': [flag('x')]},
     ('error', 'condition_syntax', 'n1', None)),
    ([situation('n1', choice('a', 'end', effects='x := 1'), choice('b', 'end')), ending('end')],
     {'variables': [flag('x')]}, ('error', 'effect_syntax', 'n1', 'a')),
    ([situation('n1', choice('a', 'end', when='ghost > 1'), choice('b', 'end')), ending('end')], {},
     ('error', 'undefined_variable', 'n1', 'a')),
    ([situation('n1', choice('a', 'end', effects='ghost = true'), choice('b', 'end')), ending('end')], {},
     ('error', 'undefined_variable', 'n1', 'a')),
    ([route('n1', ('ghost', 'end'), (None, 'end')), ending('end')], {},
     ('error', 'undefined_variable', 'n1', None)),
    ([situation('n1', choice('a', 'end', effects='x += 1'), choice('b', 'end')), ending('end')],
     {'variables': [flag('x')]}, ('error', 'effect_type', 'n1', 'a')),
    ([_two('n1', 'end'), _two('orphan', 'end'), ending('end')], {},
     ('warning', 'unreachable_node', 'orphan', None)),
    ([_two('n1', 'end'), ending('end'), ending('lonely')], {},
     ('warning', 'ending_unreachable', 'lonely', None)),
    ([_two('n1', 'n2'), _two('n2', 'n1'), ending('end')], {},
     ('error', 'no_ending', None, None)),
    ([situation('n1', choice('a', 'end'), choice('b', 'loop')), _two('loop', 'loop'), ending('end')], {},
     ('error', 'no_exit', 'loop', None)),
    ([situation('n1', choice('a', 'end', when='x'), choice('b', 'end', when='x')), ending('end')],
     {'variables': [flag('x')]}, ('error', 'stuck_state', 'n1', None)),
    ([situation('n1', choice('a', 'end', when='x'), choice('b', 'end', when='x'), time_limit=9,
                timeout={'target': 'end'}), ending('end')],
     {'variables': [flag('x')]}, ('warning', 'no_choice_shown', 'n1', None)),
]
# Codes shown by the dedicated tests above and below.
COVERED_ELSEWHERE = {'missing_indonesian', 'unbounded_score', 'unbounded_penalty', 'luck_dependent',
                     'analysis_too_complex'}


@pytest.mark.parametrize('nodes, kwargs, expected', CASES)
def test_each_problem_is_reported_where_it_is(nodes, kwargs, expected):
    assert expected in problems(build(*nodes, **kwargs))


def test_a_route_loop_strands_the_learner():
    scenario = build(_two('n1', 'r1'), route('r1', ('x', 'end'), (None, 'r2')), route('r2', (None, 'r1')),
                     ending('end'), variables=[flag('x')])
    assert ('error', 'stuck_state', 'r1', None) in problems(scenario)


def test_missing_indonesian_text_names_the_field():
    scenario = build(situation('n1', choice('a', 'end', feedback={'en': 'Only English'}),
                               {**choice('b', 'end'), 'label': {'id': ' ', 'en': 'B'}}),
                     ending('end'))
    found = validate(scenario)
    fields = {(p.node_id, p.choice_id, p.params['field']) for p in found if p.code == 'missing_indonesian'}
    assert fields == {('n1', 'a', 'choice feedback'), ('n1', 'b', 'choice label')}


def test_conditions_that_cannot_be_read_skip_the_play_state_checks():
    scenario = build(situation('n1', choice('a', 'end', when='x =='), choice('b', 'end', when='x')), ending('end'),
                     variables=[flag('x')])
    assert {code for _, code, _, _ in problems(scenario)} == {'condition_syntax'}


def test_problem_messages_fill_in_their_placeholders():
    problem = Problem('error', 'unknown_target', 'n1', 'b', {'via': 'choice', 'target': 'n9'})
    assert problem.message == 'Node "n1": the choice leads to "n9", which does not exist.'


def test_every_problem_code_has_a_message_and_a_test():
    assert set(MESSAGES) == {case[2][1] for case in CASES} | COVERED_ELSEWHERE


# --- properties over generated scenarios ------------------------------------------------------

IDS = ['n0', 'n1', 'n2', 'n3', 'end', 'bad']
WHENS = [None, None, 'vip', 'not vip', 'trust >= 2', 'score >= 5', 'score < 8 and trust < 3', 'vip ==']
EFFECTS = [None, None, 'vip = true', 'trust += 2', 'trust -= 1; vip = false', 'trust = 9', 'ghost += 1']


@st.composite
def generated_scenarios(draw):
    nodes = []
    for node_id in IDS[:4]:
        kind = draw(st.sampled_from(['situation', 'situation', 'event', 'route']))
        if kind == 'situation':
            choices = [choice(f'c{i}', draw(st.sampled_from(IDS)), draw(st.integers(-3, 10)),
                              **{k: v for k, v in (('when', draw(st.sampled_from(WHENS))),
                                                   ('effects', draw(st.sampled_from(EFFECTS)))) if v})
                       for i in range(draw(st.integers(1, 4)))]
            extra = {'time_limit': 10, 'timeout': {'target': draw(st.sampled_from(IDS)), 'points': 1}} \
                if draw(st.booleans()) else {}
            nodes.append(situation(node_id, *choices, **extra))
        elif kind == 'event':
            nodes.append(event(node_id, *[(draw(st.sampled_from(IDS)), draw(st.integers(0, 3)))
                                          for _ in range(draw(st.integers(1, 3)))]))
        else:
            routes = [(draw(st.sampled_from(WHENS[2:])), draw(st.sampled_from(IDS)))
                      for _ in range(draw(st.integers(0, 2)))]
            nodes.append(route(node_id, *routes, (None, draw(st.sampled_from(IDS)))))
    nodes.append(ending('end'))
    return build(*nodes, variables=[flag('vip'), counter('trust', 1, 0, 3)])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios(), st.lists(st.integers(0, 5), max_size=30), st.text(max_size=4))
def test_validation_never_crashes_and_error_free_content_plays_within_its_range(scenario, picks, seed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statespace, 'STATE_LIMIT', 3000)  # point farms gated by the score stop here, fast
        found = validate(scenario)
        assert all(p.message for p in found)
        if any(p.severity == 'error' for p in found) or any(p.code == 'analysis_too_complex' for p in found):
            return
        high, low = max_achievable(scenario), min_achievable(scenario)
    assert low <= high
    state, now = engine.start(scenario, seed, 0.0), 0.0
    for pick in picks:
        if state.finished:
            break
        now += 1
        view = engine.current_view(scenario, state, 'id', now)
        if view['kind'] == 'event':
            state, _ = engine.continue_event(scenario, state, now)
        elif not view['choices']:
            assert view['seconds_remaining'] is not None, 'validation passed, so only a timer can empty a situation'
            now += 10 + engine.TIME_GRACE_SECONDS + 1
            state, _ = engine.expire(scenario, state, now)
        else:
            state, _ = engine.choose(scenario, state, view['choices'][pick % len(view['choices'])]['id'], now)
    if state.finished:
        assert low <= state.score <= high


def test_a_video_title_without_indonesian_is_reported():
    scenario = build({**situation('n1', choice('a', 'end'), choice('b', 'end')),
                      'video': {'url': 'https://youtu.be/dQw4w9WgXcQ', 'title': {'id': '', 'en': 'Briefing'}}},
                     ending('end'))
    fields = {(p.node_id, p.params['field']) for p in validate(scenario) if p.code == 'missing_indonesian'}
    assert fields == {('n1', 'video title')}
