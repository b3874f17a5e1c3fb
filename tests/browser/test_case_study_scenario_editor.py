"""The case-study scenario as a form (static/case_study/scenario_editor.js) in chromium.

The form and the "Advanced: JSON" textarea edit one object: the tests change the form and read
the JSON (and the reverse), locate Check's problems in the form, save, reload, and audit with axe.
"""
import json

import pytest
from playwright.sync_api import expect

from asn_xblocks.case_study.block import CaseStudyBlock
from asn_xblocks.case_study.studio import CaseStudyStudioMixin

from .helpers import assert_no_axe_violations, scenario_url, tab_to
from .test_case_study_studio import EDITOR, RECORD_NOTIFY, SCENARIO, fill_json, small_scenario, wait_for_notes

pytestmark = pytest.mark.skipif(
    not issubclass(CaseStudyBlock, CaseStudyStudioMixin),
    reason='CaseStudyBlock does not list CaseStudyStudioMixin in its bases yet')

FORM = '.asn-cs-ed-main'


def open_editor(page, live_server):
    response = page.goto(scenario_url(live_server, SCENARIO, student='staff_1', view='studio_view'))
    assert response.ok, response.status
    expect(page.locator(FORM)).to_be_visible()  # the editor's script has run
    return page


@pytest.fixture
def editor(page, live_server):
    page.add_init_script(RECORD_NOTIFY)
    return open_editor(page, live_server)


@pytest.fixture
def small(editor):
    """The editor holding the three-node scenario of the JSON tests (typed into the JSON view)."""
    fill_json(editor, json.dumps(small_scenario()))
    expect(node_button(editor, 'n1')).to_be_visible()
    return editor


def stored(page):
    return json.loads(page.get_by_label('Skenario (JSON)').input_value())


def node_button(page, node_id):
    return page.locator(f'{FORM} .asn-cs-node-pick').filter(has=page.locator(f'.asn-cs-node-id:text-is("{node_id}")'))


def choice_box(page, choice_id):
    return page.get_by_role('group', name=f'Pilihan "{choice_id}"', exact=True)


def save_and_reload(page, live_server):
    page.get_by_role('button', name='Simpan', exact=True).click()
    assert [n['data'].get('state') for n in wait_for_notes(page, 2)] == ['start', 'end']
    return open_editor(page, live_server)


def test_the_form_shows_the_stored_scenario_and_is_accessible(editor):
    expect(editor.locator(f'{FORM} .asn-cs-node-pick')).to_have_count(17)
    expect(node_button(editor, 'n1')).to_have_attribute('aria-current', 'true')
    expect(editor.get_by_label('ID simpul')).to_have_value('n1')
    # a situation with variants, a time limit and a timeout; the settings with variables open
    node_button(editor, 'n6').click()
    expect(editor.get_by_label('Batas waktu dalam detik')).to_have_value('120')
    expect(editor.get_by_label('Saat waktu habis, menuju ke')).to_have_value('n7')
    editor.locator('.asn-cs-ed-settings summary').click()
    first_variable = stored(editor)['variables'][0]['name']
    expect(editor.get_by_role('group', name='Variabel 1', exact=True).get_by_label('Nama', exact=True)).to_have_value(
        first_variable)
    assert_no_axe_violations(editor, EDITOR)


def test_editing_a_choice_s_points_and_target_writes_the_json_and_save_persists_it(small, live_server):
    choice = choice_box(small, 'a')
    choice.get_by_label('Poin', exact=True).fill('7')
    choice.get_by_label('Mengarah ke').select_option('end')
    first = stored(small)['nodes'][0]['choices'][0]
    assert (first['points'], first['target']) == (7, 'end')

    save_and_reload(small, live_server)
    choice = choice_box(small, 'a')
    expect(choice.get_by_label('Poin', exact=True)).to_have_value('7')
    expect(choice.get_by_label('Mengarah ke')).to_have_value('end')
    assert stored(small)['nodes'][0]['choices'][0]['target'] == 'end'


def test_adding_a_node_and_a_choice_that_leads_to_it(small, live_server):
    small.get_by_label('Jenis simpul baru').select_option('ending')
    small.get_by_role('button', name='Tambah simpul', exact=True).click()
    expect(node_button(small, 'end-4')).to_have_attribute('aria-current', 'true')
    title = small.get_by_label('Judul (bahasa Indonesia)')
    expect(title).to_be_focused()
    title.fill('Akhir yang baru')
    small.get_by_label('Teks (bahasa Indonesia)').fill('Anda memilih jalan baru.')
    small.get_by_label('Predikat akhir cerita ini').select_option('fair')
    expect(node_button(small, 'end-4')).to_contain_text('Akhir yang baru')

    node_button(small, 'n2').click()
    small.get_by_role('button', name='Tambah pilihan', exact=True).click()
    choice = choice_box(small, 'a')  # the first free letter at n2 (its choices are c and d)
    expect(choice.get_by_label('Label (bahasa Indonesia)')).to_be_focused()
    choice.get_by_label('Label (bahasa Indonesia)').fill('Jalan baru')
    choice.get_by_label('Mengarah ke').select_option('end-4')
    choice.get_by_label('Poin', exact=True).fill('3')
    scenario = stored(small)
    assert [n['id'] for n in scenario['nodes']] == ['n1', 'end-4', 'n2', 'end']  # added after the selected node
    assert scenario['nodes'][2]['choices'][-1] == {'id': 'a', 'label': {'id': 'Jalan baru'}, 'target': 'end-4', 'points': 3}

    small.get_by_role('button', name='Periksa', exact=True).click()
    expect(small.locator('[data-cs-problems]')).to_contain_text('Tidak ada masalah.')
    save_and_reload(small, live_server)
    scenario = stored(small)
    assert [n['id'] for n in scenario['nodes']] == ['n1', 'end-4', 'n2', 'end']
    assert scenario['nodes'][1]['rating'] == 'fair'
    node_button(small, 'n2').click()
    expect(choice_box(small, 'a').get_by_label('Mengarah ke')).to_have_value('end-4')


def test_a_problem_from_check_opens_its_node_and_focuses_the_field(small):
    scenario = small_scenario()
    scenario['nodes'].insert(2, {'id': 'n3', 'kind': 'situation', 'title': {'id': 'Lupa'}, 'text': {'id': 'Lupa'},
                                 'choices': [{'id': 'x', 'label': {'id': 'X'}, 'target': 'end', 'points': 0},
                                             {'id': 'y', 'label': {'id': 'Y'}, 'target': 'hilang', 'points': 0}]})
    fill_json(small, json.dumps(scenario))
    small.get_by_role('button', name='Periksa', exact=True).click()
    problems = small.locator('[data-cs-problems]')
    unreachable = problems.get_by_role('button', name='Simpul "n3" tidak akan pernah tercapai.')
    unreachable.click()
    expect(node_button(small, 'n3')).to_have_attribute('aria-current', 'true')
    expect(small.get_by_label('ID simpul')).to_be_focused()
    expect(small.get_by_label('ID simpul')).to_have_value('n3')

    node_button(small, 'n1').click()
    problems.get_by_role('button', name='mengarah ke "hilang"').click()
    expect(choice_box(small, 'y').get_by_label('Mengarah ke')).to_be_focused()
    expect(small.locator('[data-asn-live]')).to_contain_text('1 kesalahan')


def test_removing_a_node_first_lists_the_links_that_lead_to_it(small):
    node_button(small, 'n2').click()
    small.get_by_role('button', name='Hapus simpul', exact=True).click()
    confirm = small.locator('.asn-cs-ed-confirm')
    expect(confirm).to_contain_text('simpul "n1", pilihan "a"')
    expect(confirm).to_contain_text('simpul "n1", pilihan "b"')
    expect(small.get_by_role('button', name='Jangan hapus simpul')).to_be_focused()
    small.keyboard.press('Enter')  # keep it
    assert [n['id'] for n in stored(small)['nodes']] == ['n1', 'n2', 'end']

    small.get_by_role('button', name='Hapus simpul', exact=True).click()
    small.get_by_role('button', name='Ya, hapus simpul ini').click()
    assert [n['id'] for n in stored(small)['nodes']] == ['n1', 'end']
    expect(small.locator('[data-asn-live]')).to_contain_text('Simpul "n2" dihapus.')
    node_button(small, 'n1').click()
    expect(choice_box(small, 'a').get_by_label('Mengarah ke')).to_have_value('n2')  # kept, shown as missing


def test_renaming_a_node_updates_the_links_to_it(small):
    node_button(small, 'n2').click()
    small.get_by_label('ID simpul').fill('tahap-2')
    small.get_by_label('ID simpul').press('Enter')
    scenario = stored(small)
    assert scenario['nodes'][1]['id'] == 'tahap-2'
    assert [c['target'] for c in scenario['nodes'][0]['choices']] == ['tahap-2', 'tahap-2']
    expect(small.locator('[data-asn-live]')).to_contain_text('2 tautan')
    assert small.evaluate('window.__asnNotify') == []  # Enter in the form did not save


def test_one_field_edited_by_keyboard_only(small):
    small.get_by_label('Skenario (JSON)').focus()  # start from a known place, then only the keyboard
    tab_to(small, node_button(small, 'n1'), max_presses=60, backwards=True)
    small.keyboard.press('ArrowDown')
    expect(node_button(small, 'n2')).to_be_focused()
    small.keyboard.press('Enter')
    expect(node_button(small, 'n2')).to_have_attribute('aria-current', 'true')
    points = choice_box(small, 'c').get_by_label('Poin', exact=True)
    tab_to(small, points, max_presses=60)
    small.keyboard.press('Control+A')
    small.keyboard.type('9')
    assert stored(small)['nodes'][1]['choices'][0]['points'] == 9


def test_the_form_follows_the_json_and_pauses_while_it_is_invalid(small):
    fill_json(small, '{"format": 1,')
    expect(small.locator('.asn-cs-ed-status')).to_contain_text('JSON di bawah tidak dapat dibaca')
    expect(small.locator(FORM)).to_be_hidden()
    scenario = small_scenario()
    scenario['nodes'][0]['title'] = {'id': 'Judul dari JSON'}
    fill_json(small, json.dumps(scenario))
    expect(small.locator('.asn-cs-ed-status')).to_be_hidden()
    expect(node_button(small, 'n1')).to_contain_text('Judul dari JSON')


def test_competencies_from_the_catalogue_and_technical_codes(small):
    choice = choice_box(small, 'a')
    choice.get_by_role('button', name='Tambah kompetensi').click()
    competency = choice.get_by_role('group', name='Kompetensi 1', exact=True)
    competency.get_by_label('Kompetensi', exact=True).select_option('M.05')
    competency.get_by_label('Tingkat').select_option('2')
    expect(competency.get_by_label('Kompetensi', exact=True).locator('option[value="M.05"]')).to_have_text(
        'M.05 — Pelayanan Publik')
    choice.get_by_role('button', name='Tambah kompetensi').click()
    second = choice.get_by_role('group', name='Kompetensi 2', exact=True)
    second.get_by_label('Kompetensi', exact=True).select_option('__technical__')
    code = second.get_by_label('Kode teknis')
    expect(code).to_be_focused()
    code.fill('T.PENGADUAN')
    assert stored(small)['nodes'][0]['choices'][0]['competencies'] == [
        {'code': 'M.05', 'points': 10, 'level': 2}, {'code': 'T.PENGADUAN', 'points': 10}]
    small.get_by_role('button', name='Periksa', exact=True).click()
    expect(small.locator('[data-cs-problems]')).to_contain_text('Tidak ada masalah.')
    assert_no_axe_violations(small, EDITOR)
