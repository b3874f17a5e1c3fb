"""Authoring the assessment: the block's OLX round trip, the CSV bank, open/close and show-answer rules."""
from datetime import datetime, timedelta, timezone
from io import BytesIO

import pytest
from lxml import etree
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager
from xblock.test.tools import TestRuntime, blocks_are_equivalent

from asn_xblocks.assessment import bank_csv, policy
from asn_xblocks.assessment.block import AssessmentBlock
from asn_xblocks.assessment.defaults import default_bank
from asn_xblocks.assessment.model import Bank
from asn_xblocks.assessment.olx import workbench_olx
from asn_xblocks.assessment.studio import form_warnings, parse_time
from asn_xblocks.core.olx import OlxError

from test_assessment_builders import bank_dict, likert, multiple, single


def new_runtime():
    ids = MemoryIdManager()
    return TestRuntime(id_reader=ids, id_generator=ids, services={'field-data': KvsFieldData(DictKeyValueStore())})


def load(runtime, xml):
    return runtime.get_block(runtime.parse_xml_string(xml))


def export_block(runtime, block):
    out = BytesIO()
    runtime.export_to_xml(block, out)
    return out.getvalue()


def page_block(settings):
    """The OLX of one assessment block (the workbench page's inner element)."""
    return etree.tostring(etree.fromstring(workbench_olx([(settings, default_bank())]).encode())[0], encoding='unicode')


# --- OLX -----------------------------------------------------------------------------------------
def test_the_block_round_trips_through_export_and_import():
    runtime = new_runtime()
    block = load(runtime, page_block({'display_name': 'Tes Akhir', 'phase': 'post', 'pairing_key': 'kelas-a'}))
    assert block.bank == Bank.from_dict(default_bank()).to_dict()
    block.opens_at = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)
    block.ask_confidence, block.items_per_competency, block.show_answers = True, 1, 'after_close'
    block.save()
    first = export_block(runtime, block)
    again = load(runtime, first)
    assert blocks_are_equivalent(block, again)
    assert export_block(runtime, again) == first
    root = etree.fromstring(first)
    assert root.tag == 'asn_assessment' and [child.tag for child in root] == ['bank']
    assert (root.get('phase'), root.get('pairing_key'), root.get('ask_confidence')) == ('post', 'kelas-a', 'true')
    assert again.opens_at == block.opens_at


@pytest.mark.parametrize('change, words', [
    (lambda x: x.replace('phase="pre"', 'phase="pre" max_attempts="banyak"'), ['"max_attempts"', '"banyak"']),
    (lambda x: x.replace('<bank ', '<bonus/><bank '), ['<bonus>']),
    (lambda x: x.replace('phase="pre"', 'phase="pre" bank="{}"'), ['<bank>']),
    (lambda x: x.replace('type="single"', 'type="esai"', 1), ["item 'q01'", "'type'"]),
    (lambda x: x.replace('</bank>', '</bank><bank format="1" id="dua"/>'), ['only one <bank>']),
])
def test_broken_olx_is_refused_with_its_line(change, words):
    xml = change(page_block({'display_name': 'Tes', 'phase': 'pre'}))
    with pytest.raises(OlxError) as error:
        load(new_runtime(), xml)
    message = str(error.value)
    assert message.startswith('Line ') and all(word in message for word in words), message


# --- the CSV bank ----------------------------------------------------------------------------------
def without_feedback(bank):
    for item in bank['items']:
        for option in item.get('options', ()):
            option.pop('feedback', None)
    return bank


def test_a_bank_round_trips_through_csv_except_per_option_feedback():
    bank = Bank.from_dict(default_bank()).to_dict()
    text = bank_csv.write_csv(bank)
    again = bank_csv.replace_items(bank, text)
    assert bank_csv.write_csv(again) == text
    renumbered = without_feedback(again)
    assert [item['id'] for item in renumbered['items']] == [item['id'] for item in bank['items']]
    original = {item['id']: item for item in without_feedback(Bank.from_dict(default_bank()).to_dict())['items']}
    for item in renumbered['items']:
        assert item['stem'] == original[item['id']]['stem']
        assert [o['text'] for o in item.get('options', ())] == [o['text'] for o in original[item['id']].get('options', ())]
        assert [o['correct'] for o in item.get('options', ())] == [o['correct'] for o in original[item['id']].get('options', ())]


def test_csv_cells_a_spreadsheet_would_run_are_written_safe_and_read_back_as_written():
    bank = bank_dict(single('q1'), multiple('m1'), likert('s1'))
    bank['items'][0]['stem'] = {'id': '=HYPERLINK("http://x")', 'en': '+1 soal'}
    text = bank_csv.write_csv(Bank.from_dict(bank).to_dict())
    assert "'=HYPERLINK" in text and "'+1 soal" in text
    again = bank_csv.replace_items(bank, text)
    assert again['items'][0]['stem'] == {'id': '=HYPERLINK("http://x")', 'en': '+1 soal'}


@pytest.mark.parametrize('text, code', [
    ('', 'empty'),
    ('id,type,stem_id,warna\n', 'unknown_column'),
    ('id,stem_id\nq1,Soal\n', 'missing_column'),
    ('id,type,stem_id,competencies,option_1_id,option_2_id,correct\nq1,esai,Soal,M.01,A,B,1\n', 'bad_row'),
    ('id,type,stem_id,competencies,points\nq1,single,Soal,M.01,banyak\n', 'bad_row'),
])
def test_a_csv_that_cannot_become_items_is_refused_with_a_reason(text, code):
    with pytest.raises(bank_csv.BankCsvError) as error:
        bank_csv.replace_items(bank_dict(single('q0')), text)
    assert error.value.code == code
    if code == 'bad_row':
        assert error.value.params['row'] == 2


# --- open, close and show answers ----------------------------------------------------------------
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize('opens, closes, expected', [
    (None, None, policy.OPEN), (NOW + HOUR, None, policy.NOT_OPEN), (NOW - HOUR, NOW, policy.CLOSED),
    (NOW - HOUR, NOW + HOUR, policy.OPEN), (NOW, None, policy.OPEN),
])
def test_the_window(opens, closes, expected):
    assert policy.window(NOW, opens, closes) == expected


def test_answers_are_shown_only_as_the_author_chose():
    assert not policy.may_review(policy.SHOW_NEVER, NOW, None)
    assert policy.may_review(policy.SHOW_AFTER_SUBMIT, NOW, None)
    assert not policy.may_review(policy.SHOW_AFTER_CLOSE, NOW, None)
    assert not policy.may_review(policy.SHOW_AFTER_CLOSE, NOW, NOW + HOUR)
    assert policy.may_review(policy.SHOW_AFTER_CLOSE, NOW, NOW - HOUR)


def test_editor_times_are_utc():
    assert parse_time('2026-12-01T08:30') == datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)
    assert parse_time('2026-12-01T08:30+07:00') == datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)
    assert parse_time('') is None
    with pytest.raises(ValueError):
        parse_time('besok pagi')


def test_staff_are_told_when_the_post_test_must_repeat_items():
    bank = Bank.from_dict(bank_dict(single('q1'), single('q2'), single('q3'), single('q4', ('M.02',))))
    assert form_warnings(bank, 'pre', 1) == []
    assert form_warnings(bank, 'post', 0) == [('all_items', {})]
    assert form_warnings(bank, 'post', 1) == [('shared_items', {'code': 'M.02', 'count': 1, 'needed': 2})]
    assert form_warnings(bank, 'post', 2) == [('shared_items', {'code': 'M.01', 'count': 3, 'needed': 4}),
                                              ('shared_items', {'code': 'M.02', 'count': 1, 'needed': 4})]


def test_max_score_needs_no_learner():
    block = load(new_runtime(), page_block({'phase': 'pre'}))
    assert isinstance(block, AssessmentBlock) and block.max_score() == 100.0
