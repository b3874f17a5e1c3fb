"""The instructors' side: the course dashboard in the block, a printable page, and two CSV exports.

Everything here reads the result ledger of the block's course (dashboard.py, course_data.py);
survey answers appear only as aggregates over at least privacy.MIN_GROUP respondents and never
in an export. The handlers refuse anyone who is not course staff.
"""
from ..core.csv_export import csv_response, file_slug, iso_time
from ..core.handlers import HandlerError, download_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.rendering import render_template
from ..core.users import is_staff, lms_usernames
from . import course_data, dashboard, snapshot
from .presentation import Presenter

EXPORTS = ('outcomes', 'hours')
UNKNOWN_EXPORT = N_('There is no such export.')
OUTCOME_COLUMNS = (N_('Username'), N_('User ID'), N_('First start (UTC)'))
# Translators: CSV column headers; {key} is the pairing key of a pre-test and its post-test.
PAIR_COLUMNS = (N_('{key} pre-test (%)'), N_('{key} post-test (%)'), N_('{key} normalised gain g'))
TAIL_COLUMNS = (N_('Best case-study score (%)'), N_('Expert sessions completed'))
HOURS_COLUMNS = (N_('Username'), N_('User ID'), N_('Training name'), N_('Organising institution'),
                 N_('Training hours (JP)'), N_('Start date'), N_('End date'), N_('Certificate number'))


def certificate_number(pattern, n):
    """The pattern with `{n}` replaced by the running number (no other formatting is applied)."""
    return pattern.replace('{n}', str(n)) if pattern else ''


def learner_order(user_id):
    """Numeric LMS ids in numeric order, then any others (workbench names) alphabetically."""
    return (0, int(user_id), '') if user_id.isdigit() else (1, 0, user_id)


class StaffMixin:
    """The dashboard fragment, the printable report page and the exports."""

    def dashboard_html(self, full_page=False):
        """The dashboard rendered on the server: tables and SVG charts that need no JavaScript."""
        _ = gettext_for(self)
        locale = current_locale(self)
        data = snapshot.dashboard_data(self, self.model)
        draw = lambda chart: render_template(self, __name__, 'chart.html', {'chart': chart})  # noqa: E731
        context = Presenter(data, self.model, _, locale, draw).context()
        url = self.runtime.handler_url
        context.update(locale=locale, full_page=full_page, title=self.course_name or self.display_name,
                       ledger_notice=_(ledger.UNAVAILABLE_NOTICE) if not ledger.is_available() else '',
                       report_url=url(self, 'report_page'),
                       exports=[(url(self, 'export_csv', kind), kind) for kind in EXPORTS],
                       css_url=self.runtime.local_resource_url(self, 'public/evaluation/evaluation.css'))
        return render_template(self, __name__, 'dashboard.html', context)

    def staff_dashboard(self):
        """The dashboard HTML for course staff when the block shows it, else ''."""
        return self.dashboard_html() if self.show_dashboard and is_staff(self) else ''

    @download_handler(staff_only=True)
    def report_page(self, request, suffix=''):  # pylint: disable=unused-argument
        """The dashboard as a page of its own, to print or save as PDF."""
        from webob import Response  # pylint: disable=import-outside-toplevel
        response = Response(self.dashboard_html(full_page=True), content_type='text/html', charset='utf-8')
        response.cache_control.no_store = True
        return response

    @download_handler(staff_only=True)
    def export_csv(self, request, suffix=''):  # pylint: disable=unused-argument
        """`…/export_csv/outcomes`: each learner's results; `…/hours`: the training-hours (JP) record."""
        kind = suffix.strip('/') or 'outcomes'
        if kind not in EXPORTS:
            raise HandlerError(UNKNOWN_EXPORT, status=404)
        _ = gettext_for(self)
        header, rows = (self.outcomes_table if kind == 'outcomes' else self.hours_table)(_)
        name = file_slug(self.course_name or self.display_name, 'evaluasi')
        return csv_response(f'{name}-{kind}.csv', header, rows)

    def outcomes_table(self, _):
        """(header, rows): per learner, each pre/post pair, the best case-study score, sessions completed."""
        course = ledger.block_context(self).course_key
        blocks = course_data.block_figures(course)
        pairs = dashboard.pre_post(self, blocks, with_learners=True)
        experts = [u for u, b in blocks.items() if b.block_type == course_data.EXPERT_SESSION]
        cases = {u for u, b in blocks.items() if b.block_type == course_data.CASE_STUDY}
        started = course_data.started_learners(course)
        outcomes = course_data.learner_outcomes(course)
        sessions = course_data.completed_expert_sessions(experts)
        learners = sorted(set(started) | set(outcomes), key=learner_order)
        names = lms_usernames(learners)
        rows = []
        for user_id in learners:
            cells = [names.get(user_id, user_id), user_id, iso_time(started.get(user_id))]
            for pair in pairs:
                row = pair['rows'].get(user_id)
                cells += [row['pre'], row['post'], row['normalized_gain']] if row else [None, None, None]
            case_scores = [p for usage, p in outcomes.get(user_id, {}).items() if usage in cases]
            cells += [max(case_scores) if case_scores else None, sessions.get(user_id, 0)]
            rows.append(cells)
        header = [_(name) for name in OUTCOME_COLUMNS]
        for pair in pairs:
            header += [_(name).format(key=pair['pairing_key']) for name in PAIR_COLUMNS]
        return header + [_(name) for name in TAIL_COLUMNS], rows

    def hours_table(self, _):
        """(header, rows): one row per learner who finished the course, with the settings' record.

        Finished means a post-test attempt where the course has a post-test, else any attempt.
        """
        course = ledger.block_context(self).course_key
        blocks = course_data.block_figures(course)
        posts = {u for u, b in blocks.items() if b.block_type == course_data.ASSESSMENT and b.phase == 'post'}
        outcomes = course_data.learner_outcomes(course)
        finished = sorted((user_id for user_id, attempts in outcomes.items()
                           if not posts or posts & attempts.keys()), key=learner_order)
        names = lms_usernames(finished)
        rows = [[names.get(user_id, user_id), user_id, self.course_name or self.display_name, self.organiser,
                 self.jp_hours, self.start_date, self.end_date, certificate_number(self.certificate_number, n)]
                for n, user_id in enumerate(finished, 1)]
        return [_(name) for name in HOURS_COLUMNS], rows

    def generate_report_data(self, user_state_iterator, limit_responses=None):  # pylint: disable=unused-argument
        """The LMS's per-learner report gets no rows from a survey: answers are anonymous and never
        in XBlock state, so a row per learner could only say who answered. The dashboard has the results."""
        yield from ()
