"""The evaluation block's rows in the result ledger: survey responses under a respondent key.

Models are imported inside the functions: where the ledger app is not installed nothing is
recorded, reads are empty and staff see the ledger notice. Reads are by course and kind (the
table's index), never by learner: the table holds no learner id to read by.
"""
import json

from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from ..core.ledger import api as ledger


def _model():
    from ..core.ledger.models import SurveyResponse  # pylint: disable=import-outside-toplevel
    return SurveyResponse


def record_response(block, kind, respondent, answers, comment):
    """Store a response once; True if stored, False if this respondent had already answered."""
    if not ledger.is_available():
        return True
    where = ledger.block_context(block)
    try:
        with transaction.atomic():
            _model().objects.create(course_key=where.course_key, usage_key=where.usage_key, kind=kind,
                                    respondent=respondent, answers=answers, comment=comment)
    except IntegrityError:
        return False
    return True


def has_answered(usage_key, respondent):
    """Whether this respondent has answered the block (the unique index answers it)."""
    if not ledger.is_available():
        return False
    return _model().objects.filter(usage_key=str(usage_key), respondent=respondent).exists()


def responses(course_key, kind):
    """(respondents, answers, comments) of every response of `kind` in a course: parallel lists.

    The answers are read as JSON text and decoded in one call for the whole kind: a decoder
    per row (the JSON field's) costs several times more over a large course.
    """
    if not ledger.is_available():
        return [], [], []
    rows = (_model().objects.filter(course_key=str(course_key), kind=kind)
            .annotate(text=Cast('answers', TextField())).values_list('respondent', 'text', 'comment'))
    respondents, texts, comments = (list(column) for column in zip(*rows)) if rows else ([], [], [])
    return respondents, json.loads('[' + ','.join(texts) + ']'), comments


def response_counts(course_key):
    """{usage key: responses} of every survey block of a course."""
    if not ledger.is_available():
        return {}
    from django.db.models import Count  # pylint: disable=import-outside-toplevel
    return dict(_model().objects.filter(course_key=str(course_key)).values('usage_key')
                .annotate(n=Count('id')).values_list('usage_key', 'n'))
