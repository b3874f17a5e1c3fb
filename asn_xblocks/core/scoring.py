"""Grading shared by every scored asn block: weight, policy, attempts, rescoring, overrides.

A block supplies two things: `content_max_score()` (from content and settings only, because
the LMS calls `max_score()` on course publish with no learner bound) and
`attempt_raw_scores()` (each attempt's raw score recomputed from the stored answers with the
current content, which is what makes rescoring after an author fixes points work).
"""
from xblock.fields import Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from .i18n import N_

BEST = 'best'
LAST = 'last'


class ScoringMixin(ScorableXBlockMixin):
    """The Open edX grading contract, written once."""

    has_score = True
    icon_class = 'problem'

    weight = Float(
        display_name=N_('Problem weight'),
        help=N_('How many points this block is worth in the gradebook.'),
        default=1.0, scope=Scope.settings, values={'min': 0},
    )
    grading_policy = String(
        display_name=N_('Grading policy'),
        help=N_('Which attempt counts: the best one or the last one.'),
        default=BEST, scope=Scope.settings,
        values=[{'display_name': N_('Best attempt'), 'value': BEST},
                {'display_name': N_('Last attempt'), 'value': LAST}],
    )
    max_attempts = Integer(
        display_name=N_('Maximum attempts'),
        help=N_('How many times a learner may submit; 0 means no limit.'),
        default=0, scope=Scope.settings, values={'min': 0},
    )
    attempts_used = Integer(default=0, scope=Scope.user_state)
    raw_earned = Float(default=None, scope=Scope.user_state)
    raw_possible = Float(default=None, scope=Scope.user_state)

    def content_max_score(self):
        """The maximum raw score, from content and settings alone."""
        raise NotImplementedError

    def attempt_raw_scores(self):
        """Raw scores of this learner's submitted attempts, oldest first, with current content."""
        raise NotImplementedError

    # --- Open edX contract -------------------------------------------------------------
    def max_score(self):
        return self.content_max_score()

    def has_submitted_answer(self):
        return self.attempts_used > 0

    def get_score(self):
        if self.raw_earned is None:
            return Score(0.0, float(self.max_score()))
        return Score(self.raw_earned, self.raw_possible)

    def set_score(self, score):
        """Store a score. The LMS calls this back after every grade event: never publish here."""
        self.raw_earned = float(score.raw_earned)
        self.raw_possible = float(score.raw_possible)

    def calculate_score(self):
        """The score the grading policy gives over every attempt, recomputed with current content."""
        scores = self.attempt_raw_scores()
        earned = 0.0
        if scores:
            earned = max(scores) if self.grading_policy == BEST else scores[-1]
        return Score(float(earned), float(self.max_score()))

    def publish_grade(self, score=None, only_if_higher=None):
        """Publish the stored score (the instructor override task calls this with no argument)."""
        self._publish_grade(score or self.get_score(), only_if_higher)

    def rescore(self, only_if_higher):
        """Recompute with current content and keep the block's own record in step with the LMS."""
        if not self.allows_rescore() or not self.has_submitted_answer():
            return super().rescore(only_if_higher)  # raises the TypeError/ValueError the LMS expects
        new_score = self.calculate_score()
        if not (only_if_higher and new_score.raw_earned <= self.get_score().raw_earned):
            self.set_score(new_score)
        self._publish_grade(new_score, only_if_higher)
        return None

    # --- attempts ------------------------------------------------------------------------
    def attempts_remaining(self):
        """How many attempts are left (None when unlimited)."""
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.attempts_used, 0)

    def may_attempt(self):
        """Whether the learner may submit another attempt."""
        remaining = self.attempts_remaining()
        return remaining is None or remaining > 0

    def record_attempt_score(self, raw_earned):
        """Count an attempt and publish the grade the policy gives it (exactly once)."""
        self.attempts_used += 1
        possible = float(self.max_score())
        if self.grading_policy == BEST:
            previous = self.raw_earned if self.raw_earned is not None else 0.0
            self.set_score(Score(max(previous, float(raw_earned)), possible))
            self.publish_grade(Score(float(raw_earned), possible), only_if_higher=True)
        else:
            self.set_score(Score(float(raw_earned), possible))
            self.publish_grade()
