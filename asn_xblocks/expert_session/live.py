"""A scheduled live session: when it happens, who may join when, and its calendar file.

The start is stored as an aware UTC datetime plus the organiser's IANA time zone (default
Asia/Jakarta): UTC makes comparisons and calendar files unambiguous, the zone name lets pages
show the organiser's wall-clock time next to the learner's own (free-text date and time strings
without a zone, as some Open edX blocks store them, cannot be converted at all).

Join links are checked against the platform's hosts (an author's typo or a look-alike host must
not reach learners) and are given out only inside the join window (Moodle mod_zoom's default:
15 minutes before the start until the end). The calendar file carries the course page, not the
meeting link, unless the caller passes the link explicitly (the block does so only for enrolled
learners), because downloaded files are forwarded and the page keeps access control in the LMS.
"""
import functools
import uuid
import zoneinfo
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import icalendar

from asn_xblocks.core.errors import TranslatableError
from asn_xblocks.core.i18n import DEFAULT_LOCALE, N_, bundled_catalog

PLATFORMS = ('zoom', 'google_meet', 'teams', 'jitsi', 'other')
# Exact hosts, and host suffixes for platforms that give each customer a subdomain
# (us02web.zoom.us, company.zoom.us). `other` takes any https host.
PLATFORM_HOSTS = {
    'zoom': {'zoom.us'},
    'google_meet': {'meet.google.com'},
    'teams': {'teams.microsoft.com', 'teams.live.com'},
    'jitsi': {'meet.jit.si'},
}
PLATFORM_HOST_SUFFIXES = {'zoom': ('.zoom.us',)}
PLATFORM_NAMES = {'zoom': 'Zoom', 'google_meet': 'Google Meet', 'teams': 'Microsoft Teams', 'jitsi': 'Jitsi Meet',
                  'other': 'https'}

DEFAULT_TIMEZONE = 'Asia/Jakarta'
DEFAULT_JOIN_BEFORE_MINUTES = 15
MAX_JOIN_BEFORE_MINUTES = 120
MAX_DURATION_MINUTES = 12 * 60
MAX_URL_LENGTH = 2048

SCHEDULED, OPEN_TO_JOIN, LIVE, ENDED, RECORDING_AVAILABLE = (
    'scheduled', 'open_to_join', 'live', 'ended', 'recording_available')

MESSAGES = {
    'bad_start': N_('the start must be a date and time'),
    'bad_timezone': N_('"{value}" is not a time zone; use a name such as Asia/Jakarta'),
    'nonexistent_local_time': N_('{value} does not exist in {timezone} (the clocks skip it); choose another time'),
    'end_before_start': N_('the session must end after it starts'),
    'too_long': N_('a session may last at most {max_hours} hours'),
    'bad_join_window': N_('the join window must open between 0 and {max_minutes} minutes before the start'),
    'unknown_platform': N_('unknown platform "{value}"'),
    'bad_url': N_('"{value}" is not a valid web address'),
    'not_https': N_('the address must start with https://'),
    'wrong_host': N_('{host} is not a {platform} address'),
}
# Calendar text; the .ics is read outside the LMS, so it is written in the learner's language
# (Indonesian unless the caller passes another gettext).
ICS_DEFAULT_SUMMARY = N_('Live expert session')
ICS_OPEN_PAGE = N_('Join from the course page: {url}')
ICS_JOIN_LINK = N_('Meeting link: {url}')
ICS_ORGANISER_TIME = N_("Organiser's time: {time} ({timezone})")
ICS_PRODID = '-//asn-xblocks//Expert session//ID'
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, 'urn:asn-xblocks:expert-session')  # changing it changes every UID


class LiveSessionError(TranslatableError):
    """An author error in a live session; `field` names the form field it belongs to."""

    messages = MESSAGES

    def __init__(self, code, params=None, field=None):
        self.field = field
        super().__init__(code, params)

@dataclass(frozen=True)
class LiveSession:
    start: datetime  # aware; stored and compared in UTC
    duration_minutes: int
    timezone: str = DEFAULT_TIMEZONE  # the organiser's zone, for display only
    platform: str = 'other'
    join_url: str = ''  # may stay empty until the organiser has the link
    join_before_minutes: int = DEFAULT_JOIN_BEFORE_MINUTES
    recording_url: str = ''  # added after the session

    @property
    def end(self):
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def join_opens(self):
        return self.start - timedelta(minutes=self.join_before_minutes)

    def to_dict(self):
        """JSON-ready (for a Dict field or OLX attributes)."""
        return {**asdict(self), 'start': self.start.astimezone(timezone.utc).isoformat().replace('+00:00', 'Z')}

    @classmethod
    def from_dict(cls, data):
        """Inverse of to_dict; raises LiveSessionError when a value has the wrong shape."""
        try:
            start = datetime.fromisoformat(data['start'].replace('Z', '+00:00'))
        except (KeyError, AttributeError, ValueError) as error:
            raise LiveSessionError('bad_start', field='start') from error
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data and name != 'start'}
        return cls(start=start, **known)


def validated(session, extra_hosts=None):
    """The session with its start in UTC, or LiveSessionError for the first problem found."""
    found = problems(session, extra_hosts)
    if found:
        raise found[0]
    return replace(session, start=session.start.astimezone(timezone.utc))


def problems(session, extra_hosts=None):
    """Every problem in `session`, so that Studio can show them all at once.

    `extra_hosts` maps a platform to more hosts an operator allows (a self-hosted Jitsi).
    """
    found = []
    if not isinstance(session.start, datetime) or session.start.utcoffset() is None:
        found.append(LiveSessionError('bad_start', field='start'))
    if not is_timezone(session.timezone):
        found.append(LiveSessionError('bad_timezone', {'value': str(session.timezone)[:60]}, 'timezone'))
    if not _is_int(session.duration_minutes) or session.duration_minutes <= 0:
        found.append(LiveSessionError('end_before_start', field='duration_minutes'))
    elif session.duration_minutes > MAX_DURATION_MINUTES:
        found.append(LiveSessionError('too_long', {'max_hours': MAX_DURATION_MINUTES // 60}, 'duration_minutes'))
    if not _is_int(session.join_before_minutes) or not 0 <= session.join_before_minutes <= MAX_JOIN_BEFORE_MINUTES:
        found.append(LiveSessionError('bad_join_window', {'max_minutes': MAX_JOIN_BEFORE_MINUTES},
                                      'join_before_minutes'))
    if session.platform not in PLATFORMS:
        found.append(LiveSessionError('unknown_platform', {'value': str(session.platform)[:60]}, 'platform'))
    elif session.join_url:
        allowed = (extra_hosts or {}).get(session.platform)
        found += _url_problems(session.join_url, 'join_url', session.platform, allowed)
    if session.recording_url:
        found += _url_problems(session.recording_url, 'recording_url', 'other')
    return found


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _url_problems(url, field, platform, extra_hosts=()):
    """https only, a real host, no user:password@ (which can disguise the host), no odd port."""
    shown = {'value': str(url)[:80]}
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return [LiveSessionError('bad_url', shown, field)]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return [LiveSessionError('bad_url', shown, field)]
    if parts.scheme.lower() != 'https':
        return [LiveSessionError('not_https', field=field)]
    host = (parts.hostname or '').rstrip('.')
    if not host or '.' not in host or parts.username is not None or port not in (None, 443):
        return [LiveSessionError('bad_url', shown, field)]
    if platform != 'other' and not host_matches(host, platform, extra_hosts):
        return [LiveSessionError('wrong_host', {'host': host, 'platform': PLATFORM_NAMES[platform]}, field)]
    return []


def host_matches(host, platform, extra_hosts=()):
    """Exact host or an allowed subdomain suffix; never a substring ("zoom.us.evil.example")."""
    host = host.lower().rstrip('.')
    return (host in PLATFORM_HOSTS[platform] or host in set(extra_hosts or ())
            or host.endswith(PLATFORM_HOST_SUFFIXES.get(platform, ())))


@functools.lru_cache(maxsize=1)
def _timezones():
    return frozenset(zoneinfo.available_timezones())  # reads tzdata once per process


def is_timezone(name):
    return isinstance(name, str) and name in _timezones()


def _zone(name):
    if not is_timezone(name):
        raise LiveSessionError('bad_timezone', {'value': str(name)[:60]}, 'timezone')
    return zoneinfo.ZoneInfo(name)


def utc_from_local(local, tz_name):
    """An organiser's wall-clock time (naive datetime) in `tz_name` → aware UTC.

    A time the clocks skip (spring forward) is refused; a time that happens twice (fall back)
    means the first occurrence, as most calendar programs do.
    """
    zone = _zone(tz_name)
    if not isinstance(local, datetime) or local.tzinfo is not None:
        raise LiveSessionError('bad_start', field='start')
    moment = local.replace(tzinfo=zone, fold=0).astimezone(timezone.utc)
    if moment.astimezone(zone).replace(tzinfo=None) != local:
        raise LiveSessionError('nonexistent_local_time', {'value': local.strftime('%Y-%m-%d %H:%M'),
                                                          'timezone': tz_name}, 'start')
    return moment


def to_local(moment, tz_name):
    """`moment` (aware) on the wall clock of `tz_name`: the organiser's or the learner's."""
    return moment.astimezone(_zone(tz_name))


def duration_between(start, end):
    """Whole minutes from start to end (Studio may ask for an end time instead of a duration)."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 0:
        raise LiveSessionError('end_before_start', field='end')
    return minutes


# --- the join window ------------------------------------------------------------------------
def state_at(session, now):
    """scheduled → open_to_join (join window) → live → ended / recording_available."""
    _require_aware(now)
    if now < session.join_opens:
        return SCHEDULED
    if now < session.start:
        return OPEN_TO_JOIN
    if now < session.end:
        return LIVE
    return RECORDING_AVAILABLE if session.recording_url else ENDED


def may_join(session, now):
    """True inside the join window (until the end) when there is a link to give."""
    return bool(session.join_url) and state_at(session, now) in (OPEN_TO_JOIN, LIVE)


def next_change(session, now):
    """When state_at will next change (for a countdown or a page refresh), None after the end."""
    _require_aware(now)
    return next((moment for moment in (session.join_opens, session.start, session.end) if now < moment), None)


def _require_aware(now):
    if now.utcoffset() is None:
        raise ValueError('now must be an aware datetime')  # a naive clock would shift the window by hours


# --- iCalendar ------------------------------------------------------------------------------
def event_uid(uid_seed):
    """A stable UID for the block (seed: its usage id): the same seed always gives the same
    UID, so calendar programs update the entry on reschedule instead of adding a second one."""
    return str(uuid.uuid5(_UID_NAMESPACE, uid_seed))


def ics(session, uid_seed, sequence, *, title='', description='', page_url='', join_url='', stamp=None,
        gettext=None):
    """The session as an iCalendar file (bytes, CRLF lines, RFC 5545 escaping by `icalendar`).

    `sequence` must grow with every reschedule (the caller keeps the counter). The meeting link
    is written only when passed as `join_url`; `page_url` (the course page) is always safe.
    `description` is the author's summary as plain text. `stamp` is DTSTAMP (now by default).
    """
    if not _is_int(sequence) or sequence < 0:
        raise ValueError('sequence must be a whole number ≥ 0')
    for url in (page_url, join_url):
        if url and _url_problems(url, 'url', 'other'):
            raise ValueError(f'not an https URL: {url[:80]!r}')  # the caller's URLs, never an author's typo
    _ = gettext or bundled_catalog(DEFAULT_LOCALE).gettext
    organiser_time = to_local(session.start, session.timezone).strftime('%Y-%m-%d %H:%M')
    lines = [description.strip()] if description and description.strip() else []
    if page_url:
        lines.append(_(ICS_OPEN_PAGE).format(url=page_url))
    if join_url:
        lines.append(_(ICS_JOIN_LINK).format(url=join_url))
    lines.append(_(ICS_ORGANISER_TIME).format(time=organiser_time, timezone=session.timezone))

    event = icalendar.Event()
    event.add('uid', event_uid(uid_seed))
    event.add('sequence', sequence)
    event.add('dtstamp', (stamp or datetime.now(timezone.utc)).astimezone(timezone.utc))
    event.add('dtstart', session.start.astimezone(timezone.utc))
    event.add('dtend', session.end.astimezone(timezone.utc))
    event.add('summary', title.strip() or _(ICS_DEFAULT_SUMMARY))
    event.add('description', '\n\n'.join(lines))
    event.add('status', 'CONFIRMED')
    if page_url:
        event.add('url', page_url)
    if join_url:
        event.add('location', join_url)
    calendar = icalendar.Calendar()
    calendar.add('prodid', ICS_PRODID)
    calendar.add('version', '2.0')
    calendar.add('calscale', 'GREGORIAN')
    calendar.add('method', 'PUBLISH')
    calendar.add_component(event)
    return calendar.to_ical()
