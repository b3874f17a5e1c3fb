"""Writing to and reading from the result ledger without importing Django models at import time.

The blocks also run where the ledger app is not installed (a runtime without our plugin app);
there they keep working, nothing is recorded, and staff see `UNAVAILABLE_NOTICE`.
"""
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction

from ..i18n import N_

APP = 'asn_xblocks.core.ledger'
UNAVAILABLE_NOTICE = N_(
    'The asn_xblocks result ledger is not installed on this site: grades still reach the '
    'gradebook, but reports and the evaluation dashboard will have no data. Ask the site '
    'operator to install the package as a plugin app and run migrations.')


@dataclass(frozen=True)
class BlockContext:
    """Where an attempt was made."""

    course_key: str
    usage_key: str
    block_type: str


@dataclass(frozen=True)
class Submission:
    """One attempt as a block hands it to the ledger."""

    user_id: str
    anonymous_user_id: str
    attempt_number: int
    score: float
    max_score: float
    answers: dict
    competencies: dict = field(default_factory=dict)  # code -> (earned, possible)
    summary: str = ''  # the block's compact record for cohort reports (an AttemptSummary row)
    phase: str = ''
    pairing_key: str = ''
    started_at: object = None


def is_available():
    """Whether the ledger app is installed (and so has tables) on this site."""
    return apps.ready and apps.is_installed(APP)


def block_context(block):
    """Course key, usage key and block type of `block`, in any runtime.

    LMS usage keys carry their course. The workbench's string ids start with the scenario's
    slug (`<scenario>.<type>.d0.u0`), so a scenario plays the part of a course there.
    """
    usage = block.scope_ids.usage_id
    course = getattr(usage, 'course_key', None) or getattr(usage, 'context_key', None)
    if course is None:
        course = 'workbench:' + str(usage).split('.', 1)[0]
    return BlockContext(
        course_key=str(course),
        usage_key=str(usage),
        block_type=block.scope_ids.block_type,
    )


def record_attempt(block, submission):
    """Store `submission` once; return (attempt row or None, whether this call created it).

    A second request for the same attempt number (double click, two tabs, two workers) hits
    the unique constraint and gets the first row back with created=False, so the caller does
    not publish a second grade.
    """
    if not is_available():
        return None, True
    from .models import Attempt, AttemptSummary, CompetencyScore  # pylint: disable=import-outside-toplevel

    where = block_context(block)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                course_key=where.course_key, usage_key=where.usage_key, block_type=where.block_type,
                user_id=submission.user_id, anonymous_user_id=submission.anonymous_user_id,
                attempt_number=submission.attempt_number, phase=submission.phase,
                pairing_key=submission.pairing_key, score=submission.score,
                max_score=submission.max_score, answers=submission.answers,
                started_at=submission.started_at,
            )
            if submission.summary:
                AttemptSummary.objects.create(
                    attempt=attempt, course_key=where.course_key, pairing_key=submission.pairing_key,
                    phase=submission.phase, user_id=submission.user_id, attempt_number=submission.attempt_number,
                    percent=attempt.percent, text=submission.summary)
            CompetencyScore.objects.bulk_create([
                CompetencyScore(attempt=attempt, competency=code, earned=earned, possible=possible)
                for code, (earned, possible) in sorted(submission.competencies.items())
            ])
    except IntegrityError:
        existing = Attempt.objects.get(
            usage_key=where.usage_key, user_id=submission.user_id,
            attempt_number=submission.attempt_number)
        return existing, False
    return attempt, True


def record_start(block, user_id, anonymous_user_id=''):
    """Note that a learner started `block` (only the first start counts); True if this was it."""
    if not is_available():
        return False
    from .models import Participation  # pylint: disable=import-outside-toplevel

    where = block_context(block)
    try:
        with transaction.atomic():
            Participation.objects.create(
                course_key=where.course_key, usage_key=where.usage_key, block_type=where.block_type,
                user_id=user_id, anonymous_user_id=anonymous_user_id)
    except IntegrityError:
        return False
    return True


def started_count(usage_key):
    """How many learners have started the block (0 where the ledger is unavailable)."""
    if not is_available():
        return 0
    from .models import Participation  # pylint: disable=import-outside-toplevel

    return Participation.objects.filter(usage_key=usage_key).count()


def attempts_of_block(block):
    """The ledger rows of one block, oldest first (empty where the ledger is unavailable)."""
    if not is_available():
        return []
    from .models import Attempt  # pylint: disable=import-outside-toplevel

    return Attempt.objects.filter(usage_key=block_context(block).usage_key).order_by('submitted_at', 'id')


RECORD_FIELDS = ('id', 'user_id', 'attempt_number', 'score', 'max_score', 'answers', 'submitted_at')
RECORD_CHUNK = 500  # attempts per competency query: well under SQLite's bound-parameter limit


def attempt_records(usage_key):
    """Every attempt at one block as a plain dict, ordered by (user_id, attempt_number).

    Keys: user_id, attempt_number, score, max_score, answers, submitted_at and competencies
    ({code: (earned, possible)}). Streams: attempts are read with `.values().iterator()` on the
    (usage_key, user_id, attempt_number) unique index, and the competency scores of each chunk of
    RECORD_CHUNK attempts come in one more query (one extra query for most blocks). An attempt
    and its competency rows are committed together, so every attempt read has all of its own.
    No XBlock state is loaded. Nothing is yielded where the ledger is unavailable.
    """
    if not is_available():
        return
    from .models import Attempt  # pylint: disable=import-outside-toplevel

    rows = (Attempt.objects.filter(usage_key=str(usage_key)).order_by('user_id', 'attempt_number')
            .values(*RECORD_FIELDS).iterator(chunk_size=RECORD_CHUNK))
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == RECORD_CHUNK:
            yield from _with_competencies(chunk)
            chunk = []
    if chunk:
        yield from _with_competencies(chunk)


def _with_competencies(chunk):
    from .models import CompetencyScore  # pylint: disable=import-outside-toplevel

    scores = {}
    for attempt_id, code, earned, possible in CompetencyScore.objects.filter(
            attempt_id__in=[row['id'] for row in chunk]).order_by('competency').values_list(
            'attempt_id', 'competency', 'earned', 'possible'):
        scores.setdefault(attempt_id, {})[code] = (earned, possible)
    for row in chunk:
        record = {key: value for key, value in row.items() if key != 'id'}
        record['competencies'] = scores.get(row['id'], {})
        yield record


SUMMARY_FIELDS = ('user_id', 'attempt_number', 'percent', 'text')


def paired_attempt(block, pairing_key, phase, user_id):
    """The learner's first attempt of `phase` under `pairing_key` in the block's course, or None.

    Paired blocks (a pre-test and a post-test) find each other through this, in the LMS and the
    workbench alike: by course, pairing key and phase, never by usage key. The dict has
    SUMMARY_FIELDS and the attempt's recorded `competencies` ({code: (earned, possible)}).
    """
    if not is_available():
        return None
    from .models import AttemptSummary, CompetencyScore  # pylint: disable=import-outside-toplevel

    found = (AttemptSummary.objects.filter(course_key=block_context(block).course_key, pairing_key=pairing_key,
                                           phase=phase, user_id=str(user_id))
             .order_by('attempt_number').values('attempt_id', *SUMMARY_FIELDS).first())
    if found is None:
        return None
    found['competencies'] = {code: (earned, possible) for code, earned, possible in CompetencyScore.objects.filter(
        attempt_id=found.pop('attempt_id')).values_list('competency', 'earned', 'possible')}
    return found


def phase_records(course_key, pairing_key, phase):
    """(user_id, attempt_number, percent, summary text) of every attempt of `phase` under
    `pairing_key` in a course, ordered by learner then attempt, streamed from the narrow summary
    table along its index: a report over a large cohort reads a few hundred bytes per learner."""
    if not is_available():
        return
    from .models import AttemptSummary  # pylint: disable=import-outside-toplevel

    yield from (AttemptSummary.objects.filter(course_key=str(course_key), pairing_key=pairing_key, phase=phase)
                .order_by('user_id', 'attempt_number').values_list(*SUMMARY_FIELDS)
                .iterator(chunk_size=RECORD_CHUNK * 4))
