"""The case-study player keeps "attempts left" through the moves of an attempt.

Moves inside an attempt answer without the attempt counters (the server no longer reads them
on every move); the page must keep showing the ones it had.
"""
from playwright.sync_api import expect

from .helpers import scenario_url

SCENARIO = 'asn_case_study.0'


def test_attempts_left_stays_through_moves(page, live_server):
    page.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    page.get_by_label('Upaya Maksimal').fill('3')
    page.get_by_role('button', name='Simpan').click()
    expect(page.locator('[data-asn-live]')).to_contain_text('Tersimpan.')
    page.goto(scenario_url(live_server, SCENARIO, student='student_9'))
    root = page.locator('.asn-case-study')
    root.get_by_role('button', name='Mulai studi kasus').click()
    expect(root.locator('.asn-cs-step-title')).to_be_visible()
    expect(root.locator('[data-cs-controls]')).to_contain_text('Sisa kesempatan: 3')
    for _ in range(3):
        title = root.locator('.asn-cs-step-title').text_content()
        buttons = root.locator('.asn-cs-choices button')
        if buttons.count():
            with page.expect_response(lambda r: '/choose/' in r.url) as answer:
                buttons.first.click()
            assert 'attempts_remaining' not in answer.value.json()
        else:
            root.get_by_role('button', name='Lanjutkan').click()
        expect(root.locator('.asn-cs-step-title')).not_to_have_text(title)
        expect(root.locator('[data-cs-controls]')).to_contain_text('Sisa kesempatan: 3')
