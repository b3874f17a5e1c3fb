"""Watched time: how much of a recording a learner has seen, from what the player reports.

The player reports the intervals it played ([start, end] in seconds of the video). The browser is
not trusted for credit, so the server keeps the canonical union of accepted intervals and
checks every report before merging it:
- each interval lies inside the video (a small tolerance for players that round the duration);
- a report holds at most MAX_INTERVALS_PER_REPORT intervals;
- the *new* seconds a report adds (what the union did not have yet) fit into the wall-clock time
  since the last accepted report at no more than MAX_RATE× speed, plus CLOCK_SLACK_SECONDS for
  network delay. Counting only new seconds lets a player that re-sends all its played ranges
  (HTML5 `video.played`, Vimeo `getPlayed()`) pass, and nobody can claim an hour in a second.
A refused report changes nothing (the caller answers 400); its wall-clock time still counts for
the next report, so a delayed heartbeat heals itself.

State is JSON (user_state): intervals in whole milliseconds (exact arithmetic, small integers)
and the time of the last accepted report. At most MAX_STORED_INTERVALS intervals are kept: beyond
that the two intervals with the smallest gap are joined. Joining credits the gap, so it happens
before the rate check and counts as new seconds — a flood of tiny intervals cannot buy credit.
"""
import math
from dataclasses import dataclass

from asn_xblocks.core.errors import TranslatableError
from asn_xblocks.core.i18n import N_

MAX_RATE = 2.0
MAX_INTERVALS_PER_REPORT = 50
MAX_STORED_INTERVALS = 100
END_TOLERANCE_SECONDS = 3.0
CLOCK_SLACK_SECONDS = 10.0
# The first report has no previous one to measure from; players send a heartbeat every ~15 s.
FIRST_REPORT_SECONDS = 60.0

MESSAGES = {
    'bad_report': N_('the progress report is not a list of [start, end] intervals'),
    'too_many_intervals': N_('a progress report may hold at most {max_intervals} intervals'),
    'bad_interval': N_('interval {index} is not a pair of numbers'),
    'outside_video': N_('interval {index} ({start}–{end} s) lies outside the video (0–{duration} s)'),
    'too_fast': N_('the report adds {claimed} s of video in {elapsed} s, faster than {max_rate}× playback'),
}


class WatchError(TranslatableError):
    """A refused progress report (the handler answers 400 and stores nothing)."""

    messages = MESSAGES

def merge(intervals):
    """The canonical union of closed intervals: sorted, disjoint, touching ones joined, empty
    ones dropped. Idempotent and independent of input order."""
    out = []
    for start, end in sorted((s, e) for s, e in intervals if e > s):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def total_length(intervals):
    """Length of a canonical union (call merge first for anything else)."""
    return sum(end - start for start, end in intervals)


def cap_count(intervals, limit=MAX_STORED_INTERVALS):
    """A canonical union of at most `limit` intervals covering `intervals`: repeatedly join the
    neighbours with the smallest gap (the earliest such pair on ties), which credits the least."""
    out = list(intervals)
    while len(out) > max(limit, 1):
        gaps = [(out[i + 1][0] - out[i][1], i) for i in range(len(out) - 1)]
        _, i = min(gaps)
        out[i:i + 2] = [(out[i][0], out[i + 1][1])]
    return tuple(out)


@dataclass(frozen=True)
class WatchState:
    intervals: tuple = ()  # canonical union, whole milliseconds
    last_report: float | None = None  # server clock (epoch seconds) of the last accepted report

    @property
    def watched_seconds(self):
        return total_length(self.intervals) / 1000

    def fraction(self, duration_seconds):
        """Watched share of the video, 0..1 (0 when the duration is unknown)."""
        if not duration_seconds or duration_seconds <= 0:
            return 0.0
        return min(1.0, total_length(self.intervals) / (duration_seconds * 1000))

    def to_json(self):
        return {'w': [list(pair) for pair in self.intervals], 't': self.last_report}

    @classmethod
    def from_json(cls, data):
        """Read stored state defensively: anything malformed counts as nothing watched yet."""
        if not isinstance(data, dict):
            return cls()
        pairs = []
        for pair in data.get('w') or ():
            if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(_is_int(v) and v >= 0 for v in pair):
                pairs.append(tuple(pair))
        moment = data.get('t')
        last = float(moment) if _is_finite(moment) else None
        return cls(cap_count(merge(pairs)), last)


def record_report(state, report, *, duration_seconds, now, max_rate=MAX_RATE):
    """The state after accepting `report` at server time `now` (epoch seconds), or WatchError.

    `duration_seconds` is the duration the block knows (from the provider or the author),
    never one sent by the browser.
    """
    if not duration_seconds or duration_seconds <= 0:
        raise ValueError('the duration must be known to track watched time')
    new = validate_report(report, duration_seconds)
    candidate = cap_count(merge(state.intervals + new))
    added = (total_length(candidate) - total_length(state.intervals)) / 1000
    elapsed = FIRST_REPORT_SECONDS if state.last_report is None else max(0.0, now - state.last_report)
    if added > max_rate * (elapsed + CLOCK_SLACK_SECONDS):
        raise WatchError('too_fast', {'claimed': _seconds(added), 'elapsed': _seconds(elapsed),
                                      'max_rate': _seconds(max_rate)})
    return WatchState(candidate, float(now))


def validate_report(report, duration_seconds):
    """Intervals of a report as whole milliseconds inside [0, duration], or WatchError."""
    if not isinstance(report, (list, tuple)):
        raise WatchError('bad_report')
    if len(report) > MAX_INTERVALS_PER_REPORT:
        raise WatchError('too_many_intervals', {'max_intervals': MAX_INTERVALS_PER_REPORT})
    duration_ms = round(duration_seconds * 1000)
    out = []
    for index, pair in enumerate(report, 1):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(_is_finite(v) for v in pair)):
            raise WatchError('bad_interval', {'index': index})
        start, end = float(pair[0]), float(pair[1])
        if not 0 <= start < end <= duration_seconds + END_TOLERANCE_SECONDS:
            raise WatchError('outside_video', {'index': index, 'start': _seconds(start), 'end': _seconds(end),
                                               'duration': _seconds(duration_seconds)})
        out.append((round(start * 1000), min(round(end * 1000), duration_ms)))
    return tuple(pair for pair in out if pair[1] > pair[0])


def _is_finite(value):
    """A real number JSON can carry: not a bool, not NaN/Infinity (Python's json accepts them),
    not an integer too large for a float."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _seconds(value):
    """A number for a message: at most one decimal, no trailing .0."""
    return f'{value:.1f}'.removesuffix('.0')
