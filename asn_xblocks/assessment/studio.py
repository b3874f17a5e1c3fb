"""Authoring an assessment in Studio: the editor, its handlers, the preview and validate().

The author edits the settings and the item bank as JSON (docs/assessment-format.md), or
replaces the items from a CSV file (bank_csv.py). Nothing is stored unless the bank has the
shape of the format and `model.validate` finds no error; warnings are shown but do not block.
Who may call the handlers: `core.users.can_author`.
"""
import hashlib
import json
from collections import Counter
from datetime import datetime, timezone

from xblock.core import XBlock

from ..core.authoring import AuthoringMixin
from ..core.competencies import standard_catalogue
from ..core.handlers import HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.rendering import fragment, render_template
from ..core.scoring import BEST, LAST
from ..core.users import can_author
from . import bank_csv, model, policy
from .forms import PHASES
from .model import Bank, BankFormatError

STUDIO_MAX_BODY_BYTES = 1024 * 1024  # a few hundred items with two languages and feedback
MAX_WEIGHT = 100
MAX_ATTEMPTS = 100
MAX_PER_COMPETENCY = 50

BANK = {'type': 'object'}
WHEN = {'type': 'string', 'maxLength': 40}
CHECK_SCHEMA = fields(bank=BANK)
CSV_SCHEMA = fields(bank=BANK, csv={'type': 'string', 'maxLength': STUDIO_MAX_BODY_BYTES})
SAVE_SCHEMA = fields(
    display_name={'type': 'string', 'minLength': 1, 'maxLength': 255},
    phase={'enum': list(PHASES)},
    pairing_key={'type': 'string', 'pattern': r'^[A-Za-z0-9_.-]{1,100}$'},
    weight={'type': 'number', 'minimum': 0, 'maximum': MAX_WEIGHT},
    grading_policy={'enum': [BEST, LAST]},
    max_attempts={'type': 'integer', 'minimum': 0, 'maximum': MAX_ATTEMPTS},
    items_per_competency={'type': 'integer', 'minimum': 0, 'maximum': MAX_PER_COMPETENCY},
    require_pre={'type': 'boolean'},
    show_answers={'enum': list(policy.SHOW_ANSWER_POLICIES)},
    show_comparison={'type': 'boolean'},
    ask_confidence={'type': 'boolean'},
    opens_at=WHEN,
    closes_at=WHEN,
    bank=BANK,
)

MESSAGES = {
    'bad_shape': N_('The item bank does not have the shape of the assessment format: {detail}'),
    'has_errors': N_('The item bank was not saved: fix the errors listed below first.'),
    'blank_name': N_('The display name cannot be empty.'),
    'bad_time': N_('"{value}" is not a date and time (use the date picker).'),
    'window_order': N_('The test must close after it opens.'),
    'shared_items': N_('The bank is too small for parallel forms: the post-test will repeat items '
                       'learners saw in the pre-test ({code}: {count} item(s), {needed} needed).'),
    'all_items': N_('Every learner gets every item, so the post-test repeats the pre-test items.'),
}
#: The English words model.validate puts into {field}, translated with the message.
FIELD_WORDS = {'stem': N_('question'), 'explanation': N_('explanation'), 'option text': N_('option text'),
               'option feedback': N_('option feedback'), 'title': N_('title'), 'instructions': N_('instructions')}


def parse_time(text):
    """An aware UTC datetime from the editor's `YYYY-MM-DDTHH:MM` (UTC) or ISO text; None for ''."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def form_warnings(bank: Bank, phase, per_competency):
    """Parallel-form warnings for a post-test: (code, params) for each competency that must repeat items."""
    if phase != 'post':
        return []
    if not per_competency:
        return [('all_items', {})]
    counts = Counter(code for item in bank.items if item.graded for code in set(item.competencies))
    return [('shared_items', {'code': code, 'count': count, 'needed': 2 * per_competency})
            for code, count in sorted(counts.items()) if count < 2 * per_competency]


@XBlock.wants('studio_user_permissions')
class AssessmentStudioMixin(AuthoringMixin):
    """Studio for the assessment block: `studio_view`, `author_view`, the editor's handlers (`validate`: core.authoring)."""

    studio_css = ('public/assessment/studio.css',)

    def problem_json(self, problem):
        """A validation problem for the page, its message in the author's language."""
        _ = gettext_for(self)
        params = {name: _(FIELD_WORDS[value]) if name == 'field' and value in FIELD_WORDS else value
                  for name, value in problem.params.items()}
        message = _(model.MESSAGES[problem.code]).format(
            item_id=problem.item_id or '-', option_id=problem.option_id or '-', **params)
        return {'severity': problem.severity, 'code': problem.code, 'item_id': problem.item_id, 'message': message}

    def bank_report(self, bank_dict, phase=None, per_competency=None):
        """{problems, counts} for a bank; raises HandlerError if it is malformed."""
        _ = gettext_for(self)
        try:
            bank = Bank.from_dict(bank_dict)
        except BankFormatError as error:
            message = _(MESSAGES['bad_shape']).format(detail=str(error))
            raise HandlerError(MESSAGES['bad_shape'], detail=str(error), extra={
                'problems': [{'severity': 'error', 'code': 'bad_shape', 'item_id': None, 'message': message}],
                'counts': {}}) from error
        problems = [self.problem_json(p) for p in model.validate(bank)]
        problems += [{'severity': 'warning', 'code': code, 'item_id': None, 'message': _(MESSAGES[code]).format(**params)}
                     for code, params in form_warnings(bank, phase or self.phase,
                                                       self.items_per_competency if per_competency is None else per_competency)]
        counts = Counter(item.type for item in bank.items)
        return {'problems': problems, 'counts': {'items': len(bank.items), **counts,
                                                 'competencies': len(bank.competencies)}}

    def stored_report(self):
        try:
            return self.bank_report(self.bank)
        except HandlerError as error:
            return error.extra

    # --- views ---------------------------------------------------------------------------------
    def studio_view(self, context=None):
        """The editor: settings, the bank as JSON, CSV import/export and a validation panel."""
        _ = gettext_for(self)
        html = render_template(self, __name__, 'studio_edit.html', {
            'locale': current_locale(self),
            'block': self,
            'uid': 'asn-as-' + hashlib.sha256(str(self.scope_ids.usage_id).encode()).hexdigest()[:12],
            'weight': '' if self.weight is None else f'{self.weight:g}',
            'phases': [(value, _(name)) for value, name in policy.PHASE_NAMES.items()],
            'policies': [(BEST, _('Best attempt')), (LAST, _('Last attempt'))],
            'show_answer_policies': [(value, _(name)) for value, name in policy.SHOW_ANSWER_POLICIES.items()],
            'opens_at': editor_time(self.opens_at), 'closes_at': editor_time(self.closes_at),
            'limits': {'weight': MAX_WEIGHT, 'attempts': MAX_ATTEMPTS, 'per_competency': MAX_PER_COMPETENCY},
            'bank_json': json.dumps(self.bank, indent=2, ensure_ascii=False),
        })
        return fragment(self, html, css=self.studio_css, js=('public/assessment/studio.js',),
                        init='AsnAssessmentStudio',
                        init_args={'report': self.stored_report(), 'max_bytes': STUDIO_MAX_BODY_BYTES,
                                   'competencies': [c.code for c in standard_catalogue()]})

    def author_view(self, context=None):
        """The Studio preview: the learner's view under a line of counts and problems."""
        _ = gettext_for(self)
        report = self.stored_report()
        summary = render_template(self, __name__, 'studio_summary.html', {
            'locale': current_locale(self), 'counts': report.get('counts', {}),
            'phase_name': _(policy.PHASE_NAMES.get(self.phase, self.phase)), 'pairing_key': self.pairing_key,
            'problems': report['problems']})
        return self.author_preview(summary, context)

    # --- handlers ------------------------------------------------------------------------------
    @json_handler(CHECK_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_check(self, data, suffix=''):
        """Validate a bank without saving it."""
        return self.bank_report(data['bank'])

    @json_handler(CSV_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_import_csv(self, data, suffix=''):
        """The bank with its items replaced by a CSV file's, checked; nothing is stored."""
        try:
            bank = bank_csv.replace_items(data['bank'], data['csv'])
        except bank_csv.BankCsvError as error:
            raise HandlerError(bank_csv.MESSAGES[error.code], **error.params) from error
        except BankFormatError as error:
            raise HandlerError(MESSAGES['bad_shape'], detail=str(error)) from error
        return {'bank': bank, **self.bank_report(bank)}

    @json_handler(CHECK_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_export_csv(self, data, suffix=''):
        """The bank's items as CSV text, for the editor to offer as a download."""
        self.bank_report(data['bank'])  # refuses a malformed bank with its message
        return {'csv': bank_csv.write_csv(data['bank'])}

    @json_handler(SAVE_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_save(self, data, suffix=''):
        """Store the settings and the bank, unless something is malformed or the bank has errors."""
        name = data['display_name'].strip()
        if not name:
            raise HandlerError(MESSAGES['blank_name'], extra={'field': 'display_name'})
        opens_at, closes_at = (self.checked_time(data[key], key) for key in ('opens_at', 'closes_at'))
        if opens_at and closes_at and closes_at <= opens_at:
            raise HandlerError(MESSAGES['window_order'], extra={'field': 'closes_at'})
        report = self.bank_report(data['bank'], data['phase'], data['items_per_competency'])
        if any(p['severity'] == 'error' for p in report['problems']):
            raise HandlerError(MESSAGES['has_errors'], extra=report)
        for key in ('phase', 'pairing_key', 'grading_policy', 'max_attempts', 'items_per_competency',
                    'require_pre', 'show_answers', 'show_comparison', 'ask_confidence'):
            setattr(self, key, data[key])
        self.display_name = name
        self.weight = float(data['weight'])
        self.opens_at, self.closes_at = opens_at, closes_at
        self.bank = Bank.from_dict(data['bank']).to_dict()
        return report

    @staticmethod
    def checked_time(text, key):
        try:
            return parse_time(text.strip())
        except ValueError as error:
            raise HandlerError(MESSAGES['bad_time'], value=text, extra={'field': key}) from error


def editor_time(moment):
    """A stored UTC datetime as the editor's `datetime-local` value (UTC), '' for none."""
    return moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M') if moment else ''
