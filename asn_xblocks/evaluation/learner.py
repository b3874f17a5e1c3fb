"""The learner's side: the survey page (server-rendered, one fieldset per statement) and `submit`.

`submit` checks everything before it stores anything: signed in, survey open, every answer
known and in range; then it stores the answers once under the learner's respondent key.
A second answer hits the ledger's unique constraint and is refused; nothing else changes.
"""
from datetime import datetime, timezone

from ..core.events import track
from ..core.handlers import HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.users import current_user
from . import privacy, records
from .model import KINDS, LIKERT_LABELS, LIKERT_MAX, LIKERT_MIN, MAX_COMMENT, METHOD_STATEMENT, METHODS, AnswerError, \
    method_item_id

ANSWER = {'anyOf': [{'type': 'integer'}, {'type': 'number'}]}
SUBMIT_SCHEMA = fields(answers={'type': 'object', 'maxProperties': 60, 'additionalProperties': ANSWER},
                       comment={'type': 'string', 'maxLength': MAX_COMMENT * 2})
MESSAGES = {
    'no_user': N_('You need to be signed in to answer the survey.'),
    'not_open': N_('This survey is not open yet.'),
    'answered': N_('You have already answered this survey. Thank you!'),
}


def now():
    return datetime.now(timezone.utc)


class LearnerMixin:
    """student_view, student_view_data and the submit handler."""

    def respondent(self, user):
        return privacy.respondent_key(ledger.block_context(self).course_key, user.anonymous_id)

    def status(self, user):
        """'answered', 'not_open' or 'open' for this learner now."""
        usage = ledger.block_context(self).usage_key
        if self.is_complete or (user is not None and records.has_answered(usage, self.respondent(user))):
            return 'answered'
        return 'open' if self.is_open(now()) else 'not_open'

    def survey_items(self, locale):
        """The statements and numbers this block asks, with their texts in `locale`."""
        _ = gettext_for(self)
        survey = self.survey_model
        items = [{'id': item.id, 'text': item.text.get(locale), 'is_number': item.is_number,
                  'unit': item.unit.get(locale) if item.unit else '', 'min': f'{item.minimum:g}',
                  'max': f'{item.maximum:g}'} for item in survey.items if not item.is_number]
        items += [{'id': method_item_id(method), 'text': _(METHOD_STATEMENT).format(method=_(METHODS[method])),
                   'is_number': False} for method in survey.methods]
        items += [{'id': item.id, 'text': item.text.get(locale), 'is_number': True,
                   'unit': item.unit.get(locale) if item.unit else '', 'min': f'{item.minimum:g}',
                   'max': f'{item.maximum:g}'} for item in survey.items if item.is_number]
        return items

    def survey_context(self, user, locale):
        _ = gettext_for(self)
        questions = self.model
        opens = self.follow_up_opens_at()
        return {
            'locale': locale, 'title': self.display_name, 'kind': _(KINDS[self.survey]),
            'intro': questions.intro.get(locale) if questions.intro else '',
            'status': self.status(user), 'signed_in': user is not None,
            'opens_at': opens.date().isoformat() if opens else '',
            'items': self.survey_items(locale),
            'scale': [(value, _(label)) for value, label in zip(range(LIKERT_MIN, LIKERT_MAX + 1), LIKERT_LABELS)],
            'comment': questions.comment.get(locale) if self.survey_model.has_comment else '',
            'max_comment': MAX_COMMENT,
        }

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: the survey's questions (no answers: there are none to leak)."""
        locale = current_locale(self)
        opens = self.follow_up_opens_at()
        return {'display_name': self.display_name, 'survey': self.survey, 'items': self.survey_items(locale),
                'likert': [LIKERT_MIN, LIKERT_MAX], 'has_comment': self.survey_model.has_comment,
                'opens_at': opens.isoformat() if opens and self.survey == 'follow_up' else None}

    @json_handler(SUBMIT_SCHEMA)
    def submit(self, data, suffix=''):  # pylint: disable=unused-argument
        """Store the learner's answers once, anonymously; publish completion, never the answers."""
        user = current_user(self)
        if user is None:
            raise HandlerError(MESSAGES['no_user'], status=403)
        if not self.is_open(now()):
            raise HandlerError(MESSAGES['not_open'])
        try:
            answers, comment = self.survey_model.check(data['answers'], data['comment'])
        except AnswerError as error:
            raise HandlerError(error.template, extra={'code': error.code}, **error.params) from error
        if not records.record_response(self, self.survey, self.respondent(user), answers, comment):
            raise HandlerError(MESSAGES['answered'])
        self.report_completion(1.0)
        track(self, 'asn.evaluation.submitted', {'survey': self.survey})
        return {'status': 'answered'}
