"""The instructors' side of the case-study block: report, CSV export and the LMS report rows.

`CaseStudyStaffMixin` goes in CaseStudyBlock's bases. It reads what the block provides:
`self.model` (the Scenario), `self.max_score()` and the learner fields `play`,
`finished_paths`, `attempts_used`, `raw_earned`. The report and the CSV come from indexed
queries over the result ledger, never from learners' XBlock state; only the LMS's
problem-responses task (`generate_report_data`) reads state, because that is what it hands us.
"""
from collections import OrderedDict

from ..core.csv_export import csv_response, file_slug, iso_time
from ..core.handlers import NO_FIELDS, download_handler, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.report_rows import report_rows
from ..core.users import is_staff, lms_usernames
from . import graph_layout, report

STAFF_CSS = ('public/case_study/staff.css',)
STAFF_JS = ('public/case_study/staff.js',)
PATH_SEPARATOR = ' > '

RATING_LABELS = {'good': N_('Good'), 'fair': N_('Fair'), 'poor': N_('Poor')}
CSV_COLUMNS = (
    N_('Username'), N_('User ID'), N_('Attempt'), N_('Score'), N_('Maximum score'), N_('Percent'),
    N_('Ending'), N_('Rating'), N_('Path'),
)
CSV_SUBMITTED = N_('Submitted at (UTC)')
# Translators: a CSV column header; {code} is a competency code such as M.01.
CSV_COMPETENCY = N_('{code} (%)')
REPORT_COLUMNS = {
    'attempts': N_('Attempts'), 'status': N_('Status'), 'node': N_('Current step or ending'),
    'rating': N_('Rating'), 'score': N_('Score'), 'max_score': N_('Maximum score'), 'path': N_('Path'),
}
STATUS = {'finished': N_('Finished'), 'playing': N_('In progress'), 'not_started': N_('Not started')}


class CaseStudyStaffMixin:
    """Staff-only handlers and the LMS report hook of the case-study block."""

    # --- the staff panel --------------------------------------------------------------------
    def staff_fragment_context(self):
        """What student_view adds for course staff, or None for everyone else.

        {'css': files, 'js': files, 'init_args': for AsnCaseStudyStaff}; the handlers check
        staff again on the server, so this only decides what is shown.
        """
        if not is_staff(self):
            return None
        return {'css': STAFF_CSS, 'js': STAFF_JS, 'init_args': {'ledger_available': ledger.is_available()}}

    @json_handler(NO_FIELDS, staff_only=True)
    def staff_report(self, data, suffix=''):  # pylint: disable=unused-argument
        """The aggregated report (see case_study.report) over this block's ledger rows.

        `graph` is the scenario graph laid out with each edge's learners (case_study.graph_layout).
        """
        usage_key = ledger.block_context(self).usage_key
        locale = current_locale(self)
        result = report.build_report(ledger.attempt_records(usage_key), self.model, locale)
        result['summary']['started'] = ledger.started_count(usage_key)
        result['graph'] = graph_layout.layout(self.model, result, locale)
        result['ledger_available'] = ledger.is_available()
        return result

    # --- CSV export ---------------------------------------------------------------------------
    @download_handler(staff_only=True)
    def export_csv(self, request, suffix=''):  # pylint: disable=unused-argument
        """Every recorded attempt, one row each, safe to open in a spreadsheet."""
        _ = gettext_for(self)
        header, rows = self.csv_table(ledger.attempt_records(ledger.block_context(self).usage_key), _)
        return csv_response(self.csv_filename(), header, rows)

    def csv_table(self, records, _):
        """(header, rows) for `records`: one row per attempt, a column per competency.

        Competency columns are the content's codes plus any an older attempt recorded, so the
        rows are collected before the header is known (the CSV is built in memory anyway).
        """
        scenario = self.model
        locale = current_locale(self)
        codes = {item.code for node in scenario.nodes for choice in getattr(node, 'choices', ())
                 for item in choice.competencies}
        collected = []
        for record in records:
            answers = record.get('answers') or {}
            ending_id, ending = report.ending_of(scenario, answers)
            codes.update(record['competencies'])
            collected.append((record, [
                str(record['user_id']), record['attempt_number'], record['score'], record['max_score'],
                round(report.percent(record), 2),
                ending.title.get(locale) if ending else ending_id,
                _(RATING_LABELS[ending.rating]) if ending else '',
                PATH_SEPARATOR.join(report.path_labels(answers)),
            ]))
        codes = sorted(codes)
        names = lms_usernames(row[0] for _record, row in collected)
        rows = []
        for record, row in collected:
            scores = record['competencies']
            rows.append([names.get(row[0], row[0]), *row, *[
                round(100.0 * scores[code][0] / scores[code][1], 2) if scores.get(code, (0, 0))[1] else None
                for code in codes], iso_time(record.get('submitted_at'))])
        header = [_(name) for name in CSV_COLUMNS] + [_(CSV_COMPETENCY).format(code=code) for code in codes]
        return header + [_(CSV_SUBMITTED)], rows

    def csv_filename(self):
        return f'studi-kasus-{file_slug(self.model.id, "hasil")}.csv'

    # --- the LMS problem-responses report -------------------------------------------------------
    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """One row per learner with state: (username, OrderedDict of translated columns).

        Learners whose state is empty (never started) are skipped (core.report_rows).
        """
        _ = gettext_for(self)
        locale = current_locale(self)
        scenario = self.model
        maximum = self.max_score()
        return report_rows(user_state_iterator, lambda state: state_row(scenario, maximum, state, locale, _),
                           limit_responses)

def state_row(scenario, maximum, state, locale, _):
    """A learner's report row from their stored fields, or None for an empty state."""
    play = state.get('play') if isinstance(state.get('play'), dict) else {}
    finished_paths = state.get('finished_paths') or []
    attempts = state.get('attempts_used') or 0
    if not (play or finished_paths or attempts):
        return None
    finished = bool(play.get('finished')) if play else bool(finished_paths)
    node_id = (play.get('ending_id') or play.get('node_id')) if play else None
    node = scenario.node(node_id) if node_id is not None else None
    rating = getattr(node, 'rating', None) if finished else None
    path = play.get('path') if play else (finished_paths[-1] if finished_paths else [])
    status = 'finished' if finished else ('playing' if play else 'not_started')
    values = {
        'attempts': attempts,
        'status': _(STATUS[status]),
        'node': node.title.get(locale) if node is not None and hasattr(node, 'title') else (node_id or ''),
        'rating': _(RATING_LABELS[rating]) if rating in RATING_LABELS else '',
        'score': state.get('raw_earned'),
        'max_score': maximum,
        'path': PATH_SEPARATOR.join(report.path_labels({'path': path})),
    }
    return OrderedDict((_(REPORT_COLUMNS[key]), value) for key, value in values.items())
