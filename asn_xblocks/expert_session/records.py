"""The expert session's rows in the result ledger: reflections, their staff grades, attendance.

Models are imported inside the functions (the ledger app may not be installed: then nothing is
recorded, reads are empty, and staff see the ledger notice). Staff reports read these tables
with indexed queries, never learners' XBlock state.
"""
from django.db import IntegrityError, transaction

from ..core.ledger import api as ledger


def _models():
    from ..core.ledger import models  # pylint: disable=import-outside-toplevel
    return models


def record_reflection(block, user, text, submission_uuid=''):
    """Store the learner's reflection once; (row, created). A second one gets the first back."""
    if not ledger.is_available():
        return None, True
    models = _models()
    where = ledger.block_context(block)
    try:
        with transaction.atomic():
            return models.Reflection.objects.create(
                course_key=where.course_key, usage_key=where.usage_key, block_type=where.block_type,
                user_id=user.user_id, anonymous_user_id=user.anonymous_id, text=text,
                submission_uuid=submission_uuid), True
    except IntegrityError:
        return models.Reflection.objects.get(usage_key=where.usage_key, user_id=user.user_id), False


def reflection_of(usage_key, user_id):
    """A learner's reflection row on a block, or None."""
    if not ledger.is_available():
        return None
    return _models().Reflection.objects.filter(usage_key=str(usage_key), user_id=str(user_id)).first()


def record_grade(reflection, points, max_points, grader_id):
    """Add a staff grade to a reflection (the latest grade counts)."""
    return _models().ReflectionGrade.objects.create(
        reflection=reflection, points=points, max_points=max_points, grader_id=grader_id)


def latest_grade(usage_key, anonymous_user_id):
    """(points, max_points) of the latest grade of a learner's reflection, or None."""
    if not ledger.is_available():
        return None
    grade = (_models().ReflectionGrade.objects
             .filter(reflection__usage_key=str(usage_key), reflection__anonymous_user_id=anonymous_user_id)
             .order_by('-graded_at', '-id').values_list('points', 'max_points').first())
    return tuple(grade) if grade else None


def reflections(usage_key):
    """Every reflection on a block with its latest grade, oldest first (two queries)."""
    if not ledger.is_available():
        return []
    models = _models()
    rows = list(models.Reflection.objects.filter(usage_key=str(usage_key)).order_by('submitted_at', 'id')
                .values('id', 'user_id', 'text', 'submitted_at'))
    latest = {}
    for reflection_id, points, max_points, grader, graded_at in (
            models.ReflectionGrade.objects.filter(reflection_id__in=[row['id'] for row in rows])
            .order_by('graded_at', 'id').values_list('reflection_id', 'points', 'max_points', 'grader_id',
                                                     'graded_at')):
        latest[reflection_id] = {'points': points, 'max_points': max_points, 'grader': grader,
                                 'graded_at': graded_at}
    return [{**row, 'grade': latest.get(row['id'])} for row in rows]


def record_attendance(block, user):
    """Log a learner's join; True for their first one (attendance counts each learner once)."""
    if not ledger.is_available():
        return False
    where = ledger.block_context(block)
    try:
        with transaction.atomic():
            _models().Attendance.objects.create(
                course_key=where.course_key, usage_key=where.usage_key, block_type=where.block_type,
                user_id=user.user_id, anonymous_user_id=user.anonymous_id)
    except IntegrityError:
        return False
    return True


def attendees(usage_key):
    """{user_id: first join time} of a block."""
    if not ledger.is_available():
        return {}
    return dict(_models().Attendance.objects.filter(usage_key=str(usage_key)).values_list('user_id', 'joined_at'))


WATCHED = 'watched'
COMPLETED = 'completed'
QUARTILES = (25, 50, 75, 100)


def passed(before_percent, after_percent, marks=QUARTILES):
    """Whether going from `before_percent` to `after_percent` reaches a mark not reached before."""
    return any(before_percent < mark <= after_percent for mark in marks)


def record_milestones(block, user_id, kind, values):
    """Note the `values` of `kind` a learner has reached, in one statement (each is stored once:
    values already there, from an earlier request or another tab, are skipped)."""
    if not ledger.is_available() or not values:
        return
    models = _models()
    where = ledger.block_context(block)
    models.Milestone.objects.bulk_create(
        [models.Milestone(course_key=where.course_key, usage_key=where.usage_key, block_type=where.block_type,
                          user_id=user_id, kind=kind, value=value) for value in sorted(set(values))],
        ignore_conflicts=True)


def milestones(usage_key):
    """{user_id: {kind: highest value}} of a block."""
    if not ledger.is_available():
        return {}
    out = {}
    for user_id, kind, value in _models().Milestone.objects.filter(usage_key=str(usage_key)).values_list(
            'user_id', 'kind', 'value'):
        kinds = out.setdefault(user_id, {})
        kinds[kind] = max(value, kinds.get(kind, 0))
    return out


def started(usage_key):
    """{user_id: first start} from the ledger's participation rows."""
    if not ledger.is_available():
        return {}
    from ..core.ledger.models import Participation  # pylint: disable=import-outside-toplevel
    return dict(Participation.objects.filter(usage_key=str(usage_key)).values_list('user_id', 'started_at'))
