"""The condition and effect mini-language of a scenario (see docs/scenario-format.md).

Authors write `documents_checked and citizen_patience <= 1` or `citizen_patience -= 1;
escalated = true`. Both are parsed by a tiny hand-written reader, never by `eval()`: the text
comes from course authors and imported files, and a scenario must not be able to run code.

Evaluation is three-valued on purpose: the content analysis explores the graph without
knowing the running `score`, so a clause on `score` may be *unknown* (`None`) there. During
play the score is always known and the answer is a plain bool.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

#: The built-in counter: the points earned so far. Readable in conditions, never assignable.
SCORE = 'score'
KEYWORDS = frozenset({'and', 'not', 'true', 'false'})
COMPARISONS = {
    '==': operator.eq, '!=': operator.ne, '<': operator.lt,
    '<=': operator.le, '>': operator.gt, '>=': operator.ge,
}
ASSIGNMENTS = ('=', '+=', '-=')

_TOKEN = re.compile(r'\s*(?:(?P<op>==|!=|<=|>=|\+=|-=|<|>|=)|(?P<int>-?[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*))')
_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*\Z')


class ConditionError(ValueError):
    """A condition or effect that cannot be read or applied; the message quotes the text."""

    def __init__(self, message: str, text: str):
        super().__init__(message)
        self.text = text


@dataclass(frozen=True)
class Clause:
    """One test: `name` (truthy), `not name`, or `name OP integer`."""

    name: str
    op: str  # 'is' | 'not' | one of COMPARISONS
    value: int = 0

    def to_text(self) -> str:
        if self.op == 'is':
            return self.name
        if self.op == 'not':
            return f'not {self.name}'
        return f'{self.name} {self.op} {self.value}'


@dataclass(frozen=True)
class Condition:
    """Clauses that must all hold."""

    clauses: tuple[Clause, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.clauses)

    def to_text(self) -> str:
        return ' and '.join(c.to_text() for c in self.clauses)


@dataclass(frozen=True)
class Effect:
    """One statement: `name = true|false|integer`, `name += integer` or `name -= integer`."""

    name: str
    op: str  # one of ASSIGNMENTS
    value: int | bool

    def to_text(self) -> str:
        value = ('true' if self.value else 'false') if isinstance(self.value, bool) else self.value
        return f'{self.name} {self.op} {value}'


def _tokens(text: str, whole: str) -> list[tuple[str, str]]:
    """Split `text` into (kind, token) pairs; anything unreadable is quoted in the error."""
    tokens, pos = [], 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if not match or match.end() == pos:
            bad = stripped[pos:].strip()
            raise ConditionError(f'Cannot read {bad!r} in {whole!r}.', whole)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _name(token: tuple[str, str], whole: str) -> str:
    kind, value = token
    if kind != 'name' or value in KEYWORDS:
        raise ConditionError(f'Expected a variable name but found {value!r} in {whole!r}.', whole)
    return value


def _integer(token: tuple[str, str], after: str, whole: str) -> int:
    kind, value = token
    if kind != 'int':
        raise ConditionError(f'Expected an integer after {after!r} but found {value!r} in {whole!r}.', whole)
    return int(value)


def _clause(tokens: list[tuple[str, str]], whole: str) -> Clause:
    if not tokens:
        raise ConditionError(f'A clause is empty in {whole!r}.', whole)
    if tokens[0] == ('name', 'not'):
        if len(tokens) != 2:
            raise ConditionError(f"'not' must be followed by exactly one variable name in {whole!r}.", whole)
        return Clause(_name(tokens[1], whole), 'not')
    name = _name(tokens[0], whole)
    if len(tokens) == 1:
        return Clause(name, 'is')
    op_kind, op = tokens[1]
    if op_kind != 'op' or op not in COMPARISONS or len(tokens) != 3:
        found = ' '.join(t for _, t in tokens)
        raise ConditionError(f'Cannot read the clause {found!r} in {whole!r}: '
                             f'expected name, not name, or name OP integer.', whole)
    return Clause(name, op, _integer(tokens[2], op, whole))


@lru_cache(maxsize=1024)
def parse_condition(text: str) -> Condition:
    """Read a `when` text. Raises ConditionError quoting the offending part."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError('A condition must not be empty.', str(text))
    clauses, current = [], []
    for token in _tokens(text, text):
        if token == ('name', 'and'):
            clauses.append(_clause(current, text))
            current = []
        else:
            current.append(token)
    clauses.append(_clause(current, text))
    return Condition(tuple(clauses))


def _statement(text: str, whole: str) -> Effect:
    tokens = _tokens(text, whole)
    if len(tokens) != 3 or tokens[1][0] != 'op' or tokens[1][1] not in ASSIGNMENTS:
        raise ConditionError(f'Cannot read the effect {text.strip()!r} in {whole!r}: expected '
                             f'name = true|false|integer, name += integer or name -= integer.', whole)
    name, op, (kind, raw) = _name(tokens[0], whole), tokens[1][1], tokens[2]
    if name == SCORE:
        raise ConditionError(f"'score' is computed from the points and cannot be changed, in {whole!r}.", whole)
    if op == '=' and kind == 'name' and raw in ('true', 'false'):
        return Effect(name, op, raw == 'true')
    return Effect(name, op, _integer(tokens[2], op, whole))


@lru_cache(maxsize=1024)
def parse_effects(text: str) -> tuple[Effect, ...]:
    """Read an `effects` text: statements separated by `;` (a trailing `;` is allowed)."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError('Effects must not be empty.', str(text))
    parts = text.split(';')
    if not parts[-1].strip():
        parts.pop()
    return tuple(_statement(part, text) for part in parts)


def _clause_holds(clause: Clause, values, score, condition: Condition) -> bool | None:
    if clause.name == SCORE:
        if score is None:
            return None
        value = score
    elif clause.name in values:
        value = values[clause.name]
    else:
        text = condition.to_text()
        raise ConditionError(f'Unknown variable {clause.name!r} in {text!r}.', text)
    if clause.op == 'is':
        return bool(value)
    if clause.op == 'not':
        return not value
    return COMPARISONS[clause.op](value, clause.value)


def holds(condition: Condition, values: Mapping[str, int | bool], score: float | None) -> bool | None:
    """True/False, or None when the answer depends on an unknown (`None`) score."""
    answers = [_clause_holds(c, values, score, condition) for c in condition.clauses]
    if False in answers:
        return False
    return None if None in answers else True


def when_holds(when: str | None, values: Mapping[str, int | bool], score: float | None) -> bool | None:
    """`holds` for an optional `when` text: no condition always holds."""
    return True if when is None else holds(parse_condition(when), values, score)


def effect_type_error(effect: Effect, kind: str) -> str | None:
    """Why `effect` cannot apply to a variable of `kind` ('flag'|'counter'), or None if it can."""
    if kind == 'flag' and (effect.op != '=' or not isinstance(effect.value, bool)):
        return f'{effect.to_text()!r}: a flag can only be set to true or false'
    if kind == 'counter' and isinstance(effect.value, bool):
        return f'{effect.to_text()!r}: a counter takes integers, not true/false'
    return None


def apply_effects(effects: tuple[Effect, ...], values: Mapping[str, int | bool],
                  variables: Mapping) -> dict[str, int | bool]:
    """New variable values after `effects`; counters clamped to their bounds.

    `variables` maps a name to its declaration (anything with kind/minimum/maximum).
    """
    result = dict(values)
    for effect in effects:
        declared = variables.get(effect.name)
        if declared is None:
            raise ConditionError(f'Unknown variable {effect.name!r} in {effect.to_text()!r}.', effect.to_text())
        problem = effect_type_error(effect, declared.kind)
        if problem:
            raise ConditionError(problem, effect.to_text())
        if declared.kind == 'flag':
            result[effect.name] = effect.value
            continue
        current = result[effect.name]
        new = {'=': effect.value, '+=': current + effect.value, '-=': current - effect.value}[effect.op]
        result[effect.name] = min(declared.maximum, max(declared.minimum, new))
    return result


def is_name(text: str) -> bool:
    """Whether `text` can name a variable (an identifier that is not a keyword)."""
    return isinstance(text, str) and bool(_NAME.match(text)) and text not in KEYWORDS


# --- the compiled form the content analysis walks with ------------------------------------

CLAUSE_TESTS = {'is': lambda value, _: bool(value), 'not': lambda value, _: not value, **COMPARISONS}


class Layout:
    """Variables packed into one int, so the analysis can hash, test and update play states
    with a few integer operations: each variable is a bit field holding `value - minimum`
    (a flag is one bit). `declared` maps a name to anything with kind/initial/minimum/maximum.
    """

    def __init__(self, names, declared):
        self.fields, self.bits, shift = {}, {}, 0
        for name in names:
            variable = declared[name]
            width = 1 if variable.kind == 'flag' else max(1, (variable.maximum - variable.minimum).bit_length())
            low = 0 if variable.kind == 'flag' else variable.minimum
            self.fields[name] = (shift, (1 << width) - 1, low, variable)
            self.bits[name] = ((1 << width) - 1) << shift
            shift += width
        self.width = shift
    def mask(self, names) -> int:
        mask = 0
        for name in names:
            mask |= self.bits[name]
        return mask

    def encode(self, values: Mapping) -> int:
        return sum(int(values[name] - low) << shift for name, (shift, _, low, _) in self.fields.items())

    def tests(self, clauses) -> tuple[int, int, tuple]:
        """(mask, expected, others): the clauses hold when `code & mask == expected` and every
        (shift, field mask, minimum, test, value) in `others` holds on the decoded value."""
        mask = expected = 0
        others = []
        for clause in clauses:
            shift, field, low, variable = self.fields[clause.name]
            if variable.kind == 'flag' and clause.op in ('is', 'not'):
                if mask >> shift & 1 and (expected >> shift & 1) != (clause.op == 'is'):
                    return 0, 1, ()  # `x and not x` never holds: no code & 0 equals 1
                mask |= 1 << shift
                expected |= (clause.op == 'is') << shift
            else:
                others.append((shift, field, low, CLAUSE_TESTS[clause.op], clause.value))
        return mask, expected, tuple(others)

    def update(self, effects) -> tuple[int, int, tuple | None]:
        """(keep, set, None) when every effect assigns (then the new code is `code & keep | set`),
        else (-1, 0, effects as (shift, field mask, minimum, maximum, op, value) for apply_update)."""
        keep, put, general = -1, 0, []
        for effect in effects:
            shift, field, low, variable = self.fields[effect.name]
            high = 1 if variable.kind == 'flag' else variable.maximum
            general.append((shift, field, low, high, effect.op, int(effect.value)))
            if effect.op == '=':
                keep &= ~(field << shift)
                put = (put & ~(field << shift)) | ((min(high, max(low, int(effect.value))) - low) << shift)
        if all(op == '=' for *_, op, _ in general):
            return keep, put, None
        return -1, 0, tuple(general)


def tests_hold(others, code: int) -> bool:
    return all(test(((code >> shift) & field) + low, value) for shift, field, low, test, value in others)


def apply_update(update: tuple, code: int) -> int:
    """Apply Layout.update's general form; counters are clamped as in apply_effects."""
    for shift, field, low, high, op, value in update:
        current = ((code >> shift) & field) + low
        new = value if op == '=' else current + value if op == '+=' else current - value
        code = (code & ~(field << shift)) | ((min(high, max(low, new)) - low) << shift)
    return code
