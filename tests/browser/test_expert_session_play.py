"""The expert session in chromium, as a learner: watch a recording to completion (a stand-in
player speaks YouTube's postMessage protocol, since the sandbox has no network), submit a
reflection, and join a live session only inside its join window; privacy and axe throughout.
"""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from asn_xblocks.expert_session.defaults import demo_session, demo_transcript
from asn_xblocks.expert_session.olx import workbench_olx

from .helpers import assert_no_axe_violations, scenario_url, tab_to

ROOT = '.asn-expert-session'
VIDEO_ID = 'dQw4w9WgXcQ'
EMBED = f'https://www.youtube-nocookie.com/embed/{VIDEO_ID}'
JOIN_URL = 'https://us02web.zoom.us/j/81234567890'
# A stand-in for YouTube's player: after the page says "listening", it reports playback from 0 to
# 40 s (one position every 30 ms) and then the end, the way the real iframe's infoDelivery does.
STUB_PLAYER = """<!DOCTYPE html><html lang="id"><title>Pemutar uji</title><p>Pemutar (tiruan)</p><script>
window.addEventListener('message', function (event) {
  var data = JSON.parse(event.data);
  if (data.event !== 'listening') return;
  var t = 0;
  var timer = setInterval(function () {
    event.source.postMessage(JSON.stringify({event: 'infoDelivery', info: {currentTime: t, playerState: 1}}), '*');
    t += 1;
    if (t > 40) {
      clearInterval(timer);
      event.source.postMessage(JSON.stringify({event: 'infoDelivery', info: {playerState: 0}}), '*');
    }
  }, 30);
});
</script></html>"""


def add_scenario(scenario_id, settings, schedule=None):
    from workbench.scenarios import add_xml_scenario
    add_xml_scenario(scenario_id, 'Sesi narasumber uji', workbench_olx(settings, demo_session(), demo_transcript(),
                                                                      schedule))


@pytest.fixture
def third_party(page):
    """Every https request of the page; the player address gets the stand-in player."""
    seen = []

    def answer(route):
        seen.append(route.request.url)
        if route.request.url.startswith(EMBED):
            route.fulfill(status=200, content_type='text/html; charset=utf-8', body=STUB_PLAYER)
        else:
            route.fulfill(status=204, body='')

    page.route(re.compile(r'^https://'), answer)
    return seen


def test_watching_to_completion_then_reflecting_by_keyboard(page, live_server, third_party):
    add_scenario('asn_expert_session.uji', {
        'video_url': f'https://www.youtube.com/watch?v={VIDEO_ID}', 'duration_seconds': 40, 'watch_percent': 80,
        'require_reflection': True, 'reflection_min_chars': 20})
    page.goto(scenario_url(live_server, 'asn_expert_session.uji'))
    root = page.locator(ROOT)
    expect(root.locator('.asn-es-title')).to_have_text('Mengelola Aduan Warga lewat SP4N-LAPOR!')
    poster = root.get_by_role('button', name=re.compile('^Putar video'))
    expect(root.locator('.asn-es-note')).to_contain_text('YouTube')
    assert root.locator('iframe').count() == 0 and third_party == []  # privacy: nothing before play
    assert_no_axe_violations(page, ROOT)

    tab_to(page, poster, max_presses=60)
    page.keyboard.press('Enter')
    frame = root.locator('iframe')
    expect(frame).to_have_attribute('title', re.compile('SP4N-LAPOR'))
    assert frame.get_attribute('src').startswith(EMBED + '?enablejsapi=1&origin=')
    expect(root.locator('[data-es-watched]')).to_contain_text('Anda telah menonton 100% rekaman', timeout=15_000)
    expect(root.locator('[data-es-progress]')).to_have_text('Kemajuan Anda di sesi ini: 50%')
    expect(root.locator('.asn-es-cue[aria-current="true"]')).to_have_count(1)  # the transcript followed
    assert {url.split('?')[0] for url in third_party} == {EMBED}

    text = root.locator('textarea')
    tab_to(page, text, max_presses=80)
    page.keyboard.type('<b>Saya</b> akan mengirim kabar antara kepada pelapor.')
    page.keyboard.press('Tab')
    page.keyboard.press('Enter')
    expect(root.locator('.asn-es-my-reflection')).to_have_text('<b>Saya</b> akan mengirim kabar antara kepada pelapor.')
    expect(root.locator('[data-asn-live]')).to_have_text('Terima kasih: refleksi Anda sudah terkirim.')
    expect(root.locator('[data-es-progress]')).to_have_text('Kemajuan Anda di sesi ini: 100%')
    assert root.locator('.asn-es-my-reflection b').count() == 0
    assert_no_axe_violations(page, ROOT)

    page.reload()  # what the server kept
    expect(page.locator(ROOT).locator('.asn-es-my-reflection')).to_contain_text('<b>Saya</b>')
    expect(page.locator(ROOT).locator('[data-es-progress]')).to_have_text('Kemajuan Anda di sesi ini: 100%')


def live_schedule(minutes_ahead):
    start = (datetime.now(timezone.utc) + timedelta(minutes=minutes_ahead)).replace(second=0, microsecond=0)
    return {'start': start.isoformat().replace('+00:00', 'Z'), 'timezone': 'Asia/Jakarta', 'duration_minutes': 60,
            'platform': 'zoom', 'join_before_minutes': 15, 'join_url': JOIN_URL}


def test_joining_a_live_session_only_inside_its_window(page, live_server, third_party):
    add_scenario('asn_expert_session.nanti', {'watch_percent': 0, 'require_attendance': True}, live_schedule(120))
    page.goto(scenario_url(live_server, 'asn_expert_session.nanti'))
    root = page.locator(ROOT)
    expect(root.locator('[data-es-live-state]')).to_have_text('Terjadwal')
    expect(root.locator('[data-es-countdown]')).to_contain_text('Tombol bergabung dibuka dalam')
    assert root.get_by_role('button', name='Bergabung ke sesi langsung').count() == 0
    assert JOIN_URL not in root.evaluate('(el) => el.outerHTML')  # (the SDK's debug panel prints the OLX)
    assert_no_axe_violations(page, ROOT)

    add_scenario('asn_expert_session.segera', {'watch_percent': 0, 'require_attendance': True}, live_schedule(10))
    page.goto(scenario_url(live_server, 'asn_expert_session.segera'))
    root = page.locator(ROOT)
    expect(root.locator('[data-es-live-state]')).to_have_text('Dibuka untuk bergabung')
    assert JOIN_URL not in root.evaluate('(el) => el.outerHTML')  # (the SDK's debug panel prints the OLX)
    join = root.get_by_role('button', name='Bergabung ke sesi langsung')
    tab_to(page, join, max_presses=60)
    page.keyboard.press('Enter')
    meeting = root.get_by_role('link', name='Buka pertemuan')
    expect(meeting).to_have_attribute('href', JOIN_URL)
    assert meeting.evaluate('(el) => el === document.activeElement')
    expect(root.locator('.asn-es-attended')).to_have_text('Kehadiran Anda sudah tercatat.')
    expect(root.locator('[data-es-progress]')).to_have_text('Kemajuan Anda di sesi ini: 100%')
    assert_no_axe_violations(page, ROOT)
    assert third_party == []  # the meeting itself is opened by the learner, never loaded by the page
