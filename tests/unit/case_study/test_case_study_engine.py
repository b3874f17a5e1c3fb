"""Playing a scenario: views, choices, effects, timeouts, events, undo and stored state."""
import json
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.case_study import engine
from asn_xblocks.case_study.engine import TIME_GRACE_SECONDS, InvalidMove, PlayState
from asn_xblocks.case_study.scoring import score_path
from asn_xblocks.case_study.statespace import max_achievable, min_achievable

from case_study_builders import build, choice, counter, ending, event, flag, route, situation, text, two_step

# n1: a -> far-secret (7 pts, feedback SECRET-FEEDBACK); b only when `checked`; c sets `checked`, loses patience.
PLAY = build(
    situation('n1',
              choice('a', 'hidden-node', 7, feedback=text('UMPAN-BALIK-RAHASIA', 'SECRET-FEEDBACK')),
              choice('b', 'r1', 3, when='checked'),
              choice('c', 'n1', 1, effects='checked = true; patience -= 2'),
              variants=[{'when': 'patience <= 1', 'text': text('Warga marah', 'The citizen is angry')}],
              image={'url': 'https://example.org/kantor.png', 'alt': text('Kantor', 'Office')},
              video={'url': 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5', 'title': text('Video', 'Clip')},
              time_limit=60, timeout={'target': 'end-poor', 'points': -1, 'feedback': text('Waktu habis', 'Too late')}),
    situation('hidden-node', choice('x', 'end-good', 2), choice('y', 'end-poor')),
    route('r1', ('patience >= 2', 'end-good'), (None, 'end-poor')),
    ending('end-good'), ending('end-poor', 'poor'),
    variables=[counter('patience', 3, 0, 5), flag('checked')],
)


def _walk(scenario, moves, now=0.0, seed='s'):
    state = engine.start(scenario, seed, now)
    for choice_id in moves:
        now += 1
        state, _ = engine.choose(scenario, state, choice_id, now)
    return state


# --- the view ---------------------------------------------------------------------------------

def test_view_shows_only_what_the_learner_may_see():
    state = engine.start(PLAY, 'seed', now=100.0)
    view = engine.current_view(PLAY, state, 'en', now=110.0)
    assert view == {
        'node_id': 'n1', 'kind': 'situation', 'title': 'Title n1', 'text': 'Situation n1',
        'image': {'url': 'https://example.org/kantor.png', 'alt': 'Office'},
        'video': {'provider': 'youtube', 'embed_url': 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
                  'title': 'Clip'},
        'choices': [{'id': 'a', 'label': 'Choice a'}, {'id': 'c', 'label': 'Choice c'}],
        'seconds_remaining': 50.0,
    }
    serialized = json.dumps(view)
    for secret in ('hidden-node', 'r1', 'end-good', 'end-poor', 'SECRET', 'RAHASIA', 'points', 'target',
                   'feedback', 'when', 'effects', 'checked', 'patience', 'Too late'):
        assert secret not in serialized


def test_view_is_localized_with_indonesian_as_fallback():
    state = engine.start(PLAY, 'seed', 0)
    assert engine.current_view(PLAY, state, 'id', 0)['image']['alt'] == 'Kantor'
    assert engine.current_view(PLAY, state, 'fr', 0)['title'] == 'Judul n1'
    assert engine.current_view(PLAY, state, 'id', 0)['video']['title'] == 'Video'


@pytest.mark.parametrize('url, provider, embed_url', [
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'),
    ('https://youtu.be/a_B-c1D2e3F?si=abc', 'youtube', 'https://www.youtube-nocookie.com/embed/a_B-c1D2e3F'),
    ('https://vimeo.com/76979871', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1'),
    ('https://vimeo.com/823141156/90e6d75118', 'vimeo', 'https://player.vimeo.com/video/823141156?h=90e6d75118&dnt=1'),
    ('https://cdn.example.org/pelatihan/aduan.mp4', 'html5', 'https://cdn.example.org/pelatihan/aduan.mp4'),
    ('https://cdn.example.org/a.webm?sig=x%2By', 'html5', 'https://cdn.example.org/a.webm?sig=x%2By'),
])
def test_view_gives_a_video_embed_url_built_on_the_privacy_hosts(url, provider, embed_url):
    scenario = build(situation('n1', choice('a', 'end'), video={'url': url, 'title': text('Video', 'Clip')}),
                     ending('end'))
    view = engine.current_view(scenario, engine.start(scenario, 's', 0), 'en', 0)
    assert view['video'] == {'provider': provider, 'embed_url': embed_url, 'title': 'Clip'}


def test_a_situation_without_video_has_none_in_its_view():
    plain = two_step()
    assert engine.current_view(plain, engine.start(plain, 's', 0), 'en', 0)['video'] is None


def test_conditions_reveal_choices_and_variants_pick_the_text():
    state = _walk(PLAY, ['c'])
    view = engine.current_view(PLAY, state, 'en', 1)
    assert [c['id'] for c in view['choices']] == ['a', 'b', 'c']
    assert view['text'] == 'The citizen is angry'
    assert state.variables == {'patience': 1, 'checked': True}


def test_seconds_remaining_never_goes_below_zero_and_is_absent_when_untimed():
    state = engine.start(PLAY, 's', 0)
    assert engine.current_view(PLAY, state, 'en', 500)['seconds_remaining'] == 0
    plain = two_step()
    assert engine.current_view(plain, engine.start(plain, 's', 0), 'en', 5)['seconds_remaining'] is None


def test_route_nodes_are_resolved_and_never_shown():
    state = _walk(PLAY, ['c', 'b'])
    assert state.finished and state.ending_id == 'end-poor'  # patience 1 < 2
    assert engine.current_view(PLAY, state, 'en', 9) == {
        'node_id': 'end-poor', 'kind': 'ending', 'title': 'Akhir end-poor', 'text': 'Penutup end-poor',
        'rating': 'poor'}


def test_start_follows_routes_at_the_start():
    scenario = build(route('r', ('flagged', 'n1'), (None, 'n2')), situation('n1', choice('a', 'e'), choice('b', 'e')),
                     situation('n2', choice('a', 'e'), choice('b', 'e')), ending('e'),
                     variables=[flag('flagged', True)])
    assert engine.start(scenario, 's', 0).node_id == 'n1'


def test_event_view_shows_only_its_text():
    scenario = build(event('ev', ('secret-a', 1), ('secret-b', 1)), ending('secret-a'), ending('secret-b'))
    view = engine.current_view(scenario, engine.start(scenario, 's', 0), 'id', 0)
    assert view == {'node_id': 'ev', 'kind': 'event', 'title': 'Kejadian ev', 'text': 'Teks ev'}


# --- choosing ---------------------------------------------------------------------------------

def test_a_choice_moves_on_scores_and_reports_its_feedback():
    state = engine.start(PLAY, 's', 0)
    new_state, outcome = engine.choose(PLAY, state, 'a', 5.0)
    assert new_state.node_id == 'hidden-node' and new_state.score == 7 and new_state.shown_at == 5.0
    assert new_state.path == (engine.Step('n1', 'a', 'choice', 0, 5.0, 7),)
    assert outcome.feedback.get('en') == 'SECRET-FEEDBACK' and outcome.points == 7
    assert not outcome.finished and not outcome.timed_out
    final, outcome = engine.choose(PLAY, new_state, 'x', 6.0)
    assert final.finished and final.ending_id == 'end-good' and final.score == 9
    assert outcome.finished and outcome.ending_id == 'end-good'


def test_choosing_never_changes_the_given_state():
    state = _walk(PLAY, ['c'])
    before = state.to_dict()
    engine.choose(PLAY, state, 'b', 50)
    assert state.to_dict() == before


def test_effects_are_clamped_at_the_counter_minimum():
    state = _walk(PLAY, ['c', 'c', 'c'])
    assert state.variables['patience'] == 0 and state.score == 3


@pytest.mark.parametrize('moves, choice_id, code', [
    ([], 'zzz', 'unknown_choice'),
    ([], 'b', 'choice_unavailable'),
    (['a', 'x'], 'x', 'finished'),
])
def test_bad_moves_are_refused_with_a_code(moves, choice_id, code):
    state = _walk(PLAY, moves)
    with pytest.raises(InvalidMove) as caught:
        engine.choose(PLAY, state, choice_id, 10)
    assert caught.value.code == code


def test_choosing_at_an_event_is_not_a_decision():
    scenario = build(event('ev', ('e', 1)), ending('e'))
    with pytest.raises(InvalidMove) as caught:
        engine.choose(scenario, engine.start(scenario, 's', 0), 'a', 1)
    assert caught.value.code == 'not_a_decision'
    with pytest.raises(InvalidMove) as caught:
        engine.continue_event(PLAY, engine.start(PLAY, 's', 0), 1)
    assert caught.value.code == 'not_an_event'


# --- time limits --------------------------------------------------------------------------------

def test_an_answer_within_the_limit_and_grace_counts():
    state = engine.start(PLAY, 's', 1000.0)
    new_state, outcome = engine.choose(PLAY, state, 'a', 1000.0 + 60 + TIME_GRACE_SECONDS)
    assert outcome.kind == 'choice' and new_state.node_id == 'hidden-node'


def test_a_late_answer_takes_the_timeout_route():
    state = engine.start(PLAY, 's', 1000.0)
    new_state, outcome = engine.choose(PLAY, state, 'a', 1000.0 + 60 + TIME_GRACE_SECONDS + 0.01)
    assert outcome.timed_out and outcome.choice_id is None and outcome.points == -1
    assert outcome.feedback.get('en') == 'Too late'
    assert new_state.finished and new_state.ending_id == 'end-poor' and new_state.score == -1
    assert new_state.path[-1].kind == 'timeout'


def test_a_late_answer_still_has_to_be_a_valid_choice():
    state = engine.start(PLAY, 's', 0)
    with pytest.raises(InvalidMove):
        engine.choose(PLAY, state, 'b', 10_000)


def test_expire_takes_the_timeout_only_once_time_is_up():
    state = engine.start(PLAY, 's', 0)
    with pytest.raises(InvalidMove) as caught:
        engine.expire(PLAY, state, 61)
    assert caught.value.code == 'not_expired'
    new_state, outcome = engine.expire(PLAY, state, 63)
    assert outcome.timed_out and new_state.ending_id == 'end-poor'


def test_the_timer_restarts_at_each_new_situation():
    scenario = build(situation('n1', choice('a', 'n2'), choice('b', 'n2')),
                     situation('n2', choice('a', 'e', 5), choice('b', 'e'), time_limit=10, timeout={'target': 'e'}),
                     ending('e'))
    state = _walk(scenario, ['a'], now=0)  # n2 shown at 1
    _, outcome = engine.choose(scenario, state, 'a', 1 + 10 + TIME_GRACE_SECONDS)
    assert outcome.kind == 'choice' and outcome.points == 5


# --- events -----------------------------------------------------------------------------------

EVENTFUL = build(
    event('ev', ('left', 3), ('right', 1)),
    situation('left', choice('a', 'ev', 1), choice('done', 'end')),
    situation('right', choice('a', 'ev', 1), choice('done', 'end')),
    ending('end'),
)


def _draws(seed, count):
    state, seen = engine.start(EVENTFUL, seed, 0), []
    for _ in range(count):
        state, _ = engine.continue_event(EVENTFUL, state, 1)
        seen.append(state.node_id)
        state, _ = engine.choose(EVENTFUL, state, 'a', 2)
    return seen


def test_the_same_seed_draws_the_same_outcomes():
    assert _draws('learner-1/attempt-1', 8) == _draws('learner-1/attempt-1', 8)
    assert len({tuple(_draws(f'learner-{n}', 8)) for n in range(10)}) > 1


def test_each_visit_to_an_event_gets_its_own_draw():
    assert any(len(set(_draws(f'visits-{n}', 6))) > 1 for n in range(20))


def test_an_event_step_is_recorded_without_points():
    state, outcome = engine.continue_event(EVENTFUL, engine.start(EVENTFUL, 'k', 0), 4)
    assert state.path == (engine.Step('ev', None, 'event', 0, 4, 0),)
    assert outcome.kind == 'event' and outcome.feedback is None


def test_draws_follow_the_weights():
    ev = EVENTFUL.node('ev')
    counts = Counter(engine.draw_event_outcome(ev, f'seed-{n}', 0).target for n in range(4000))
    assert 0.70 < counts['left'] / 4000 < 0.80


def test_outcomes_with_no_weight_are_never_drawn():
    scenario = build(event('ev', ('a', 0), ('b', 1)), ending('a'), ending('b'))
    assert {engine.draw_event_outcome(scenario.node('ev'), str(n), 0).target for n in range(200)} == {'b'}


# --- undo ---------------------------------------------------------------------------------------

def test_undo_restores_variables_score_and_node_exactly():
    before = _walk(PLAY, ['c'])
    after, _ = engine.choose(PLAY, before, 'c', 20)
    assert engine.undo(PLAY, after) == before


def test_undo_can_restart_the_timer():
    before = _walk(PLAY, ['c'])
    after, _ = engine.choose(PLAY, before, 'a', 20)
    assert engine.undo(PLAY, after, now=30).shown_at == 30


def test_undo_steps_back_over_events_to_the_last_decision():
    state = engine.start(EVENTFUL, 'u', 0)
    state, _ = engine.continue_event(EVENTFUL, state, 1)
    decision_point = state
    state, _ = engine.choose(EVENTFUL, state, 'a', 2)
    state, _ = engine.continue_event(EVENTFUL, state, 3)
    assert engine.undo(EVENTFUL, state) == decision_point


@pytest.mark.parametrize('scenario, moves, code', [
    (two_step(allow_undo=False), ['a'], 'undo_disabled'),
    (two_step(), [], 'nothing_to_undo'),
    (two_step(), ['a', 'c'], 'finished'),
])
def test_undo_is_refused_when_it_cannot_apply(scenario, moves, code):
    with pytest.raises(InvalidMove) as caught:
        engine.undo(scenario, _walk(scenario, moves))
    assert caught.value.code == code


# --- stored state -------------------------------------------------------------------------------

def test_state_survives_json_storage():
    state = _walk(PLAY, ['c', 'a'])
    stored = json.loads(json.dumps(state.to_dict()))
    assert PlayState.from_dict(stored) == state


@pytest.mark.parametrize('corrupt', [{}, {'seed': 's'}, {'seed': 's', 'node_id': 'n1', 'shown_at': 'x', 'variables': {},
                                                       'path': [], 'score': 0, 'finished': False, 'ending_id': None}])
def test_corrupt_stored_state_is_refused(corrupt):
    with pytest.raises((ValueError, KeyError, TypeError)):
        PlayState.from_dict(corrupt)


# --- invariants over random play ----------------------------------------------------------------

LOOPY = build(
    situation('n1', choice('a', 'n2', 4, effects='trust += 1'), choice('b', 'ev', 1),
              choice('c', 'n1', 0, when='trust >= 1', effects='trust -= 1')),
    situation('n2', choice('a', 'r', 3), choice('b', 'n1', 0, when='not looped', effects='looped = true'),
              time_limit=30, timeout={'target': 'r', 'points': -2}),
    event('ev', ('n2', 2), ('r', 1)),
    route('r', ('trust >= 2', 'good'), ('score >= 7', 'fair'), (None, 'poor')),
    ending('good'), ending('fair', 'fair'), ending('poor', 'poor'),
    variables=[counter('trust', 0, 0, 3), flag('looped')], allow_undo=True,
)

LOOPY_RANGE = (max_achievable(LOOPY), min_achievable(LOOPY))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=8), st.lists(st.tuples(st.integers(0, 5), st.floats(0, 60)), max_size=25))
def test_random_play_keeps_score_consistent_and_within_the_achievable_range(seed, moves):
    now, state = 0.0, engine.start(LOOPY, seed, 0.0)
    high, low = LOOPY_RANGE
    for pick, delay in moves:
        if state.finished:
            break
        now += delay
        view = engine.current_view(LOOPY, state, 'id', now)
        if view['kind'] == 'event':
            state, _ = engine.continue_event(LOOPY, state, now)
        elif pick == 5 and any(step.kind != 'event' for step in state.path):
            state = engine.undo(LOOPY, state, now)
        else:
            state, _ = engine.choose(LOOPY, state, view['choices'][pick % len(view['choices'])]['id'], now)
        assert state.score == sum(step.points for step in state.path)
        assert score_path(LOOPY, state.path, possible_max=high).earned == state.score
        assert PlayState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
    if state.finished:
        assert low <= state.score <= high
