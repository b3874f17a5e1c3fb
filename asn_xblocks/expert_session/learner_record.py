"""One learner's record of a session: watched time, reflection, attendance, reported completion.

All of it is one user_state value because a heartbeat (every ~15 s per watching learner) needs
most of it: a key-value store pays a query for each field read and a write for each field
saved, so one value means one read and one write per heartbeat.
"""
from dataclasses import dataclass

from .watching import WatchState


@dataclass(frozen=True)
class LearnerRecord:
    watch: WatchState = WatchState()
    reflection: str = ''  # the submitted reflection ('' before)
    attended: bool = False  # joined the live session
    completion: float = 0.0  # the completion last reported to the LMS (it only grows)

    def to_json(self):
        return {'watch': self.watch.to_json(), 'reflection': self.reflection, 'attended': self.attended,
                'completion': self.completion}

    @classmethod
    def from_json(cls, data):
        """Read stored state defensively: anything malformed counts as not done yet."""
        if not isinstance(data, dict):
            return cls()
        reflection, completion = data.get('reflection'), data.get('completion')
        return cls(WatchState.from_json(data.get('watch')),
                   reflection if isinstance(reflection, str) else '',
                   data.get('attended') is True,
                   _fraction(completion))

    @property
    def started(self):
        """Whether the learner has done anything here (what report rows are made of)."""
        return bool(self.watch.intervals or self.reflection or self.attended)


def _fraction(value):
    """A stored completion as 0..1 (anything else, NaN included, reads as 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return 0.0
    return float(value)
