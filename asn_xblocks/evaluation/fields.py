"""The evaluation block's fields, read once into the pure survey model.

No learner answer is kept in XBlock state: answers go to the ledger under a respondent key,
and whether a learner has answered is asked of the ledger by that key, so the LMS's
per-learner state (and its reports) never says what anyone answered.
"""
import functools
import json
from datetime import date, datetime, time, timedelta, timezone

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from ..core.i18n import N_
from .model import KINDS, REACTION, Questions, Survey

DEFAULT_METHODS = ['classroom', 'case_study', 'expert_session']

@functools.lru_cache(maxsize=64)
def parse_questions(serialised):
    """The Questions of stored content (cached: content changes rarely, page views are many)."""
    return Questions.from_dict(json.loads(serialised))

def parse_date(text):
    """A `YYYY-MM-DD` setting as a date, None when empty or malformed."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None

def default_questions():
    from .defaults import default_questions as load  # pylint: disable=import-outside-toplevel
    return load()

class EvaluationFields(XBlockMixin):
    """Settings (survey kind, methods, the training record) and the survey content."""

    display_name = String(display_name=N_('Display name'), default='Evaluasi Pelatihan', scope=Scope.settings)
    survey = String(display_name=N_('Survey'), default=REACTION, scope=Scope.settings,
                    values=[{'display_name': name, 'value': value} for value, name in KINDS.items()])
    methods = List(display_name=N_('Training methods used'), default=DEFAULT_METHODS, scope=Scope.settings)
    questions = Dict(help=N_('The survey items (see the evaluation format).'), default=default_questions(),
                     scope=Scope.content)
    show_dashboard = Boolean(display_name=N_('Show the course dashboard to staff'), default=True,
                             scope=Scope.settings)
    follow_up_days = Integer(display_name=N_('Follow-up opens after (days)'), default=30, scope=Scope.settings)
    course_name = String(display_name=N_('Training name'), default='', scope=Scope.settings)
    organiser = String(display_name=N_('Organising institution'), default='', scope=Scope.settings)
    jp_hours = Float(display_name=N_('Training hours (JP)'), default=0.0, scope=Scope.settings)
    start_date = String(display_name=N_('Start date'), default='', scope=Scope.settings)
    end_date = String(display_name=N_('End date'), default='', scope=Scope.settings)
    certificate_number = String(
        display_name=N_('Certificate number'),
        help=N_('The certificate number pattern; {n} becomes a running number per learner.'),
        default='', scope=Scope.settings)

    @property
    def model(self):
        return parse_questions(json.dumps(self.questions, sort_keys=True))

    @property
    def survey_model(self):
        return Survey.of(self.model, self.survey, self.methods)

    def follow_up_opens_at(self):
        """When a follow-up survey opens (UTC midnight N days after the end date), or None."""
        end = parse_date(self.end_date)
        if end is None:
            return None
        return datetime.combine(end + timedelta(days=self.follow_up_days), time(), tzinfo=timezone.utc)

    def is_open(self, now):
        """Before and reaction surveys are always open; a follow-up from its opening time on."""
        if self.survey != 'follow_up':
            return True
        opens = self.follow_up_opens_at()
        return opens is not None and now >= opens
