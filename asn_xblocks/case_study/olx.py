"""The case study as readable OLX: the only module that knows XML.

A scenario is written as child elements of <asn_case_study>, one element per variable, node,
choice and text, so that a course export reads well and diffs line by line:

    <asn_case_study display_name="…" weight="1.0">
      <scenario format="1" id="…" start="n1" feedback_mode="immediate" allow_undo="true" allow_restart="true">
        <title><text lang="id">…</text><text lang="en">…</text></title>
        <variable name="terlambat" kind="flag" initial="false"/>
        <situation id="n1" time_limit="120">
          <title>…</title>
          <text lang="id">…</text>              (directly under a node: the node's text)
          <variant when="…"><text lang="id">…</text></variant>
          <image url="https://…"><alt>…</alt></image>
          <video url="https://…"><title>…</title></video>
          <timeout target="n2" points="0"><feedback>…</feedback></timeout>
          <choice id="a" target="n2" points="10" when="…" effects="…">
            <label>…</label><feedback>…</feedback><competency code="M.05" points="10" level="1"/>
          </choice>
        </situation>
        <event id="e1"><title>…</title><text lang="id">…</text><outcome target="n5" weight="3"/></event>
        <route id="r1"><when test="score &gt;= 85" target="end-good"/><otherwise target="end-poor"/></route>
        <ending id="end-good" rating="good"><title>…</title><text lang="id">…</text></ending>
      </scenario>
    </asn_case_study>

A localized text is a list of <text lang="…"> elements; a hand-written `<title>Judul</title>`
with no <text> inside is read as the Indonesian text. Numbers keep their type (10 stays 10,
2.5 stays 2.5). Reading checks the structure here, with the line of every mistake, and the
values through the model's own readers, so the two never disagree. The safe parser, OlxError
and the localized-text readers and writers are shared with the other blocks (core/olx.py).
"""
from lxml import etree

from ..core.i18n import N_
from ..core.olx import (  # noqa: F401 - OlxError, LINE, BAD_NUMBER… are part of this module's API
    BAD_BOOLEAN, BAD_INTEGER, BAD_LANGUAGE, BAD_NUMBER, DUPLICATE_ELEMENT, DUPLICATE_LANGUAGE, LINE,
    MISSING_ATTRIBUTE, MISSING_ELEMENT, NO_DOCTYPE, NO_ENTITY, NOT_WELL_FORMED, UNEXPECTED_TEXT,
    UNKNOWN_ATTRIBUTE, UNKNOWN_ELEMENT, WRONG_ELEMENT, ContentOlxMixin, OlxError, Schema, olx_string,
    parse_olx_string, safe_parser,
)
from ..core.olx import boolean as _boolean, element as _element
from ..core.olx import integer as _integer, number as _number, put as _put
from ..core.olx import write_localized as _write_localized, write_texts as _write_texts
from .model import CompetencyPoints, Choice, Scenario, ScenarioFormatError, Variable, node_from_dict

UNKNOWN_KIND = N_('unknown variable kind "{value}" (use flag or counter)')
INVALID_CONTENT = N_('invalid scenario: {problem}')
NOT_XML_TEXT = N_('the scenario contains a character that XML cannot hold')

LOCALIZED = ('title', 'introduction', 'label', 'feedback', 'alt')
NODE_TAGS = ('situation', 'event', 'route', 'ending')

# tag: (required attributes, optional attributes, child elements)
SPEC = {
    'scenario': (('id', 'start'), ('format', 'feedback_mode', 'allow_undo', 'allow_restart'),
                 ('title', 'introduction', 'variable') + NODE_TAGS),
    'variable': (('name', 'kind'), ('initial', 'min', 'max'), ()),
    'situation': (('id',), ('time_limit',),
                  ('title', 'text', 'variant', 'image', 'video', 'timeout', 'choice')),
    'variant': (('when',), (), ('text',)),
    'image': (('url',), (), ('alt',)),
    'video': (('url',), (), ('title',)),
    'timeout': (('target',), ('points',), ('feedback',)),
    'choice': (('id', 'target'), ('points', 'when', 'effects'), ('label', 'feedback', 'competency')),
    'competency': (('code', 'points'), ('level',), ()),
    'event': (('id',), (), ('title', 'text', 'outcome')),
    'outcome': (('target', 'weight'), (), ()),
    'route': (('id',), (), ('when', 'otherwise')),
    'when': (('test', 'target'), (), ()),
    'otherwise': (('target',), (), ()),
    'ending': (('id', 'rating'), (), ('title', 'text')),
}
SCHEMA = Schema(SPEC, LOCALIZED)
_checked, _leaf, _one, _localized, _texts = SCHEMA.checked, SCHEMA.leaf, SCHEMA.one, SCHEMA.localized, SCHEMA.texts


# --- writing ------------------------------------------------------------------------------
def scenario_to_element(data: dict):
    """The <scenario> element for a scenario dict (checked and made canonical first)."""
    try:
        data = Scenario.from_dict(data).to_dict()
    except ScenarioFormatError as error:
        raise OlxError(INVALID_CONTENT, problem=str(error)) from error
    try:
        root = _element(None, 'scenario', data, ('format', 'id', 'start', 'feedback_mode', 'allow_undo',
                                                 'allow_restart'))
        _write_localized(root, 'title', data['title'])
        _write_localized(root, 'introduction', data.get('introduction'))
        for variable in data['variables']:
            _element(root, 'variable', variable, ('name', 'kind', 'initial', 'min', 'max'))
        for node in data['nodes']:
            _NODE_WRITERS[node['kind']](root, node)
    except ValueError as error:  # lxml refuses control characters and lone surrogates
        raise OlxError(NOT_XML_TEXT) from error
    return root


def _write_titled(parent, tag, node, attributes):
    element = _element(parent, tag, node, attributes)
    _write_localized(element, 'title', node['title'])
    _write_texts(element, node['text'])
    return element


def _write_situation(parent, node):
    element = _write_titled(parent, 'situation', node, ('id', 'time_limit'))
    for variant in node.get('variants', ()):
        _write_texts(_element(element, 'variant', variant, ('when',)), variant['text'])
    if 'image' in node:
        _write_localized(_element(element, 'image', node['image'], ('url',)), 'alt', node['image']['alt'])
    if 'video' in node:
        _write_localized(_element(element, 'video', node['video'], ('url',)), 'title', node['video']['title'])
    if 'timeout' in node:
        timeout = _element(element, 'timeout', node['timeout'], ('target', 'points'))
        _write_localized(timeout, 'feedback', node['timeout'].get('feedback'))
    for choice in node['choices']:
        child = _element(element, 'choice', choice, ('id', 'target', 'points', 'when', 'effects'))
        _write_localized(child, 'label', choice['label'])
        _write_localized(child, 'feedback', choice.get('feedback'))
        for competency in choice.get('competencies', ()):
            _element(child, 'competency', competency, ('code', 'points', 'level'))


def _write_event(parent, node):
    element = _write_titled(parent, 'event', node, ('id',))
    for outcome in node['outcomes']:
        _element(element, 'outcome', outcome, ('target', 'weight'))


def _write_route(parent, node):
    element = _element(parent, 'route', node, ('id',))
    for rule in node['routes']:
        if 'when' in rule:
            _element(element, 'when', {'test': rule['when'], 'target': rule['target']}, ('test', 'target'))
        else:
            _element(element, 'otherwise', rule, ('target',))


def _write_ending(parent, node):
    _write_titled(parent, 'ending', node, ('id', 'rating'))


_NODE_WRITERS = {'situation': _write_situation, 'event': _write_event, 'route': _write_route,
                 'ending': _write_ending}


# --- reading ------------------------------------------------------------------------------
def element_to_scenario(element) -> dict:
    """The canonical scenario dict of a <scenario> element; OlxError names the line at fault."""
    if element.tag != 'scenario':
        raise OlxError(WRONG_ELEMENT, element.sourceline, expected='scenario', tag=element.tag)
    children = _checked(element)
    data = _put({}, format=_integer(element, 'format', 1), id=element.get('id'),
                title=_localized(_one(element, children, 'title')),
                introduction=_localized(_one(element, children, 'introduction', required=False)),
                start=element.get('start'), feedback_mode=element.get('feedback_mode'),
                allow_undo=_boolean(element, 'allow_undo'), allow_restart=_boolean(element, 'allow_restart'))
    data['variables'] = [_read_variable(child) for child in children if child.tag == 'variable']
    data['nodes'] = [_read_node(child) for child in children if child.tag in NODE_TAGS]
    return _validated(element, Scenario.from_dict, data).to_dict()


def _read_variable(element):
    _checked(element)
    kind = element.get('kind')
    if kind not in ('flag', 'counter'):
        raise OlxError(UNKNOWN_KIND, element.sourceline, value=kind)
    initial = _boolean(element, 'initial') if kind == 'flag' else _integer(element, 'initial')
    data = _put({'name': element.get('name'), 'kind': kind}, initial=initial,
                min=_integer(element, 'min'), max=_integer(element, 'max'))
    return _validated(element, Variable.from_dict, data).to_dict()


def _read_node(element):
    children = _checked(element)
    node = {'id': element.get('id'), 'kind': element.tag}
    if element.tag != 'route':
        node.update(title=_localized(_one(element, children, 'title')), text=_texts(element, children))
    if element.tag == 'situation':
        _read_situation(element, children, node)
    elif element.tag == 'event':
        node['outcomes'] = [{'target': _leaf(child).get('target'), 'weight': _number(child, 'weight')}
                            for child in children if child.tag == 'outcome']
    elif element.tag == 'route':
        node['routes'] = [_put({'target': _leaf(child).get('target')}, when=child.get('test'))
                          for child in children]
    else:
        node['rating'] = element.get('rating')
    _validated(element, node_from_dict, node)
    return node


def _read_situation(element, children, node):
    image = _one(element, children, 'image', required=False)
    if image is not None:
        image = {'url': image.get('url'), 'alt': _localized(_one(image, _checked(image), 'alt'))}
    video = _one(element, children, 'video', required=False)
    if video is not None:
        video = {'url': video.get('url'), 'title': _localized(_one(video, _checked(video), 'title'))}
    timeout = _one(element, children, 'timeout', required=False)
    if timeout is not None:
        timeout = _points_and_feedback({'target': timeout.get('target')}, timeout, _checked(timeout))
    _put(node, variants=[{'when': child.get('when'), 'text': _texts(child, _checked(child))}
                         for child in children if child.tag == 'variant'],
         image=image, video=video, time_limit=_number(element, 'time_limit'), timeout=timeout)
    node['choices'] = [_read_choice(child, node['id']) for child in children if child.tag == 'choice']


def _points_and_feedback(data, element, children):
    return _put(data, points=_number(element, 'points'),
                feedback=_localized(_one(element, children, 'feedback', required=False)))


def _read_choice(element, node_id):
    children = _checked(element)
    data = {'id': element.get('id'), 'label': _localized(_one(element, children, 'label')),
            'target': element.get('target')}
    _points_and_feedback(data, element, children)
    _put(data, competencies=[_read_competency(child) for child in children if child.tag == 'competency'],
         when=element.get('when'), effects=element.get('effects'))
    return _validated(element, Choice.from_dict, data, node_id).to_dict()


def _read_competency(element):
    _checked(element)
    data = _put({'code': element.get('code'), 'points': _number(element, 'points')},
                level=_integer(element, 'level'))
    return _validated(element, CompetencyPoints.from_dict, data, 'competency').to_dict()


def _validated(element, read, *args):
    """Run a model reader; its complaint becomes an OlxError at this element's line."""
    try:
        return read(*args)
    except ScenarioFormatError as error:
        raise OlxError(INVALID_CONTENT, element.sourceline, problem=str(error)) from error


def workbench_olx(data: dict, display_name) -> str:
    """The OLX of a workbench page showing one case study."""
    root = etree.Element('asn_case_study', display_name=display_name)
    root.append(scenario_to_element(data))
    return olx_string(root)


# --- the XBlock hooks ---------------------------------------------------------------------
class CaseStudyOlxMixin(ContentOlxMixin):
    """Settings as attributes of <asn_case_study>, the scenario as a readable <scenario> child."""

    olx_content_field = 'scenario'
    olx_content_tag = 'scenario'
    content_to_element = staticmethod(scenario_to_element)
    element_to_content = staticmethod(element_to_scenario)
