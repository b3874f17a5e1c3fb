"""Authoring in Studio: one form for the settings and the survey items (JSON), checked on save.

Nothing is stored unless every setting is in range and the items have the survey format's
shape with Indonesian text; every problem comes back at once. Who may save: core.users.can_author.
"""
import hashlib
import json

from xblock.core import XBlock, XBlockMixin
from xblock.validation import ValidationMessage

from ..core.handlers import HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.rendering import fragment, render_template
from ..core.users import can_author
from .fields import parse_date
from .model import KINDS, METHODS, Questions, SurveyFormatError

STUDIO_MAX_BODY_BYTES = 256 * 1024
TEXT = {'type': 'string', 'maxLength': 255}
SAVE_SCHEMA = fields(
    display_name={'type': 'string', 'minLength': 1, 'maxLength': 255},
    survey={'enum': list(KINDS)},
    methods={'type': 'array', 'maxItems': len(METHODS), 'uniqueItems': True, 'items': {'enum': list(METHODS)}},
    show_dashboard={'type': 'boolean'},
    follow_up_days={'type': 'integer', 'minimum': 0, 'maximum': 730},
    course_name=TEXT, organiser=TEXT, certificate_number=TEXT,
    jp_hours={'type': 'number', 'minimum': 0, 'maximum': 1000},
    start_date={'type': 'string', 'maxLength': 10}, end_date={'type': 'string', 'maxLength': 10},
    questions={'type': 'object'},
)
MESSAGES = {
    'bad_shape': N_('The survey items do not have the survey format: {detail}'),
    'no_indonesian': N_('"{item}" needs an Indonesian text.'),
    'bad_date': N_('"{value}" is not a date (use the date picker).'),
    'date_order': N_('The training must end on or after its start date.'),
    'follow_up_end': N_('A follow-up survey needs the end date of the training.'),
    'not_saved': N_('Nothing was saved: fix the problems listed below first.'),
}


@XBlock.wants('studio_user_permissions')
class StudioMixin(XBlockMixin):
    """studio_view, author_view, validate() and the save handler."""

    def problems(self, data):
        """Every problem of the settings and items in `data`, as translated messages."""
        _ = gettext_for(self)
        found = []
        try:
            questions = Questions.from_dict(data['questions'])
            found += [_(MESSAGES['no_indonesian']).format(item=name) for name in questions.missing_indonesian()]
        except SurveyFormatError as error:
            found.append(_(MESSAGES['bad_shape']).format(detail=str(error)))
        dates = {}
        for key in ('start_date', 'end_date'):
            dates[key] = parse_date(data[key])
            if data[key] and dates[key] is None:
                found.append(_(MESSAGES['bad_date']).format(value=data[key]))
        if dates['start_date'] and dates['end_date'] and dates['end_date'] < dates['start_date']:
            found.append(_(MESSAGES['date_order']))
        if data['survey'] == 'follow_up' and not dates['end_date']:
            found.append(_(MESSAGES['follow_up_end']))
        return found

    def stored_problems(self):
        return self.problems({'questions': self.questions, 'start_date': self.start_date,
                              'end_date': self.end_date, 'survey': self.survey})

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        _ = gettext_for(self)
        html = render_template(self, __name__, 'studio_edit.html', {
            'locale': current_locale(self), 'block': self,
            'uid': 'asn-ev-' + hashlib.sha256(str(self.scope_ids.usage_id).encode()).hexdigest()[:12],
            'kinds': [(value, _(name)) for value, name in KINDS.items()],
            'methods': [(value, _(name), value in self.methods) for value, name in METHODS.items()],
            'jp_hours': f'{self.jp_hours:g}',
            'questions_json': json.dumps(self.questions, indent=2, ensure_ascii=False),
        })
        return fragment(self, html, css=('public/evaluation/evaluation.css',), js=('public/evaluation/studio.js',),
                        init='AsnEvaluationStudio', init_args={'problems': self.stored_problems()})

    def author_view(self, context=None):
        """The Studio preview: the learner's survey (no dashboard: Studio has no learners)."""
        return self.learner_fragment(dashboard='')

    def validate(self):
        validation = super().validate()
        for problem in self.stored_problems():
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))
        return validation

    @json_handler(SAVE_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_save(self, data, suffix=''):  # pylint: disable=unused-argument
        problems = self.problems(data)
        if problems or not data['display_name'].strip():
            raise HandlerError(MESSAGES['not_saved'], extra={'problems': problems})
        for key in ('survey', 'methods', 'show_dashboard', 'follow_up_days', 'organiser', 'certificate_number',
                    'start_date', 'end_date'):
            setattr(self, key, data[key])
        self.display_name = data['display_name'].strip()
        self.course_name = data['course_name'].strip()
        self.jp_hours = float(data['jp_hours'])
        self.questions = Questions.from_dict(data['questions']).to_dict()
        return {'problems': []}


