"""Course-wide reads of the result ledger for the dashboard: every query filters on an index
that starts with the course (or on a handful of usage keys), and none reads learners' XBlock state.

What each asn block leaves in the ledger: Participation (a learner started a block), Attempt
(+ CompetencyScore, AttemptSummary) for a finished case study or test, Milestone `completed`
for an expert session, SurveyResponse for a survey.
"""
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, ExpressionWrapper

from ..core.ledger import api as ledger

ASSESSMENT, CASE_STUDY, EXPERT_SESSION, EVALUATION = (
    'asn_assessment', 'asn_case_study', 'asn_expert_session', 'asn_evaluation')
COMPLETED = 'completed'  # the expert session's milestone kind for a full completion


def _models():
    from ..core.ledger import models  # pylint: disable=import-outside-toplevel
    return models


@dataclass
class BlockFigures:
    """One block of the course in the funnel."""

    usage_key: str
    block_type: str
    phase: str = ''
    pairing_key: str = ''
    started: int = 0
    finished: int = 0


def block_figures(course_key):
    """{usage key: BlockFigures} for every asn block of the course the ledger knows of.

    Four grouped queries: starts (Participation), learners with an attempt (Attempt), expert
    sessions completed (Milestone, by the expert blocks' usage keys) and survey responses.
    """
    if not ledger.is_available():
        return {}
    models = _models()
    course = str(course_key)
    blocks = {}
    for usage, block_type, n in (models.Participation.objects.filter(course_key=course)
                                 .values('usage_key', 'block_type').annotate(n=Count('id'))
                                 .values_list('usage_key', 'block_type', 'n')):
        blocks[usage] = BlockFigures(usage, block_type, started=n)
    for usage, block_type, phase, pairing, n in (
            models.Attempt.objects.filter(course_key=course)
            .values('usage_key', 'block_type', 'phase', 'pairing_key')
            .annotate(n=Count('user_id', distinct=True))
            .values_list('usage_key', 'block_type', 'phase', 'pairing_key', 'n')):
        figures = blocks.setdefault(usage, BlockFigures(usage, block_type))
        figures.phase, figures.pairing_key, figures.finished = phase, pairing, n
    experts = [usage for usage, figures in blocks.items() if figures.block_type == EXPERT_SESSION]
    for usage, n in (models.Milestone.objects.filter(usage_key__in=experts, kind=COMPLETED)
                     .values('usage_key').annotate(n=Count('id')).values_list('usage_key', 'n')):
        blocks[usage].finished = n
    for usage, kind, n in (models.SurveyResponse.objects.filter(course_key=course)
                           .values('usage_key', 'kind').annotate(n=Count('id'))
                           .values_list('usage_key', 'kind', 'n')):
        blocks[usage] = BlockFigures(usage, EVALUATION, phase=kind, started=n, finished=n)
    return blocks


def course_learners(course_key):
    """How many learners started at least one asn block of the course."""
    if not ledger.is_available():
        return 0
    return (_models().Participation.objects.filter(course_key=str(course_key))
            .values('user_id').distinct().count())


def pairing_keys(course_key):
    """The pairing keys of the course's pre/post tests (from the narrow summary table's index)."""
    if not ledger.is_available():
        return []
    return sorted(set(_models().AttemptSummary.objects.filter(course_key=str(course_key))
                      .values_list('pairing_key', flat=True).distinct()))


def case_study_competencies(course_key):
    """{competency: (mean percent over attempts, learners)} of the course's case-study attempts."""
    if not ledger.is_available():
        return {}
    percent = ExpressionWrapper(100.0 * F('earned') / F('possible'), output_field=FloatField())
    rows = (_models().CompetencyScore.objects
            .filter(attempt__course_key=str(course_key), attempt__block_type=CASE_STUDY, possible__gt=0)
            .values('competency').annotate(mean=Avg(percent), n=Count('attempt__user_id', distinct=True))
            .values_list('competency', 'mean', 'n'))
    return {code: (mean, n) for code, mean, n in rows}


def case_study_learners(course_key):
    """{user id: anonymous id} of the learners who finished a case study in the course."""
    if not ledger.is_available():
        return {}
    return dict(_models().Attempt.objects.filter(course_key=str(course_key), block_type=CASE_STUDY)
                .values_list('user_id', 'anonymous_user_id').distinct().iterator(chunk_size=5000))


def expert_session_learners(expert_usage_keys):
    """{user id: anonymous id} of the learners who completed one of the expert sessions."""
    if not ledger.is_available() or not expert_usage_keys:
        return {}
    models = _models()
    completed = set(models.Milestone.objects.filter(usage_key__in=expert_usage_keys, kind=COMPLETED)
                    .values_list('user_id', flat=True).iterator(chunk_size=5000))
    return {user_id: anonymous for user_id, anonymous in models.Participation.objects.filter(
        usage_key__in=expert_usage_keys).values_list('user_id', 'anonymous_user_id').iterator(chunk_size=5000)
        if user_id in completed}


def learner_outcomes(course_key):
    """{user id: {usage key: best percent}} of every attempt in the course, for the per-learner CSV."""
    if not ledger.is_available():
        return {}
    outcomes = {}
    for user_id, usage, score, max_score in (
            _models().Attempt.objects.filter(course_key=str(course_key))
            .values_list('user_id', 'usage_key', 'score', 'max_score').iterator(chunk_size=5000)):
        percent = 100.0 * score / max_score if max_score else 0.0
        learner = outcomes.setdefault(user_id, {})
        learner[usage] = max(percent, learner.get(usage, percent))
    return outcomes


def started_learners(course_key):
    """{user id: first start in the course} (for the per-learner and training-hours CSVs)."""
    if not ledger.is_available():
        return {}
    first = {}
    for user_id, started in (_models().Participation.objects.filter(course_key=str(course_key))
                             .values_list('user_id', 'started_at').iterator(chunk_size=5000)):
        if user_id not in first or started < first[user_id]:
            first[user_id] = started
    return first


def completed_expert_sessions(expert_usage_keys):
    """{user id: expert sessions completed}."""
    if not ledger.is_available() or not expert_usage_keys:
        return {}
    counts = {}
    for user_id in (_models().Milestone.objects.filter(usage_key__in=expert_usage_keys, kind=COMPLETED)
                    .values_list('user_id', flat=True).iterator(chunk_size=5000)):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts
