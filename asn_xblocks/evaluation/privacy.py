"""Anonymous but linkable: who answered a survey is kept as a keyed hash, and small groups are hidden.

The respondent key is HMAC-SHA256 of the learner's anonymous id under a per-course key derived
from Django's SECRET_KEY. The same learner gets the same key in every survey of one course, so
the before and reaction answers, and survey answers and test gains, can be linked on the
server; staff only ever see aggregates. Another course gets unrelated keys, and the key cannot
be reversed without the site's secret.

Suppression: any figure computed from survey answers of fewer than MIN_GROUP respondents is
not shown (`None` with `suppressed`), and neither are comments of a survey with fewer answers.
"""
import hashlib
import hmac

from django.conf import settings

MIN_GROUP = 5
#: Figures from test scores (not anonymous) are shown for small groups, with a caution below this.
CAUTION_GROUP = 10


def course_secret(course_key) -> bytes:
    """The per-course HMAC key: derived, so nothing secret is ever stored."""
    return hmac.new(settings.SECRET_KEY.encode(), b'asn-evaluation:' + str(course_key).encode(),
                    hashlib.sha256).digest()


def respondent_key(course_key, anonymous_user_id, secret=None) -> str:
    """The keyed hash a learner's survey answers are stored under (64 hex digits)."""
    return _keyed(secret or course_secret(course_key), anonymous_user_id)


def respondent_keys(course_key, anonymous_user_ids) -> dict:
    """{anonymous id: respondent_key} of many learners at once (the course key is derived once)."""
    secret = course_secret(course_key)
    return {anonymous: _keyed(secret, anonymous) for anonymous in anonymous_user_ids}


def _keyed(secret, anonymous_user_id) -> str:
    return hmac.digest(secret, str(anonymous_user_id).encode(), 'sha256').hex()


def is_suppressed(n) -> bool:
    return n < MIN_GROUP


def shown(value, n):
    """`value` when `n` respondents are enough to show it, else None."""
    return None if is_suppressed(n) else value
