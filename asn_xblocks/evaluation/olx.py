"""The survey items as readable OLX: the only evaluation module that knows XML.

    <asn_evaluation survey="reaction" methods='["classroom", "case_study"]' …>
      <questions format="1">
        <intro><text lang="id">…</text><text lang="en">…</text></intro>
        <item id="materi" group="satisfaction"><statement><text lang="id">…</text></statement></item>
        <item id="hari-selesai" group="number" min="0" max="60">
          <statement>…</statement><unit><text lang="id">hari kerja</text></unit>
        </item>
        <comment><text lang="id">…</text></comment>
      </questions>
    </asn_evaluation>

Structure is checked here with the line of every mistake; values by the model's own reader,
so JSON and OLX never disagree. Writing the canonical dict and reading it back gives the same dict.
"""
import json

from lxml import etree

from ..core.i18n import N_
from ..core.olx import WRONG_ELEMENT, ContentOlxMixin, OlxError, Schema, element, number, put, write_localized
from .model import Questions, SurveyFormatError

INVALID_CONTENT = N_('invalid survey: {problem}')
SCHEMA = Schema({
    'questions': ((), ('format',), ('intro', 'item', 'comment')),
    'item': (('id', 'group'), ('min', 'max'), ('statement', 'unit')),
}, ('intro', 'statement', 'unit', 'comment'))


def questions_to_element(data: dict):
    """The <questions> element of a survey dict (made canonical first)."""
    try:
        data = Questions.from_dict(data).to_dict()
    except SurveyFormatError as error:
        raise OlxError(INVALID_CONTENT, problem=str(error)) from error
    root = element(None, 'questions', data, ('format',))
    write_localized(root, 'intro', data.get('intro'))
    for item in data['items']:
        node = element(root, 'item', item, ('id', 'group', 'min', 'max'))
        write_localized(node, 'statement', item['text'])
        write_localized(node, 'unit', item.get('unit'))
    write_localized(root, 'comment', data.get('comment'))
    return root


def element_to_questions(root) -> dict:
    """The survey dict of a <questions> element, or OlxError with the line at fault."""
    if root.tag != 'questions':
        raise OlxError(WRONG_ELEMENT, root.sourceline, expected='questions', tag=root.tag)
    children = SCHEMA.checked(root)
    data = put({}, format=number(root, 'format'))
    intro = SCHEMA.one(root, children, 'intro', required=False)
    comment = SCHEMA.one(root, children, 'comment', required=False)
    items = []
    for node in (child for child in children if child.tag == 'item'):
        parts = SCHEMA.checked(node)
        items.append(put({'id': node.get('id'), 'group': node.get('group'),
                          'text': SCHEMA.localized(SCHEMA.one(node, parts, 'statement'))},
                         unit=SCHEMA.localized(SCHEMA.one(node, parts, 'unit', required=False)),
                         min=number(node, 'min'), max=number(node, 'max')))
    put(data, intro=SCHEMA.localized(intro), comment=SCHEMA.localized(comment))
    data['items'] = items
    try:
        return Questions.from_dict(data).to_dict()
    except SurveyFormatError as error:
        raise OlxError(INVALID_CONTENT, root.sourceline, problem=str(error)) from error


def block_element(tag, settings: dict, questions: dict):
    """An <asn_evaluation>-like element with `settings` as attributes (lists as JSON) and its questions."""
    node = etree.Element(tag, {name: json.dumps(value) if isinstance(value, list) else str(value)
                               for name, value in settings.items()})
    node.append(questions_to_element(questions))
    return node


class EvaluationOlxMixin(ContentOlxMixin):
    """Settings as attributes of <asn_evaluation>, the survey items as a readable <questions> child."""

    olx_content_field = 'questions'
    olx_content_tag = 'questions'
    content_to_element = staticmethod(questions_to_element)
    element_to_content = staticmethod(element_to_questions)

