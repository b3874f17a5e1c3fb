"""The instructors' side: completion funnel, watched distribution, attendance, reflections with
staff grading, a formula-safe CSV and the LMS report rows.

The panel and the CSV come from indexed ledger queries (participation, milestones, reflections,
attendance), never from every learner's XBlock state; only `generate_report_data` reads state,
because that is what the LMS's report task hands it.
"""
from collections import OrderedDict

from ..core.csv_export import csv_response, iso_time
from ..core.events import track
from ..core.handlers import NO_FIELDS, HandlerError, download_handler, fields, json_handler
from ..core.i18n import N_, gettext_for
from ..core.ledger import api as ledger
from ..core.report_rows import report_rows
from ..core.users import current_user, is_staff, lms_usernames
from . import grading, records
from .learner_record import LearnerRecord

BANDS = ((0, 24), (25, 49), (50, 74), (75, 99), (100, 100))
GRADE_SCHEMA = fields(user_id={'type': 'string', 'minLength': 1, 'maxLength': 64},
                      points={'type': 'number', 'minimum': 0, 'maximum': 1000})
MESSAGES = {
    'not_graded': N_('Reflections of this session are not graded.'),
    'no_reflection': N_('This learner has not submitted a reflection.'),
    'points_range': N_('The score must be between 0 and {max} points.'),
}
CSV_COLUMNS = (N_('Username'), N_('User ID'), N_('Started at (UTC)'), N_('Watched (%)'), N_('Attended live'),
               N_('Completed'), N_('Reflection'), N_('Reflection submitted at (UTC)'), N_('Staff grade'),
               N_('Maximum points'))
REPORT_COLUMNS = (N_('Watched (%)'), N_('Reflection'), N_('Attended live'), N_('Completion (%)'))


def watched_band(percent):
    return next(index for index, (low, high) in enumerate(BANDS) if low <= percent <= high)


class StaffMixin:
    """Staff-only handlers and the LMS report hook of the expert session."""

    def staff_fragment_context(self):
        if not is_staff(self):
            return None
        return {'css': (), 'js': ('public/expert_session/staff.js',),
                'init_args': {'ledger_available': ledger.is_available(), 'graded': self.reflection_graded,
                              'max_points': self.reflection_max_points}}

    def learner_rows(self):
        """One dict per learner who started, from the ledger (what the panel and the CSV show)."""
        usage = ledger.block_context(self).usage_key
        started, reached = records.started(usage), records.milestones(usage)
        attendees = records.attendees(usage)
        reflections = {row['user_id']: row for row in records.reflections(usage)}
        rows = []
        for user_id in sorted(set(started) | set(reached) | set(attendees) | set(reflections)):
            kinds = reached.get(user_id, {})
            reflection = reflections.get(user_id)
            rows.append({'user_id': user_id, 'started_at': started.get(user_id),
                         'watched': kinds.get(records.WATCHED, 0), 'attended_at': attendees.get(user_id),
                         'completed': records.COMPLETED in kinds, 'reflection': reflection})
        return rows

    @json_handler(NO_FIELDS, staff_only=True)
    def staff_report(self, data, suffix=''):  # pylint: disable=unused-argument
        """Funnel, watched distribution, attendance and the reflections to grade."""
        rows = self.learner_rows()
        names = lms_usernames(row['user_id'] for row in rows)
        bands = [0] * len(BANDS)
        for row in rows:
            bands[watched_band(row['watched'])] += 1
        return {
            'ledger_available': ledger.is_available(),
            'funnel': [
                {'step': 'started', 'learners': len(rows)},
                *[{'step': f'watched_{q}', 'learners': sum(row['watched'] >= q for row in rows)}
                  for q in records.QUARTILES],
                {'step': 'reflected', 'learners': sum(bool(row['reflection']) for row in rows)},
                {'step': 'attended', 'learners': sum(bool(row['attended_at']) for row in rows)},
                {'step': 'completed', 'learners': sum(row['completed'] for row in rows)},
            ],
            'watched': [{'from': low, 'to': high, 'learners': count} for (low, high), count in zip(BANDS, bands)],
            'attendance': [{'user': names.get(row['user_id'], row['user_id']), 'joined_at': iso_time(row['attended_at'])}
                           for row in rows if row['attended_at']],
            'reflections': [{'user_id': row['user_id'], 'user': names.get(row['user_id'], row['user_id']),
                             'text': row['reflection']['text'],
                             'submitted_at': iso_time(row['reflection']['submitted_at']),
                             'points': (row['reflection']['grade'] or {}).get('points')}
                            for row in rows if row['reflection']],
        }

    @json_handler(GRADE_SCHEMA, staff_only=True)
    def staff_grade(self, data, suffix=''):  # pylint: disable=unused-argument
        """Grade a learner's reflection. The score goes to the learner through the score backend
        (edx-submissions in the LMS): never a grade event from this, the staff member's, request."""
        if not self.reflection_graded:
            raise HandlerError(MESSAGES['not_graded'])
        if data['points'] > self.reflection_max_points:
            raise HandlerError(MESSAGES['points_range'], max=self.reflection_max_points)
        reflection = records.reflection_of(ledger.block_context(self).usage_key, data['user_id'])
        if reflection is None:
            raise HandlerError(MESSAGES['no_reflection'])
        grader = current_user(self)
        records.record_grade(reflection, float(data['points']), float(self.reflection_max_points), grader.user_id)
        fraction = data['points'] / self.reflection_max_points if self.reflection_max_points else 0.0
        grading.backend().set_score(reflection.submission_uuid, fraction, float(self.weight))
        track(self, 'asn.expert_session.reflection.graded', {'learner': reflection.anonymous_user_id,
                                                             'points': data['points']})
        return {'user_id': data['user_id'], 'points': data['points']}

    @download_handler(staff_only=True)
    def export_csv(self, request, suffix=''):  # pylint: disable=unused-argument
        """One row per learner who started, safe to open in a spreadsheet."""
        _ = gettext_for(self)
        rows = self.learner_rows()
        names = lms_usernames(row['user_id'] for row in rows)
        yes, no = _('yes'), _('no')
        table = [[names.get(row['user_id'], row['user_id']), row['user_id'], iso_time(row['started_at']),
                  row['watched'], yes if row['attended_at'] else no, yes if row['completed'] else no,
                  row['reflection']['text'] if row['reflection'] else '',
                  iso_time(row['reflection']['submitted_at']) if row['reflection'] else '',
                  (row['reflection']['grade'] or {}).get('points') if row['reflection'] else None,
                  self.reflection_max_points if self.reflection_graded else None] for row in rows]
        return csv_response('sesi-narasumber.csv', [_(name) for name in CSV_COLUMNS], table)

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """(username, OrderedDict) per learner who started; no learner is bound here."""
        _ = gettext_for(self)
        columns = [_(name) for name in REPORT_COLUMNS]

        def row_of(state):
            record = LearnerRecord.from_json(state.get('learner_record'))
            if not record.started:
                return None
            return OrderedDict(zip(columns, [
                round(100 * record.watch.fraction(self.duration), 1), record.reflection,
                _('yes') if record.attended else _('no'), round(100 * record.completion, 1)]))
        return report_rows(user_state_iterator, row_of, limit_responses)
