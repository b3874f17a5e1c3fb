"""The training evaluation XBlock: a thin shell over the modules beside it.

A survey (before, reaction or follow-up) for learners, stored anonymously in the result
ledger; for course staff, the course's monitoring-and-evaluation dashboard under it. Not
scored: completion is reported when the learner sends the survey.
"""
import hashlib

from xblock.core import XBlock

from ..core.completion import CompletionMixin
from ..core.i18n import current_locale
from ..core.rendering import ResourcesMixin, fragment, render_template
from ..core.users import current_user
from .defaults import workbench_scenarios
from .fields import EvaluationFields
from .learner import LearnerMixin
from .olx import EvaluationOlxMixin
from .staff import StaffMixin
from .studio import StudioMixin


@XBlock.wants('user')
@XBlock.needs('i18n')
class EvaluationBlock(LearnerMixin, StaffMixin, StudioMixin, EvaluationOlxMixin, EvaluationFields,
                      CompletionMixin, ResourcesMixin, XBlock):
    """Reaction and follow-up surveys and the course's monitoring-and-evaluation dashboard."""

    icon_class = 'other'
    tracking_events = frozenset({'asn.evaluation.submitted'})

    def learner_fragment(self, dashboard):
        locale = current_locale(self)
        context = self.survey_context(current_user(self), locale)
        context.update(dashboard=dashboard,
                       uid='asn-ev-' + hashlib.sha256(str(self.scope_ids.usage_id).encode()).hexdigest()[:12])
        html = render_template(self, __name__, 'survey.html', context)
        return fragment(self, html, css=('public/evaluation/evaluation.css',), js=('public/evaluation/evaluation.js',),
                        init='AsnEvaluation', init_args={'status': context['status']})

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return self.learner_fragment(self.staff_dashboard())

    @staticmethod
    def workbench_scenarios():
        return workbench_scenarios()
