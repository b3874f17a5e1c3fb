"""When a test may be taken and when its answers may be shown: pure rules, no runtime.

Times are aware datetimes (the block's DateTime fields are UTC); None means no limit.
"""
from __future__ import annotations

from datetime import datetime

from ..core.i18n import N_

PHASE_NAMES = {'pre': N_('Pre-test'), 'post': N_('Post-test')}
NOT_OPEN, OPEN, CLOSED = 'not_open', 'open', 'closed'
SHOW_NEVER, SHOW_AFTER_SUBMIT, SHOW_AFTER_CLOSE = 'never', 'after_submit', 'after_close'
SHOW_ANSWER_POLICIES = {
    SHOW_NEVER: N_('Never'),
    SHOW_AFTER_SUBMIT: N_('After the learner submits'),
    SHOW_AFTER_CLOSE: N_('After the test closes'),
}
CONFIDENCE_LEVELS = range(1, 5)  # 1 guessing … 4 very sure


def window(now: datetime, opens_at: datetime | None, closes_at: datetime | None) -> str:
    """NOT_OPEN, OPEN or CLOSED for the moment `now`."""
    if opens_at is not None and now < opens_at:
        return NOT_OPEN
    if closes_at is not None and now >= closes_at:
        return CLOSED
    return OPEN


def may_review(policy: str, now: datetime, closes_at: datetime | None) -> bool:
    """Whether a learner who has submitted may see the key, feedback and explanations."""
    if policy == SHOW_AFTER_SUBMIT:
        return True
    if policy == SHOW_AFTER_CLOSE:
        return closes_at is not None and now >= closes_at
    return False
