"""The evaluation XBlock under TestRuntime: the contracts (registration, completion, report rows,
student_view_data, Studio save, OLX) and refusals that change nothing."""
import json
from collections import namedtuple

import pytest
from lxml import etree
from xblock.core import XBlock
from xblock.test.tools import blocks_are_equivalent

from asn_xblocks.core.ledger import api as ledger
from asn_xblocks.evaluation.block import EvaluationBlock
from tests.unit.core.doubles import FakeUserService, make_block
from tests.unit.core.test_handlers import error_of, post

XBlockUserState = namedtuple('XBlockUserState', 'username block_key state updated scope')
FULL = {'materi': 4, 'fasilitator': 4, 'siap': 3, 'yakin': 3, 'method-classroom': 4, 'method-case_study': 5,
        'method-expert_session': 4}


@pytest.fixture(autouse=True)
def no_ledger(monkeypatch):
    monkeypatch.setattr(ledger, 'is_available', lambda: False)


def new_block(staff=False, **fields):
    block = make_block(cls=EvaluationBlock, user=FakeUserService(staff=staff), fields=fields)
    block.runtime.handler_url = lambda blk, name, suffix='', *args, **kw: f'/handler/{name}/{suffix}'
    return block


def test_the_block_is_registered_unscored_and_completes_on_a_sent_survey():
    assert XBlock.load_class('asn_evaluation') is EvaluationBlock
    assert not getattr(EvaluationBlock, 'has_score', False)
    block = new_block()
    response = post(block, 'submit', {'answers': FULL, 'comment': ''})
    assert response.status_code == 200
    completions = [c.args[2] for c in block.runtime.publish.call_args_list if c.args[1] == 'completion']
    assert completions == [{'completion': 1.0}]
    tracked = [c.args[2] for c in block.runtime.publish.call_args_list if c.args[1] == 'asn.evaluation.submitted']
    assert tracked == [{'survey': 'reaction'}]  # never the answers


def test_a_refused_survey_publishes_nothing_and_changes_nothing():
    block = new_block()
    response = post(block, 'submit', {'answers': {**FULL, 'materi': 9}, 'comment': ''})
    assert response.status_code == 400 and error_of(response) == 'Jawaban untuk "materi" harus dari 1 sampai 5.'
    assert block.runtime.publish.call_count == 0 and block.completion_reported == 0.0


def test_staff_handlers_refuse_learners():
    block = new_block()
    for handler in ('export_csv', 'report_page'):
        response = post(block, handler, '', method='GET')
        assert response.status_code == 403


def test_learners_never_see_the_dashboard_and_staff_do():
    assert 'asn-ev-dashboard' not in new_block().student_view().content
    staff_view = new_block(staff=True).student_view().content
    assert 'asn-ev-dashboard' in staff_view and 'Kirim survei' in staff_view


def test_the_report_task_gets_no_rows_even_for_learners_with_state():
    states = [XBlockUserState('ani', 'k', {'completion_reported': 1.0}, None, None)]
    assert list(new_block().generate_report_data(iter(states))) == []


def test_student_view_data_has_the_questions_and_no_answers():
    data = new_block(survey='follow_up', end_date='2026-01-05').student_view_data()
    assert [item['id'] for item in data['items']] == ['terapkan', 'lebih-cepat', 'hari-selesai']
    assert data['opens_at'] == '2026-02-04T00:00:00+00:00' and json.dumps(data).count('answer') == 0


def studio_body(**changes):
    block = new_block()
    body = {'display_name': 'Survei', 'survey': 'follow_up', 'methods': ['workshop'], 'show_dashboard': True,
            'follow_up_days': 90, 'course_name': 'Pelatihan', 'organiser': 'BKPSDM', 'certificate_number': 'S/{n}',
            'jp_hours': 12.5, 'start_date': '2026-03-01', 'end_date': '2026-03-05', 'questions': block.questions}
    body.update(changes)
    return body


def test_studio_saves_valid_settings_and_lists_every_problem_otherwise():
    block = new_block(staff=True)
    response = post(block, 'studio_save', studio_body(start_date='2026-13-01'))
    assert response.status_code == 400
    assert json.loads(response.body)['problems'] == ['"2026-13-01" bukan tanggal (gunakan pemilih tanggal).']
    assert block.survey == 'reaction'
    assert post(block, 'studio_save', studio_body()).status_code == 200
    assert (block.survey, block.follow_up_days, block.jp_hours, block.methods) == ('follow_up', 90, 12.5, ['workshop'])
    assert post(new_block(), 'studio_save', studio_body()).status_code == 403


def export(block):
    node = etree.Element('root')
    block.add_xml_to_node(node)
    return node


def test_olx_round_trip_of_the_block():
    block = new_block(survey='before', methods=['workshop'], course_name='Pelatihan', jp_hours=3.0)
    node = export(block)
    assert node.find('questions') is not None and node.get('survey') == 'before'
    again = EvaluationBlock.parse_xml(node, block.runtime, block.scope_ids)  # the runtime mixes its own class in
    assert {name: getattr(again, name) for name in block.fields} == {name: getattr(block, name) for name in block.fields}
    assert blocks_are_equivalent(again, type(again).parse_xml(export(again), block.runtime, block.scope_ids))
