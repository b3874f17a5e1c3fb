"""A small course for five learners in chromium: four go through it by the blocks' own handlers,
the fifth answers the reaction survey with the keyboard; staff then read the dashboard, whose
numbers are checked against hand-computed ones, and download both CSV exports. axe clean."""
import csv
import io

from playwright.sync_api import expect

from tests.integration.conftest import Workbench
from tests.integration.test_evaluation_workbench import COHORT, COURSE, CoursePlayer, play

from .helpers import assert_no_axe_violations, scenario_url

ROOT = '.asn-evaluation'


def row(page, table, header):
    """The cells of one row of a dashboard table, by its row header."""
    cells = page.locator(f'[data-ev-table="{table}"] tr', has=page.locator('th', has_text=header)).locator('td')
    return cells.all_inner_texts()


def test_five_learners_then_the_dashboard_matches_hand_computed_numbers(page, live_server):
    workbench = Workbench()
    for student, pre, post, good, reflect, before, after, comment in COHORT[:4]:
        play(workbench, student, pre=pre, post=post, good_case=good, reflect=reflect, before=before, after=after,
             comment=comment)
    last = CoursePlayer(workbench, 'u5')  # u5: 0 % then 0 %, the poor case-study choice, no reflection
    assert last.survey(0, {'siap': 1, 'yakin': 2})[0] == 200
    last.test(0, set())
    last.case_study(False)
    last.test(1, set())

    page.goto(scenario_url(live_server, COURSE, student='u5'))
    survey = page.locator(ROOT).nth(1)
    survey.get_by_role('button', name='Kirim survei').click()  # nothing chosen yet: told, focus on the first
    expect(survey.locator('[data-asn-error]')).to_have_text('Mohon jawab setiap pernyataan sebelum mengirim survei.')
    for statement in survey.locator('fieldset').all():
        statement.locator('input[value="2"]').focus()
        page.keyboard.press('Space')
    survey.get_by_label('Saran atau komentar Anda (opsional)').fill('Perlu lebih banyak latihan')
    assert_no_axe_violations(page, ROOT)
    survey.get_by_role('button', name='Kirim survei').press('Enter')
    expect(survey.locator('[data-ev-done]')).to_be_focused()
    expect(survey.locator('[data-asn-live]')).to_have_text('Terima kasih: jawaban Anda tercatat secara anonim.')

    page.goto(scenario_url(live_server, COURSE, student='staff_1'))
    dashboard = page.locator('.asn-ev-dashboard')
    expect(dashboard.locator('svg[role="img"]').first).to_be_visible()
    assert row(page, 'gain-0', 'Keseluruhan') == ['5', '20,0', '60,0', '0,50']  # (60 − 20) / (100 − 20)
    assert row(page, 'case-study', 'M.05') == ['5', '60,0']  # 3 of 5 chose well
    assert row(page, 'funnel', 'Sesi narasumber') == ['3', '3']
    reaction = row(page, 'survey-reaction', 'Materi pelatihan relevan')
    assert reaction == ['5', '3,60', '0/1/1/2/1']  # 5, 4, 4, 3, 2
    assert row(page, 'methods', 'Sesi narasumber')[:2] == ['0,83 (3)', '0,00 (2)']
    expect(dashboard.locator('[data-ev-comments="reaction"] li')).to_have_count(4)
    assert_no_axe_violations(page, '.asn-ev-dashboard')

    for kind, first_columns in (('outcomes', ['Nama pengguna', 'ID pengguna', 'Mulai pertama (UTC)']),
                                ('hours', ['Nama pengguna', 'ID pengguna', 'Nama pelatihan'])):
        link = dashboard.locator(f'a[href*="export_csv/{kind}"]')
        response = page.request.get(live_server.url + link.get_attribute('href'))
        assert response.ok and response.headers['content-type'].startswith('text/csv')
        rows = list(csv.reader(io.StringIO(response.body().decode('utf-8-sig'))))
        assert rows[0][:3] == first_columns and len(rows) == 6

    with page.context.expect_page() as opened:
        dashboard.get_by_role('link', name='Buka laporan yang dapat dicetak').click()
    report = opened.value
    expect(report.locator('h2')).to_contain_text('Pelatihan Pelayanan Publik Prima')
    assert_no_axe_violations(report, '.asn-ev-dashboard')
