"""Checking what an author saves: every problem at once, each with its field and a message
template translated when shown. Pure: the video look-up result is passed in, not fetched here.
"""
from dataclasses import dataclass
from datetime import datetime

from ..core import video_urls
from ..core.i18n import N_
from ..core.json_shape import ContentFormatError
from . import live
from .model import Session

MESSAGES = {
    'bad_shape': N_('The session content does not have the expected shape: {detail}'),
    'no_indonesian': N_('The text "{where}" needs an Indonesian version.'),
    'bad_video_url': N_('The video address is not supported: use youtube.com/watch?v=ID, youtu.be/ID, '
                        'vimeo.com/ID (or vimeo.com/ID/HASH) or an https .mp4/.webm file.'),
    'duration_needed': N_('Enter the video length: watched time can only be counted when it is known.'),
    'no_rule': N_('Choose at least one completion rule (watching, reflection or attendance).'),
    'reflection_needed': N_('Completion asks for a reflection, but the reflection is switched off.'),
    'attendance_needed': N_('Completion asks for live attendance, but there is no live session.'),
    'watch_needed': N_('Completion asks for watching, but there is no video address.'),
    'min_over_max': N_('The minimum reflection length is larger than the maximum.'),
    'graded_off': N_('A graded reflection needs the reflection switched on.'),
    'bad_start': N_('Enter the start as a date and time.'),
    'after_video': N_('The time {time} s of "{where}" is after the end of the video.'),
    'blank_name': N_('The display name cannot be empty.'),
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix; `live_error` carries a live.LiveSessionError's own template."""

    code: str
    field: str
    params: tuple = ()
    severity: str = 'error'
    template: str = ''

    def message(self, gettext):
        return gettext(self.template or MESSAGES[self.code]).format(**dict(self.params))


def session_problems(session_dict):
    """(Session or None, problems) of the authored content."""
    try:
        session = Session.from_dict(session_dict)
    except ContentFormatError as error:
        return None, [Problem('bad_shape', 'session', (('detail', str(error)),))]
    problems = [Problem('no_indonesian', 'session', (('where', where),))
                for where, text in session.texts() if not text.has_indonesian()]
    return session, problems


def video_problems(url):
    if not url:
        return []
    try:
        video_urls.parse_video_url(url)
    except video_urls.VideoUrlError:
        return [Problem('bad_video_url', 'video_url')]
    return []


def live_from_form(form):
    """(LiveSession or None, problems) from the editor's live fields (start in the organiser's zone)."""
    if not form:
        return None, []
    try:
        local = datetime.strptime(form.get('start', ''), '%Y-%m-%dT%H:%M')
    except ValueError:
        return None, [Problem('bad_start', 'live.start')]
    try:
        start = live.utc_from_local(local, form.get('timezone', ''))
    except live.LiveSessionError as error:
        return None, [_live_problem(error)]
    session = live.LiveSession(
        start=start, duration_minutes=form.get('duration_minutes'), timezone=form.get('timezone'),
        platform=form.get('platform'), join_url=form.get('join_url', ''),
        join_before_minutes=form.get('join_before_minutes'), recording_url=form.get('recording_url', ''))
    found = live.problems(session)
    return (None if found else session), [_live_problem(error) for error in found]


def _live_problem(error):
    return Problem(error.code, f'live.{error.field}', tuple(error.params.items()), template=error.template)


def rule_problems(values, has_video, has_live):
    found = []
    parts = (values['watch_percent'] > 0, values['require_reflection'], values['require_attendance'])
    if not any(parts):
        found.append(Problem('no_rule', 'watch_percent'))
    if values['watch_percent'] > 0 and not has_video and not values['require_attendance']:
        found.append(Problem('watch_needed', 'watch_percent'))
    if values['require_reflection'] and not values['reflection_enabled']:
        found.append(Problem('reflection_needed', 'require_reflection'))
    if values['require_attendance'] and not has_live:
        found.append(Problem('attendance_needed', 'require_attendance'))
    if values['reflection_min_chars'] > values['reflection_max_chars']:
        found.append(Problem('min_over_max', 'reflection_min_chars'))
    if values['reflection_graded'] and not values['reflection_enabled']:
        found.append(Problem('graded_off', 'reflection_graded'))
    return found


def timing_problems(session, duration):
    """Warnings: takeaways and chapters that point past the end of the video."""
    if session is None or not duration:
        return []
    return [Problem('after_video', 'session', (('time', item.at), ('where', item.text.indonesian[:40])), 'warning')
            for item in (*session.takeaways, *session.chapters) if item.at is not None and item.at > duration]
