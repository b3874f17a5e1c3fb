"""The case-study XBlock: a thin shell that stores state and calls the pure engine.

Everything clever (conditions, events, timeouts, scoring, validation) lives in the pure
modules beside this one; here we translate between the runtime and them.
"""
import functools
import json
import time

from xblock.core import XBlock
from xblock.fields import Dict, List, Scope, String

from ..core import competencies
from ..core.completion import CompletionMixin
from ..core.content_fields import ContentDict
from ..core.events import track
from ..core.handlers import NO_FIELDS, HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.rendering import ResourcesMixin, fragment, render_template
from ..core.scoring import ScoringMixin
from ..core.users import current_user, is_staff
from . import engine, scoring
from .defaults import default_scenario, workbench_scenarios
from .model import Scenario
from .olx import CaseStudyOlxMixin
from .staff import CaseStudyStaffMixin
from .studio import CaseStudyStudioMixin
from .statespace import max_achievable

STEP = {'type': 'integer', 'minimum': 0, 'maximum': 10000}
STEP_SCHEMA = fields(step=STEP)
CHOICE_SCHEMA = fields(step=STEP, choice={'type': 'string', 'minLength': 1, 'maxLength': 64})

MESSAGES = {
    'stale_step': N_('This step has already been answered. The page now shows where you are.'),
    'not_started': N_('Start the case study first.'),
    'no_attempts': N_('You have used all your attempts.'),
    'restart_disabled': N_('This case study cannot be restarted.'),
    'unknown_choice': N_('That choice does not exist at this step.'),
    'choice_unavailable': N_('That choice is not available now.'),
    'finished': N_('This attempt has already ended.'),
    'not_a_decision': N_('There is no decision to make at this step.'),
    'not_an_event': N_('There is nothing to continue at this step.'),
    'not_expired': N_('There is still time to answer.'),
    'undo_disabled': N_('Going back is not allowed in this case study.'),
    'nothing_to_undo': N_('There is no decision to go back to.'),
    'no_user': N_('You need to be signed in to play this case study.'),
}


@functools.lru_cache(maxsize=64)
def parse_scenario(serialised):
    """The Scenario for stored content (cached: content changes rarely, requests are many).

    The Scenario caches its own analysis, so max_achievable() on it is computed once too.
    """
    return Scenario.from_dict(json.loads(serialised))


@XBlock.wants('user')
@XBlock.needs('i18n')
class CaseStudyBlock(CaseStudyStaffMixin, CaseStudyOlxMixin, CaseStudyStudioMixin,
                     ScoringMixin, CompletionMixin, ResourcesMixin, XBlock):
    """A branching public-service scenario, graded on the server."""

    tracking_events = frozenset({'asn.case_study.choice', 'asn.case_study.completed'})

    display_name = String(
        display_name=N_('Display name'), default='Studi Kasus', scope=Scope.settings)
    scenario = ContentDict(help=N_('The scenario graph (see the scenario format).'),
                           default=default_scenario(), scope=Scope.content)
    play = Dict(default={}, scope=Scope.user_state)
    finished_paths = List(default=[], scope=Scope.user_state)

    # --- content ------------------------------------------------------------------------
    @property
    def model(self):
        """The scenario as the engine's dataclasses, looked up once per block and content."""
        content = self.scenario
        parsed = self.__dict__.get('_parsed')
        if parsed is None or parsed[0] is not content:  # new content (Studio, rescore) is a new dict
            parsed = self._parsed = (content, parse_scenario(json.dumps(content, sort_keys=True)))
        return parsed[1]

    def content_max_score(self):
        return max_achievable(self.model)

    def attempt_raw_scores(self):
        model = self.model
        possible = self.max_score()
        return [scoring.score_path(model, engine_path(path), possible).earned for path in self.finished_paths]

    # --- learner state --------------------------------------------------------------------
    def state(self):
        """The learner's PlayState, or None before the first start."""
        return engine.PlayState.from_dict(self.play) if self.play else None

    def seed(self, attempt_number):
        """Per learner and attempt, so a replay or rescore draws the same events."""
        user = current_user(self)
        return f'{user.anonymous_id if user else "anonymous"}:{attempt_number}'

    def save_state(self, state, attempt_number=None):
        """Store the state together with its attempt number, in one field.

        Runtimes load fields lazily, one by one: two simultaneous requests can read `play`
        before and `attempts_used` after the other's save. Keeping the number beside the
        state means both requests name the same attempt, and the ledger lets only one in.
        """
        self.play = {**state.to_dict(), 'attempt': attempt_number or self.play['attempt']}

    def learner_payload(self, state, feedback=None, counters=True):
        """Everything the page needs after a move: never targets, points or unseen feedback.

        A move inside an attempt cannot change the attempt counters: with `counters=False`
        they are left out (the player keeps the ones it has) and their fields are not read.
        """
        locale = current_locale(self)
        finished = bool(state and state.finished)
        payload = {
            'view': engine.current_view(self.model, state, locale, time.time()) if state else None,
            'step': len(state.path) if state else 0,
            'finished': finished,
            'can_undo': bool(state and self.model.allow_undo and not finished
                             and any(s.kind in engine.DECISION_KINDS for s in state.path)),
            'can_restart': bool(state and self.model.allow_restart and not finished),
            'can_retry': finished and self.may_attempt(),
            'feedback': feedback,
        }
        if counters:
            payload.update(attempts_used=self.attempts_used, attempts_remaining=self.attempts_remaining())
        if finished:
            payload['debrief'] = self.debrief(state, locale)
        return payload

    def debrief(self, state, locale):
        """The end-of-scenario review, with competency names from the shared catalogue."""
        review = scoring.debrief(self.model, state, locale, self.max_score())
        catalogue = competencies.standard_catalogue()
        review['competencies'] = [
            {'code': code, 'label': catalogue.label_of(code, locale), **points}
            for code, points in sorted(review['competencies'].items())
        ]
        return review

    def feedback_now(self, outcome):
        """The outcome's feedback if the author shows it immediately, else None (debrief)."""
        if outcome.feedback is None or self.model.feedback_mode != 'immediate':
            return None
        return {'text': outcome.feedback.get(current_locale(self)), 'timed_out': outcome.timed_out}

    # --- views ----------------------------------------------------------------------------
    def student_view(self, context=None):
        _ = gettext_for(self)
        locale = current_locale(self)
        model = self.model
        staff = is_staff(self)
        html = render_template(self, __name__, 'case_study.html', {
            'locale': locale,
            'started': bool(self.play),
            'title': model.title.get(locale),
            'introduction': model.introduction.get(locale) if model.introduction else '',
            'ledger_notice': _(ledger.UNAVAILABLE_NOTICE) if staff and not ledger.is_available() else '',
        })
        staff_panel = self.staff_fragment_context()  # None unless staff
        return fragment(
            self, html,
            css=('public/case_study/case_study.css', *(staff_panel['css'] if staff_panel else ())),
            js=('public/case_study/case_study.js', *(staff_panel['js'] if staff_panel else ())),
            init='AsnCaseStudy',
            init_args={'state': self.learner_payload(self.state()),
                       'staff': staff_panel['init_args'] if staff_panel else None})

    def student_view_data(self, context=None):
        """For the mobile app: the scenario's public face, never its graph or points."""
        locale = current_locale(self)
        model = self.model
        return {
            'display_name': self.display_name,
            'title': model.title.get(locale),
            'introduction': model.introduction.get(locale) if model.introduction else '',
            'max_attempts': self.max_attempts,
        }

    # --- learner handlers -----------------------------------------------------------------
    @json_handler(NO_FIELDS)
    def load(self, data, suffix=''):
        """The current step (resume after a reload or on another device)."""
        return self.learner_payload(self.state())

    @json_handler(NO_FIELDS)
    def begin(self, data, suffix=''):
        """Start the first attempt, restart the current one, or start a new attempt after an ending."""
        state = self.state()
        user = current_user(self)
        if user is None:
            raise HandlerError(MESSAGES['no_user'], status=403)
        if state and not state.finished and not self.model.allow_restart:
            raise HandlerError(MESSAGES['restart_disabled'])
        if not self.may_attempt():
            raise HandlerError(MESSAGES['no_attempts'])
        attempt_number = self.attempts_used + 1
        state = engine.start(self.model, self.seed(attempt_number), time.time())
        self.save_state(state, attempt_number)
        ledger.record_start(self, user.user_id, user.anonymous_id)
        return self.learner_payload(state)

    @json_handler(CHOICE_SCHEMA)
    def choose(self, data, suffix=''):
        """Take a choice at the current situation."""
        state = self.current_state(data['step'])
        new_state, outcome = self.move(engine.choose, state, data['choice'])
        track(self, 'asn.case_study.choice', {
            'node': outcome.node_id, 'choice': outcome.choice_id, 'timed_out': outcome.timed_out,
            'step': len(state.path)})
        return self.after_move(new_state, outcome)

    @json_handler(STEP_SCHEMA)
    def proceed(self, data, suffix=''):
        """Leave an unexpected event: the server draws what happens next."""
        state = self.current_state(data['step'])
        return self.after_move(*self.move(engine.continue_event, state))

    @json_handler(STEP_SCHEMA)
    def time_up(self, data, suffix=''):
        """The browser's timer ran out; the server checks its own clock before taking the timeout route."""
        state = self.current_state(data['step'])
        return self.after_move(*self.move(engine.expire, state))

    @json_handler(STEP_SCHEMA)
    def go_back(self, data, suffix=''):
        """Undo the last decision, where the author allows it."""
        state = self.current_state(data['step'])
        try:
            state = engine.undo(self.model, state, time.time())
        except engine.InvalidMove as error:
            raise HandlerError(MESSAGES[error.code]) from error
        self.save_state(state)
        return self.learner_payload(state, counters=False)

    def current_state(self, step):
        """The stored state, if the browser is answering the step it was shown (not a repeat)."""
        state = self.state()
        if state is None:
            raise HandlerError(MESSAGES['not_started'])
        if step != len(state.path):
            raise HandlerError(MESSAGES['stale_step'], extra={'code': 'stale_step'})
        return state

    def move(self, transition, state, *args):
        """Apply an engine transition, turning its refusals into translated 400s."""
        try:
            return transition(self.model, state, *args, time.time())
        except engine.InvalidMove as error:
            raise HandlerError(MESSAGES[error.code]) from error

    def after_move(self, state, outcome):
        """Store the new state; at an ending, record the attempt once and grade it once."""
        if state.finished:
            self.finish(state)
        self.save_state(state)
        return self.learner_payload(state, self.feedback_now(outcome), counters=state.finished)

    def finish(self, state):
        """Record the finished attempt in the ledger and publish its grade (exactly once)."""
        user = current_user(self)
        breakdown = scoring.score_path(self.model, state.path, self.max_score())
        attempt_number = self.play['attempt']
        path = [step.to_dict() for step in state.path]
        _row, created = ledger.record_attempt(self, ledger.Submission(
            user_id=user.user_id, anonymous_user_id=user.anonymous_id, attempt_number=attempt_number,
            score=breakdown.earned, max_score=self.max_score(),
            answers={'path': path, 'ending': state.ending_id, 'seed': state.seed},
            competencies=breakdown.competencies,
        ))
        if not created:
            return
        self.finished_paths = [*self.finished_paths, path]
        self.record_attempt_score(breakdown.earned)
        self.report_completion(1.0)
        track(self, 'asn.case_study.completed', {
            'attempt': attempt_number, 'ending': state.ending_id, 'score': breakdown.earned,
            'max_score': self.max_score()})

    @staticmethod
    def workbench_scenarios():
        return workbench_scenarios()


def engine_path(stored_path):
    """Recorded steps back as engine Steps."""
    return tuple(engine.Step.from_dict(step) for step in stored_path)
