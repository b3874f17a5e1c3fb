"""Authoring a case study in Studio: the editor, its two handlers, the preview and validate().

The author edits the scenario in a form or as JSON (the bulk-authoring format of docs/scenario-format.md)
beside the block's settings. Nothing is stored unless the JSON has the shape of a scenario and
`analysis.validate` finds no error; warnings are shown but do not block a save.

Who may call the handlers: in the LMS and the workbench the user service says whether the user
is course staff. Studio's own handler runtime does not (its user service always says "student"),
so there a user counts as an author when Studio's permission service grants write access to the
course. A learner calling these handlers from the LMS is refused either way.
"""
import functools
import hashlib
import json
from collections import Counter

from xblock.core import XBlock

from ..core.authoring import AuthoringMixin
from ..core.competencies import standard_catalogue
from ..core.handlers import HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.rendering import fragment, render_template
from ..core.scoring import BEST, LAST
from ..core.users import can_author
from . import analysis
from .model import Scenario, ScenarioFormatError, Situation
from .statespace import AnalysisError

#: Authored scenarios are far larger than learner requests; the default scenarios are ~42 KB.
STUDIO_MAX_BODY_BYTES = 512 * 1024
MAX_WEIGHT = 100
MAX_ATTEMPTS = 100

SCENARIO_PROPERTY = {'type': 'object'}
CHECK_SCHEMA = fields(scenario=SCENARIO_PROPERTY)
SAVE_SCHEMA = fields(
    display_name={'type': 'string', 'minLength': 1, 'maxLength': 255},
    weight={'type': 'number', 'minimum': 0, 'maximum': MAX_WEIGHT},
    grading_policy={'enum': [BEST, LAST]},
    max_attempts={'type': 'integer', 'minimum': 0, 'maximum': MAX_ATTEMPTS},
    scenario=SCENARIO_PROPERTY,
)

MESSAGES = {
    'bad_shape': N_('The scenario does not have the shape of the scenario format: {detail}'),
    'has_errors': N_('The scenario was not saved: fix the errors listed below first.'),
    'blank_name': N_('The display name cannot be empty.'),
}

#: The English words analysis puts into {kind}, {field} and {via}, translated with the message.
PARAM_WORDS = {
    'node': N_('node'),
    'variable': N_('variable'),
    'choice': N_('choice'),
    'flag': N_('flag'),
    'counter': N_('counter'),
    'scenario title': N_('scenario title'),
    'introduction': N_('introduction'),
    'title': N_('title'),
    'text': N_('text'),
    'variant text': N_('variant text'),
    'image alt text': N_('image alt text'),
    'video title': N_('video title'),
    'timeout feedback': N_('timeout feedback'),
    'choice label': N_('choice label'),
    'choice feedback': N_('choice feedback'),
    'timeout': N_('timeout route'),
    'outcome': N_('event outcome'),
    'route': N_('route'),
}
WORD_PARAMS = ('kind', 'field', 'via')
NODE_KINDS = ('situation', 'event', 'route', 'ending')


@functools.lru_cache(maxsize=16)
def analyse(serialised):
    """(problems, min score, max score) of a scenario's JSON text; raises ScenarioFormatError.

    Cached because Studio calls validate() on every render of a unit page and the analysis of
    a large scenario takes a second or more. Scores are None while the scenario has errors
    (they would describe a scenario the learner can never play) or cannot be bounded.
    """
    scenario = Scenario.from_dict(json.loads(serialised))
    problems = tuple(analysis.validate(scenario))
    if any(p.severity == 'error' for p in problems):
        return problems, None, None
    return problems, _bound(analysis.min_achievable, scenario), _bound(analysis.max_achievable, scenario)


def _bound(compute, scenario):
    try:
        return compute(scenario)
    except AnalysisError:  # unbounded or too complex: validate() reported it already
        return None


def serialise(scenario_dict):
    return json.dumps(scenario_dict, sort_keys=True)


def node_counts(scenario_dict):
    """How many nodes of each kind, and how many choices, from a stored scenario."""
    nodes = scenario_dict.get('nodes', [])
    kinds = Counter(node.get('kind') for node in nodes if isinstance(node, dict))
    counts = {kind: kinds.get(kind, 0) for kind in NODE_KINDS}
    counts['choices'] = sum(len(node.get('choices', [])) for node in nodes
                            if isinstance(node, dict) and node.get('kind') == Situation.kind)
    return counts


def competency_choices():
    """The shared catalogue for the editor's competency picker: code and Indonesian name, in order."""
    return [{'code': competency.code, 'label': competency.label('id')} for competency in standard_catalogue()]


@XBlock.wants('studio_user_permissions')
class CaseStudyStudioMixin(AuthoringMixin):
    """Studio for the case-study block: `studio_view`, `author_view`, the editor's handlers (`validate`: core.authoring)."""

    studio_css = ('public/case_study/studio.css',)

    # --- the author's language ---------------------------------------------------------------
    def problem_json(self, problem):
        """A validation problem for the page, its message in the author's language."""
        _ = gettext_for(self)
        params = {name: _(PARAM_WORDS[value]) if name in WORD_PARAMS and value in PARAM_WORDS else value
                  for name, value in problem.params.items()}
        message = _(analysis.MESSAGES[problem.code]).format(
            node_id=problem.node_id or '-', choice_id=problem.choice_id or '-', **params)
        return {'severity': problem.severity, 'code': problem.code, 'node_id': problem.node_id,
                'choice_id': problem.choice_id, 'message': message}

    def scenario_report(self, scenario_dict):
        """{problems, min_score, max_score, counts} for a scenario; raises HandlerError if it is malformed."""
        try:
            problems, low, high = analyse(serialise(scenario_dict))
        except ScenarioFormatError as error:
            raise HandlerError(MESSAGES['bad_shape'], detail=str(error), extra={
                'problems': [{'severity': 'error', 'code': 'bad_shape', 'node_id': None, 'choice_id': None,
                              'message': gettext_for(self)(MESSAGES['bad_shape']).format(detail=str(error))}],
                'min_score': None, 'max_score': None,
            }) from error
        return {'problems': [self.problem_json(p) for p in problems], 'min_score': low, 'max_score': high,
                'counts': node_counts(scenario_dict)}

    def stored_report(self):
        """The report for the stored scenario (a malformed one, e.g. from imported OLX, as one problem)."""
        try:
            return self.scenario_report(self.scenario)
        except HandlerError as error:
            return {**error.extra, 'counts': node_counts(self.scenario)}

    # --- views ---------------------------------------------------------------------------------
    def studio_view(self, context=None):
        """The editor: settings, the scenario as a form and as JSON, import/export and a validation panel."""
        _ = gettext_for(self)
        html = render_template(self, __name__, 'studio_edit.html', {
            'locale': current_locale(self),
            'uid': 'asn-cs-' + hashlib.sha256(str(self.scope_ids.usage_id).encode()).hexdigest()[:12],
            'display_name': self.display_name,
            'weight': '' if self.weight is None else f'{self.weight:g}',  # localised numbers ("1,0") are invalid input
            'grading_policy': self.grading_policy,
            'policies': [(BEST, _('Best attempt')), (LAST, _('Last attempt'))],
            'max_attempts': str(self.max_attempts),
            'max_weight': MAX_WEIGHT,
            'max_attempts_limit': MAX_ATTEMPTS,
            'scenario_json': json.dumps(self.scenario, indent=2, ensure_ascii=False),
        })
        return fragment(self, html, css=self.studio_css,
                        js=('public/case_study/scenario_editor.js', 'public/case_study/studio.js'),
                        init='AsnCaseStudyStudio',
                        init_args={'report': self.stored_report(), 'max_bytes': STUDIO_MAX_BODY_BYTES,
                                   'competencies': competency_choices()})

    def author_view(self, context=None):
        """The Studio preview: the learner's view under a summary for authors."""
        report = self.stored_report()
        summary = render_template(self, __name__, 'studio_summary.html', {
            'locale': current_locale(self),
            'counts': report['counts'],
            'min_score': report['min_score'],
            'max_score': report['max_score'],
            'errors': [p for p in report['problems'] if p['severity'] == 'error'],
            'warnings': [p for p in report['problems'] if p['severity'] == 'warning'],
        })
        return self.author_preview(summary, context)

    # --- handlers ------------------------------------------------------------------------------
    @json_handler(CHECK_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_check(self, data, suffix=''):
        """Validate a scenario without saving it."""
        return self.scenario_report(data['scenario'])

    @json_handler(SAVE_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_save(self, data, suffix=''):
        """Store the settings and the scenario, unless the scenario is malformed or has errors."""
        name = data['display_name'].strip()
        if not name:
            raise HandlerError(MESSAGES['blank_name'], extra={'field': 'display_name'})
        report = self.scenario_report(data['scenario'])
        if any(p['severity'] == 'error' for p in report['problems']):
            raise HandlerError(MESSAGES['has_errors'], extra=report)
        self.display_name = name
        self.weight = float(data['weight'])
        self.grading_policy = data['grading_policy']
        self.max_attempts = int(data['max_attempts'])
        self.scenario = Scenario.from_dict(data['scenario']).to_dict()
        return report

