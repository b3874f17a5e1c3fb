"""What an evaluation survey asks and how a learner's answers are checked: pure Python.

One survey content (a dict, the `questions` field) holds every item an author wrote, each in a
group; the block's `survey` setting picks the groups a learner sees (Kirkpatrick, DOMAIN.md §2):

- before (start of the course): readiness and confidence to apply the learning;
- reaction (level 1, end of the course): satisfaction with content, facilitators and each
  training method used, the same readiness and confidence items, an open comment;
- follow-up (level 3, N days after the course ends): application at work, optional numbers the
  learner reports, an open comment.

Readiness and confidence items keep their ids from the before survey to the reaction survey,
which is how their change is measured. Likert answers are whole numbers 1–5.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..core import json_shape as shape
from ..core.errors import TranslatableError
from ..core.i18n import N_
from ..core.localized import LocalizedText

BEFORE, REACTION, FOLLOW_UP = 'before', 'reaction', 'follow_up'
KINDS = {BEFORE: N_('Before the course'), REACTION: N_('Reaction (end of the course)'),
         FOLLOW_UP: N_('Follow-up (after the course)')}

SATISFACTION, METHOD, READINESS, CONFIDENCE, APPLICATION, NUMBER = (
    'satisfaction', 'method', 'readiness', 'confidence', 'application', 'number')
GROUPS = {SATISFACTION: N_('Satisfaction'), METHOD: N_('Training methods'), READINESS: N_('Readiness'),
          CONFIDENCE: N_('Confidence'), APPLICATION: N_('Application at work'),
          NUMBER: N_('Numbers you report')}
AUTHORED_GROUPS = (SATISFACTION, READINESS, CONFIDENCE, APPLICATION, NUMBER)  # method items come from settings
KIND_GROUPS = {BEFORE: (READINESS, CONFIDENCE), REACTION: (SATISFACTION, METHOD, READINESS, CONFIDENCE),
               FOLLOW_UP: (APPLICATION, NUMBER)}
HAS_COMMENT = {BEFORE: False, REACTION: True, FOLLOW_UP: True}

#: The training methods a course can use; the reaction survey asks about each one the author ticks.
METHODS = {'classroom': N_('Classroom sessions'), 'workshop': N_('Workshops'),
           'case_study': N_('Case-study simulation'), 'expert_session': N_('Expert sessions')}
METHOD_PREFIX = 'method-'

LIKERT_MIN, LIKERT_MAX = 1, 5
LIKERT_LABELS = (N_('Strongly disagree'), N_('Disagree'), N_('Neutral'), N_('Agree'), N_('Strongly agree'))
METHOD_STATEMENT = N_('This method helped me learn: {method}')
MAX_ITEMS = 40
MAX_COMMENT = 2000
MAX_NUMBER = 1_000_000
ITEM_ID = re.compile(r'[a-z0-9][a-z0-9_-]{0,39}\Z')


class SurveyFormatError(shape.ContentFormatError):
    """The questions do not have the survey format's shape (the message says where)."""


class AnswerError(TranslatableError):
    """A learner's answers break a rule; the block answers 400 with the message translated."""

    messages = {
        'unknown_item': N_('The question "{item}" is not in this survey.'),
        'missing': N_('Please answer every statement before you send the survey.'),
        'out_of_range': N_('The answer to "{item}" must be from {min} to {max}.'),
        'not_number': N_('The answer to "{item}" must be a number.'),
        'comment_too_long': N_('The comment is too long: at most {max} characters.'),
    }


@dataclass(frozen=True)
class Item:
    """A statement rated 1–5, or (group `number`) an optional number with a unit and a range."""

    id: str
    group: str
    text: LocalizedText
    unit: LocalizedText | None = None
    minimum: float = 0
    maximum: float = MAX_NUMBER

    @property
    def is_number(self) -> bool:
        return self.group == NUMBER

    @classmethod
    def from_dict(cls, data, where) -> Item:
        shape.keys(data, where, ('id', 'group', 'text'), ('unit', 'min', 'max'))
        item_id = shape.string(data['id'], where, 'id')
        if not ITEM_ID.match(item_id) or item_id.startswith(METHOD_PREFIX):
            shape.fail(where, f"'id' must be 1–40 lower-case letters, digits, '-' or '_' "
                              f"and not start with {METHOD_PREFIX!r}")
        group = data['group']
        if group not in AUTHORED_GROUPS:
            shape.fail(where, f"'group' must be one of {', '.join(AUTHORED_GROUPS)}")
        if group != NUMBER and any(key in data for key in ('unit', 'min', 'max')):
            shape.fail(where, "only a 'number' item has 'unit', 'min' or 'max'")
        minimum = shape.optional(data, 'min', shape.number, where)
        maximum = shape.optional(data, 'max', shape.number, where)
        item = cls(item_id, group, LocalizedText.read(data['text'], where, 'text'),
                   shape.optional(data, 'unit', LocalizedText.read, where),
                   0 if minimum is None else minimum, MAX_NUMBER if maximum is None else maximum)
        if not -MAX_NUMBER <= item.minimum < item.maximum <= MAX_NUMBER:
            shape.fail(where, f"'min' must be below 'max', both within ±{MAX_NUMBER}")
        return item

    def to_dict(self) -> dict:
        out = {'id': self.id, 'group': self.group, 'text': self.text.to_dict()}
        if self.is_number:
            shape.put(out, 'unit', self.unit and self.unit.to_dict())
            out['min'], out['max'] = self.minimum, self.maximum
        return out


@dataclass(frozen=True)
class Questions:
    """Every item an author wrote, an optional introduction and the comment prompt."""

    items: tuple[Item, ...]
    intro: LocalizedText | None = None
    comment: LocalizedText | None = None

    @classmethod
    def from_dict(cls, data) -> Questions:
        try:
            shape.keys(data, '', ('items',), ('format', 'intro', 'comment'))
            if data.get('format', 1) != 1:
                shape.fail('', "'format' must be 1")
            values = shape.array(data['items'], '', 'items')
            if len(values) > MAX_ITEMS:
                shape.fail('', f"'items' may hold at most {MAX_ITEMS} entries")
            items = tuple(Item.from_dict(item, f'item {index}') for index, item in enumerate(values, 1))
            ids = [item.id for item in items]
            duplicates = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
            if duplicates:
                shape.fail('', f"duplicate item id(s) {', '.join(duplicates)}")
            return cls(items, shape.optional(data, 'intro', LocalizedText.read, ''),
                       shape.optional(data, 'comment', LocalizedText.read, ''))
        except shape.ContentFormatError as error:
            raise SurveyFormatError(str(error)) from error

    def to_dict(self) -> dict:
        out = {'format': 1, 'items': [item.to_dict() for item in self.items]}
        shape.put(out, 'intro', self.intro and self.intro.to_dict())
        shape.put(out, 'comment', self.comment and self.comment.to_dict())
        return out

    def missing_indonesian(self) -> list[str]:
        """Ids of the items (or 'intro', 'comment') whose required Indonesian text is empty."""
        texts = [(item.id, item.text) for item in self.items] + [
            (item.id, item.unit) for item in self.items if item.unit] + [
            (name, text) for name, text in (('intro', self.intro), ('comment', self.comment)) if text]
        return [name for name, text in texts if not text.has_indonesian()]


def method_item_id(method: str) -> str:
    return METHOD_PREFIX + method


@dataclass(frozen=True)
class Survey:
    """The items one block asks (`kind` picks the groups; `methods` adds one item per method)."""

    kind: str
    items: tuple[Item, ...]
    methods: tuple[str, ...]
    has_comment: bool

    @classmethod
    def of(cls, questions: Questions, kind: str, methods=()) -> Survey:
        groups = KIND_GROUPS[kind]
        chosen = tuple(method for method in METHODS if method in methods) if METHOD in groups else ()
        return cls(kind, tuple(item for item in questions.items if item.group in groups), chosen,
                   HAS_COMMENT[kind] and questions.comment is not None)

    @property
    def likert_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items if not item.is_number) + tuple(
            method_item_id(method) for method in self.methods)

    def check(self, answers: dict, comment: str) -> tuple[dict, str]:
        """(answers as stored {item id: value}, the trimmed comment), or AnswerError.

        Every statement needs a rating 1–5; numbers are optional within their item's range;
        anything the survey does not ask is refused rather than ignored.
        """
        numbers = {item.id: item for item in self.items if item.is_number}
        likert = set(self.likert_ids)
        for item_id in answers:
            if item_id not in likert and item_id not in numbers:
                raise AnswerError('unknown_item', {'item': item_id})
        stored = {}
        for item_id in self.likert_ids:
            value = answers.get(item_id)
            if value is None:
                raise AnswerError('missing')
            if isinstance(value, bool) or not isinstance(value, int):
                raise AnswerError('not_number', {'item': item_id})
            if not LIKERT_MIN <= value <= LIKERT_MAX:
                raise AnswerError('out_of_range', {'item': item_id, 'min': LIKERT_MIN, 'max': LIKERT_MAX})
            stored[item_id] = value
        for item_id, item in numbers.items():
            value = answers.get(item_id)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise AnswerError('not_number', {'item': item_id})
            if not item.minimum <= value <= item.maximum:
                raise AnswerError('out_of_range', {'item': item_id, 'min': f'{item.minimum:g}',
                                                   'max': f'{item.maximum:g}'})
            stored[item_id] = value
        comment = (comment or '').strip() if self.has_comment else ''
        if len(comment) > MAX_COMMENT:
            raise AnswerError('comment_too_long', {'max': MAX_COMMENT})
        return stored, comment
