"""The author's completion rule: how far a learner is, as a fraction that grows.

Each part the author switched on counts equally: watching (watched share over the author's
threshold), a submitted reflection, live attendance. A learner who missed the live session can
make up attendance by watching the recording once there is one (research notes §9.2).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class CompletionRule:
    watch_percent: int = 80  # 0 turns watching off
    reflection: bool = False
    attendance: bool = False

    @property
    def parts(self):
        return [name for name, on in (('watch', self.watch_percent > 0), ('reflection', self.reflection),
                                      ('attendance', self.attendance)) if on]


def watch_progress(rule, watched_fraction):
    """0..1: the watched share of the threshold (full credit from the threshold on)."""
    threshold = (rule.watch_percent or 100) / 100
    return min(1.0, watched_fraction / threshold)


def completion(rule, *, watched_fraction=0.0, reflected=False, attended=False, recording_available=False):
    """The learner's completion, 0..1, by the author's rule (0 when the rule has no part)."""
    parts = []
    if rule.watch_percent > 0:
        parts.append(watch_progress(rule, watched_fraction))
    if rule.reflection:
        parts.append(1.0 if reflected else 0.0)
    if rule.attendance:
        made_up = watch_progress(rule, watched_fraction) if recording_available else 0.0
        parts.append(1.0 if attended else made_up)
    return sum(parts) / len(parts) if parts else 0.0
