"""The assessment editor (studio_view) in chromium: settings and bank saved, a CSV import, refusals, axe."""
import json

from playwright.sync_api import expect

from asn_xblocks.assessment.bank_csv import write_csv
from asn_xblocks.assessment.defaults import default_bank

from .helpers import assert_no_axe_violations, scenario_url

SCENARIO = 'asn_assessment.0'
EDITOR = '.asn-as-studio >> nth=0'
ERROR = 'Kesalahan:'


def open_editor(page, live_server):
    assert page.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view')).ok
    editor = page.locator(EDITOR)
    expect(editor).to_be_visible()
    return editor


def test_the_editor_saves_settings_and_the_learner_sees_them(page, live_server):
    editor = open_editor(page, live_server)
    # the demo bank measures most competencies with one item: warnings, no errors
    expect(editor.locator('[data-as-problems]')).to_contain_text('Hanya 1 soal bernilai yang mengukur M.06')
    expect(editor.locator('[data-as-problems]')).not_to_contain_text(ERROR)
    assert_no_axe_violations(page, '.asn-as-studio')
    editor.get_by_label('Nama tampilan').fill('Tes Awal Kelas A')
    editor.get_by_label('Butir soal per kompetensi').fill('1')
    editor.get_by_label('Tanyakan tingkat keyakinan').check()
    editor.get_by_label('Tampilkan jawaban').select_option('after_submit')
    bank = default_bank()
    bank['title']['id'] = 'Tes Pelayanan Publik (Kelas A)'
    editor.get_by_label('Bank soal (JSON)').fill(json.dumps(bank))
    editor.get_by_role('button', name='Simpan').click()
    expect(page.locator('.asn-as-studio [data-asn-live]').first).to_contain_text('Tersimpan.')

    editor = open_editor(page, live_server)
    expect(editor.get_by_label('Nama tampilan')).to_have_value('Tes Awal Kelas A')
    expect(editor.get_by_label('Butir soal per kompetensi')).to_have_value('1')
    expect(editor.get_by_label('Tanyakan tingkat keyakinan')).to_be_checked()
    assert page.goto(scenario_url(live_server, SCENARIO, student='ani')).ok
    expect(page.locator('.asn-as-title').first).to_have_text('Tes Pelayanan Publik (Kelas A)')


def test_a_bank_with_errors_is_refused_and_its_problems_listed(page, live_server, console_errors):
    console_errors.allow(r'status of 400')
    editor = open_editor(page, live_server)
    bank = default_bank()
    bank['items'][0]['competencies'] = ['M.99']
    editor.get_by_label('Bank soal (JSON)').fill(json.dumps(bank))
    editor.get_by_role('button', name='Simpan').click()
    expect(editor.locator('[data-as-problems]')).to_contain_text('"M.99" bukan kode kompetensi')
    expect(editor.locator('[data-as-report-title]')).to_be_focused()
    assert_no_axe_violations(page, '.asn-as-studio')


def test_a_csv_file_replaces_the_items(page, live_server, tmp_path):
    editor = open_editor(page, live_server)
    path = tmp_path / 'bank.csv'
    path.write_text(write_csv(default_bank()).replace('Berdasarkan PP 11/2017', 'Menurut PP 11/2017'), encoding='utf-8')
    editor.locator('[data-as-file]').set_input_files(str(path))
    expect(editor.locator('[data-asn-live]')).to_contain_text('Butir soal telah diganti dari berkas CSV.')
    expect(editor.locator('[data-as-problems]')).not_to_contain_text(ERROR)
    bank = json.loads(editor.get_by_label('Bank soal (JSON)').input_value())
    assert bank['items'][0]['stem']['id'].startswith('Menurut PP 11/2017')
