"""The case-study editor (studio_view) in chromium: Studio's notify contract, Check, Save, files, keyboard, axe.

The structured scenario form is tested in test_case_study_scenario_editor.py; here the JSON view.

The workbench's runtime logs `runtime.notify(name, data)` to the console; an init script records
those calls so the tests can read exactly what Studio (or the authoring MFE) would receive.
"""
import json

import pytest
from playwright.sync_api import expect

from asn_xblocks.case_study.block import CaseStudyBlock
from asn_xblocks.case_study.studio import CaseStudyStudioMixin

from .helpers import assert_no_axe_violations, scenario_url, tab_to

pytestmark = pytest.mark.skipif(
    not issubclass(CaseStudyBlock, CaseStudyStudioMixin),
    reason='CaseStudyBlock does not list CaseStudyStudioMixin in its bases yet')

SCENARIO = 'asn_case_study.0'
EDITOR = '.asn-cs-studio'
RECORD_NOTIFY = """
window.__asnNotify = [];
const originalLog = console.log.bind(console);
console.log = function (first, data) {
  const prefix = 'Runtime event ';
  if (typeof first === 'string' && first.startsWith(prefix)) {
    const name = JSON.parse(first.slice(prefix.length, first.indexOf(' with data')));
    window.__asnNotify.push({name: name, data: JSON.parse(JSON.stringify(data === undefined ? null : data))});
  }
  return originalLog.apply(null, arguments);
};
"""


def text(indonesian):
    return {'id': indonesian, 'en': indonesian}


def small_scenario(target='end'):
    def situation(node_id, *choices):
        return {'id': node_id, 'kind': 'situation', 'title': text(f'Judul {node_id}'),
                'text': text(f'Situasi {node_id}'), 'choices': list(choices)}

    def choice(choice_id, to, points):
        return {'id': choice_id, 'label': text(f'Pilihan {choice_id}'), 'target': to, 'points': points}

    return {'format': 1, 'id': 'uji-studio', 'title': text('Uji Studio'), 'start': 'n1', 'nodes': [
        situation('n1', choice('a', 'n2', 10), choice('b', 'n2', 2)),
        situation('n2', choice('c', target, 5), choice('d', 'end', 0)),
        {'id': 'end', 'kind': 'ending', 'title': text('Selesai'), 'text': text('Terima kasih'), 'rating': 'good'},
    ]}


@pytest.fixture
def editor(page, live_server):
    page.add_init_script(RECORD_NOTIFY)
    response = page.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    assert response.ok, response.status
    expect(page.locator(EDITOR)).to_be_visible()
    page.wait_for_load_state('networkidle')
    return page


def fill_json(page, value):
    """Type `value` into the JSON textarea, opening its "Advanced" disclosure first."""
    advanced = page.locator('[data-cs-advanced]')
    if not advanced.evaluate('(details) => details.open'):
        advanced.locator('summary').click()
    page.get_by_label('Skenario (JSON)').fill(value)


def notes(page):
    return page.evaluate('window.__asnNotify')


def wait_for_notes(page, count):
    page.wait_for_function('(n) => window.__asnNotify.length >= n', arg=count)
    return notes(page)


def test_the_editor_is_accessible_and_shows_the_stored_scenario(editor):
    expect(editor.get_by_label('Nama tampilan')).to_have_value(
        'Sampah Menumpuk di Samping Sekolah: Menangani Pengaduan Warga secara Proaktif')
    stored = json.loads(editor.get_by_label('Skenario (JSON)').input_value())
    assert stored['id'] == 'sampah-sekolah'
    expect(editor.locator('[data-cs-problems]')).to_contain_text('Tidak ada masalah.')
    expect(editor.locator('[data-cs-scores]')).to_have_text('Skor yang dapat dicapai: dari 12 sampai 100 poin.')
    assert_no_axe_violations(editor, EDITOR)


def test_save_notifies_start_then_end_and_stores_the_settings(editor, live_server):
    editor.get_by_label('Nama tampilan').fill('Uji Studio')
    editor.get_by_label('Bobot Soal').fill('2.5')
    editor.get_by_label('Kebijakan penilaian').select_option('last')
    editor.get_by_label('Upaya Maksimal').fill('3')
    fill_json(editor, json.dumps(small_scenario()))
    editor.get_by_role('button', name='Simpan').click()
    assert wait_for_notes(editor, 2) == [
        {'name': 'save', 'data': {'state': 'start', 'message': 'Menyimpan…'}},
        {'name': 'save', 'data': {'state': 'end'}},
    ]
    expect(editor.locator('[data-asn-live]')).to_contain_text('Tersimpan.')

    editor.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    expect(editor.get_by_label('Nama tampilan')).to_have_value('Uji Studio')
    expect(editor.get_by_label('Bobot Soal')).to_have_value('2.5')
    expect(editor.get_by_label('Kebijakan penilaian')).to_have_value('last')
    expect(editor.get_by_label('Upaya Maksimal')).to_have_value('3')
    assert json.loads(editor.get_by_label('Skenario (JSON)').input_value())['id'] == 'uji-studio'
    editor.goto(scenario_url(live_server, SCENARIO, student='student_1'))
    expect(editor.locator('.asn-cs-title')).to_have_text('Uji Studio')


def test_a_refused_save_notifies_error_lists_the_problem_and_changes_nothing(editor, live_server, console_errors):
    console_errors.allow(r'status of 400')
    fill_json(editor, json.dumps(small_scenario(target='hilang')))
    editor.get_by_role('button', name='Simpan').click()
    start, error = wait_for_notes(editor, 2)
    assert start['name'] == 'save' and start['data']['state'] == 'start'
    assert error == {'name': 'error', 'data': {
        'title': 'Studi kasus tidak disimpan',
        'message': 'Skenario tidak disimpan: perbaiki dulu kesalahan yang tercantum di bawah.'}}
    problems = editor.locator('[data-cs-problems]')
    expect(problems).to_contain_text('Simpul "n2"')
    expect(problems).to_contain_text('Simpul "n2": pilihan mengarah ke "hilang", yang tidak ada.')
    expect(editor.locator('[data-cs-report-title]')).to_be_focused()
    expect(editor.locator('[data-asn-live]')).to_contain_text('1 kesalahan')

    editor.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    assert json.loads(editor.get_by_label('Skenario (JSON)').input_value())['id'] == 'sampah-sekolah'


def test_cancel_notifies_cancel(editor):
    editor.get_by_role('button', name='Batal').click()
    assert wait_for_notes(editor, 1) == [{'name': 'cancel', 'data': {}}]


def test_check_by_keyboard_reports_without_saving(editor, live_server):
    fill_json(editor, json.dumps(small_scenario()))
    check = editor.get_by_role('button', name='Periksa')
    tab_to(editor, check)
    editor.keyboard.press('Enter')
    expect(editor.locator('[data-cs-scores]')).to_have_text('Skor yang dapat dicapai: dari 2 sampai 15 poin.')
    expect(editor.locator('[data-asn-live]')).to_have_text('Tidak ada masalah.')
    assert notes(editor) == []
    editor.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    assert json.loads(editor.get_by_label('Skenario (JSON)').input_value())['id'] == 'sampah-sekolah'


def test_invalid_json_is_caught_in_the_browser(editor):
    fill_json(editor, '{"format": 1,')
    editor.get_by_role('button', name='Periksa').click()
    expect(editor.locator('[data-cs-problems]')).to_contain_text('Skenario bukan JSON yang valid')


def test_import_reads_a_file_into_the_editor_and_checks_it(editor):
    scenario = small_scenario(target='hilang')
    with editor.expect_file_chooser() as chooser:
        editor.get_by_role('button', name='Impor berkas JSON').click()
    chooser.value.set_files({'name': 'skenario.json', 'mimeType': 'application/json',
                             'buffer': json.dumps(scenario).encode('utf-8')})
    expect(editor.locator('[data-cs-problems]')).to_contain_text('mengarah ke "hilang"')
    assert json.loads(editor.get_by_label('Skenario (JSON)').input_value()) == scenario


def test_export_downloads_the_current_scenario(editor, tmp_path):
    fill_json(editor, json.dumps(small_scenario()))
    with editor.expect_download() as download_info:
        editor.get_by_role('button', name='Ekspor JSON').click()
    download = download_info.value
    assert download.suggested_filename == 'uji-studio.json'
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert json.loads(target.read_text(encoding='utf-8')) == small_scenario()


def test_the_preview_shows_the_authors_summary_above_a_playable_case_study(page, live_server):
    response = page.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='author_view'))
    assert response.ok, response.status
    summary = page.locator('.asn-cs-author-summary')
    expect(summary).to_contain_text('Untuk penyusun: ringkasan skenario')
    expect(summary).to_contain_text('11 situasi')
    expect(summary).to_contain_text('Skor yang dapat dicapai: dari 12 sampai 100 poin.')
    expect(page.locator('.asn-case-study .asn-cs-title')).to_be_visible()
    page.wait_for_load_state('networkidle')
    assert_no_axe_violations(page, '[data-block-type="asn_case_study"]')
