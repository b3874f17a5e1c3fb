"""Watched time: server-side interval union, report validation and the playback-rate guard."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.expert_session import watching
from asn_xblocks.expert_session.watching import (
    WatchError, WatchState, cap_count, merge, record_report, total_length, validate_report,
)

DURATION = 600.0  # a ten-minute recording
T0 = 1_770_000_000.0  # server clock, epoch seconds


def report(state, intervals, after, duration=DURATION):
    """`intervals` reported `after` seconds after the state's last accepted report."""
    now = (state.last_report or T0) + after
    return record_report(state, intervals, duration_seconds=duration, now=now)


def refused(state, intervals, after, duration=DURATION):
    with pytest.raises(WatchError) as caught:
        report(state, intervals, after, duration)
    return caught.value


# --- merging -------------------------------------------------------------------------------
def test_merge_joins_overlapping_and_touching_intervals():
    assert merge([(30, 40), (0, 10), (10, 15), (12, 20), (35, 50), (60, 60), (70, 65)]) == ((0, 20), (30, 50))
    assert merge([]) == ()


def test_cap_count_joins_the_smallest_gaps_first():
    union = ((0, 10), (12, 20), (50, 60), (61, 70), (100, 110))
    assert cap_count(union, 3) == ((0, 20), (50, 70), (100, 110))
    assert cap_count(union, 5) == union
    assert cap_count(union, 1) == ((0, 110),)


_INTERVAL = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
_INTERVALS = st.lists(_INTERVAL, max_size=40)


@settings(max_examples=300, deadline=None)
@given(_INTERVALS, st.randoms(use_true_random=False))
def test_union_is_idempotent_order_independent_and_covers_every_input(intervals, rng):
    union = merge(intervals)
    assert merge(union) == union
    shuffled = list(intervals)
    rng.shuffle(shuffled)
    assert merge(shuffled) == union
    assert all(a[1] < b[0] for a, b in zip(union, union[1:]))  # sorted, disjoint, not touching
    for start, end in intervals:
        if end > start:
            assert any(s <= start and end <= e for s, e in union)
    assert total_length(union) <= sum(max(0, e - s) for s, e in intervals)
    assert merge(union + tuple(intervals)) == union


@settings(max_examples=200, deadline=None)
@given(_INTERVALS, st.integers(1, 10))
def test_capping_keeps_coverage_and_bounds_the_count(intervals, limit):
    union = merge(intervals)
    capped = cap_count(union, limit)
    assert len(capped) <= limit and merge(capped) == capped
    assert all(any(s <= start and end <= e for s, e in capped) for start, end in union)


# --- validating reports ----------------------------------------------------------------------
def test_a_report_becomes_whole_milliseconds_clamped_to_the_duration():
    assert validate_report([[0, 12.3456], [590.5, 601.5]], DURATION) == ((0, 12346), (590500, 600000))
    assert validate_report([[600.5, 602]], DURATION) == ()  # inside the tolerance, but after the end


@pytest.mark.parametrize('bad, code', [
    ({'start': 0, 'end': 10}, 'bad_report'),
    ('0-10', 'bad_report'),
    ([[0, 10]] * (watching.MAX_INTERVALS_PER_REPORT + 1), 'too_many_intervals'),
    ([[0, 10], [5]], 'bad_interval'),
    ([[0, 10, 20]], 'bad_interval'),
    ([['0', '10']], 'bad_interval'),
    ([[False, True]], 'bad_interval'),
    ([[0, float('nan')]], 'bad_interval'),
    ([[0, float('inf')]], 'bad_interval'),
    ([[0, 10 ** 400]], 'bad_interval'),
    ([None], 'bad_interval'),
    ([[-1, 10]], 'outside_video'),
    ([[10, 10]], 'outside_video'),
    ([[20, 10]], 'outside_video'),
    ([[0, DURATION + watching.END_TOLERANCE_SECONDS + 0.1]], 'outside_video'),
])
def test_bad_reports_are_refused(bad, code):
    with pytest.raises(WatchError) as caught:
        validate_report(bad, DURATION)
    assert caught.value.code == code


def test_refusal_messages_name_the_interval():
    with pytest.raises(WatchError) as caught:
        validate_report([[0, 5], [590, 700]], DURATION)
    assert str(caught.value) == 'interval 2 (590–700 s) lies outside the video (0–600 s)'


def test_json_nan_is_refused_even_though_pythons_json_accepts_it():
    with pytest.raises(WatchError):
        validate_report(json.loads('[[0, NaN]]'), DURATION)


# --- the playback-rate guard --------------------------------------------------------------------
def test_normal_heartbeats_accumulate_to_the_whole_video():
    state = WatchState()
    for start in range(0, 600, 15):
        state = report(state, [[start, start + 15]], after=15)
    assert state.intervals == ((0, 600_000),)
    assert state.fraction(DURATION) == 1.0 and state.watched_seconds == 600.0


def test_an_hour_claimed_in_a_second_is_refused_and_changes_nothing():
    state = report(WatchState(), [[0, 15]], after=15)
    error = refused(state, [[15, 3600]], after=1, duration=3600)
    assert error.code == 'too_fast'
    assert str(error) == 'the report adds 3585 s of video in 1 s, faster than 2× playback'
    assert state.intervals == ((0, 15_000),)  # immutable: the caller stores nothing


def test_two_times_speed_passes_and_three_times_does_not():
    state = report(WatchState(), [[0, 10]], after=10)
    slack = watching.CLOCK_SLACK_SECONDS
    assert report(state, [[10, 10 + 2 * (60 + slack)]], after=60).watched_seconds == 10 + 2 * (60 + slack)
    assert refused(state, [[10, 10 + 3 * 60]], after=60).code == 'too_fast'


def test_the_first_report_has_a_small_budget():
    budget = 2 * (watching.FIRST_REPORT_SECONDS + watching.CLOCK_SLACK_SECONDS)
    assert record_report(WatchState(), [[0, budget]], duration_seconds=DURATION, now=T0).watched_seconds == budget
    with pytest.raises(WatchError):
        record_report(WatchState(), [[0, budget + 1]], duration_seconds=DURATION, now=T0)


def test_re_sending_everything_played_counts_only_new_seconds():
    """HTML5 `video.played` and Vimeo `getPlayed()` report all ranges since the page loaded."""
    state = report(WatchState(), [[0, 15]], after=15)
    state = report(state, [[0, 30]], after=15)
    state = report(state, [[0, 45], [100, 110]], after=15)
    assert state.intervals == ((0, 45_000), (100_000, 110_000))
    assert report(state, [[0, 45], [100, 110]], after=0).intervals == state.intervals  # rewatch: no new seconds


def test_a_refused_report_heals_with_the_next_heartbeat():
    state = report(WatchState(), [[0, 15]], after=15)
    assert refused(state, [[15, 60]], after=5).code == 'too_fast'  # a delayed burst
    # The state was not touched, so the next heartbeat measures from the last accepted report.
    assert report(state, [[15, 60]], after=20).intervals == ((0, 60_000),)


def test_tiny_intervals_cannot_buy_credit_through_capping():
    """At the stored-interval cap, tiny intervals in the gaps force joins that credit whole gaps:
    the joined gaps count as new seconds, so the rate guard sees them."""
    full = WatchState(tuple((i * 6000, i * 6000 + 1000) for i in range(watching.MAX_STORED_INTERVALS)), T0)
    tiny = [[i * 6 + 3, i * 6 + 3.01] for i in range(20)]  # 0.2 s claimed, in 20 different gaps
    assert refused(full, tiny, after=1).code == 'too_fast'
    later = report(full, tiny, after=60)
    assert len(later.intervals) == watching.MAX_STORED_INTERVALS
    gained = later.watched_seconds - full.watched_seconds
    assert 0.2 < gained <= 2 * (60 + watching.CLOCK_SLACK_SECONDS)


def test_a_clock_going_backwards_gives_no_budget():
    state = report(WatchState(), [[0, 15]], after=15)
    assert refused(state, [[15, 60]], after=-30).code == 'too_fast'


# --- stored state ------------------------------------------------------------------------------
def test_state_is_small_json_and_round_trips():
    state = report(WatchState(), [[0, 12.5], [30, 40]], after=15)
    stored = json.loads(json.dumps(state.to_json()))
    assert stored == {'w': [[0, 12500], [30000, 40000]], 't': T0 + 15}
    assert WatchState.from_json(stored) == state


def test_full_state_stays_small():
    state = WatchState(tuple((i * 5000, i * 5000 + 1000) for i in range(watching.MAX_STORED_INTERVALS)), T0)
    assert len(json.dumps(state.to_json())) < 4096


@pytest.mark.parametrize('stored', [None, [], 'rusak', {'w': 'x'}, {'w': [[1, 'a'], [5, 2], [-1, 3], [True, 9]]},
                                    {'w': [], 't': 'kemarin'}, {'t': float('nan')}])
def test_malformed_stored_state_counts_as_nothing_watched(stored):
    assert WatchState.from_json(stored) == WatchState()


def test_stored_state_is_re_canonicalised():
    stored = {'w': [[30, 40], [0, 10], [5, 20]] + [[1000 + 3 * i, 1001 + 3 * i] for i in range(200)], 't': T0}
    state = WatchState.from_json(stored)
    assert state.intervals[0] == (0, 20) and len(state.intervals) <= watching.MAX_STORED_INTERVALS


def test_fraction_is_capped_and_zero_without_a_duration():
    state = WatchState(((0, 600_000),))
    assert state.fraction(300) == 1.0
    assert state.fraction(1200) == 0.5
    assert state.fraction(0) == 0.0 and state.fraction(None) == 0.0
    with pytest.raises(ValueError):
        record_report(WatchState(), [[0, 1]], duration_seconds=0, now=T0)


_REPORT = st.lists(st.tuples(st.floats(0, DURATION + 2), st.floats(0.001, 120)).map(lambda p: [p[0], p[0] + p[1]]),
                   max_size=watching.MAX_INTERVALS_PER_REPORT)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_REPORT, st.floats(0, 300)), max_size=12))
def test_any_sequence_of_reports_never_exceeds_the_duration_or_the_rate(reports):
    state, now = WatchState(), T0
    for intervals, after in reports:
        now += after
        try:
            new = record_report(state, intervals, duration_seconds=DURATION, now=now)
        except WatchError as error:
            assert error.code in ('outside_video', 'too_fast')
            continue
        assert new.watched_seconds >= state.watched_seconds
        state = new
        assert len(state.intervals) <= watching.MAX_STORED_INTERVALS
        assert all(0 <= s < e <= DURATION * 1000 for s, e in state.intervals)
        assert 0 <= state.fraction(DURATION) <= 1
    total_wall_clock = now - T0 + watching.FIRST_REPORT_SECONDS
    assert state.watched_seconds <= 2 * (total_wall_clock + watching.CLOCK_SLACK_SECONDS * (len(reports) + 1)) + 0.01


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 590), st.integers(1, 10)), min_size=1, max_size=20), st.randoms())
def test_the_union_does_not_depend_on_the_order_reports_arrive(pieces, rng):
    intervals = [[start, start + length] for start, length in pieces]
    shuffled = list(intervals)
    rng.shuffle(shuffled)
    ends = [record_report(WatchState(), [interval], duration_seconds=DURATION, now=T0) for interval in intervals]
    one = WatchState(merge(pair for state in ends for pair in state.intervals))
    other = WatchState()
    for index, interval in enumerate(shuffled):
        other = record_report(other, [interval], duration_seconds=DURATION, now=T0 + 60 * (index + 1))
    assert other.intervals == one.intervals
