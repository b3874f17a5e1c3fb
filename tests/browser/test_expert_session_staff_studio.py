"""Staff and authors in chromium: the staff panel grades a learner's reflection (the learner sees
the grade, escaped text throughout), and the Studio editor saves or lists its problems; axe clean."""
import re

from playwright.sync_api import expect

from .helpers import assert_no_axe_violations, scenario_url

ROOT = '.asn-expert-session'
RECORDED = 'asn_expert_session.0'
REFLECTION = '<script>alert(1)</script> Saya akan memberi kabar antara.'


def test_staff_grade_a_reflection_and_the_learner_sees_it(page, live_server):
    page.goto(scenario_url(live_server, RECORDED))
    root = page.locator(ROOT)
    root.locator('textarea').fill(REFLECTION)
    root.get_by_role('button', name='Kirim refleksi').click()
    expect(root.locator('.asn-es-my-reflection')).to_have_text(REFLECTION)

    page.goto(scenario_url(live_server, RECORDED, student='staff_1'))
    root = page.locator(ROOT)
    root.get_by_role('button', name='Tampilkan laporan staf').click()
    table = root.locator('table', has=page.locator('caption', has_text='Refleksi'))
    expect(table.locator('tbody tr td').first).to_have_text(REFLECTION)
    points = root.get_by_label('Poin untuk student_1 (0–10)')
    points.fill('8')
    root.get_by_role('button', name='Simpan nilai').click()
    expect(root.locator('.asn-es-grade [role="status"]')).to_have_text('Tersimpan: 8 poin.')
    assert_no_axe_violations(page, ROOT)
    csv = root.get_by_role('link', name='Unduh CSV')
    assert re.search(r'/export_csv/', csv.get_attribute('href'))

    page.goto(scenario_url(live_server, RECORDED))
    expect(page.locator(ROOT).locator('[data-es-score]')).to_have_text('Nilai dari staf: 8 dari 10 poin')


def test_the_studio_editor_lists_problems_and_saves(page, live_server, console_errors):
    console_errors.allow(r'studio_save.*|status of 400')  # the refused save below, on purpose
    page.goto(scenario_url(live_server, RECORDED, student='staff_1', view='studio_view'))
    editor = page.locator('.asn-es-studio')
    expect(editor.get_by_label('Display name').or_(editor.get_by_label('Nama tampilan'))).to_have_value('Sesi Narasumber')
    assert_no_axe_violations(page, '.asn-es-studio')
    editor.locator('[name="video_url"]').fill('https://evil.example/video')
    editor.get_by_role('button', name='Simpan').click()
    expect(editor.locator('[data-es-problems] li')).to_have_count(1)
    expect(editor.locator('[data-es-problems] li')).to_contain_text('Alamat video tidak didukung')
    editor.locator('[name="video_url"]').fill('https://cdn.example.org/sesi.mp4')
    editor.locator('[name="duration_seconds"]').fill('60')
    editor.get_by_role('button', name='Simpan').click()
    expect(editor.locator('[data-asn-live]')).to_have_text('Tersimpan.', timeout=5000)
