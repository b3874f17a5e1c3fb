"""The item bank's OLX: readable child elements, exact round trips, bad OLX refused with its line."""
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from asn_xblocks.assessment.model import Bank
from asn_xblocks.assessment.olx import (
    OlxError, bank_olx, bank_to_element, element_to_bank, parse_bank_olx,
)
from asn_xblocks.core.olx import parse_olx_string

from test_assessment_builders import bank_dict, demo_bank_dict, likert, multiple, option, single, text


def full_bank():
    q1 = single('q1', ('M.01', 'T.PERIZINAN_BERUSAHA'), points=2.5, difficulty='mudah')
    q1['options'][1]['feedback'] = text('Umpan balik', 'Feedback')
    q1['explanation'] = text('Penjelasan')
    data = bank_dict(q1, multiple('m1', scoring='right_minus_wrong'), likert('s1', reverse=True, low=0, high=3))
    data['instructions'] = text('Petunjuk', 'Instructions')
    return Bank.from_dict(data).to_dict()


def test_demo_bank_round_trips_as_dict_and_as_bytes():
    data = demo_bank_dict()
    xml = bank_olx(data)
    assert parse_bank_olx(xml) == data
    assert bank_olx(parse_bank_olx(xml)) == xml


def test_every_part_of_the_format_round_trips():
    data = full_bank()
    assert parse_bank_olx(bank_olx(data)) == data


def test_numbers_and_booleans_keep_their_type():
    back = parse_bank_olx(bank_olx(full_bank()))
    assert back['items'][0]['points'] == 2.5 and back['items'][1]['points'] == 1
    assert isinstance(back['items'][1]['points'], int)
    assert back['items'][2]['scale']['min'] == 0 and back['items'][2]['reverse'] is True


def test_the_shape_is_readable_child_elements():
    root = bank_to_element(full_bank())
    assert [child.tag for child in root] == ['title', 'instructions', 'item', 'item', 'item']
    q1 = root[2]
    assert dict(q1.attrib) == {'id': 'q1', 'type': 'single', 'difficulty': 'mudah', 'points': '2.5'}
    assert [child.tag for child in q1] == ['stem', 'competency', 'competency'] + ['option'] * 4 + ['explanation']
    assert [child.tag for child in q1[4]] == ['text', 'text', 'feedback']
    assert dict(q1[3].attrib) == {'id': 'a', 'correct': 'true'}
    assert dict(root[3].attrib)['scoring'] == 'right_minus_wrong'
    likert_item = root[4]
    assert dict(likert_item.attrib) == {'id': 's1', 'type': 'likert', 'reverse': 'true'}
    assert [child.tag for child in likert_item[2]] == ['label'] * 4


XML_CHAR = st.characters(codec='utf-8').filter(
    lambda c: c in '\t\n\r' or ' ' <= c <= '\ud7ff' or '\ue000' <= c <= '\ufffd' or c >= '\U00010000')
TEXTS = st.text(st.sampled_from('<>&"\' \n\r\t]') | XML_CHAR, max_size=30)


@settings(max_examples=80, deadline=None)
@given(TEXTS, TEXTS, TEXTS, TEXTS, st.floats(0.01, 1e6, allow_nan=False) | st.integers(1, 10 ** 9))
def test_any_text_and_number_survives_the_round_trip(stem, english, option_text, feedback, points):
    item = single('q1', points=points)
    item['stem'] = {'id': stem, 'en': english}
    item['options'][0] = {'id': 'a', 'text': {'id': option_text}, 'correct': False, 'feedback': {'id': feedback}}
    data = Bank.from_dict(bank_dict(item)).to_dict()
    xml = bank_olx(data)
    assert parse_bank_olx(xml) == data
    assert bank_olx(parse_bank_olx(xml)) == xml


def test_hand_written_olx_reads_with_defaults_and_shorthand_texts():
    xml = '''<bank id="b">
      <title>Tes Awal</title>
      <!-- a comment is ignored -->
      <item id="q1" type="single">
        <stem>Soal satu</stem>
        <competency code="M.01"/>
        <option id="a" correct="true"><text lang="id">Ya</text></option>
        <option id="b"><text lang="id">Tidak</text></option>
      </item>
      <item id="m1" type="multiple">
        <stem>Soal dua</stem>
        <competency code="M.02"/>
        <option id="a" correct="true"><text lang="id">Ya</text></option>
        <option id="b"><text lang="id">Tidak</text></option>
      </item>
      <item id="s1" type="likert">
        <stem>Yakin?</stem>
        <competency code="M.05"/>
        <scale min="1" max="2"><label>Tidak</label><label>Ya</label></scale>
      </item>
    </bank>'''
    data = parse_bank_olx(xml)
    assert data['format'] == 1 and data['title'] == {'id': 'Tes Awal'}
    assert data['items'][0] == {'id': 'q1', 'type': 'single', 'stem': {'id': 'Soal satu'}, 'competencies': ['M.01'],
                                'difficulty': 'sedang', 'points': 1,
                                'options': [{'id': 'a', 'text': {'id': 'Ya'}, 'correct': True},
                                            {'id': 'b', 'text': {'id': 'Tidak'}, 'correct': False}]}
    assert data['items'][1]['scoring'] == 'all_or_nothing'
    assert data['items'][2]['scale'] == {'min': 1, 'max': 2, 'labels': [{'id': 'Tidak'}, {'id': 'Ya'}]}
    assert data['items'][2]['reverse'] is False


GOOD = bank_olx(bank_dict(single('q1'), likert('s1')))


def line_of(fragment):
    return GOOD[:GOOD.index(fragment)].count('\n') + 1


@pytest.mark.parametrize('old, new, words', [
    ('type="single"', 'type="essay"', "'type' must be one of"),
    ('type="single"', 'type="single" weight="2"', 'unknown attribute "weight"'),
    ('points="1"', 'points="dua"', '"points" on <item> must be a number'),
    ('difficulty="sedang"', 'difficulty="easy"', "'difficulty' must be one of mudah, sedang, sulit"),
    ('<option id="a" correct="true">', '<option id="a" correct="ya">', '"correct" on <option> must be true or false'),
    ('<option id="b" correct="false">', '<option correct="false">', '<option> needs the attribute "id"'),
    ('<competency code="M.01"/>', '<competency code="M.01"><x/></competency>',
     'unknown element <x> inside <competency>'),
    ('<competency code="M.01"/>', '<tag code="M.01"/>', 'unknown element <tag> inside <item>'),
    ('<text lang="id">Pilihan c</text>', '<text lang="ID">Pilihan c</text>', '"ID" is not a language code'),
    ('<scale min="1" max="5">', '<scale min="1" max="5.5">', '"max" on <scale> must be a whole number'),
    ('<competency code="M.05"/>', '<competency code="M.05"/><option id="x" correct="true"><text lang="id">X</text>'
                                  '</option>', 'a likert item is ungraded'),
])
def test_bad_olx_is_refused_with_its_line_and_what_is_wrong(old, new, words):
    assert old in GOOD
    with pytest.raises(OlxError) as caught:
        parse_bank_olx(GOOD.replace(old, new, 1))
    assert words in str(caught.value)
    assert caught.value.line is not None
    assert str(caught.value).startswith(f'Line {caught.value.line}: ')


def test_the_line_number_points_at_the_broken_element():
    broken = GOOD.replace('<option id="c" correct="false">', '<option id="c" correct="nope">')
    with pytest.raises(OlxError) as caught:
        parse_bank_olx(broken)
    assert caught.value.line == line_of('<option id="c"')


def test_missing_and_duplicate_elements():
    with pytest.raises(OlxError, match='<item> needs a <stem> element'):
        parse_bank_olx(GOOD.replace('<stem>', '<explanation>', 1).replace('</stem>', '</explanation>', 1))
    doubled = GOOD.replace('</title>', '</title><title>Lagi</title>', 1)
    with pytest.raises(OlxError, match='<bank> may have only one <title> element'):
        parse_bank_olx(doubled)
    with pytest.raises(OlxError, match='<option> needs a <text> element'):
        parse_bank_olx(GOOD.replace('<text lang="id">Pilihan a</text>', '', 1).replace(
            '<text lang="en">Option a</text>', '', 1))


def test_stray_text_malformed_xml_wrong_root_and_entities():
    with pytest.raises(OlxError, match='cannot hold text'):
        parse_bank_olx(GOOD.replace('<competency code="M.01"/>', 'stray <competency code="M.01"/>', 1))
    with pytest.raises(OlxError) as caught:
        parse_bank_olx(GOOD.replace('</item>', '</itm>', 1))
    assert 'not well formed' in str(caught.value) and caught.value.line == line_of('</item>')
    with pytest.raises(OlxError, match='expected <bank>, found <scenario>'):
        element_to_bank(parse_olx_string('<scenario id="x"/>'))
    with pytest.raises(OlxError, match='DOCTYPE'):
        parse_bank_olx('<!DOCTYPE bank [<!ENTITY x "y">]>\n' + GOOD)


def test_export_refuses_a_bank_of_the_wrong_shape_and_characters_xml_cannot_hold():
    with pytest.raises(OlxError, match='invalid item bank'):
        bank_olx({'format': 1, 'id': 'b'})
    item = single('q1')
    item['stem'] = text('bel \x07')
    with pytest.raises(OlxError, match='character that XML cannot hold'):
        bank_olx(bank_dict(item))


def test_the_olx_error_message_is_translatable():
    broken = GOOD.replace('points="1"', 'points="satu"', 1)
    with pytest.raises(OlxError) as caught:
        parse_bank_olx(broken)
    catalog = {'Line {line}: {problem}': 'Baris {line}: {problem}',
               '"{name}" on <{tag}> must be a number, not "{value}"':
                   '"{name}" pada <{tag}> harus angka, bukan "{value}"'}
    assert caught.value.translated(lambda s: catalog.get(s, s)) == (
        f'Baris {caught.value.line}: "points" pada <item> harus angka, bukan "satu"')


def test_option_text_is_escaped_not_parsed():
    item = single('q1')
    item['options'][0]['text'] = text('<b>tebal</b> & "kutip"')
    xml = bank_olx(bank_dict(item))
    assert '&lt;b&gt;tebal&lt;/b&gt; &amp;' in xml
    assert parse_bank_olx(xml)['items'][0]['options'][0]['text'] == {'id': '<b>tebal</b> & "kutip"'}
    assert etree.fromstring(xml.encode()).find('item/option/text').text == '<b>tebal</b> & "kutip"'


def test_option_builder_defaults_are_canonical():
    assert option('z') == {'id': 'z', 'text': {'id': 'Pilihan z', 'en': 'Option z'}, 'correct': False}
