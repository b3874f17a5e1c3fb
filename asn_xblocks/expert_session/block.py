"""The expert-session XBlock: a thin shell over the pure modules beside it.

Fields (fields.py), the learner's page and handlers (learner.py), Studio (studio.py), the staff
panel and reports (staff.py) and OLX (olx.py) are mixins; this class adds the grading contract
for a staff-graded reflection and the workbench pages.
"""
from xblock.core import XBlock
from xblock.scorable import Score

from ..core.completion import CompletionMixin
from ..core.rendering import ResourcesMixin
from ..core.scoring import ScoringMixin
from .defaults import workbench_scenarios
from .fields import ExpertSessionFields
from .learner import LearnerMixin
from .olx import ExpertSessionOlxMixin
from .staff import StaffMixin
from .studio import StudioMixin


@XBlock.wants('user')
@XBlock.needs('i18n')
class ExpertSessionBlock(LearnerMixin, StaffMixin, StudioMixin, ExpertSessionOlxMixin, ExpertSessionFields,
                         ScoringMixin, CompletionMixin, ResourcesMixin, XBlock):
    """A recorded or live session by academics, practitioners and civil-society organisations."""

    icon_class = 'video'

    @property
    def has_score(self):
        """Scored only when staff grade the reflection (the class itself reads as possibly scored)."""
        return bool(self.reflection_graded)

    def content_max_score(self):
        return float(self.reflection_max_points)

    def attempt_raw_scores(self):
        fraction = self.learner_score_fraction()
        return [] if fraction is None else [fraction * self.max_score()]

    def has_submitted_answer(self):
        return bool(self.record.reflection)

    def get_score(self):
        """The staff grade of this learner's reflection (from the score backend), else 0."""
        scores = self.attempt_raw_scores()
        return Score(scores[-1] if scores else 0.0, self.max_score())

    @staticmethod
    def workbench_scenarios():
        return workbench_scenarios()
