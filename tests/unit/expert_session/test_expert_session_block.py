"""The expert-session XBlock under TestRuntime: credit on the server, bad input refused with a
translated 400 and no change, the join link only inside its window, escaping and sanitising."""
from datetime import datetime, timedelta, timezone

import pytest
from xblock.core import XBlock

from asn_xblocks.core.ledger import api as ledger
from asn_xblocks.expert_session import learner
from tests.unit.core.doubles import FakeUserService

from tests.unit.expert_session.es_builders import JOIN_URL, XBlockUserState, call, events, live_fields, new_block

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def no_ledger(monkeypatch):
    """As on a site without the ledger app; the integration tests run with it."""
    monkeypatch.setattr(ledger, 'is_available', lambda: False)


@pytest.fixture
def clock(monkeypatch):
    moment = {'now': NOW}
    monkeypatch.setattr(learner, 'now', lambda: moment['now'])
    return moment


def test_the_block_is_registered_and_scored_only_when_staff_grade_reflections():
    cls = XBlock.load_class('asn_expert_session')
    assert cls.has_score  # the LMS treats the type as possibly scored
    assert new_block().has_score is False
    graded = new_block(reflection_graded=True, reflection_max_points=20)
    assert graded.has_score is True and graded.max_score() == 20.0


def test_watched_intervals_are_merged_and_completion_grows(clock):
    block = new_block(watch_percent=80)
    status, state = call(block, 'progress', {'intervals': [[0, 40]]})
    clock['now'] += timedelta(seconds=30)
    assert status == 200 and state['watched_percent'] == 40.0
    assert events(block, 'completion') == [{'completion': 0.5}]
    status, state = call(block, 'progress', {'intervals': [[20, 45], [40, 80]]})
    assert state['watched_percent'] == 80.0 and state['completion'] == 1.0
    assert events(block, 'completion')[-1] == {'completion': 1.0}
    assert not events(block, 'grade')


@pytest.mark.parametrize('body, indonesian', [
    ({'intervals': [[0, 500]]}, 'di luar video'),
    ({'intervals': [[0, 'a']]}, 'tipe yang salah'),
    ({'intervals': [[0, 10]], 'event': 'grade'}, 'tidak diharapkan'),  # a foreign field
    ({'intervals': [[i, i + 1] for i in range(60)]}, 'terlalu panjang'),  # too many
    ({'intervals': [[5, 1]]}, 'di luar video'),
])
def test_bad_progress_reports_get_a_translated_400_and_change_nothing(body, indonesian):
    block = new_block()
    call(block, 'progress', {'intervals': [[0, 10]]})
    before = block.learner_record
    status, error = call(block, 'progress', body)
    assert status == 400 and indonesian in error['error'], error
    assert block.learner_record == before and not events(block, 'grade')


def test_claiming_more_than_double_speed_is_refused():
    block = new_block(duration_seconds=3600)
    status, _ = call(block, 'progress', {'intervals': [[0, 1000]]})
    assert status == 400 and block.learner_record == {}


def test_reflection_limits_and_a_single_submission():
    block = new_block(reflection_min_chars=10, reflection_max_chars=40)
    assert call(block, 'reflect', {'text': 'pendek'})[0] == 400
    status, error = call(block, 'reflect', {'text': 'x' * 41})
    assert status == 400 and '40' in error['error']
    assert block.record.reflection == ''
    assert call(block, 'reflect', {'text': 'Saya akan menelepon pelapor.'})[0] == 200
    status, error = call(block, 'reflect', {'text': 'Refleksi kedua yang lain.'})
    assert status == 400 and block.record.reflection == 'Saya akan menelepon pelapor.'


def test_learner_text_is_escaped_and_author_html_is_sanitised():
    session = new_block().session
    session['experts'][0]['bio'] = {'id': '<p onclick="x()">Bio</p><script>alert(1)</script>'}
    block = new_block(session=session, reflection_min_chars=5)
    call(block, 'reflect', {'text': '<img src=x onerror=alert(1)> refleksi'})
    html = block.student_view().content
    assert '<script>alert(1)' not in html and 'onclick' not in html
    assert '&lt;img src=x onerror=alert(1)&gt;' in html


def test_join_link_only_inside_the_window_and_attendance_counts(clock):
    block = new_block(live=live_fields(NOW + timedelta(minutes=30)), require_attendance=True, watch_percent=0)
    status, error = call(block, 'join', {})
    assert status == 400 and '15' in error['error'] and block.record.attended is False
    clock['now'] = NOW + timedelta(minutes=20)  # 10 minutes before the start
    status, state = call(block, 'join', {})
    assert status == 200 and state['url'] == JOIN_URL and block.record.attended is True
    assert state['completion'] == 1.0
    clock['now'] = NOW + timedelta(minutes=95)  # after the end
    assert call(block, 'join', {})[0] == 400


def test_the_join_link_is_in_no_page_or_mobile_data(clock):
    clock['now'] = NOW + timedelta(minutes=20)
    block = new_block(live=live_fields(NOW + timedelta(minutes=30)))
    assert JOIN_URL not in block.student_view().content
    assert JOIN_URL not in str(block.student_view_data())
    assert block.student_view_data()['live']['timezone'] == 'Asia/Jakarta'


def test_report_rows_skip_empty_states_and_honour_the_limit():
    block = new_block()
    states = [XBlockUserState('a', 'k', {}, None, None),
              XBlockUserState('b', 'k', {'learner_record': {'watch': {'w': [[0, 50000]], 't': 1.0}, 'completion': 0.5}},
                              None, None),
              XBlockUserState('c', 'k', {'learner_record': {'reflection': 'Refleksi'}}, None, None)]
    rows = list(block.generate_report_data(iter(states)))
    assert [name for name, _ in rows] == ['b', 'c']
    assert list(rows[0][1].values())[0] == 50.0  # watched % from the content's duration
    assert len(list(block.generate_report_data(iter(states), limit_responses=1))) == 1


def test_staff_handlers_refuse_learners():
    block = new_block(user=FakeUserService(staff=False))
    assert call(block, 'staff_report', {})[0] == 403
    assert call(block, 'staff_grade', {'user_id': '42', 'points': 1})[0] == 403
    assert call(block, 'studio_save', {})[0] == 403
