"""The browser helpers catch what they promise to catch (each check is shown failing once)."""
import pytest

from .helpers import assert_no_axe_violations, scenario_url, tab_to

FORM = """
<main>
  <h1>Formulir</h1>
  <button id="first">Pertama</button>
  <a id="link" href="#x">Tautan</a>
  <button id="skipped" tabindex="-1">Dilewati</button>
  <label for="name">Nama</label><input id="name">
</main>
"""


def test_scenario_url_points_at_the_scenario_page(live_server):
    assert scenario_url(live_server, 'asn_case_study.0') == f'{live_server.url}/scenario/asn_case_study.0/?student=student_1'
    assert scenario_url(live_server, 'x.1', student='staff_1', lang='en', view='studio_view') == (
        f'{live_server.url}/scenario/x.1/studio_view/?student=staff_1&lang=en')


def test_axe_passes_accessible_markup_and_lists_each_violation(page):
    page.set_content(FORM + '<div id="bad"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></div>')
    assert_no_axe_violations(page, 'main')
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page, '#bad')
    message = str(failure.value)
    assert 'image-alt (critical)' in message and 'button-name (critical)' in message
    assert '#bad > img' in message or 'img' in message.split('image-alt', 1)[1]


def test_axe_refuses_a_selector_that_matches_nothing(page):
    page.set_content(FORM)
    with pytest.raises(AssertionError, match='nothing .* matches'):
        assert_no_axe_violations(page, '#absent')


def test_tab_to_counts_key_presses_and_reports_where_focus_went(page):
    page.set_content(FORM)
    assert tab_to(page, page.locator('#name')) == 3
    assert tab_to(page, page.locator('#first'), backwards=True) == 2
    with pytest.raises(AssertionError, match=r'did not get focus after 5 Tab presses.*button#first "Pertama"'):
        tab_to(page, page.locator('#skipped'), max_presses=5)


def test_console_errors_are_collected_and_can_be_allowed(page, console_errors):
    page.set_content(FORM)
    page.evaluate("() => { console.error('expected 400 from the handler'); setTimeout(() => { throw new Error('boom'); }); }")
    page.wait_for_timeout(100)
    assert any('expected 400' in m for m in console_errors.messages)
    assert any('uncaught Error: boom' in m for m in console_errors.messages)
    console_errors.allow('expected 400|boom')
    assert console_errors.messages == []


def test_the_phone_page_is_a_small_touch_screen(phone_page):
    phone_page.set_content('<meta name="viewport" content="width=device-width, initial-scale=1">' + FORM)
    assert phone_page.evaluate('[innerWidth, navigator.maxTouchPoints > 0, navigator.language]') == [375, True, 'id-ID']
