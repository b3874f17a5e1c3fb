"""Live sessions: validation, the join window on an injected clock, time zones and the .ics file."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from asn_xblocks.core.i18n import DEFAULT_LOCALE, bundled_catalog
from asn_xblocks.expert_session import live
from asn_xblocks.expert_session.live import (
    LIVE, ENDED, OPEN_TO_JOIN, RECORDING_AVAILABLE, SCHEDULED, LiveSession, LiveSessionError, ics, may_join,
    next_change, problems, state_at, to_local, utc_from_local, validated,
)

UTC = timezone.utc
START = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 WIB
USAGE_ID = 'block-v1:LAN+AKT101+2026_T1+type@asn_expert_session+block@sesi_pakar'
JOIN = 'https://us02web.zoom.us/j/81234567890?pwd=rahasia'
PAGE = 'https://lms.example.go.id/courses/course-v1:LAN+AKT101+2026_T1/jump_to/' + USAGE_ID


def session(**changes):
    base = LiveSession(start=START, duration_minutes=90, platform='zoom', join_url=JOIN)
    return replace(base, **changes)


def codes(found):
    return [(error.code, error.field) for error in found]


# --- validation ----------------------------------------------------------------------------
def test_a_good_session_has_no_problems_and_is_stored_in_utc():
    wib = timezone(timedelta(hours=7))
    checked = validated(session(start=datetime(2026, 3, 10, 9, 0, tzinfo=wib)))
    assert checked.start == START and checked.start.utcoffset() == timedelta(0)
    assert checked.timezone == 'Asia/Jakarta' and checked.join_before_minutes == 15


def test_every_problem_is_reported_with_its_field():
    bad = LiveSession(start=datetime(2026, 3, 10, 9, 0), duration_minutes=0, timezone='Asia/Batavia',
                      platform='teams', join_url='http://teams.microsoft.com/l/meetup-join/1',
                      join_before_minutes=-5, recording_url='javascript:alert(1)')
    assert codes(problems(bad)) == [
        ('bad_start', 'start'), ('bad_timezone', 'timezone'), ('end_before_start', 'duration_minutes'),
        ('bad_join_window', 'join_before_minutes'), ('not_https', 'join_url'), ('not_https', 'recording_url')]
    with pytest.raises(LiveSessionError) as caught:
        validated(bad)
    assert caught.value.code == 'bad_start'


@pytest.mark.parametrize('changes, code', [
    ({'duration_minutes': -30}, 'end_before_start'),
    ({'duration_minutes': 13 * 60}, 'too_long'),
    ({'duration_minutes': True}, 'end_before_start'),
    ({'join_before_minutes': 121}, 'bad_join_window'),
    ({'platform': 'webex'}, 'unknown_platform'),
    ({'timezone': '../../etc/passwd'}, 'bad_timezone'),
    ({'timezone': ''}, 'bad_timezone'),
])
def test_schedule_problems(changes, code):
    assert [error.code for error in problems(session(**changes))] == [code]


@pytest.mark.parametrize('platform, url', [
    ('zoom', 'https://zoom.us/j/1'), ('zoom', 'https://kemenpan.zoom.us/j/1'), ('zoom', 'https://US02WEB.ZOOM.US./j/1'),
    ('google_meet', 'https://meet.google.com/abc-defg-hij'),
    ('teams', 'https://teams.microsoft.com/l/meetup-join/19%3ameeting'), ('teams', 'https://teams.live.com/meet/93'),
    ('jitsi', 'https://meet.jit.si/SesiPakarASN'), ('jitsi', 'https://meet.jit.si:443/SesiPakarASN'),
    ('other', 'https://bbb.bkpsdm.example.go.id/rooms/abc'),
])
def test_join_links_on_the_platforms_hosts(platform, url):
    assert problems(session(platform=platform, join_url=url)) == []


@pytest.mark.parametrize('platform, url, code', [
    ('zoom', 'https://zoom.us.evil.example/j/1', 'wrong_host'),
    ('zoom', 'https://evilzoom.us/j/1', 'wrong_host'),
    ('zoom', 'https://meet.google.com/abc', 'wrong_host'),
    ('google_meet', 'https://meet.google.com.evil.example/abc', 'wrong_host'),
    ('google_meet', 'https://google.com/meet/abc', 'wrong_host'),
    ('teams', 'https://teams.microsoft.evil/l/1', 'wrong_host'),
    ('jitsi', 'https://jitsi.example.org/room', 'wrong_host'),
    ('zoom', 'https://meet.google.com@zoom.us/j/1', 'bad_url'),  # userinfo can disguise the host
    ('zoom', 'https://zoom.us:8443/j/1', 'bad_url'),
    ('zoom', 'https://zoom.us:99999/j/1', 'bad_url'),
    ('other', 'https://localhost/x', 'bad_url'),
    ('other', 'https:///nohost', 'bad_url'),
    ('other', 'https://ok.example/a b', 'bad_url'),
    ('other', 'https://ok.example/\r\nX-Header: 1', 'bad_url'),
    ('other', 'http://ok.example/', 'not_https'),
    ('other', 'ftp://ok.example/', 'not_https'),
    ('other', '//ok.example/x', 'not_https'),
    ('other', 'https://ok.example/' + 'a' * 2048, 'bad_url'),
])
def test_join_links_refused(platform, url, code):
    found = problems(session(platform=platform, join_url=url))
    assert codes(found) == [(code, 'join_url')]


def test_operators_may_allow_a_self_hosted_jitsi():
    hosted = session(platform='jitsi', join_url='https://jitsi.lan.go.id/kelas')
    assert codes(problems(hosted)) == [('wrong_host', 'join_url')]
    assert problems(hosted, extra_hosts={'jitsi': ['jitsi.lan.go.id']}) == []
    assert str(problems(hosted)[0]) == 'jitsi.lan.go.id is not a Jitsi Meet address'


def test_dict_round_trip_and_bad_stored_start():
    stored = session(recording_url='https://www.youtube.com/watch?v=abcdefghijk').to_dict()
    assert stored['start'] == '2026-03-10T02:00:00Z'
    assert LiveSession.from_dict(stored) == session(recording_url='https://www.youtube.com/watch?v=abcdefghijk')
    with pytest.raises(LiveSessionError):
        LiveSession.from_dict({**stored, 'start': 'besok pagi'})


# --- the join window, with an injected clock -------------------------------------------------
@pytest.mark.parametrize('minutes_from_start, state, joinable', [
    (-24 * 60, SCHEDULED, False),
    (-15 - 1 / 60, SCHEDULED, False),  # one second before the window opens
    (-15, OPEN_TO_JOIN, True),
    (-1, OPEN_TO_JOIN, True),
    (0, LIVE, True),
    (89, LIVE, True),
    (90, ENDED, False),
    (24 * 60, ENDED, False),
])
def test_states_across_the_join_window(minutes_from_start, state, joinable):
    now = START + timedelta(minutes=minutes_from_start)
    assert state_at(session(), now) == state
    assert may_join(session(), now) is joinable


def test_the_recording_replaces_ended_only_after_the_end():
    recorded = session(recording_url='https://vimeo.com/823141156')
    assert state_at(recorded, START + timedelta(minutes=30)) == LIVE
    assert state_at(recorded, START + timedelta(minutes=90)) == RECORDING_AVAILABLE
    assert not may_join(recorded, START + timedelta(minutes=90))


def test_no_link_means_no_join_even_inside_the_window():
    assert state_at(session(join_url=''), START) == LIVE
    assert not may_join(session(join_url=''), START)


def test_a_zero_minute_window_opens_at_the_start():
    sharp = session(join_before_minutes=0)
    assert state_at(sharp, START - timedelta(seconds=1)) == SCHEDULED
    assert state_at(sharp, START) == LIVE


def test_the_clock_may_be_in_any_zone_but_must_be_aware():
    jakarta_now = (START - timedelta(minutes=10)).astimezone(live.zoneinfo.ZoneInfo('Asia/Jakarta'))
    assert state_at(session(), jakarta_now) == OPEN_TO_JOIN
    with pytest.raises(ValueError):
        state_at(session(), datetime(2026, 3, 10, 9, 0))


def test_next_change_walks_the_boundaries():
    s = session()
    assert next_change(s, START - timedelta(days=1)) == START - timedelta(minutes=15)
    assert next_change(s, START - timedelta(minutes=15)) == START
    assert next_change(s, START) == START + timedelta(minutes=90)
    assert next_change(s, START + timedelta(minutes=90)) is None


# --- time zones ------------------------------------------------------------------------------
def test_jakarta_has_no_daylight_saving():
    for month in (1, 4, 7, 10):
        local = to_local(datetime(2026, month, 1, 2, 0, tzinfo=UTC), 'Asia/Jakarta')
        assert (local.hour, local.utcoffset(), local.tzname()) == (9, timedelta(hours=7), 'WIB')
    assert utc_from_local(datetime(2026, 7, 1, 9, 0), 'Asia/Jakarta') == datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def test_amsterdam_display_follows_daylight_saving():
    winter = to_local(START, 'Europe/Amsterdam')
    summer = to_local(datetime(2026, 7, 10, 2, 0, tzinfo=UTC), 'Europe/Amsterdam')
    assert (winter.hour, winter.tzname()) == (3, 'CET')
    assert (summer.hour, summer.tzname()) == (4, 'CEST')
    # The night the clocks change (29 March 2026): 01:30 UTC is 03:30 CEST, an hour after 00:30 UTC.
    assert to_local(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 'Europe/Amsterdam').hour == 1
    assert to_local(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 'Europe/Amsterdam').hour == 3


def test_organiser_local_times_that_do_not_exist_or_happen_twice():
    with pytest.raises(LiveSessionError) as caught:
        utc_from_local(datetime(2026, 3, 29, 2, 30), 'Europe/Amsterdam')
    assert caught.value.code == 'nonexistent_local_time'
    assert str(caught.value) == ('2026-03-29 02:30 does not exist in Europe/Amsterdam (the clocks skip it); '
                                 'choose another time')
    # 02:30 on 25 October 2026 happens twice: the first (CEST, UTC+2) is meant.
    twice = datetime(2026, 10, 25, 2, 30)
    assert utc_from_local(twice, 'Europe/Amsterdam') == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    with pytest.raises(LiveSessionError):
        utc_from_local(datetime(2026, 3, 10, 9, 0), 'WIB')
    with pytest.raises(LiveSessionError):
        utc_from_local(START, 'Asia/Jakarta')  # already aware: the caller mixed up its inputs


def test_duration_between_refuses_an_end_before_the_start():
    assert live.duration_between(START, START + timedelta(hours=2)) == 120
    for end in (START, START - timedelta(minutes=5)):
        with pytest.raises(LiveSessionError) as caught:
            live.duration_between(START, end)
        assert (caught.value.code, caught.value.field) == ('end_before_start', 'end')


# --- iCalendar -----------------------------------------------------------------------------------
STAMP = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
INDONESIAN = {
    'Live expert session': 'Sesi pakar langsung',
    'Join from the course page: {url}': 'Bergabung dari halaman kursus: {url}',
    'Meeting link: {url}': 'Tautan rapat: {url}',
    "Organiser's time: {time} ({timezone})": 'Waktu penyelenggara: {time} ({timezone})',
}


def indonesian(text):
    return INDONESIAN.get(text, text)


def event_of(data):
    calendar = icalendar.Calendar.from_ical(data)
    events = [component for component in calendar.walk('VEVENT')]
    assert len(events) == 1
    return calendar, events[0]


def test_ics_parses_back_with_utc_times_and_indonesian_text():
    data = ics(session(), USAGE_ID, 0, title='Akuntabilitas Kinerja, Integritas; dan Pelayanan Publik',
               description='Ringkasan:\r\nbaris dua \\ garis miring', page_url=PAGE, stamp=STAMP, gettext=indonesian)
    calendar, event = event_of(data)
    assert str(calendar['method']) == 'PUBLISH' and str(calendar['version']) == '2.0'
    assert event['dtstart'].dt == START and event['dtstart'].dt.utcoffset() == timedelta(0)
    assert event['dtend'].dt == START + timedelta(minutes=90)
    assert event['dtstamp'].dt == STAMP
    assert str(event['summary']) == 'Akuntabilitas Kinerja, Integritas; dan Pelayanan Publik'
    assert str(event['description']) == (
        'Ringkasan:\nbaris dua \\ garis miring\n\n'
        f'Bergabung dari halaman kursus: {PAGE}\n\n'
        'Waktu penyelenggara: 2026-03-10 09:00 (Asia/Jakarta)')
    assert str(event['url']) == PAGE
    assert int(event['sequence']) == 0
    assert b'DTSTART:20260310T020000Z\r\n' in data


def test_ics_lines_end_in_crlf_and_fold_at_75_octets():
    data = ics(session(), USAGE_ID, 3, title='Sesi ' * 40, description='Ringkasan panjang ' * 30, page_url=PAGE,
               stamp=STAMP, gettext=indonesian)
    assert data.endswith(b'\r\n') and b'\n' not in data.replace(b'\r\n', b'')
    assert b'\r' not in data.replace(b'\r\n', b'')
    assert all(len(line) <= 75 for line in data.split(b'\r\n'))
    assert b'SUMMARY:Sesi Sesi' in data and b'\\,' not in data  # nothing needed escaping here


def test_ics_escapes_text_properties():
    data = ics(session(), USAGE_ID, 0, title='A, B; C\\D\nE', stamp=STAMP)
    assert b'SUMMARY:A\\, B\\; C\\\\D\\nE\r\n' in data
    assert str(event_of(data)[1]['summary']) == 'A, B; C\\D\nE'


def test_ics_uid_is_stable_across_a_reschedule_and_the_sequence_grows():
    first = event_of(ics(session(), USAGE_ID, 0, stamp=STAMP))[1]
    moved = session(start=START + timedelta(days=2, hours=1), duration_minutes=120)
    second = event_of(ics(moved, USAGE_ID, 1, stamp=STAMP + timedelta(days=1)))[1]
    other_block = event_of(ics(session(), USAGE_ID.replace('sesi_pakar', 'sesi_lain'), 0, stamp=STAMP))[1]
    assert str(first['uid']) == str(second['uid']) == live.event_uid(USAGE_ID)
    assert str(other_block['uid']) != str(first['uid'])
    assert (int(first['sequence']), int(second['sequence'])) == (0, 1)
    assert second['dtstart'].dt == START + timedelta(days=2, hours=1)
    assert USAGE_ID not in str(first['uid'])  # a UUID, not the course's internal key


def test_ics_has_no_join_link_unless_the_caller_passes_it():
    without = ics(session(), USAGE_ID, 0, page_url=PAGE, stamp=STAMP, gettext=indonesian)
    assert b'zoom.us' not in without and b'rahasia' not in without.replace(b'\r\n ', b'')
    assert 'LOCATION' not in event_of(without)[1]
    with_link = ics(session(), USAGE_ID, 0, page_url=PAGE, join_url=JOIN, stamp=STAMP, gettext=indonesian)
    event = event_of(with_link)[1]
    assert str(event['location']) == JOIN
    assert f'Tautan rapat: {JOIN}' in str(event['description'])


def test_ics_defaults_to_the_bundled_indonesian_catalog():
    default = ics(session(), USAGE_ID, 0, stamp=STAMP)
    explicit = ics(session(), USAGE_ID, 0, stamp=STAMP, gettext=bundled_catalog(DEFAULT_LOCALE).gettext)
    assert default == explicit


def test_ics_refuses_bad_arguments():
    for sequence in (-1, 1.5, True, '2'):
        with pytest.raises(ValueError):
            ics(session(), USAGE_ID, sequence, stamp=STAMP)
    for url in ('http://lms.example/x', 'https://lms.example/x\r\nATTENDEE:mailto:x@example.org'):
        with pytest.raises(ValueError):
            ics(session(), USAGE_ID, 0, page_url=url, stamp=STAMP)
        with pytest.raises(ValueError):
            ics(session(), USAGE_ID, 0, join_url=url, stamp=STAMP)
