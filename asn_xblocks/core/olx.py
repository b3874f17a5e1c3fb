"""What every block's olx.py shares: safe parsing, errors with line numbers, localized texts.

Each block describes its own elements in a `Schema` (tag -> required attributes, optional
attributes, allowed child elements) and writes its own readers and writers; this module
holds the parts that do not depend on the content:

- `parse_olx_string` parses untrusted text with no DTD, no entity expansion and no network,
  and refuses DOCTYPEs before parsing; `OlxError` carries a translatable template, its
  params and the line at fault.
- A localized text is a list of `<text lang="…">` elements inside an element such as
  `<title>`; a hand-written `<title>Judul</title>` with no <text> inside reads as Indonesian.
- Numbers keep their type in attributes (10 stays 10, 2.5 stays 2.5), booleans are
  `true`/`false`, absent optional values stay absent.
"""
from __future__ import annotations

import logging
import math
import re

import yaml
from lxml import etree
from xblock.fields import Scope

from .i18n import N_
from .localized import LANGUAGE_CODE

log = logging.getLogger(__name__)

LINE = N_('Line {line}: {problem}')
NOT_WELL_FORMED = N_('the XML is not well formed: {problem}')
NO_DOCTYPE = N_('DOCTYPE and entity declarations are not allowed')
NO_ENTITY = N_('entity references are not allowed')
WRONG_ELEMENT = N_('expected <{expected}>, found <{tag}>')
UNKNOWN_ELEMENT = N_('unknown element <{tag}> inside <{parent}>')
UNKNOWN_ATTRIBUTE = N_('<{tag}> has an unknown attribute "{name}"')
MISSING_ATTRIBUTE = N_('<{tag}> needs the attribute "{name}"')
MISSING_ELEMENT = N_('<{parent}> needs a <{tag}> element')
DUPLICATE_ELEMENT = N_('<{parent}> may have only one <{tag}> element')
UNEXPECTED_TEXT = N_('<{tag}> cannot hold text here: "{text}"')
BAD_NUMBER = N_('"{name}" on <{tag}> must be a number, not "{value}"')
BAD_INTEGER = N_('"{name}" on <{tag}> must be a whole number, not "{value}"')
BAD_BOOLEAN = N_('"{name}" on <{tag}> must be true or false, not "{value}"')
BAD_LANGUAGE = N_('"{value}" is not a language code (use id, en…)')
DUPLICATE_LANGUAGE = N_('the language "{lang}" appears twice in <{tag}>')

_INTEGER = re.compile(r'[-+]?[0-9]+\Z')
_DOCTYPE = re.compile(rb'<!DOCTYPE', re.IGNORECASE)
_DECIMAL = re.compile(r'[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z')


class OlxError(ValueError):
    """Bad OLX. `template` and `params` let the block show the message in the author's language."""

    def __init__(self, template, line=None, **params):
        self.template, self.line, self.params = template, line, params
        super().__init__(self.translated())

    def translated(self, gettext=lambda text: text):
        problem = gettext(self.template).format(**self.params)
        return problem if self.line is None else gettext(LINE).format(line=self.line, problem=problem)


# --- parsing untrusted text ---------------------------------------------------------------
def safe_parser(encoding=None):
    """An lxml parser that loads no DTD, expands no entity and fetches nothing."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True, encoding=encoding)


def parse_olx_string(text):
    """The root element of an OLX document; DOCTYPEs (and so entity declarations) are refused."""
    if isinstance(text, str):
        text, parser = text.encode('utf-8'), safe_parser('utf-8')
    else:
        parser = safe_parser()
    doctype = _DOCTYPE.search(text)
    if doctype:  # refused before parsing, so no entity declaration is ever read
        raise OlxError(NO_DOCTYPE, text.count(b'\n', 0, doctype.start()) + 1)
    try:
        root = etree.fromstring(text, parser)
    except etree.XMLSyntaxError as error:
        raise OlxError(NOT_WELL_FORMED, error.lineno, problem=error.msg) from error
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:  # e.g. UTF-16 input
        raise OlxError(NO_DOCTYPE, 1)
    return root


def olx_string(element) -> str:
    """An element as indented text (the form export writes)."""
    return etree.tostring(element, encoding='unicode', pretty_print=True)


# --- writing ------------------------------------------------------------------------------
def element(parent, tag, values: dict, attributes: tuple):
    """A new element (a child of `parent` unless it is None) with the present `attributes`."""
    made = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for name in attributes:
        if values.get(name) is not None:
            made.set(name, format_value(values[name]))
    return made


def format_value(value) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        return repr(value)  # shortest exact form: 2.5, 10.0, 1e+16
    return str(value)


def write_texts(parent, texts: dict):
    """One <text lang="…"> per language, directly under `parent`."""
    for lang, text in texts.items():
        etree.SubElement(parent, 'text', lang=lang).text = text


def write_localized(parent, tag, texts):
    """<tag><text lang="id">…</text>…</tag> under `parent`; nothing when `texts` is None."""
    if texts is not None:
        write_texts(etree.SubElement(parent, tag), texts)


# --- reading ------------------------------------------------------------------------------
def put(data: dict, **values) -> dict:
    """Add the values that are present (absent stays absent, as in the canonical dict)."""
    data.update((key, value) for key, value in values.items() if value is not None and value != [])
    return data


def child_elements(parent) -> list:
    """The child elements; comments and processing instructions are skipped, entities refused."""
    children = []
    for child in parent:
        if child.tag is etree.Entity:
            raise OlxError(NO_ENTITY, child.sourceline or parent.sourceline)
        if isinstance(child.tag, str):
            children.append(child)
    return children


def no_text(parent, text):
    if text and text.strip():
        raise OlxError(UNEXPECTED_TEXT, parent.sourceline, tag=parent.tag, text=text.strip()[:40])


def number(node, name):
    raw = node.get(name)
    if raw is None:
        return None
    if _INTEGER.match(raw):
        return int(raw)
    if _DECIMAL.match(raw) and math.isfinite(float(raw)):
        return float(raw)
    raise OlxError(BAD_NUMBER, node.sourceline, name=name, tag=node.tag, value=raw)


def integer(node, name, default=None):
    raw = node.get(name)
    if raw is None:
        return default
    if not _INTEGER.match(raw):
        raise OlxError(BAD_INTEGER, node.sourceline, name=name, tag=node.tag, value=raw)
    return int(raw)


def boolean(node, name):
    raw = node.get(name)
    if raw is None:
        return None
    if raw not in ('true', 'false'):
        raise OlxError(BAD_BOOLEAN, node.sourceline, name=name, tag=node.tag, value=raw)
    return raw == 'true'


class Schema:
    """The elements one block's OLX may hold, and the structural checks that follow from them.

    `spec` maps a tag to (required attributes, optional attributes, allowed child tags);
    `localized` names the tags that hold a localized text (a <text lang> list, or plain
    Indonesian text). The <text> element itself is always known.
    """

    def __init__(self, spec: dict, localized: tuple):
        self.localized_tags = tuple(localized)
        self.spec = {'text': (('lang',), (), ()), **{tag: ((), (), ('text',)) for tag in localized}, **spec}

    def checked(self, node) -> list:
        """The node's child elements, once its attributes, children and text fit the spec."""
        required, optional, allowed = self.spec[node.tag]
        for name in node.attrib:
            if name not in required and name not in optional:
                raise OlxError(UNKNOWN_ATTRIBUTE, node.sourceline, tag=node.tag, name=name)
        for name in required:
            if node.get(name) is None:
                raise OlxError(MISSING_ATTRIBUTE, node.sourceline, tag=node.tag, name=name)
        children = child_elements(node)
        for child in children:
            if child.tag not in allowed:
                raise OlxError(UNKNOWN_ELEMENT, child.sourceline, tag=child.tag, parent=node.tag)
        shorthand = node.tag in self.localized_tags and not children
        if node.tag != 'text' and not shorthand:
            no_text(node, node.text)
            for child in children:
                no_text(node, child.tail)
        return children

    def leaf(self, node):
        """An element with attributes only, once checked."""
        self.checked(node)
        return node

    @staticmethod
    def one(parent, children, tag, required=True):
        found = [child for child in children if child.tag == tag]
        if len(found) > 1:
            raise OlxError(DUPLICATE_ELEMENT, found[1].sourceline, parent=parent.tag, tag=tag)
        if not found and required:
            raise OlxError(MISSING_ELEMENT, parent.sourceline, parent=parent.tag, tag=tag)
        return found[0] if found else None

    def localized(self, node) -> dict | None:
        """A <title>-like element: its <text lang> children, or its own text as Indonesian."""
        if node is None:
            return None
        children = self.checked(node)
        if not children:
            return {'id': node.text or ''}
        return self.texts(node, children)

    def texts(self, parent, children) -> dict:
        """The {lang: text} of the <text> elements among `children` (at least one)."""
        texts = {}
        for child in children:
            if child.tag != 'text':
                continue
            self.checked(child)
            lang = child.get('lang')
            if not LANGUAGE_CODE.match(lang):
                raise OlxError(BAD_LANGUAGE, child.sourceline, value=lang)
            if lang in texts:
                raise OlxError(DUPLICATE_LANGUAGE, child.sourceline, lang=lang, tag=parent.tag)
            texts[lang] = child.text or ''
        if not texts:
            raise OlxError(MISSING_ELEMENT, parent.sourceline, parent=parent.tag, tag='text')
        return texts


# --- the XBlock hooks ---------------------------------------------------------------------
SETTING_IN_ATTRIBUTE = N_('the {field} belongs in a <{tag}> child element, not in an attribute')
BAD_SETTING = N_('bad value "{value}" for the setting "{name}"')
ROOT_IGNORED_ATTRIBUTES = ('xblock-family', 'url_name')  # the runtime's, not ours
XBLOCK_OPTION_NAMESPACE = 'http://code.edx.org/xblock/option'


class ContentOlxMixin:
    """`parse_xml` and `add_xml_to_node` for a block whose content is one readable child element.

    Settings are attributes of the block's element; the content field (a dict) is written as
    one child element by `content_to_element` and read back by `element_to_content`, which the
    block's class names (its olx.py writers and readers). Anything else is refused with its line.
    """

    olx_content_field = None  # the Dict field holding the content
    olx_content_tag = None  # its child element
    content_to_element = None  # staticmethod: dict -> element
    element_to_content = None  # staticmethod: element -> dict (raises OlxError)

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, raw in node.items():
            cls._read_setting(block, node, name, raw)
        content = None
        for child in child_elements(node):
            if etree.QName(child).namespace == XBLOCK_OPTION_NAMESPACE:  # a field written as an element
                cls._set_field_if_present(block, etree.QName(child).localname, child.text, child.attrib)
            elif child.tag == cls.olx_content_tag and content is None:
                content = child
            elif child.tag == cls.olx_content_tag:
                raise OlxError(DUPLICATE_ELEMENT, child.sourceline, parent=node.tag, tag=cls.olx_content_tag)
            else:
                raise OlxError(UNKNOWN_ELEMENT, child.sourceline, tag=child.tag, parent=node.tag)
            no_text(node, child.tail)
        no_text(node, node.text)
        if content is not None:
            setattr(block, cls.olx_content_field, cls.element_to_content(content))
        return block

    @classmethod
    def _read_setting(cls, block, element, name, raw):
        """Set a content or settings field from its serialized form; ignore the runtime's own."""
        if name in ROOT_IGNORED_ATTRIBUTES:
            return
        if name == cls.olx_content_field:
            raise OlxError(SETTING_IN_ATTRIBUTE, element.sourceline, field=name, tag=cls.olx_content_tag)
        field = block.fields.get(name)
        if field is None or field.scope not in (Scope.settings, Scope.content) or name in ('parent', 'children'):
            log.warning('%s has no field %r; the OLX attribute is ignored', type(block).__name__, name)
            return
        try:
            setattr(block, name, field.from_string(raw))
        except (ValueError, TypeError, yaml.YAMLError) as error:
            raise OlxError(BAD_SETTING, element.sourceline, name=name, value=raw) from error

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        node.set('xblock-family', self.entry_point)
        for name, field in self.fields.items():
            if name in ('parent', 'children', 'content', self.olx_content_field):
                continue
            if field.scope in (Scope.settings, Scope.content) and (field.is_set_on(self) or field.force_export):
                self._add_field(node, name, field)
        node.append(self.content_to_element(getattr(self, self.olx_content_field)))
