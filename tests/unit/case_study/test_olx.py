"""The case study's OLX: readable child elements, exact round trips, safe parsing, clear errors."""
import json
import time
from importlib.resources import files
from io import BytesIO

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree
from xblock.core import XBlock
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager
from xblock.test.tools import TestRuntime, blocks_are_equivalent

from asn_xblocks.case_study import olx
from asn_xblocks.case_study.block import CaseStudyBlock
from asn_xblocks.case_study.defaults import default_scenario
from asn_xblocks.case_study.model import Scenario
from asn_xblocks.case_study.olx import (
    CaseStudyOlxMixin, OlxError, element_to_scenario, olx_string, parse_olx_string, scenario_to_element,
    workbench_olx,
)

from case_study_builders import choice, counter, ending, event, flag, route, scenario_dict, situation, text

DATA = files('asn_xblocks.case_study') / 'data'
BUNDLED = sorted(p.name for p in DATA.iterdir() if p.name.endswith('.json'))


def bundled(name):
    return Scenario.from_dict(json.loads((DATA / name).read_text(encoding='utf-8'))).to_dict()


def export(data):
    return olx_string(scenario_to_element(data))


def reimport(xml):
    return element_to_scenario(parse_olx_string(xml))


def rich_scenario():
    """Every optional part of the format at least once, with int and float numbers."""
    return scenario_dict(
        situation('n1',
                  choice('a', 'e1', 10, competencies=[{'code': 'M.05', 'points': 10, 'level': 1},
                                                      {'code': 'T.OSS', 'points': 2.5}],
                         feedback=text('Bagus', 'Good'), when='sabar >= 1 and not marah',
                         effects='sabar -= 1; marah = true'),
                  choice('b', 'r1', 2.5),
                  variants=[{'when': 'marah', 'text': text('Warga marah', 'The citizen is angry')}],
                  image={'url': 'https://example.org/a.png', 'alt': text('Gambar')},
                  video={'url': 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5', 'title': text('Video', 'Clip')},
                  time_limit=90, timeout={'target': 'r1', 'points': 0, 'feedback': text('Waktu habis')}),
        event('e1', ('r1', 3), ('end-poor', 0.5)),
        route('r1', ('score >= 10', 'end-good'), ('marah', 'end-poor'), (None, 'end-poor')),
        ending('end-good'), ending('end-poor', 'poor'),
        variables=[counter('sabar', 3, 0, 5), flag('marah')],
        introduction=text('Pengantar', 'Introduction'), feedback_mode='debrief', allow_undo=False)


# --- round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize('name', BUNDLED)
def test_bundled_scenario_round_trips_as_dict_and_as_bytes(name):
    data = bundled(name)
    first = export(data)
    assert reimport(first) == data
    assert export(reimport(first)) == first


def test_every_part_of_the_format_round_trips():
    data = Scenario.from_dict(rich_scenario()).to_dict()
    xml = export(data)
    assert reimport(xml) == data
    assert export(reimport(xml)) == xml


def test_numbers_keep_their_type():
    data = Scenario.from_dict(rich_scenario()).to_dict()
    xml = export(data)
    assert '<choice id="a" target="e1" points="10"' in xml
    assert '<choice id="b" target="r1" points="2.5"' in xml
    assert '<outcome target="r1" weight="3"/>' in xml
    back = reimport(xml)
    points = [c['points'] for c in back['nodes'][0]['choices']]
    assert points == [10, 2.5] and type(points[0]) is int and type(points[1]) is float
    data['nodes'][0]['choices'][0]['points'] = 10.0
    again = reimport(export(data))['nodes'][0]['choices'][0]['points']
    assert again == 10.0 and type(again) is float


def test_the_shape_is_readable_child_elements_in_a_fixed_order():
    root = parse_olx_string(export(Scenario.from_dict(rich_scenario()).to_dict()))
    assert [child.tag for child in root] == [
        'title', 'introduction', 'variable', 'variable', 'situation', 'event', 'route', 'ending', 'ending']
    assert list(root.attrib) == ['format', 'id', 'start', 'feedback_mode', 'allow_undo', 'allow_restart']
    n1 = root.find('situation')
    assert [child.tag for child in n1] == ['title', 'text', 'text', 'variant', 'image', 'video', 'timeout', 'choice',
                                           'choice']
    video = n1.find('video')
    assert video.attrib == {'url': 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5'}
    assert [(t.get('lang'), t.text) for t in video.find('title')] == [('id', 'Video'), ('en', 'Clip')]
    assert [child.tag for child in n1.find('choice')] == ['label', 'feedback', 'competency', 'competency']
    assert [(c.tag, dict(c.attrib)) for c in root.find('route')] == [
        ('when', {'test': 'score >= 10', 'target': 'end-good'}),
        ('when', {'test': 'marah', 'target': 'end-poor'}),
        ('otherwise', {'target': 'end-poor'})]
    assert root.find('variable').attrib == {'name': 'sabar', 'kind': 'counter', 'initial': '3', 'min': '0', 'max': '5'}
    assert root.find('title/text[@lang="en"]').text == 'Test'


XML_CHAR = st.characters(codec='utf-8').filter(
    lambda c: c in '\t\n\r' or ' ' <= c <= '\ud7ff' or '\ue000' <= c <= '\ufffd' or c >= '\U00010000')
TEXTS = st.text(st.sampled_from('<>&"\' \n\r\t]') | XML_CHAR, max_size=30)
CONDITIONS = TEXTS.filter(str.strip)
NUMBERS = st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(title=TEXTS, english=TEXTS, label=TEXTS, feedback=TEXTS, when=CONDITIONS, effects=CONDITIONS,
       points=NUMBERS, weight=NUMBERS)
def test_any_text_and_number_survives_the_round_trip(title, english, label, feedback, when, effects, points, weight):
    data = scenario_dict(
        situation('n1', {'id': 'a', 'label': text(label, label), 'target': 'e1', 'points': points,
                         'feedback': text(feedback), 'when': when, 'effects': effects}),
        event('e1', ('end', weight)), ending('end'))
    data['title'] = text(title, english)
    data = Scenario.from_dict(data).to_dict()
    xml = export(data)
    assert reimport(xml) == data
    assert export(reimport(xml)) == xml


@pytest.mark.parametrize('url', ['https://youtu.be/dQw4w9WgXcQ', 'https://vimeo.com/823141156/90e6d75118',
                                 'https://cdn.example.org/a.mp4?x=1&y=%22'])
def test_a_video_round_trips_exactly_and_its_url_is_an_escaped_attribute(url):
    data = Scenario.from_dict(scenario_dict(
        situation('n1', choice('a', 'end'), video={'url': url, 'title': text('Judul "video" & <b>')}),
        ending('end'))).to_dict()
    xml = export(data)
    assert reimport(xml) == data
    assert export(reimport(xml)) == xml
    assert '<title>\n        <text lang="id">Judul "video" &amp; &lt;b&gt;</text>' in xml
    assert url.replace('&', '&amp;') in xml


def test_texts_are_escaped_as_element_text_not_parsed_as_markup():
    data = Scenario.from_dict(scenario_dict(situation('n1', choice('a', 'end')), ending('end'))).to_dict()
    data['title'] = {'id': '<b>Tebal</b> & "kutip"'}
    xml = export(data)
    assert '<text lang="id">&lt;b&gt;Tebal&lt;/b&gt; &amp; "kutip"</text>' in xml


# --- reading hand-written OLX --------------------------------------------------------------
SMALL = '''\
<asn_case_study display_name="Uji">
  <scenario id="uji" start="n1">
    <title>Uji</title>
    <variable name="sabar" kind="counter" initial="3"/>
    <situation id="n1">
      <title><text lang="id">Judul</text></title>
      <text lang="id">Situasi</text>
      <choice id="a" target="end" points="10">
        <label>A</label>
        <competency code="M.05" points="10"/>
      </choice>
      <choice id="b" target="end"><label>B</label></choice>
    </situation>
    <!-- an ending -->
    <ending id="end" rating="good"><title>Akhir</title><text lang="id">Selesai</text></ending>
  </scenario>
</asn_case_study>
'''


def small_scenario(xml=SMALL):
    return element_to_scenario(parse_olx_string(xml).find('scenario'))


def test_hand_written_olx_reads_with_defaults_and_shorthand_texts():
    data = small_scenario()
    assert data == Scenario.from_dict(scenario_dict(
        situation('n1', {'id': 'a', 'label': {'id': 'A'}, 'target': 'end', 'points': 10,
                         'competencies': [{'code': 'M.05', 'points': 10}]},
                  {'id': 'b', 'label': {'id': 'B'}, 'target': 'end'},
                  title={'id': 'Judul'}, text={'id': 'Situasi'}),
        {'id': 'end', 'kind': 'ending', 'title': {'id': 'Akhir'}, 'text': {'id': 'Selesai'}, 'rating': 'good'},
        variables=[{'name': 'sabar', 'kind': 'counter', 'initial': 3}],
        allow_undo=False, title={'id': 'Uji'},
    )).to_dict()
    assert data['nodes'][0]['title'] == {'id': 'Judul'}
    assert data['variables'] == [{'name': 'sabar', 'kind': 'counter', 'initial': 3, 'min': 0, 'max': 10}]


@pytest.mark.parametrize('old, new, line, words', [
    ('<label>A</label>', '<label>A</label><pilihan/>', 9, ['unknown element <pilihan>', '<choice>']),
    ('<situation id="n1">', '<situation>', 5, ['<situation>', '"id"']),
    ('<competency code="M.05" points="10"/>', '<competency code="M.05"/>', 10, ['<competency>', '"points"']),
    ('points="10">', 'pionts="10">', 8, ['unknown attribute', '"pionts"']),
    ('points="10">', 'points="sepuluh">', 8, ['"points"', 'number', '"sepuluh"']),
    ('points="10">', 'points="1e999">', 8, ['"points"', 'number']),
    ('initial="3"', 'initial="3.5"', 4, ['"initial"', 'whole number']),
    ('<scenario id="uji" start="n1">', '<scenario id="uji" start="n1" allow_undo="ya">', 2,
     ['"allow_undo"', 'true or false']),
    ('<text lang="id">Situasi</text>', '<text lang="Indonesia">Situasi</text>', 7,
     ['"Indonesia"', 'language code']),
    ('<text lang="id">Situasi</text>', '<text lang="id">Situasi</text><text lang="id">Lagi</text>', 7,
     ['"id"', 'twice']),
    ('kind="counter"', 'kind="angka"', 4, ['variable kind', '"angka"']),
    ('code="M.05"', 'code="X.99"', 10, ['invalid scenario', 'X.99']),
    ('rating="good"', 'rating="hebat"', 15, ['invalid scenario', 'rating']),
    ('<title><text lang="id">Judul</text></title>', '', 5, ['<situation>', '<title>']),
    ('<label>B</label>', '<label>B</label><label>C</label>', 12, ['only one <label>']),
    ('<text lang="id">Situasi</text>', '<text lang="id">Situasi</text><video url="https://youtu.be/dQw4w9WgXcQ"/>',
     7, ['<video>', '<title>']),
    ('<text lang="id">Situasi</text>', '<text lang="id">Situasi</text><video><title>V</title></video>',
     7, ['<video>', '"url"']),
    ('<text lang="id">Situasi</text>',
     '<text lang="id">Situasi</text><video url="https://youtu.be/dQw4w9WgXcQ" start="5"><title>V</title></video>',
     7, ['unknown attribute', '"start"']),
    ('<text lang="id">Situasi</text>',
     '<text lang="id">Situasi</text><video url="https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ">'
     '<title>V</title></video>', 5, ['invalid scenario', "node 'n1' video", 'youtube.com/watch?v=ID']),
    ('<text lang="id">Situasi</text>',
     '<text lang="id">Situasi</text><video url="javascript:alert(1)"><title>V</title></video>',
     5, ['invalid scenario', 'https://']),
    ('<text lang="id">Situasi</text>', '<text lang="id">Situasi</text>' + '<video url="https://youtu.be/dQw4w9WgXcQ">'
     '<title>V</title></video>' * 2, 7, ['only one <video>']),
    ('<choice id="b" target="end">', '<choice id="b" target="end">teks lepas', 12, ['<choice>', 'teks lepas']),
    ('<text lang="id">Situasi</text>', '<text lang="id">Situasi <b>tebal</b></text>', 7, ['<b>', '<text>']),
])
def test_bad_olx_is_refused_with_its_line_and_what_is_wrong(old, new, line, words):
    assert SMALL.count(old) == 1
    with pytest.raises(OlxError) as caught:
        small_scenario(SMALL.replace(old, new))
    message = str(caught.value)
    assert caught.value.line == line
    assert message.startswith(f'Line {line}: ')
    for word in words:
        assert word in message


def test_hand_written_video_reads_before_or_after_the_image_and_exports_after_it():
    video = '<video url="https://vimeo.com/76979871"><title>Rekaman</title></video>'
    image = '<image url="https://example.org/a.png"><alt>Gambar</alt></image>'
    text_element = '<text lang="id">Situasi</text>'
    first = small_scenario(SMALL.replace(text_element, text_element + video + image))
    second = small_scenario(SMALL.replace(text_element, text_element + image + video))
    assert first == second
    assert first['nodes'][0]['video'] == {'url': 'https://vimeo.com/76979871', 'title': {'id': 'Rekaman'}}
    tags = [child.tag for child in parse_olx_string(export(first)).find('situation')]
    assert tags.index('image') + 1 == tags.index('video')


def test_wrong_element_is_refused():
    with pytest.raises(OlxError, match='expected <scenario>, found <asn_case_study>'):
        element_to_scenario(parse_olx_string(SMALL))


def test_olx_error_message_is_translatable():
    with pytest.raises(OlxError) as caught:
        small_scenario(SMALL.replace('points="10">', 'points="x">'))
    catalog = {olx.LINE: 'Baris {line}: {problem}',
               olx.BAD_NUMBER: '"{name}" pada <{tag}> harus angka, bukan "{value}"'}
    translated = caught.value.translated(lambda s: catalog.get(s, s))
    assert translated == 'Baris 8: "points" pada <choice> harus angka, bukan "x"'


# --- safe parsing --------------------------------------------------------------------------
def test_malformed_xml_names_the_line():
    broken = SMALL.replace('<label>B</label>', '<label>B')
    with pytest.raises(OlxError) as caught:
        parse_olx_string(broken)
    assert caught.value.line == 12
    assert 'not well formed' in str(caught.value)


BILLION_LAUGHS = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' + ''.join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1 or "") + ";") * 10}">\n' for i in range(1, 10)
) + ']>\n<asn_case_study><scenario id="x" start="n1"><title>&lol9;</title></scenario></asn_case_study>\n'

EXTERNAL_ENTITY = '''<?xml version="1.0"?>
<!DOCTYPE asn_case_study [<!ENTITY rahasia SYSTEM "file:///etc/passwd">]>
<asn_case_study><scenario id="x" start="n1"><title>&rahasia;</title></scenario></asn_case_study>
'''


@pytest.mark.parametrize('document', [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.encode()])
def test_entity_documents_are_refused_without_expanding(document):
    started = time.perf_counter()
    with pytest.raises(OlxError) as caught:
        parse_olx_string(document)
    assert time.perf_counter() - started < 1.0
    assert 'DOCTYPE' in str(caught.value) and caught.value.line == 2
    assert 'lollol' not in str(caught.value) and 'root:' not in str(caught.value)


def test_the_parser_itself_expands_nothing_and_reads_no_file():
    """Defence in depth, should a DOCTYPE ever get past the check before parsing."""
    root = etree.fromstring(EXTERNAL_ENTITY.encode(), olx.safe_parser())
    assert 'root:' not in etree.tostring(root, encoding='unicode')
    assert [e.text for e in root.iter(etree.Entity)] == ['&rahasia;']
    try:
        root = etree.fromstring(BILLION_LAUGHS.encode(), olx.safe_parser())
    except etree.XMLSyntaxError:
        return  # libxml2 refuses the amplification itself
    assert 'lollol' not in ''.join(root.itertext())


UTF16_DOCTYPE = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>\n'.encode('utf-16')


@pytest.mark.parametrize('document', ['<a>\n<!DOCTYPE a>\n</a>', UTF16_DOCTYPE])
def test_any_doctype_is_refused(document):
    with pytest.raises(OlxError, match='DOCTYPE|not well formed'):
        parse_olx_string(document)


def test_comments_and_whitespace_are_ignored_and_unicode_text_is_accepted():
    root = parse_olx_string(SMALL.replace('Situasi', 'Situasi — “aduan” 😀'))
    assert not any(isinstance(e, etree._Comment) for e in root.iter())  # pylint: disable=protected-access
    assert element_to_scenario(root.find('scenario'))['nodes'][0]['text'] == {'id': 'Situasi — “aduan” 😀'}


# --- writing refuses what it cannot write ----------------------------------------------------
def test_export_refuses_an_invalid_scenario_and_characters_xml_cannot_hold():
    data = Scenario.from_dict(scenario_dict(situation('n1', choice('a', 'end')), ending('end'))).to_dict()
    with pytest.raises(OlxError, match='invalid scenario'):
        scenario_to_element({**data, 'feedback_mode': 'nanti'})
    with pytest.raises(OlxError, match='cannot hold'):
        scenario_to_element({**data, 'title': {'id': 'bel \x07'}})


# --- the XBlock hooks ------------------------------------------------------------------------
BLOCK_CLASS = (CaseStudyBlock if issubclass(CaseStudyBlock, CaseStudyOlxMixin)
               else type('OlxCaseStudyBlock', (CaseStudyOlxMixin, CaseStudyBlock), {}))


def with_block_class(test):
    """Run `test` with `asn_case_study` loading BLOCK_CLASS (the mixin, wired or not yet)."""
    return XBlock.register_temp_plugin(BLOCK_CLASS, 'asn_case_study')(test)


def new_runtime():
    ids = MemoryIdManager()
    # The real entry point and the temporary one share a name: take the temporary one.
    return TestRuntime(id_reader=ids, id_generator=ids, services={'field-data': KvsFieldData(DictKeyValueStore())},
                       select=lambda identifier, entry_points: entry_points[-1])


def load(runtime, xml):
    return runtime.get_block(runtime.parse_xml_string(xml))


def export_block(runtime, block):
    out = BytesIO()
    runtime.export_to_xml(block, out)
    return out.getvalue()


@with_block_class
def test_block_round_trips_through_export_and_import():
    runtime = new_runtime()
    data = bundled('katering_bu_sari.json')
    block = load(runtime, workbench_olx(data, 'Katering'))
    assert isinstance(block, BLOCK_CLASS)
    assert block.scenario == data and block.display_name == 'Katering'
    block.weight, block.max_attempts, block.grading_policy = 2.5, 3, 'last'
    block.save()

    first = export_block(runtime, block)
    again = load(runtime, first)
    assert blocks_are_equivalent(block, again)
    assert export_block(runtime, again) == first

    root = etree.fromstring(first)
    assert root.tag == 'asn_case_study' and root.get('xblock-family') == 'xblock.v1'
    assert (root.get('display_name'), root.get('weight'), root.get('max_attempts'), root.get('grading_policy')) == (
        'Katering', '2.5', '3', 'last')
    assert 'scenario' not in root.attrib and '{' not in ''.join(root.attrib.values())
    assert [child.tag for child in root] == ['scenario']


@with_block_class
def test_export_writes_only_settings_that_were_set_and_always_the_scenario():
    runtime = new_runtime()
    block = load(runtime, '<asn_case_study/>')
    assert block.scenario == default_scenario()
    root = etree.fromstring(export_block(runtime, block))
    assert set(root.attrib) == {'xblock-family'}
    assert element_to_scenario(root.find('scenario')) == Scenario.from_dict(default_scenario()).to_dict()


@with_block_class
def test_parse_xml_reads_settings_and_ignores_the_runtimes_attributes(caplog):
    runtime = new_runtime()
    block = load(runtime, SMALL.replace(
        '<asn_case_study display_name="Uji">',
        '<asn_case_study display_name="Uji" url_name="cs1" xblock-family="xblock.v1" weight="4" max_attempts="2">'))
    assert (block.display_name, block.weight, block.max_attempts) == ('Uji', 4.0, 2)
    assert block.scenario == small_scenario()
    assert caplog.records == []
    load(runtime, '<asn_case_study warna="merah"/>')
    assert ['warna' in record.getMessage() for record in caplog.records] == [True]


@with_block_class
def test_lms_style_parse_keeps_texts_exact():
    """The LMS parses OLX with remove_blank_text; leaf texts, even blank ones, must not change."""
    data = Scenario.from_dict(scenario_dict(situation('n1', choice('a', 'end')), ending('end'))).to_dict()
    data['title'] = {'id': '  ', 'en': ' dua\n baris '}
    node = etree.fromstring(workbench_olx(data, 'Uji').encode(), etree.XMLParser(remove_blank_text=True))
    block = BLOCK_CLASS.parse_xml(node, new_runtime(), ScopeIds(None, 'asn_case_study', 'def-1', 'usage-1'))
    assert block.scenario == data


@pytest.mark.parametrize('old, new, line, words', [
    ('display_name="Uji"', 'display_name="Uji" weight="berat"', 1, ['"weight"', '"berat"']),
    ('display_name="Uji"', 'scenario="{}"', 1, ['<scenario> child element']),
    ('  </scenario>\n', '  </scenario>\n  <scenario id="dua" start="n1"/>\n', 17, ['only one <scenario>']),
    ('  </scenario>\n', '  </scenario>\n  <catatan/>\n', 17, ['unknown element <catatan>', '<asn_case_study>']),
    ('<label>B</label>', '<label>B</label><label>C</label>', 12, ['only one <label>']),
])
@with_block_class
def test_parse_xml_refuses_bad_olx_with_its_line(old, new, line, words):
    with pytest.raises(OlxError) as caught:
        load(new_runtime(), SMALL.replace(old, new))
    assert caught.value.line == line
    for word in words:
        assert word in str(caught.value)


def test_workbench_olx_is_a_parseable_page_with_a_quoted_title():
    data = bundled('sampah_sekolah.json')
    xml = workbench_olx(data, 'Studi "kasus" & <uji>')
    root = parse_olx_string(xml)
    assert root.tag == 'asn_case_study' and root.get('display_name') == 'Studi "kasus" & <uji>'
    assert element_to_scenario(root.find('scenario')) == data
