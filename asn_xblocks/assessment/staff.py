"""The instructors' side of the assessment: the pre/post report, CSV exports and the LMS report rows.

`AssessmentStaffMixin` goes in AssessmentBlock's bases. The report and the CSVs come from the
result ledger (both phases of the block's pairing key in its course), never from learners'
XBlock state; only the LMS's problem-responses task (`generate_report_data`) reads state,
because that is what it hands us.
"""
from collections import OrderedDict

from ..core.competencies import standard_catalogue
from ..core.csv_export import csv_response, file_slug
from ..core.handlers import NO_FIELDS, HandlerError, download_handler, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.report_rows import report_rows
from ..core.users import is_staff, lms_usernames
from . import report, scoring
from .policy import PHASE_NAMES
from .forms import Form
from .model import DIFFICULTIES

STAFF_CSS = ('public/assessment/staff.css',)
STAFF_JS = ('public/assessment/staff.js',)
EXPORTS = ('pairs', 'items')
UNKNOWN_EXPORT = N_('There is no such export.')

PAIR_COLUMNS = (
    N_('Username'), N_('User ID'), N_('Pre-test (%)'), N_('Post-test (%)'), N_('Raw gain'),
    N_('Normalised gain g'), N_('At the ceiling'), N_('Normalised change c'), N_('Reliable change index'),
)
# Translators: CSV column headers; {code} is a competency code such as M.01.
PAIR_COMPETENCY = (N_('{code} pre (%)'), N_('{code} post (%)'))
ITEM_COLUMNS = (
    N_('Phase'), N_('Item'), N_('Question'), N_('Difficulty'), N_('Competencies'), N_('Learners'),
    N_('Facility'), N_('SD'), N_('Discrimination index'), N_('Discriminative efficiency'),
    N_('Upper-lower D'), N_('Alpha if deleted'), N_('Alerts'),
)
COMPUTED_AT = N_('Computed at (UTC)')
ALERTS = {
    'negative-discrimination': N_('Negative discrimination: stronger learners got it wrong more often.'),
    'pre-test-facility-high': N_('Most learners knew this before training: it cannot show a gain.'),
    'post-facility-below-pre': N_('Fewer learners got it right after training than before.'),
    'distractor-never-chosen': N_('Option {option} was never chosen.'),
}
REPORT_COLUMNS = {'phase': N_('Phase'), 'attempts': N_('Attempts'), 'status': N_('Status'),
                  'score': N_('Score (%)'), 'competencies': N_('Competencies (%)'), 'answers': N_('Answers')}
STATUS = {'submitted': N_('Submitted'), 'in_progress': N_('In progress')}


class AssessmentStaffMixin:
    """Staff-only handlers and the LMS report hook of the assessment block."""

    def staff_fragment_context(self):
        """What student_view adds for course staff, or None for everyone else (handlers check again)."""
        if not is_staff(self):
            return None
        return {'css': STAFF_CSS, 'js': STAFF_JS, 'init_args': {'ledger_available': ledger.is_available(),
                                                               'exports': list(EXPORTS)}}

    def pair_report(self, with_learners=False):
        """The report over both phases of this block's pairing key in its course."""
        course = ledger.block_context(self).course_key
        pre, post = (ledger.phase_records(course, self.pairing_key, phase) for phase in ('pre', 'post'))
        return report.build_report(pre, post, self.model, with_learners=with_learners)

    @json_handler(NO_FIELDS, staff_only=True)
    def staff_report(self, data, suffix=''):  # pylint: disable=unused-argument
        """The report, with the names and texts the page shows in the staff member's language."""
        _ = gettext_for(self)
        locale = current_locale(self)
        result = self.pair_report()
        bank = self.model
        catalogue = standard_catalogue()
        result.update(
            ledger_available=ledger.is_available(), phase=self.phase, pairing_key=self.pairing_key,
            started=ledger.started_count(ledger.block_context(self).usage_key),
            competency_labels={code: catalogue.label_of(code, locale)
                               for code in (*result['competencies'], *bank.competencies)},
            item_texts={item.id: {'stem': item.stem.get(locale), 'difficulty': _(DIFFICULTIES.get(
                item.difficulty, item.difficulty)) if item.graded else ''} for item in bank.items},
        )
        for phase in result['phases'].values():
            for alert in phase['alerts']:
                alert['message'] = _(ALERTS[alert['code']]).format(option=alert['option_id'])
        return result

    # --- CSV exports ----------------------------------------------------------------------------
    @download_handler(staff_only=True)
    def export_csv(self, request, suffix=''):
        """`…/export_csv/pairs`: one row per matched learner; `…/items`: one row per item and phase."""
        kind = suffix.strip('/') or 'pairs'
        if kind not in EXPORTS:
            raise HandlerError(UNKNOWN_EXPORT, status=404)
        _ = gettext_for(self)
        result = self.pair_report(with_learners=kind == 'pairs')
        header, rows = (self.pairs_table if kind == 'pairs' else self.items_table)(result, _)
        header.append(_(COMPUTED_AT))
        rows = [[*row, result['computed_at']] for row in rows]
        return csv_response(f'asesmen-{file_slug(self.pairing_key, "hasil")}-{kind}.csv', header, rows)

    @staticmethod
    def pairs_table(result, _):
        """(header, rows): each matched learner's scores and gains, then pre/post per competency."""
        codes = sorted(result['competencies'])
        names = lms_usernames(str(row['learner_id']) for row in result['learners'])
        per_code = {code: {row['learner_id']: row for row in result['competency_learners'][code]}
                    for code in codes}
        rows = []
        for row in result['learners']:
            learner = row['learner_id']
            cells = [names.get(str(learner), learner), learner, row['pre'], row['post'], row['raw_gain'],
                     row['normalized_gain'], row['at_ceiling'], row['normalized_change'], row['reliable_change_index']]
            for code in codes:
                pair = per_code[code].get(learner)
                cells += [pair['pre'], pair['post']] if pair else [None, None]
            rows.append(cells)
        header = [_(name) for name in PAIR_COLUMNS]
        for code in codes:
            header += [_(name).format(code=code) for name in PAIR_COMPETENCY]
        return header, rows

    def items_table(self, result, _):
        """(header, rows): the item analysis of each phase's main form, with its alerts."""
        locale = current_locale(self)
        bank = self.model
        rows = []
        for phase, entry in result['phases'].items():
            alerts = {}
            for alert in entry['alerts']:
                alerts.setdefault(alert['item_id'], []).append(
                    _(ALERTS[alert['code']]).format(option=alert['option_id']))
            for stats in entry['items']:
                item = bank.item(stats['item_id'])
                rows.append([
                    phase, stats['item_id'], item.stem.get(locale) if item else '',
                    item.difficulty if item else '', ' '.join(item.competencies) if item else '', stats['n'],
                    stats['facility'], stats['sd'], stats['discrimination_index'],
                    stats['discriminative_efficiency'], stats['upper_lower_d'], stats['alpha_if_deleted'],
                    ' '.join(alerts.get(stats['item_id'], ())),
                ])
        return [_(name) for name in ITEM_COLUMNS], rows

    # --- the LMS problem-responses report -------------------------------------------------------
    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """One row per learner who started: (username, OrderedDict of translated columns)."""
        _ = gettext_for(self)
        bank = self.model
        return report_rows(user_state_iterator, lambda state: self.state_row(bank, state, _), limit_responses)

    def state_row(self, bank, state, _):
        """A learner's report row from their stored fields, or None for an empty state."""
        submitted = state.get('submitted') or []
        current = state.get('current') or {}
        if not (submitted or current):
            return None
        entry = submitted[-1] if submitted else current
        form = Form.from_dict(entry['form'])
        responses = entry.get('responses') if submitted else {}
        score = scoring.score_form(form, bank, responses) if submitted else None
        values = {
            'phase': _(PHASE_NAMES.get(self.phase, self.phase)),
            'attempts': state.get('attempts_used') or 0,
            'status': _(STATUS['submitted' if submitted else 'in_progress']),
            'score': round(score.percent, 2) if score and score.percent is not None else None,
            'competencies': '; '.join(f'{c.code} {c.percent:.0f}' for c in score.competencies
                                      if c.percent is not None) if score else '',
            'answers': answers_text(responses),
        }
        return OrderedDict((_(REPORT_COLUMNS[key]), value) for key, value in values.items())


def answers_text(responses):
    """`q01: b; q02: a,c; s01: 4`, in form order: what each learner answered, by bank id."""
    return '; '.join(f'{item_id}: {",".join(value) if isinstance(value, list) else value}'
                     for item_id, value in responses.items())
