"""Ledger models: one row per submitted attempt, one per competency sub-score.

Rows are append-only. A unique constraint on (usage key, user, attempt number) is what
makes a double click, a second tab or a second LMS worker unable to record an attempt twice.
"""
from django.db import models


class ImmutableRowError(Exception):
    """Raised when code tries to change or delete a recorded attempt."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes: the ledger is evidence, not scratch space."""

    def update(self, **kwargs):
        raise ImmutableRowError('Ledger rows cannot be updated.')

    def delete(self):
        raise ImmutableRowError('Ledger rows cannot be deleted.')


class AppendOnlyModel(models.Model):
    """A model whose rows are written once."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError('Ledger rows cannot be updated.')
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError('Ledger rows cannot be deleted.')


class LearnerBlockRow(AppendOnlyModel):
    """Where and by whom: the columns every per-learner ledger row of a block starts with."""

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    block_type = models.CharField(max_length=64)
    user_id = models.CharField(max_length=64)
    anonymous_user_id = models.CharField(max_length=64, blank=True, default='')

    class Meta:
        abstract = True


class Attempt(LearnerBlockRow):
    """A learner's submitted attempt at one block."""

    attempt_number = models.PositiveIntegerField()
    phase = models.CharField(max_length=16, blank=True, default='')
    pairing_key = models.CharField(max_length=100, blank=True, default='')
    score = models.FloatField()
    max_score = models.FloatField()
    answers = models.JSONField(default=dict)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=['usage_key', 'user_id', 'attempt_number'], name='asn_attempt_once'),
        ]
        indexes = [
            models.Index(fields=['course_key', 'block_type'], name='asn_attempt_course_type'),
            models.Index(fields=['course_key', 'pairing_key', 'phase'], name='asn_attempt_pairing'),
            models.Index(fields=['usage_key', 'user_id'], name='asn_attempt_block_user'),
        ]

    def __str__(self):
        return f'{self.usage_key} · {self.user_id} · #{self.attempt_number}'

    @property
    def percent(self):
        """The score as a percentage of the maximum (0 when nothing was possible)."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class Participation(LearnerBlockRow):
    """A learner's first start of a block: the top of every participation funnel.

    Attempts say who finished; this says who began, so reports can show how many started
    and the evaluation dashboard can draw a funnel across a course's blocks.
    """

    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=['usage_key', 'user_id'], name='asn_participation_once'),
        ]
        indexes = [models.Index(fields=['course_key', 'block_type'], name='asn_participation_course')]

    def __str__(self):
        return f'{self.usage_key} · {self.user_id} started {self.started_at:%Y-%m-%d}'


class AttemptSummary(AppendOnlyModel):
    """A few hundred bytes per attempt that cohort-wide reports read instead of its answers.

    Kept in its own narrow table, indexed in the order reports read it (a phase of a pairing
    key, learner by learner), so that a report over 100,000 learners scans short rows and never
    touches the attempts' full answers. The block that writes `text` defines its format.
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, primary_key=True, related_name='summary')
    course_key = models.CharField(max_length=255)
    pairing_key = models.CharField(max_length=100, blank=True, default='')
    phase = models.CharField(max_length=16, blank=True, default='')
    user_id = models.CharField(max_length=64)
    attempt_number = models.PositiveIntegerField()
    percent = models.FloatField()
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=['course_key', 'pairing_key', 'phase', 'user_id', 'attempt_number'],
                                name='asn_summary_report_order')]

    def __str__(self):
        return f'{self.attempt_id}: {self.text[:40]}'


class CompetencyScore(AppendOnlyModel):
    """Points earned and possible for one competency within one attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name='competency_scores')
    competency = models.CharField(max_length=32)
    earned = models.FloatField()
    possible = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=['attempt', 'competency'], name='asn_competency_once'),
        ]
        indexes = [models.Index(fields=['competency'], name='asn_competency_code')]

    def __str__(self):
        return f'{self.attempt_id} · {self.competency}: {self.earned}/{self.possible}'


class Reflection(LearnerBlockRow):
    """A learner's written reflection on a block (one per learner and block).

    `submission_uuid` is the edx-submissions id where the LMS has that API: staff grades go
    there, so the learner's gradebook changes, never the grading staff member's.
    """

    text = models.TextField()
    submission_uuid = models.CharField(max_length=64, blank=True, default='')
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=['usage_key', 'user_id'], name='asn_reflection_once')]
        indexes = [models.Index(fields=['course_key', 'block_type'], name='asn_reflection_course')]

    def __str__(self):
        return f'{self.usage_key} · {self.user_id} reflected'


class ReflectionGrade(AppendOnlyModel):
    """A staff grade of a reflection; a regrade adds a row and the latest one counts."""

    reflection = models.ForeignKey(Reflection, on_delete=models.PROTECT, related_name='grades')
    points = models.FloatField()
    max_points = models.FloatField()
    grader_id = models.CharField(max_length=64)
    graded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=['reflection', 'graded_at'], name='asn_reflection_grade_latest')]

    def __str__(self):
        return f'{self.reflection_id}: {self.points}/{self.max_points} by {self.grader_id}'


class Attendance(LearnerBlockRow):
    """A learner's first join of a live session through the block (a join click, logged)."""

    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=['usage_key', 'user_id'], name='asn_attendance_once')]
        indexes = [models.Index(fields=['course_key', 'block_type'], name='asn_attendance_course')]

    def __str__(self):
        return f'{self.usage_key} · {self.user_id} joined {self.joined_at:%Y-%m-%d %H:%M}'


class Milestone(AppendOnlyModel):
    """A point a learner passed in a block, once: e.g. watched 25/50/75/100 % of a recording,
    or completed the block. Staff funnels and distributions count these rows instead of
    reading every learner's XBlock state."""

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    block_type = models.CharField(max_length=64)
    user_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16)
    value = models.PositiveSmallIntegerField(default=0)
    reached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=['usage_key', 'user_id', 'kind', 'value'],
                                               name='asn_milestone_once')]
        indexes = [models.Index(fields=['usage_key', 'kind'], name='asn_milestone_block_kind')]

    def __str__(self):
        return f'{self.usage_key} · {self.user_id} {self.kind} {self.value}'


class SurveyResponse(AppendOnlyModel):
    """One learner's answers to one evaluation survey, stored under a keyed hash, never their id.

    `respondent` is HMAC(per-course key, anonymous user id) (evaluation/privacy.py): the same
    learner has the same respondent key in every survey of a course, so before/after answers can
    be linked, but no row names a learner. The unique constraint makes a second answer impossible.
    """

    course_key = models.CharField(max_length=255)
    usage_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    respondent = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default='')
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=['usage_key', 'respondent'], name='asn_survey_once')]
        indexes = [models.Index(fields=['course_key', 'kind'], name='asn_survey_course_kind')]

    def __str__(self):
        return f'{self.usage_key} · {self.kind} · {self.respondent[:8]}'
