"""Authoring the assessment through the workbench: the Studio handlers, who may call them, what they store."""
import pytest
from workbench.runtime import WorkbenchRuntime

from asn_xblocks.assessment.bank_csv import write_csv
from asn_xblocks.assessment.defaults import default_bank

from .test_assessment_workbench import SCENARIO, blocks

STAFF = 'staff_1'


def settings(**changes):
    body = {'display_name': 'Tes Awal Kelas A', 'phase': 'pre', 'pairing_key': 'kelas-a', 'weight': 2,
            'grading_policy': 'best', 'max_attempts': 2, 'items_per_competency': 0, 'require_pre': True,
            'show_answers': 'after_close', 'show_comparison': True, 'ask_confidence': True,
            'opens_at': '2026-12-01T01:00', 'closes_at': '2026-12-02T01:00', 'bank': default_bank()}
    return {**body, **changes}


@pytest.fixture
def pre(workbench):
    _html, pre, _post = blocks(workbench, student=STAFF)
    workbench.open(SCENARIO, student='ani')
    return pre


def test_staff_save_settings_and_bank(workbench, pre):
    status, report = workbench.call(pre, 'studio_save', settings(), student=STAFF)
    assert status == 200, report
    block = WorkbenchRuntime(STAFF).get_block(pre)
    assert (block.display_name, block.pairing_key, block.weight, block.max_attempts) == ('Tes Awal Kelas A', 'kelas-a', 2.0, 2)
    assert block.opens_at.isoformat() == '2026-12-01T01:00:00+00:00' and block.ask_confidence
    assert report['counts']['items'] == len(default_bank()['items'])


def test_learners_cannot_call_the_studio_handlers(workbench, pre):
    for handler, body in (('studio_save', settings()), ('studio_check', {'bank': default_bank()}),
                          ('studio_import_csv', {'bank': default_bank(), 'csv': 'id,type,stem_id\n'})):
        status, refusal = workbench.call(pre, handler, body, student='ani')
        assert status == 403, handler
    assert WorkbenchRuntime(STAFF).get_block(pre).pairing_key == 'pelayanan-publik-demo'


@pytest.mark.parametrize('changes, message', [
    ({'closes_at': '2026-11-30T01:00'}, 'Tes harus ditutup setelah dibuka.'),
    ({'opens_at': 'besok'}, 'bukan tanggal dan waktu'),
    ({'pairing_key': 'kunci dengan spasi'}, 'pairing_key'),
    ({'display_name': '   '}, 'tidak boleh kosong'),
    ({'bank': {**default_bank(), 'items': default_bank()['items'][:1] * 2}}, 'tidak disimpan'),
    ({'bank': {'format': 1}}, 'tidak sesuai bentuk format asesmen'),
])
def test_bad_settings_or_a_bank_with_errors_are_refused_and_nothing_changes(workbench, pre, changes, message):
    status, refusal = workbench.call(pre, 'studio_save', settings(**changes), student=STAFF)
    assert status == 400 and message in refusal['error'], refusal
    block = WorkbenchRuntime(STAFF).get_block(pre)
    assert block.display_name == 'Tes Awal' and block.bank == default_bank()


def test_a_bank_with_duplicate_ids_lists_its_problems(workbench, pre):
    bank = {**default_bank(), 'items': default_bank()['items'][:1] * 2}
    status, report = workbench.call(pre, 'studio_check', {'bank': bank}, student=STAFF)
    assert status == 200
    assert [p['code'] for p in report['problems'] if p['severity'] == 'error'] == ['duplicate_item_id']
    assert 'lebih dari sekali' in report['problems'][0]['message']


def test_a_csv_file_replaces_the_items_for_review_without_saving(workbench, pre):
    bank = default_bank()
    text = write_csv(bank).replace('Berdasarkan PP 11/2017', 'Menurut PP 11/2017')
    status, result = workbench.call(pre, 'studio_import_csv', {'bank': bank, 'csv': text}, student=STAFF)
    assert status == 200
    assert result['bank']['items'][0]['stem']['id'].startswith('Menurut PP 11/2017')
    assert result['bank']['title'] == bank['title']
    assert WorkbenchRuntime(STAFF).get_block(pre).bank == default_bank()
    status, refusal = workbench.call(pre, 'studio_import_csv', {'bank': bank, 'csv': 'id,warna\n'}, student=STAFF)
    assert status == 400 and '"warna"' in refusal['error']


def test_the_csv_export_handler_writes_the_bank(workbench, pre):
    status, result = workbench.call(pre, 'studio_export_csv', {'bank': default_bank()}, student=STAFF)
    assert status == 200 and result['csv'] == write_csv(default_bank())


def test_studio_view_and_author_view_render(workbench, pre):
    html = workbench.open(SCENARIO, student=STAFF, view='studio_view')
    assert 'Bank soal (JSON)' in html and 'Kunci pasangan' in html
    preview = workbench.open(SCENARIO, student=STAFF, view='author_view')
    assert 'Untuk penulis' in preview and 'Tes Kompetensi Pelayanan Publik ASN' in preview
