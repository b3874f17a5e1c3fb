"""The pre/post competency assessment XBlock: a thin shell that stores state and calls the pure modules.

A learner's attempt lives in one user_state field, `current`: the drawn form (items, order,
opaque option ids; no key), the answers saved so far and the confidence ratings. Submitting
moves it, scored, to `submitted` (kept for rescoring) and to the result ledger, where the
paired block of the other phase finds it by course, pairing key and phase.
"""
import functools
import hashlib
import hmac
import json
from datetime import datetime, timezone

from django.conf import settings as django_settings
from xblock.core import XBlock
from xblock.fields import Boolean, DateTime, Dict, Integer, List, Scope, String

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
from . import policy, scoring, summary
from .defaults import default_bank, workbench_scenarios
from .forms import Form, draw_form
from .model import MAX_OPTIONS, Bank
from .olx import AssessmentOlxMixin
from .staff import AssessmentStaffMixin
from .studio import AssessmentStudioMixin

#: The raw maximum: forms drawn per learner may differ in points, so the grade is the percent
#: of the learner's own form and max_score() needs no learner.
SCORE_SCALE = 100.0
MAX_FORM_ITEMS = 200

ATTEMPT = {'type': 'integer', 'minimum': 1, 'maximum': 10000}
ANSWER_VALUE = {'anyOf': [
    {'type': 'array', 'maxItems': MAX_OPTIONS, 'items': {'type': 'string', 'maxLength': 64}},
    {'type': 'integer', 'minimum': -1000, 'maximum': 1000},
]}
ANSWERS = {'type': 'object', 'maxProperties': MAX_FORM_ITEMS, 'additionalProperties': ANSWER_VALUE}
CONFIDENCE = {'type': 'object', 'maxProperties': MAX_FORM_ITEMS, 'additionalProperties': {
    'type': 'integer', 'minimum': min(policy.CONFIDENCE_LEVELS), 'maximum': max(policy.CONFIDENCE_LEVELS)}}
ANSWER_SCHEMA = fields(attempt=ATTEMPT, answers=ANSWERS, confidence=CONFIDENCE)

MESSAGES = {
    'no_user': N_('You need to be signed in to take this test.'),
    'not_open': N_('This test is not open yet.'),
    'closed': N_('This test is closed.'),
    'needs_pre': N_('Take the pre-test first: this post-test opens after it.'),
    'no_attempts': N_('You have used all your attempts.'),
    'in_progress': N_('You have already started this test. The page now shows your questions.'),
    'not_started': N_('Start the test first.'),
    'stale_attempt': N_('This attempt has already been submitted. The page now shows your result.'),
    'confidence_unknown': N_('A confidence rating was sent for a question that is not in your test.'),
}


def utc_now():
    return datetime.now(timezone.utc)


@XBlock.wants('user')
@XBlock.needs('i18n')
class AssessmentBlock(AssessmentStaffMixin, AssessmentOlxMixin, AssessmentStudioMixin,
                      ScoringMixin, CompletionMixin, ResourcesMixin, XBlock):
    """A pre-test or post-test drawn from an item bank tagged with ASN competencies."""

    tracking_events = frozenset({'asn.assessment.started', 'asn.assessment.submitted'})

    display_name = String(display_name=N_('Display name'), default='Asesmen Kompetensi', scope=Scope.settings)
    phase = String(display_name=N_('Phase'), default='pre', scope=Scope.settings,
                   values=[{'display_name': name, 'value': value} for value, name in policy.PHASE_NAMES.items()])
    pairing_key = String(
        display_name=N_('Pairing key'),
        help=N_('The same key on a pre-test and a post-test of one course pairs them.'),
        default='asesmen-kompetensi', scope=Scope.settings)
    bank = ContentDict(help=N_('The item bank (see the assessment format).'), default=default_bank(), scope=Scope.content)
    items_per_competency = Integer(
        display_name=N_('Items per competency'),
        help=N_('How many graded items each learner gets per competency; 0 means every item.'),
        default=0, scope=Scope.settings, values={'min': 0})
    require_pre = Boolean(
        display_name=N_('Post-test only after the pre-test'), default=True, scope=Scope.settings)
    show_answers = String(
        display_name=N_('Show answers'), default=policy.SHOW_NEVER, scope=Scope.settings,
        values=[{'display_name': name, 'value': value} for value, name in policy.SHOW_ANSWER_POLICIES.items()])
    show_comparison = Boolean(
        display_name=N_('Show the pre-test beside the post-test'),
        help=N_('After the post-test, show each competency score beside the pre-test score.'),
        default=True, scope=Scope.settings)
    ask_confidence = Boolean(
        display_name=N_('Ask for confidence'), help=N_('Ask how sure the learner is of each answer.'),
        default=False, scope=Scope.settings)
    opens_at = DateTime(display_name=N_('Opens at (UTC)'), default=None, scope=Scope.settings)
    closes_at = DateTime(display_name=N_('Closes at (UTC)'), default=None, scope=Scope.settings)
    max_attempts = Integer(
        display_name=N_('Maximum attempts'),
        help=N_('How many times a learner may submit; 0 means no limit.'),
        default=1, scope=Scope.settings, values={'min': 0})

    current = Dict(default={}, scope=Scope.user_state)
    submitted = List(default=[], scope=Scope.user_state)

    _parsed = None  # (the bank dict it was read from, the Bank)

    # --- content ------------------------------------------------------------------------
    @property
    def model(self):
        """The item bank as the scoring modules' dataclasses, read once per stored bank."""
        bank = self.bank
        if self._parsed is None or self._parsed[0] is not bank:
            self._parsed = (bank, parse_bank(json.dumps(bank, sort_keys=True)))
        return self._parsed[1]

    def content_max_score(self):
        return SCORE_SCALE

    def attempt_raw_scores(self):
        bank = self.model
        return [scored_percent(scoring.score_form(Form.from_dict(entry['form']), bank, entry['responses']))
                for entry in self.submitted]

    def secret(self):
        """The per-block key of forms and option ids: derived, so nothing secret is stored in content."""
        return hmac.new(django_settings.SECRET_KEY.encode(), b'asn-assessment:' + str(
            self.scope_ids.usage_id).encode(), hashlib.sha256).hexdigest()

    # --- state --------------------------------------------------------------------------
    def window(self):
        return policy.window(utc_now(), self.opens_at, self.closes_at)

    def pre_attempt(self, user):
        """The learner's pre-test ledger record when this is a post-test, else None."""
        if self.phase != 'post' or user is None:
            return None
        return ledger.paired_attempt(self, self.pairing_key, 'pre', user.user_id)

    def status(self, user):
        """What the learner can do now, one word the page and the handlers share: in_progress,
        not_open, closed, no_attempts, needs_pre or ready (to start a first or a new attempt)."""
        window = self.window()
        if self.current:
            return 'in_progress' if window == policy.OPEN else window
        if window != policy.OPEN:
            return window
        if not self.may_attempt():
            return 'no_attempts'
        if self.phase == 'post' and self.require_pre and self.pre_attempt(user) is None:
            return 'needs_pre'
        return 'ready'

    def learner_payload(self, user):
        """Everything the page needs: the form while answering, the result after; never the key before release."""
        locale = current_locale(self)
        payload = {
            'phase': self.phase,
            'status': self.status(user),
            'opens_at': iso(self.opens_at), 'closes_at': iso(self.closes_at),
            'ask_confidence': self.ask_confidence,
            'attempts_used': self.attempts_used,
            'attempts_remaining': self.attempts_remaining(),
        }
        if self.current:
            form = Form.from_dict(self.current['form'])
            payload['attempt'] = self.current['number']
            payload['form'] = scoring.public_view(form, self.model, locale, self.current.get('answers'))
            payload['confidence'] = self.current.get('confidence', {})
        elif self.submitted:
            payload['result'] = self.result(user, self.submitted[-1], locale)
        return payload

    def result(self, user, entry, locale):
        """The learner's result for a submitted attempt: score, and what the author lets them see."""
        bank = self.model
        form = Form.from_dict(entry['form'])
        score = scoring.score_form(form, bank, entry['responses'])
        result = {'attempt': entry['number'], 'percent': scored_percent(score),
                  'counted': self.raw_earned, 'comparison': None, 'review': None}
        if self.phase == 'post' and self.show_comparison:
            pre = self.pre_attempt(user)
            result['comparison'] = comparison(pre, score, locale)
        if policy.may_review(self.show_answers, utc_now(), self.closes_at):
            result['review'] = scoring.review_view(form, bank, entry['responses'], locale)
        return result

    # --- views ----------------------------------------------------------------------------
    def student_view(self, context=None):
        _ = gettext_for(self)
        locale = current_locale(self)
        bank = self.model
        staff = is_staff(self)
        html = render_template(self, __name__, 'assessment.html', {
            'locale': locale,
            'title': bank.title.get(locale),
            'phase_name': _(policy.PHASE_NAMES.get(self.phase, self.phase)),
            'instructions': bank.instructions.get(locale) if bank.instructions else '',
            'ledger_notice': _(ledger.UNAVAILABLE_NOTICE) if staff and not ledger.is_available() else '',
        })
        staff_panel = self.staff_fragment_context()  # None unless staff
        return fragment(
            self, html,
            css=('public/assessment/assessment.css', *(staff_panel['css'] if staff_panel else ())),
            js=('public/assessment/assessment.js', *(staff_panel['js'] if staff_panel else ())),
            init='AsnAssessment',
            init_args={'state': self.learner_payload(current_user(self)),
                       'staff': staff_panel['init_args'] if staff_panel else None})

    def student_view_data(self, context=None):
        """For the mobile app: the test's public face (the form comes from the `start` handler)."""
        locale = current_locale(self)
        bank = self.model
        return {'display_name': self.display_name, 'phase': self.phase, 'title': bank.title.get(locale),
                'instructions': bank.instructions.get(locale) if bank.instructions else '',
                'max_attempts': self.max_attempts, 'opens_at': iso(self.opens_at), 'closes_at': iso(self.closes_at)}

    # --- learner handlers -----------------------------------------------------------------
    @json_handler(NO_FIELDS)
    def load(self, data, suffix=''):
        """The current state (resume after a reload or on another device)."""
        return self.learner_payload(current_user(self))

    @json_handler(NO_FIELDS)
    def start(self, data, suffix=''):
        """Draw the learner's form for a new attempt and keep it fixed until they submit."""
        user = self.signed_in()
        state = self.status(user)
        if state == 'in_progress':
            raise HandlerError(MESSAGES['in_progress'], extra={'state': self.learner_payload(user)})
        if state != 'ready':
            raise HandlerError(MESSAGES[state])
        number = self.attempts_used + 1
        pre = self.pre_attempt(user)
        seen = summary.parse(pre['text']).item_ids if pre else ()
        size = self.items_per_competency or None
        form = draw_form(self.model, secret=self.secret(), learner=user.anonymous_id, phase=self.phase,
                         attempt=number, per_competency=size, seen=seen)
        self.current = {'number': number, 'form': form.to_dict(), 'answers': {}, 'confidence': {},
                        'started_at': utc_now().isoformat()}
        ledger.record_start(self, user.user_id, user.anonymous_id)
        track(self, 'asn.assessment.started', {'phase': self.phase, 'attempt': number,
                                               'items': len(form.items), 'reused_items': len(form.reused_item_ids)})
        return self.learner_payload(user)

    @json_handler(ANSWER_SCHEMA)
    def save_answers(self, data, suffix=''):
        """Keep the answers given so far (autosave), so none is lost to a closed tab."""
        self.signed_in()
        form = self.open_attempt(data['attempt'])
        answers = self.read_answers(form, data, require_all=False)
        self.current = {**self.current, 'answers': answers, 'confidence': data['confidence']}
        return {'saved': len(answers)}

    @json_handler(ANSWER_SCHEMA)
    def submit(self, data, suffix=''):
        """Score the attempt on the server, record it once, publish the grade once."""
        user = self.signed_in()
        form = self.open_attempt(data['attempt'])
        responses = self.read_answers(form, data, require_all=True)
        score = scoring.score_form(form, self.model, responses)
        entry = {'number': self.current['number'], 'form': self.current['form'], 'responses': responses,
                 'confidence': data['confidence']}
        percent = scored_percent(score)
        _row, created = ledger.record_attempt(self, ledger.Submission(
            user_id=user.user_id, anonymous_user_id=user.anonymous_id, attempt_number=entry['number'],
            score=percent, max_score=SCORE_SCALE, phase=self.phase, pairing_key=self.pairing_key,
            answers={'form': entry['form'], 'responses': responses, 'confidence': data['confidence']},
            competencies={c.code: (c.earned, c.possible) for c in score.competencies},
            summary=summary.attempt_summary(score, responses, data['confidence'], self.model),
            started_at=parse_iso(self.current.get('started_at')),
        ))
        if created:
            self.submitted = [*self.submitted, entry]
            self.current = {}
            self.record_attempt_score(percent)
            self.report_completion(1.0)
            track(self, 'asn.assessment.submitted', {'phase': self.phase, 'attempt': entry['number'],
                                                     'percent': percent})
        else:  # another request recorded this attempt first: show its result, change nothing
            self.current = {}
        return self.learner_payload(user)

    # --- checks -------------------------------------------------------------------------------
    def signed_in(self):
        user = current_user(self)
        if user is None:
            raise HandlerError(MESSAGES['no_user'], status=403)
        return user

    def open_attempt(self, number):
        """The form of the attempt the browser names, if it is the learner's open one inside the window."""
        if not self.current:
            raise HandlerError(MESSAGES['stale_attempt'] if self.submitted else MESSAGES['not_started'],
                               extra={'code': 'stale_attempt'})
        if number != self.current['number']:
            raise HandlerError(MESSAGES['stale_attempt'], extra={'code': 'stale_attempt'})
        window = self.window()
        if window != policy.OPEN:
            raise HandlerError(MESSAGES[window])
        return Form.from_dict(self.current['form'])

    def read_answers(self, form, data, require_all):
        """The learner's answers as bank option ids and Likert values, or a translated 400."""
        bank = self.model
        try:
            responses = scoring.read_submission(form, bank, data['answers'], require_all=require_all)
        except scoring.SubmissionError as error:
            raise HandlerError(scoring.SUBMISSION_MESSAGES[error.code], extra={'code': error.code},
                               **error.params) from error
        graded = {item.id for _n, _fi, item in scoring.live_items(form, bank) if item.graded}
        if not set(data['confidence']) <= graded:
            raise HandlerError(MESSAGES['confidence_unknown'])
        return responses

    @staticmethod
    def workbench_scenarios():
        return workbench_scenarios()


@functools.lru_cache(maxsize=64)
def parse_bank(serialised):
    """The Bank of stored content (cached across requests: content changes rarely)."""
    return Bank.from_dict(json.loads(serialised))


def scored_percent(score):
    """The attempt's raw grade on SCORE_SCALE (0 for a form with nothing graded)."""
    return round(score.percent, 6) if score.percent is not None else 0.0


def comparison(pre, score, locale):
    """Per competency, the pre-test percent (as recorded) beside this post-test's; None where not measured."""
    recorded = (pre or {}).get('competencies', {})
    catalogue = competencies.standard_catalogue()
    return {'pre_percent': pre['percent'] if pre else None,
            'competencies': [{'code': item.code, 'label': catalogue.label_of(item.code, locale),
                              'pre': 100.0 * recorded[item.code][0] / recorded[item.code][1]
                              if recorded.get(item.code, (0, 0))[1] else None,
                              'post': item.percent} for item in score.competencies]}


def iso(value):
    return value.isoformat() if value is not None else None


def parse_iso(text):
    return datetime.fromisoformat(text) if text else None
