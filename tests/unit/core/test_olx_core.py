"""The OLX helpers every block shares: safe parsing, line-numbered errors, localized texts, typed attributes."""
import pytest
from lxml import etree

from asn_xblocks.assessment import olx as assessment_olx
from asn_xblocks.case_study import olx as case_study_olx
from asn_xblocks.core import olx
from asn_xblocks.core.olx import OlxError, Schema

SCHEMA = Schema({'root': (('id',), ('size', 'flag'), ('title', 'part')), 'part': ((), (), ())}, ('title',))


def test_both_blocks_share_one_implementation():
    for module in (case_study_olx, assessment_olx):
        assert module.OlxError is OlxError
        assert module.parse_olx_string is olx.parse_olx_string
    assert case_study_olx.safe_parser is olx.safe_parser


def test_a_document_that_fits_the_schema():
    root = olx.parse_olx_string('<root id="r" size="2.5" flag="true">\n  <title>Judul</title>\n  <part/>\n</root>')
    children = SCHEMA.checked(root)
    assert [child.tag for child in children] == ['title', 'part']
    assert SCHEMA.localized(SCHEMA.one(root, children, 'title')) == {'id': 'Judul'}
    assert (olx.number(root, 'size'), olx.boolean(root, 'flag'), olx.integer(root, 'missing', 7)) == (2.5, True, 7)


@pytest.mark.parametrize('xml, line, message', [
    ('<root>\n</root>', 1, '<root> needs the attribute "id"'),
    ('<root id="r" colour="red"/>', 1, '<root> has an unknown attribute "colour"'),
    ('<root id="r">\n<other/></root>', 2, 'unknown element <other> inside <root>'),
    ('<root id="r">text</root>', 1, '<root> cannot hold text here: "text"'),
    ('<root id="r">\n<title><text lang="id">a</text><text lang="id">b</text></title></root>', 2,
     'the language "id" appears twice in <title>'),
    ('<root id="r">\n<title><text lang="Indonesian">a</text></title></root>', 2,
     '"Indonesian" is not a language code (use id, en…)'),
])
def test_structural_errors_name_the_line(xml, line, message):
    with pytest.raises(OlxError) as caught:
        root = olx.parse_olx_string(xml)
        for child in SCHEMA.checked(root):
            SCHEMA.localized(child) if child.tag == 'title' else SCHEMA.checked(child)
    assert (caught.value.line, str(caught.value)) == (line, f'Line {line}: {message}')


@pytest.mark.parametrize('raw, reader, message', [
    ('x', olx.number, 'must be a number'), ('1.5', olx.integer, 'must be a whole number'),
    ('yes', olx.boolean, 'must be true or false'), ('inf', olx.number, 'must be a number'),
])
def test_typed_attributes(raw, reader, message):
    node = etree.fromstring(f'<root id="r" size="{raw}"/>')
    with pytest.raises(OlxError, match=message):
        reader(node, 'size')


def test_numbers_keep_their_type_when_written_and_read():
    node = olx.element(None, 'root', {'id': 'r', 'a': 10, 'b': 2.5, 'c': True, 'd': None}, ('id', 'a', 'b', 'c', 'd'))
    assert dict(node.attrib) == {'id': 'r', 'a': '10', 'b': '2.5', 'c': 'true'}
    assert (olx.number(node, 'a'), olx.number(node, 'b'), olx.boolean(node, 'c')) == (10, 2.5, True)


def test_localized_texts_round_trip():
    parent = etree.Element('root')
    olx.write_localized(parent, 'title', {'id': 'Judul', 'en': 'Title'})
    olx.write_localized(parent, 'missing', None)
    assert [child.tag for child in parent] == ['title']
    assert SCHEMA.localized(parent[0]) == {'id': 'Judul', 'en': 'Title'}


def test_entities_and_doctypes_are_refused_and_nothing_is_fetched():
    with pytest.raises(OlxError, match='DOCTYPE'):
        olx.parse_olx_string('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>')
    parser = olx.safe_parser()
    root = etree.fromstring(b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>', parser)
    with pytest.raises(OlxError, match='entity references are not allowed'):
        olx.child_elements(root)


def test_put_leaves_absent_values_absent():
    assert olx.put({'a': 1}, b=None, c=[], d=0, e='x') == {'a': 1, 'd': 0, 'e': 'x'}
