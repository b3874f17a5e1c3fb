"""Staff grading of a reflection: the score must reach the *learner's* gradebook.

A staff member's request is bound to the staff member: a `grade` event published there would
grade the staff member. The LMS offers two ways to score someone else: the `rebind_user`
service, which works only in a block bound to an anonymous user (LTI's noauth callbacks, not a
staff member's request), and edx-submissions, which ORA2 and the staff-graded assignment blocks
use: the learner's reflection is a submission under the learner's anonymous id, staff set its
score, and the LMS's `score_set` receiver updates that learner's grade (submissions scores
count as already weighted, and take precedence over the block's own state).

So the block talks to one interface, `ScoreBackend`: `create_submission` when a learner
reflects, `set_score` when staff grade, `score_of` for the learner's view. `SubmissionsBackend`
is edx-submissions; `LedgerBackend` serves the same calls from the ledger's grade rows where
edx-submissions is not installed (the workbench), so both paths run the same block code.
"""
from . import records


def student_item(block, anonymous_id):
    """The edx-submissions key of a learner's answer to this block."""
    usage = block.scope_ids.usage_id
    course = getattr(usage, 'course_key', None) or getattr(usage, 'context_key', None)
    return {'student_id': anonymous_id, 'course_id': str(course or records.ledger.block_context(block).course_key),
            'item_id': str(usage), 'item_type': block.scope_ids.block_type}


class SubmissionsBackend:
    """edx-submissions (installed in every LMS that runs ORA2)."""

    def __init__(self, api):
        self.api = api

    def create_submission(self, item, answer):
        return self.api.create_submission(item, answer)['uuid']

    def set_score(self, submission_uuid, fraction, weight):
        """Scores in edx-submissions are weighted points: a fraction of the block's weight."""
        self.api.set_score(submission_uuid, fraction * weight, weight)

    def score_of(self, item):
        """The learner's graded fraction (0..1), or None before staff graded."""
        score = self.api.get_score(item)
        if not score or not score.get('points_possible'):
            return None
        return score['points_earned'] / score['points_possible']


class LedgerBackend:
    """The same calls over the ledger's ReflectionGrade rows, which the block writes anyway."""

    def create_submission(self, item, answer):  # pylint: disable=unused-argument
        return ''  # the ledger's Reflection row is the submission

    def set_score(self, submission_uuid, fraction, weight):  # pylint: disable=unused-argument
        """Nothing more to store: the grade row the block recorded is what `score_of` reads."""

    def score_of(self, item):
        grade = records.latest_grade(item['item_id'], item['student_id'])
        if grade is None or not grade[1]:
            return None
        return grade[0] / grade[1]


def backend():
    """edx-submissions where the LMS has it installed, else the ledger."""
    try:
        from django.apps import apps  # pylint: disable=import-outside-toplevel
        if apps.is_installed('submissions'):
            from submissions import api  # pylint: disable=import-outside-toplevel,import-error
            return SubmissionsBackend(api)
    except ImportError:
        pass
    return LedgerBackend()
