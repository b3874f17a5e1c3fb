"""A course's dashboard kept in Django's cache between staff views, until the ledger changes.

Building the dashboard of a large course reads every learner's ledger rows (seconds at 100,000
learners); a page view, the print view and a reload should not each repeat that. The snapshot
is keyed by the course, the block's questions and the highest row id of each ledger table the
dashboard reads (one index lookup each), so any new start, attempt, completion or survey answer
makes the next view build afresh: the ledger is append-only, its ids only grow. Content the
ledger does not hold (the item banks, the experts of each session) is re-read at the latest
after SNAPSHOT_SECONDS.
"""
import hashlib
import json

from django.core.cache import cache
from django.db.models import Max

from ..core.ledger import api as ledger
from . import dashboard

SNAPSHOT_SECONDS = 300


def ledger_marks() -> tuple:
    """The highest id of every ledger table the dashboard reads (summaries and sub-scores are
    written with their attempt, so the attempt's id covers them)."""
    if not ledger.is_available():
        return ()
    from ..core.ledger import models  # pylint: disable=import-outside-toplevel
    return tuple(model.objects.aggregate(mark=Max('pk'))['mark']
                 for model in (models.Participation, models.Attempt, models.Milestone, models.SurveyResponse))


def snapshot_key(course_key, questions) -> str:
    """The cache key of a course's dashboard as the ledger and the questions stand now."""
    state = json.dumps([str(course_key), questions.to_dict(), ledger_marks()], sort_keys=True)
    return 'asn_evaluation:dashboard:' + hashlib.sha256(state.encode()).hexdigest()


def dashboard_data(block, questions) -> dict:
    """`dashboard.build` for the block's course, from the cache while nothing it reads has changed."""
    key = snapshot_key(ledger.block_context(block).course_key, questions)
    data = cache.get(key)
    if data is None:
        data = dashboard.build(block, questions)
        cache.set(key, data, SNAPSHOT_SECONDS)
    return data
