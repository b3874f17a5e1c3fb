"""The content of a pre/post assessment: an item bank read from and written to its JSON form.

The JSON form is specified in docs/assessment-format.md. `Bank.from_dict` checks the *shape*
(types, required keys, allowed values) and raises BankFormatError naming the item and option
at fault; `validate` reports every *content* problem at once (duplicate ids, wrong number of
correct options, unknown competency codes, missing Indonesian text…) with a code and params,
so Studio can list them in the author's language. `load_bank` does both and refuses a bank
with errors.

Round trip: `Bank.from_dict(d).to_dict() == d` for every canonical `d`. Canonical means:
optional texts (`instructions`, option `feedback`, item `explanation`) that are absent stay
absent; `difficulty` and `points` of graded items, option `correct` flags, the `scoring`
rule of `multiple` items and the `reverse` flag of `likert` items are always written, with
their defaults filled in.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ..core.competencies import is_valid_code
from ..core.i18n import N_
from ..core import json_shape as shape
from ..core.json_shape import ContentFormatError as BankFormatError
from ..core.localized import LocalizedText

FORMAT_VERSION = 1
SINGLE, MULTIPLE, LIKERT = 'single', 'multiple', 'likert'
ITEM_TYPES = (SINGLE, MULTIPLE, LIKERT)
GRADED_TYPES = (SINGLE, MULTIPLE)
ALL_OR_NOTHING, PER_OPTION, RIGHT_MINUS_WRONG = 'all_or_nothing', 'per_option', 'right_minus_wrong'
SCORING_RULES = (ALL_OR_NOTHING, PER_OPTION, RIGHT_MINUS_WRONG)
#: Difficulty labels as authors write them, with their English names.
DIFFICULTIES = {'mudah': 'easy', 'sedang': 'medium', 'sulit': 'hard'}
DEFAULT_DIFFICULTY = 'sedang'
MIN_OPTIONS, MAX_OPTIONS = 2, 8
FEW_ITEMS_PER_COMPETENCY = 3
ITEM_ID = re.compile(r'[A-Za-z0-9_.-]{1,64}')  # ids travel in summaries, CSV and JSON keys

_GRADED_ONLY = ('options', 'points', 'scoring', 'difficulty')


@dataclass(frozen=True)
class Option:
    """One answer of a graded item. `correct` and `feedback` never reach the browser before release."""

    id: str
    text: LocalizedText
    correct: bool = False
    feedback: LocalizedText | None = None

    @classmethod
    def from_dict(cls, data, item_id) -> Option:
        option_id = data.get('id') if isinstance(data, dict) else None
        where = f'item {item_id!r} option {option_id!r}'
        shape.keys(data, where, ('id', 'text'), ('correct', 'feedback'))
        return cls(id=shape.string(option_id, where, 'id'), text=LocalizedText.read(data['text'], where, 'text'),
                   correct=shape.boolean(data.get('correct', False), where, 'correct'),
                   feedback=shape.optional(data, 'feedback', LocalizedText.read, where))

    def to_dict(self) -> dict:
        out = {'id': self.id, 'text': self.text.to_dict(), 'correct': self.correct}
        shape.put(out, 'feedback', self.feedback and self.feedback.to_dict())
        return out


@dataclass(frozen=True)
class Scale:
    """A Likert scale: whole numbers `minimum`..`maximum`, one label per point, low to high."""

    minimum: int
    maximum: int
    labels: tuple[LocalizedText, ...]

    @classmethod
    def from_dict(cls, data, where: str) -> Scale:
        at = f'{where} scale'
        shape.keys(data, at, ('min', 'max', 'labels'))
        return cls(shape.integer(data['min'], at, 'min'), shape.integer(data['max'], at, 'max'),
                   tuple(LocalizedText.read(label, f'{at} label {index + 1}', 'text')
                         for index, label in enumerate(shape.array(data['labels'], at, 'labels'))))

    @property
    def values(self) -> range:
        return range(self.minimum, self.maximum + 1)

    def to_dict(self) -> dict:
        return {'min': self.minimum, 'max': self.maximum, 'labels': [label.to_dict() for label in self.labels]}


@dataclass(frozen=True)
class Item:
    """A question of the bank: graded (`single`, `multiple`) or a Likert self-assessment (ungraded)."""

    id: str
    type: str
    stem: LocalizedText
    competencies: tuple[str, ...]
    options: tuple[Option, ...] = ()
    difficulty: str | None = DEFAULT_DIFFICULTY
    points: int | float = 1
    scoring: str | None = None
    scale: Scale | None = None
    reverse: bool = False
    explanation: LocalizedText | None = None

    @property
    def graded(self) -> bool:
        return self.type in GRADED_TYPES

    @cached_property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    @classmethod
    def from_dict(cls, data) -> Item:
        item_id = data.get('id') if isinstance(data, dict) else None
        where = f'item {item_id!r}'
        shape.keys(data, where, ('id', 'type'), tuple(data) if isinstance(data, dict) else ())
        shape.string(item_id, where, 'id')
        kind = data['type']
        if kind not in ITEM_TYPES:
            shape.fail(where, f"'type' must be one of {', '.join(ITEM_TYPES)}")
        if kind == LIKERT:
            if any(key in data for key in _GRADED_ONLY):
                shape.fail(where, "a likert item is ungraded: it has a 'scale' and no 'options' with "
                                  "'correct' flags, no 'points', 'scoring' or 'difficulty'")
            shape.keys(data, where, ('id', 'type', 'stem', 'competencies', 'scale'), ('reverse', 'explanation'))
        else:
            shape.keys(data, where, ('id', 'type', 'stem', 'competencies', 'options'),
                       ('difficulty', 'points', 'explanation') + (('scoring',) if kind == MULTIPLE else ()))
        common = dict(id=item_id, type=kind, stem=LocalizedText.read(data['stem'], where, 'stem'),
                      competencies=_codes(data['competencies'], where),
                      explanation=shape.optional(data, 'explanation', LocalizedText.read, where))
        if kind == LIKERT:
            return cls(**common, difficulty=None, points=0, scale=Scale.from_dict(data['scale'], where),
                       reverse=shape.boolean(data.get('reverse', False), where, 'reverse'))
        difficulty = data.get('difficulty', DEFAULT_DIFFICULTY)
        if difficulty not in DIFFICULTIES:
            shape.fail(where, f"'difficulty' must be one of {', '.join(DIFFICULTIES)}")
        scoring = data.get('scoring', ALL_OR_NOTHING) if kind == MULTIPLE else None
        if kind == MULTIPLE and scoring not in SCORING_RULES:
            shape.fail(where, f"'scoring' must be one of {', '.join(SCORING_RULES)}")
        return cls(**common, difficulty=difficulty, scoring=scoring,
                   points=shape.number(data.get('points', 1), where, 'points'),
                   options=tuple(Option.from_dict(option, item_id)
                                 for option in shape.array(data['options'], where, 'options')))

    def to_dict(self) -> dict:
        out = {'id': self.id, 'type': self.type, 'stem': self.stem.to_dict(), 'competencies': list(self.competencies)}
        if self.type == LIKERT:
            out.update(scale=self.scale.to_dict(), reverse=self.reverse)
        else:
            out.update(difficulty=self.difficulty, points=self.points)
            shape.put(out, 'scoring', self.scoring)
            out['options'] = [option.to_dict() for option in self.options]
        shape.put(out, 'explanation', self.explanation and self.explanation.to_dict())
        return out


def _codes(value, where: str) -> tuple[str, ...]:
    codes = shape.array(value, where, 'competencies')
    for code in codes:
        shape.string(code, where, 'competencies')
    return tuple(codes)


@dataclass(frozen=True)
class Bank:
    """A whole item bank. Ids may repeat here; `validate` reports that."""

    id: str
    title: LocalizedText
    items: tuple[Item, ...]
    instructions: LocalizedText | None = None

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        """Lookup by id; with duplicate ids the first item wins."""
        found = {}
        for item in self.items:
            found.setdefault(item.id, item)
        return found

    def item(self, item_id: str) -> Item | None:
        return self.items_by_id.get(item_id)

    @property
    def competencies(self) -> tuple[str, ...]:
        """Every competency code the items carry, in order of first appearance."""
        return tuple(dict.fromkeys(code for item in self.items for code in item.competencies))

    @classmethod
    def from_dict(cls, data) -> Bank:
        shape.keys(data, 'bank', ('format', 'id', 'title', 'items'), ('instructions',))
        if data['format'] != FORMAT_VERSION:
            shape.fail('bank', f"'format' must be {FORMAT_VERSION}, got {data['format']!r}")
        return cls(id=shape.string(data['id'], 'bank', 'id'), title=LocalizedText.read(data['title'], 'bank', 'title'),
                   instructions=shape.optional(data, 'instructions', LocalizedText.read, 'bank'),
                   items=tuple(Item.from_dict(item) for item in shape.array(data['items'], 'bank', 'items')))

    def to_dict(self) -> dict:
        out = {'format': FORMAT_VERSION, 'id': self.id, 'title': self.title.to_dict()}
        shape.put(out, 'instructions', self.instructions and self.instructions.to_dict())
        out['items'] = [item.to_dict() for item in self.items]
        return out


# --- validation ---------------------------------------------------------------------------
MESSAGES = {
    'no_items': N_('The item bank has no items.'),
    'no_graded_items': N_('The item bank has only self-assessment items: nothing is scored.'),
    'duplicate_item_id': N_('The item id "{item_id}" is used more than once.'),
    'bad_item_id': N_('The item id "{item_id}" may only use letters, digits, ".", "_" and "-" (at most 64).'),
    'duplicate_option_id': N_('Item "{item_id}": the option id "{option_id}" is used more than once.'),
    'missing_indonesian': N_('Item "{item_id}": the {field} has no Indonesian (id) text.'),
    'option_missing_indonesian': N_('Item "{item_id}" option "{option_id}": the {field} has no Indonesian (id) '
                                    'text.'),
    'bank_missing_indonesian': N_('The bank {field} has no Indonesian (id) text.'),
    'too_few_options': N_('Item "{item_id}" has {count} options; give at least {minimum}.'),
    'too_many_options': N_('Item "{item_id}" has {count} options; give at most {maximum}.'),
    'single_correct_count': N_('Item "{item_id}" is single choice but has {count} correct options; mark exactly one.'),
    'multiple_no_correct': N_('Item "{item_id}" is multiple response but no option is marked correct.'),
    'no_competency': N_('Item "{item_id}" has no competency tag.'),
    'duplicate_competency': N_('Item "{item_id}" is tagged "{code}" more than once.'),
    'unknown_competency': N_('Item "{item_id}": "{code}" is not a competency code (use M.01–M.08, SK.01 or T.NAME).'),
    'points_not_positive': N_('Item "{item_id}" gives {points} points; points must be positive.'),
    'scale_size': N_('Item "{item_id}": the scale {minimum}–{maximum} must have between {low} and {high} points.'),
    'scale_labels': N_('Item "{item_id}": the scale has {expected} points but {count} labels.'),
    'few_items': N_('Only {count} graded item(s) measure {code}; its sub-score will be unreliable.'),
}


@dataclass(frozen=True)
class Problem:
    severity: str  # 'error' | 'warning'
    code: str
    item_id: str | None = None
    option_id: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message; translate MESSAGES[code] first, then format it the same way."""
        return MESSAGES[self.code].format(item_id=self.item_id, option_id=self.option_id, **self.params)


def _error(code, item_id=None, option_id=None, /, **params) -> Problem:
    return Problem('error', code, item_id, option_id, params)


def validate(bank: Bank) -> tuple[Problem, ...]:
    """Every problem of the bank's content, errors and warnings, in bank order."""
    problems = [_error('bank_missing_indonesian', field=name) for name, text in
                (('title', bank.title), ('instructions', bank.instructions)) if text and not text.indonesian.strip()]
    if not bank.items:
        return (*problems, _error('no_items'))
    counts = Counter(item.id for item in bank.items)
    problems += [_error('duplicate_item_id', item_id) for item_id, n in counts.items() if n > 1]
    problems += [_error('bad_item_id', item.id) for item in bank.items if not ITEM_ID.fullmatch(item.id)]
    for item in bank.items:
        problems += _item_problems(item)
    graded = [item for item in bank.items if item.graded]
    if not graded:
        problems.append(Problem('warning', 'no_graded_items'))
    per_code = Counter(code for item in graded for code in set(item.competencies))
    problems += [Problem('warning', 'few_items', params={'code': code, 'count': n})
                 for code, n in per_code.items() if n < FEW_ITEMS_PER_COMPETENCY]
    return tuple(problems)


def _item_problems(item: Item) -> list[Problem]:
    problems = _text_problems(item)
    if not item.competencies:
        problems.append(_error('no_competency', item.id))
    problems += [_error('unknown_competency', item.id, code=code) for code in item.competencies
                 if not is_valid_code(code)]
    problems += [_error('duplicate_competency', item.id, code=code)
                 for code, n in Counter(item.competencies).items() if n > 1]
    if item.type == LIKERT:
        size = item.scale.maximum - item.scale.minimum + 1
        if not MIN_OPTIONS <= size <= MAX_OPTIONS:
            problems.append(_error('scale_size', item.id, minimum=item.scale.minimum, maximum=item.scale.maximum,
                                   low=MIN_OPTIONS, high=MAX_OPTIONS))
        elif len(item.scale.labels) != size:
            problems.append(_error('scale_labels', item.id, expected=size, count=len(item.scale.labels)))
        return problems
    if item.points <= 0:
        problems.append(_error('points_not_positive', item.id, points=item.points))
    count = len(item.options)
    if count < MIN_OPTIONS:
        problems.append(_error('too_few_options', item.id, count=count, minimum=MIN_OPTIONS))
    if count > MAX_OPTIONS:
        problems.append(_error('too_many_options', item.id, count=count, maximum=MAX_OPTIONS))
    problems += [_error('duplicate_option_id', item.id, option_id) for option_id, n in
                 Counter(option.id for option in item.options).items() if n > 1]
    correct = sum(option.correct for option in item.options)
    if item.type == SINGLE and correct != 1:
        problems.append(_error('single_correct_count', item.id, count=correct))
    if item.type == MULTIPLE and correct == 0:
        problems.append(_error('multiple_no_correct', item.id))
    return problems


def _text_problems(item: Item) -> list[Problem]:
    texts = [('stem', None, item.stem), ('explanation', None, item.explanation)]
    for option in item.options:
        texts += [('option text', option.id, option.text), ('option feedback', option.id, option.feedback)]
    if item.scale:
        texts += [(f'scale label {index + 1}', None, label) for index, label in enumerate(item.scale.labels)]
    return [_error('option_missing_indonesian' if option_id else 'missing_indonesian', item.id, option_id,
                   field=name)
            for name, option_id, text in texts if text is not None and not text.indonesian.strip()]


def load_bank(data) -> Bank:
    """A bank from its JSON form, refused (BankFormatError listing every error) unless it is valid."""
    bank = Bank.from_dict(data)
    errors = [problem.message for problem in validate(bank) if problem.severity == 'error']
    if errors:
        raise BankFormatError('; '.join(errors))
    return bank
