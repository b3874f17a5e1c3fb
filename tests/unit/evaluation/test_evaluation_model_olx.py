"""The survey model (groups per kind, answer checks) and its readable OLX round trip."""
import pytest
from hypothesis import given, strategies as st
from lxml import etree

from asn_xblocks.core.olx import OlxError, parse_olx_string
from asn_xblocks.evaluation.defaults import default_questions
from asn_xblocks.evaluation.model import AnswerError, Questions, Survey, SurveyFormatError
from asn_xblocks.evaluation.olx import element_to_questions, questions_to_element


def survey(kind, methods=('case_study',)):
    return Survey.of(Questions.from_dict(default_questions()), kind, methods)


def test_each_kind_asks_its_own_groups():
    assert survey('before').likert_ids == ('siap', 'yakin')
    assert survey('reaction').likert_ids == ('materi', 'fasilitator', 'siap', 'yakin', 'method-case_study')
    assert survey('follow_up').likert_ids == ('terapkan', 'lebih-cepat')
    assert not survey('before').has_comment and survey('reaction').has_comment


def test_answers_are_checked_and_the_comment_trimmed():
    answers, comment = survey('follow_up').check({'terapkan': 4, 'lebih-cepat': 5, 'hari-selesai': 2.5}, '  baik ')
    assert answers == {'terapkan': 4, 'lebih-cepat': 5, 'hari-selesai': 2.5} and comment == 'baik'
    assert survey('before').check({'siap': 1, 'yakin': 5}, 'ignored') == ({'siap': 1, 'yakin': 5}, '')


@pytest.mark.parametrize('answers, code', [
    ({'siap': 0, 'yakin': 3}, 'out_of_range'), ({'siap': 6, 'yakin': 3}, 'out_of_range'),
    ({'siap': True, 'yakin': 3}, 'not_number'), ({'siap': 3}, 'missing'),
    ({'siap': 3, 'yakin': 3, 'materi': 3}, 'unknown_item'),
])
def test_bad_answers_are_refused_with_a_code(answers, code):
    with pytest.raises(AnswerError) as caught:
        survey('before').check(answers, '')
    assert caught.value.code == code


def test_a_comment_longer_than_the_limit_is_refused():
    full = {'materi': 3, 'fasilitator': 3, 'siap': 3, 'yakin': 3, 'method-case_study': 3}
    with pytest.raises(AnswerError):
        survey('reaction').check(full, 'x' * 2001)


@pytest.mark.parametrize('change, where', [
    (lambda d: d['items'].append(dict(d['items'][0])), 'duplicate'),
    (lambda d: d['items'][0].update(group='other'), "'group'"),
    (lambda d: d['items'][0].update(id='method-x'), "'id'"),
    (lambda d: d['items'][0].update(unit={'id': 'hari'}), "'unit'"),
])
def test_malformed_questions_are_refused_with_where(change, where):
    data = default_questions()
    change(data)
    with pytest.raises(SurveyFormatError, match=where):
        Questions.from_dict(data)


def test_olx_round_trip_is_exact():
    data = Questions.from_dict(default_questions()).to_dict()
    assert element_to_questions(questions_to_element(data)) == data


@given(st.lists(st.tuples(st.sampled_from(['satisfaction', 'readiness', 'number']),
                          st.text(alphabet='abc Ééü<&', min_size=1, max_size=20)), min_size=1, max_size=6))
def test_any_valid_questions_survive_olx(items):
    data = Questions.from_dict({'items': [
        {'id': f'i{n}', 'group': group, 'text': {'id': text, 'en': text[::-1]}} for n, (group, text) in enumerate(items)
    ]}).to_dict()
    assert element_to_questions(parse_olx_string(etree.tostring(questions_to_element(data)))) == data


def test_bad_olx_names_its_line():
    with pytest.raises(OlxError) as caught:
        element_to_questions(parse_olx_string('<questions>\n<item id="a" group="x"><statement>S</statement></item>\n</questions>'))
    assert caught.value.line == 1 and "'group'" in str(caught.value)
