"""The expert session through real workbench pages and handler URLs, CSRF enforced, ledger on."""
import csv
from datetime import timedelta
import functools
import io
import json

import icalendar
import pytest

from asn_xblocks.core.ledger.models import Attendance, Milestone, Participation, Reflection, ReflectionGrade
from asn_xblocks.expert_session import learner, oembed, studio
from tests.unit.expert_session.test_expert_session_oembed import (  # noqa: F401 - fixtures
    VIDEO, Resolver, ca, ca_file, module_server, reply, server, session,
)

RECORDED, LIVE = 'asn_expert_session.0', 'asn_expert_session.1'
REFLECTION = 'Saya akan mengirim kabar antara kepada pelapor setiap tiga hari.'


def usage_of(workbench, scenario, student='student_1'):
    html = workbench.open(scenario, student=student)
    return workbench.usage_ids(html, 'asn_expert_session')[0]


def test_page_is_indonesian_first_and_english_on_request(workbench):
    html = workbench.open(RECORDED)
    assert 'Mengelola Aduan Warga lewat SP4N-LAPOR!' in html and 'Poin penting' in html and 'lang="id"' in html
    english = workbench.open(RECORDED, lang='en')
    assert 'Key takeaways' in english and 'Practitioner' in english


def test_handlers_refuse_requests_without_the_csrf_token(workbench):
    usage = usage_of(workbench, RECORDED)
    assert workbench.call(usage, 'reflect', {'text': REFLECTION}, csrf=False)[0] == 403
    assert Reflection.objects.count() == 0


def test_staff_grading_scores_the_learner_not_the_staff_member(workbench):
    usage = usage_of(workbench, RECORDED)
    assert workbench.call(usage, 'reflect', {'text': REFLECTION})[0] == 200
    usage_of(workbench, RECORDED, student='staff_1')
    status, body = workbench.call(usage, 'staff_grade', {'user_id': 'student_1', 'points': 7}, student='staff_1')
    assert status == 200, body
    grade = ReflectionGrade.objects.get()
    assert (grade.reflection.user_id, grade.grader_id, grade.points) == ('student_1', 'staff_1', 7.0)
    learner_page = workbench.open(RECORDED)
    assert 'Nilai dari staf: 7 dari 10 poin' in learner_page
    assert workbench.init_args(learner_page)[-1]['state']['reflection']['score'] == 7
    staff_page = workbench.open(RECORDED, student='staff_1')
    assert workbench.init_args(staff_page)[-1]['state']['reflection']['score'] is None


def test_grading_is_staff_only_and_needs_a_reflection(workbench):
    usage = usage_of(workbench, RECORDED)
    assert workbench.call(usage, 'staff_grade', {'user_id': 'student_1', 'points': 7})[0] == 403
    status, body = workbench.call(usage, 'staff_grade', {'user_id': 'student_2', 'points': 7}, student='staff_1')
    assert status == 400 and 'belum mengirim refleksi' in body['error']
    workbench.call(usage, 'reflect', {'text': REFLECTION})
    status, body = workbench.call(usage, 'staff_grade', {'user_id': 'student_1', 'points': 11}, student='staff_1')
    assert status == 400 and ReflectionGrade.objects.count() == 0


def test_staff_report_and_csv_are_formula_safe(workbench):
    usage = usage_of(workbench, RECORDED)
    workbench.call(usage, 'progress', {'intervals': [[0, 45]]})
    workbench.call(usage, 'reflect', {'text': '=HYPERLINK("http://evil.example","klik") refleksi saya'})
    status, report = workbench.call(usage, 'staff_report', {}, student='staff_1')
    assert status == 200
    funnel = {row['step']: row['learners'] for row in report['funnel']}
    assert funnel == {'started': 1, 'watched_25': 1, 'watched_50': 1, 'watched_75': 1, 'watched_100': 0,
                      'reflected': 1, 'attended': 0, 'completed': 1}
    assert [band['learners'] for band in report['watched']] == [0, 0, 0, 1, 0]
    response = workbench.get(usage, 'export_csv', student='staff_1')
    rows = list(csv.reader(io.StringIO(response.content.decode('utf-8-sig'))))
    assert rows[1][6].startswith("'=HYPERLINK") and rows[1][3] == '75'
    assert workbench.get(usage, 'export_csv').status_code == 403


def test_heartbeats_write_the_ledger_only_on_a_start_or_a_new_milestone(workbench, monkeypatch):
    moment = {'now': learner.now()}
    monkeypatch.setattr(learner, 'now', lambda: moment['now'])
    usage = usage_of(workbench, RECORDED)

    def heartbeat(start, end):
        moment['now'] += timedelta(seconds=15)
        status, body = workbench.call(usage, 'progress', {'intervals': [[start, end]]})
        assert status == 200 and set(body) == {'watched_percent', 'completion'}, body
        return (Participation.objects.count(), sorted(Milestone.objects.values_list('kind', 'value')))

    assert heartbeat(0, 15) == (1, [('watched', 25)])
    assert heartbeat(15, 20) == (1, [('watched', 25)])  # nothing passed: nothing written
    assert heartbeat(20, 50) == (1, [('watched', 25), ('watched', 50), ('watched', 75), ('watched', 100)])


def test_the_live_session_can_be_joined_inside_its_window_and_is_logged(workbench, monkeypatch):
    usage = usage_of(workbench, LIVE)  # starts in 30 minutes; the window opens 45 minutes before
    status, body = workbench.call(usage, 'join', {})
    assert status == 200 and body['url'].startswith('https://us02web.zoom.us/')
    assert Attendance.objects.filter(user_id='student_1').count() == 1
    workbench.call(usage, 'join', {})
    assert Attendance.objects.count() == 1
    real_now = learner.now()
    monkeypatch.setattr(learner, "now", lambda: real_now + timedelta(hours=3))
    status, body = workbench.call(usage, 'join', {}, student='student_2')
    assert status == 400 and 'zoom' not in json.dumps(body)


def test_the_calendar_file_parses_and_keeps_its_uid_when_rescheduled(workbench):
    usage = usage_of(workbench, LIVE)
    first = icalendar.Calendar.from_ical(workbench.get(usage, 'calendar').content)
    event = first.walk('VEVENT')[0]
    assert event['SEQUENCE'] == 0 and 'zoom.us' not in first.to_ical().decode()
    html = workbench.open(LIVE, student='staff_1', view='studio_view')
    form = workbench.init_args(html)[-1]
    assert form['problems'] == []
    save = studio_form(workbench, LIVE)
    save['live']['start'] = '2027-01-05T09:30'
    status, body = workbench.call(usage, 'studio_save', save, student='staff_1')
    assert status == 200, body
    second = icalendar.Calendar.from_ical(workbench.get(usage, 'calendar').content).walk('VEVENT')[0]
    assert second['UID'] == event['UID'] and second['SEQUENCE'] == 1
    assert second.decoded('DTSTART').isoformat() == '2027-01-05T02:30:00+00:00'  # 09:30 in Jakarta


def studio_form(workbench, scenario):
    """What the editor would send for the stored block (read through the block's own fields)."""
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import get_scenarios
    block = WorkbenchRuntime('staff_1').get_block(get_scenarios()[scenario].usage_id)
    values = {name: getattr(block, name) for name in studio.RULE_FIELDS}
    return {'display_name': block.display_name, 'session': block.session, 'video_url': block.video_url,
            'duration_seconds': block.duration_seconds, 'live': {
                key: value for key, value in block.live_form().items() if key in studio.LIVE_SCHEMA['anyOf'][1]['properties']},
            'weight': block.weight, **values}


def test_a_bad_save_lists_every_problem_and_stores_nothing(workbench):
    usage = usage_of(workbench, RECORDED)
    save = studio_form(workbench, RECORDED)
    save.update(video_url='https://evil.example/?youtube.com/watch?v=aqz-KE-bpKQ', watch_percent=0,
                require_reflection=False, reflection_min_chars=3000, reflection_max_chars=100)
    save['session'] = {**save['session'], 'title': {'en': 'No Indonesian'}}
    status, body = workbench.call(usage, 'studio_save', save, student='staff_1')
    assert status == 400
    codes = {problem['code'] for problem in body['problems']}
    assert codes == {'no_indonesian', 'bad_video_url', 'no_rule', 'min_over_max'}
    assert all(problem['message'] for problem in body['problems'])
    assert 'Mengelola Aduan' in workbench.open(RECORDED)
    assert workbench.call(usage, 'studio_save', save)[0] == 403


@pytest.fixture
def loopback_lookup(monkeypatch, server, session):  # noqa: F811 - pytest fixtures
    """The Studio look-up pointed at the loopback provider (the real SSRF rule still judges addresses)."""
    def use(address_allowed=oembed.is_public_address):
        lookup = functools.partial(oembed.lookup, session=session, resolver=Resolver(['127.0.0.1']),
                                   providers=server.provider('/oembed'), address_allowed=address_allowed)
        monkeypatch.setattr(studio, 'LOOKUP', oembed.CachedLookup(lookup))
    return use


def test_the_video_look_up_refuses_a_provider_on_a_private_address(workbench, server, loopback_lookup):  # noqa: F811
    server.routes['/oembed'] = reply({**VIDEO, 'duration': 42})
    loopback_lookup()
    usage = usage_of(workbench, RECORDED)
    url = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'
    status, body = workbench.call(usage, 'studio_lookup', {'video_url': url}, student='staff_1')
    assert status == 400 and 'privat' in body['error'], body
    assert server.seen == []  # refused before connecting
    save = {**studio_form(workbench, RECORDED), 'video_url': url}
    assert workbench.call(usage, 'studio_save', save, student='staff_1')[0] == 400
    assert 'aqz-KE-bpKQ' in workbench.open(RECORDED)  # nothing changed
    assert workbench.call(usage, 'studio_lookup', {'video_url': url})[0] == 403


def test_a_saved_video_is_looked_up_once_and_stored(workbench, server, loopback_lookup):  # noqa: F811
    server.routes['/oembed'] = reply({**VIDEO, 'duration': 42})
    loopback_lookup(address_allowed=lambda ip: ip.is_loopback)
    usage = usage_of(workbench, RECORDED)
    save = {**studio_form(workbench, RECORDED), 'video_url': 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'}
    status, body = workbench.call(usage, 'studio_save', save, student='staff_1')
    assert status == 200, body
    assert body['video']['title'] == VIDEO['title'] and body['video']['duration_seconds'] == 42
    assert len(server.seen) == 1
    html = workbench.open(RECORDED)
    assert len(server.seen) == 1  # a learner's page view fetches nothing
    player = workbench.init_args(html)[-1]['player']
    assert player['embed_url'] == 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' and player['duration'] == 42
    assert '<iframe src="https://evil.example/"' not in html
