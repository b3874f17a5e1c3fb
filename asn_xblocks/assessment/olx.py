"""The item bank as readable OLX: the only assessment module that knows XML.

A bank is written as child elements, one element per item, option, competency tag, scale
label and text, so that a course export reads well and diffs line by line:

    <bank format="1" id="demo-pelayanan-publik">
      <title><text lang="id">…</text><text lang="en">…</text></title>
      <instructions><text lang="id">…</text></instructions>
      <item id="q01" type="single" difficulty="mudah" points="1">
        <stem><text lang="id">…</text><text lang="en">…</text></stem>
        <competency code="M.06"/>
        <option id="a" correct="false">
          <text lang="id">…</text><text lang="en">…</text>      (directly under <option>: its text)
          <feedback><text lang="id">…</text></feedback>
        </option>
        <explanation><text lang="id">…</text></explanation>
      </item>
      <item id="m01" type="multiple" difficulty="sulit" points="2" scoring="per_option">…</item>
      <item id="s01" type="likert" reverse="false">
        <stem>…</stem>
        <competency code="M.05"/>
        <scale min="1" max="5"><label><text lang="id">Sangat tidak yakin</text></label>…</scale>
      </item>
    </bank>

Texts, numbers and booleans follow core/olx.py (a hand-written `<stem>Soal</stem>` reads as
Indonesian). Reading checks the structure here, with the line of every mistake, and the values
through the model's own readers (Item.from_dict, Bank.from_dict), so the two never disagree;
content problems (duplicate ids, wrong keys…) are model.validate's, as for the JSON form.
Writing the canonical dict and reading it back gives the same dict, and the same bytes again.
"""
from __future__ import annotations

from ..core.i18n import N_
from lxml import etree

from ..core.olx import (  # noqa: F401 - OlxError is part of this module's API
    WRONG_ELEMENT, ContentOlxMixin, OlxError, Schema, boolean, element, format_value, integer, number,
    olx_string, parse_olx_string, put, write_localized, write_texts,
)
from .model import Bank, BankFormatError, Item

INVALID_CONTENT = N_('invalid item bank: {problem}')
NOT_XML_TEXT = N_('the item bank contains a character that XML cannot hold')

LOCALIZED = ('title', 'instructions', 'stem', 'feedback', 'explanation', 'label')
ITEM_ATTRIBUTES = ('id', 'type', 'difficulty', 'points', 'scoring', 'reverse')
SCHEMA = Schema({
    'bank': (('id',), ('format',), ('title', 'instructions', 'item')),
    'item': (('id', 'type'), ITEM_ATTRIBUTES[2:], ('stem', 'competency', 'option', 'scale', 'explanation')),
    'competency': (('code',), (), ()),
    'option': (('id',), ('correct',), ('text', 'feedback')),
    'scale': (('min', 'max'), (), ('label',)),
}, LOCALIZED)


# --- writing ------------------------------------------------------------------------------
def bank_to_element(data: dict):
    """The <bank> element for a bank dict (checked and made canonical first)."""
    try:
        data = Bank.from_dict(data).to_dict()
    except BankFormatError as error:
        raise OlxError(INVALID_CONTENT, problem=str(error)) from error
    try:
        root = element(None, 'bank', data, ('format', 'id'))
        write_localized(root, 'title', data['title'])
        write_localized(root, 'instructions', data.get('instructions'))
        for item in data['items']:
            _write_item(root, item)
    except ValueError as error:  # lxml refuses control characters and lone surrogates
        raise OlxError(NOT_XML_TEXT) from error
    return root


def _write_item(parent, item: dict):
    node = element(parent, 'item', item, ITEM_ATTRIBUTES)
    write_localized(node, 'stem', item['stem'])
    for code in item['competencies']:
        element(node, 'competency', {'code': code}, ('code',))
    for option in item.get('options', ()):
        child = element(node, 'option', option, ('id', 'correct'))
        write_texts(child, option['text'])
        write_localized(child, 'feedback', option.get('feedback'))
    if 'scale' in item:
        scale = element(node, 'scale', item['scale'], ('min', 'max'))
        for label in item['scale']['labels']:
            write_localized(scale, 'label', label)
    write_localized(node, 'explanation', item.get('explanation'))


def bank_olx(data: dict) -> str:
    """A bank dict as indented OLX text."""
    return olx_string(bank_to_element(data))


# --- reading ------------------------------------------------------------------------------
def element_to_bank(node) -> dict:
    """The canonical bank dict of a <bank> element; OlxError names the line at fault."""
    if node.tag != 'bank':
        raise OlxError(WRONG_ELEMENT, node.sourceline, expected='bank', tag=node.tag)
    children = SCHEMA.checked(node)
    data = put({}, format=integer(node, 'format', 1), id=node.get('id'),
               title=SCHEMA.localized(SCHEMA.one(node, children, 'title')),
               instructions=SCHEMA.localized(SCHEMA.one(node, children, 'instructions', required=False)))
    data['items'] = [_read_item(child) for child in children if child.tag == 'item']
    return _validated(node, Bank.from_dict, data).to_dict()


def parse_bank_olx(text) -> dict:
    """The canonical bank dict of an OLX document whose root is <bank>."""
    return element_to_bank(parse_olx_string(text))


def _read_item(node) -> dict:
    children = SCHEMA.checked(node)
    data = {'id': node.get('id'), 'type': node.get('type'),
            'stem': SCHEMA.localized(SCHEMA.one(node, children, 'stem')),
            'competencies': [SCHEMA.leaf(child).get('code') for child in children if child.tag == 'competency']}
    put(data, difficulty=node.get('difficulty'), points=number(node, 'points'), scoring=node.get('scoring'),
        reverse=boolean(node, 'reverse'))
    options = [_read_option(child) for child in children if child.tag == 'option']
    if options or data['type'] != 'likert':
        data['options'] = options
    scale = SCHEMA.one(node, children, 'scale', required=False)
    if scale is not None:
        labels = [SCHEMA.localized(label) for label in SCHEMA.checked(scale)]
        data['scale'] = {'min': integer(scale, 'min'), 'max': integer(scale, 'max'), 'labels': labels}
    put(data, explanation=SCHEMA.localized(SCHEMA.one(node, children, 'explanation', required=False)))
    return _validated(node, Item.from_dict, data).to_dict()


def _read_option(node) -> dict:
    children = SCHEMA.checked(node)
    return put({'id': node.get('id'), 'text': SCHEMA.texts(node, children)}, correct=boolean(node, 'correct'),
               feedback=SCHEMA.localized(SCHEMA.one(node, children, 'feedback', required=False)))


def _validated(node, read, *args):
    """Run a model reader; its complaint becomes an OlxError at this element's line."""
    try:
        return read(*args)
    except BankFormatError as error:
        raise OlxError(INVALID_CONTENT, node.sourceline, problem=str(error)) from error


# --- the XBlock hooks ---------------------------------------------------------------------
class AssessmentOlxMixin(ContentOlxMixin):
    """Settings as attributes of <asn_assessment>, the item bank as a readable <bank> child."""

    olx_content_field = 'bank'
    olx_content_tag = 'bank'
    content_to_element = staticmethod(bank_to_element)
    element_to_content = staticmethod(element_to_bank)


def workbench_olx(blocks) -> str:
    """A workbench page of assessment blocks: `blocks` is a list of (settings, bank dict)."""
    page = etree.Element('vertical_demo')
    for settings, bank in blocks:
        node = etree.SubElement(page, 'asn_assessment', {name: format_value(value) for name, value in settings.items()})
        node.append(bank_to_element(bank))
    return olx_string(page)
