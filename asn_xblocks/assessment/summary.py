"""The compact record of one submitted attempt that cohort-wide reports read from the ledger.

An attempt's full answers (form, opaque ids, responses) stay in the ledger as evidence; the
staff report over a whole cohort reads only this text (the ledger's narrow AttemptSummary
table) and decodes a whole phase at once with numpy. Six fields separated by `|`:

    q01 q03 q04|034800000348|040201|300|3f9a0c1d2e3b4a59|M.05:75 M.01:50

1. the graded items of the learner's form, sorted by id (item ids have no spaces or `|`);
2. per item, its score × SCALE as 4 hex digits;
3. per item, the chosen options as a bit mask by their position in the bank, 2 hex digits;
4. per item, the confidence rating 1–4 (0: none), one digit;
5. a fingerprint of the answer key and option order the attempt was scored with;
6. the self-assessment per competency (0–100), `code:value` separated by spaces.

SCALE is 840, the least common multiple of 1…8: every item score (right or wrong, or k of at
most 8 options under a partial-credit rule) times 840 is a whole number, so the hex is exact.
The fingerprint lets the report say how many attempts an author's later key fix has not
reached, and keeps option positions of older attempts out of the distractor counts.
"""
from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

import numpy as np

from .model import Bank

SCALE = 840
SEPARATOR = '|'
KEY_LENGTH = 16
FIELD_WIDTHS = (('scores', 4), ('choices', 2), ('confidence', 1))  # characters per item


class Summary(NamedTuple):
    form: str
    scores: str
    choices: str
    confidence: str
    key: str
    self_assessment: str

    @property
    def item_ids(self) -> list[str]:
        return self.form.split()

    def self_ratings(self) -> dict[str, float]:
        return {code: float(value) for code, value in (pair.split(':') for pair in self.self_assessment.split())}


def parse(text: str) -> Summary:
    return Summary(*text.split(SEPARATOR))


def key_fingerprint(bank: Bank) -> str:
    """A short hash of what decides a score and a choice's position: items' types, points, rules,
    options in order and which are correct."""
    key = [[item.id, item.type, item.points, item.scoring, [(o.id, o.correct) for o in item.options]]
           for item in bank.items if item.graded]
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:KEY_LENGTH]


def option_mask(item, chosen) -> int:
    """The chosen option ids of `item` as bits by their position in the bank."""
    return sum(1 << position for position, option in enumerate(item.options) if option.id in chosen)


def attempt_summary(score, responses: dict, confidence: dict, bank: Bank) -> str:
    """The summary text of a scored attempt (see the module docstring)."""
    graded = sorted(score.items, key=lambda item_score: item_score.item_id)
    return SEPARATOR.join((
        ' '.join(s.item_id for s in graded),
        ''.join(f'{round(s.scaled * SCALE):04x}' for s in graded),
        ''.join(f'{option_mask(bank.item(s.item_id), responses.get(s.item_id) or ()):02x}' for s in graded),
        ''.join(str(confidence.get(s.item_id, 0)) for s in graded),
        key_fingerprint(bank),
        ' '.join(f'{code}:{value:g}' for code, value in sorted(score.self_assessment().items())),
    ))


def layout(form: str) -> dict[str, slice]:
    """Where each field sits in the summaries of one form: after the form's item ids every field
    but the self-ratings has a fixed width, so a report slices a whole cohort without splitting."""
    items, start = len(form.split()), len(form) + 1
    fields = {}
    for name, width in FIELD_WIDTHS:
        fields[name] = slice(start, start + width * items)
        start += width * items + 1
    fields['key'] = slice(start, start + KEY_LENGTH)
    fields['self_assessment'] = slice(start + KEY_LENGTH + 1, None)
    return fields


def decode_scores(texts: list[str], items: int) -> np.ndarray:
    """learners × items scores × SCALE (divide by SCALE for 0..1) from the score fields of one form."""
    return np.frombuffer(bytes.fromhex(''.join(texts)), dtype='>u2').reshape(len(texts), items).astype(np.uint16)


def decode_choices(texts: list[str], items: int) -> np.ndarray:
    """learners × items option bit masks from the choice fields of one form."""
    return np.frombuffer(bytes.fromhex(''.join(texts)), dtype=np.uint8).reshape(len(texts), items)


def decode_confidence(texts: list[str], items: int) -> np.ndarray:
    """learners × items confidence ratings (0 where none was given)."""
    return (np.frombuffer(''.join(texts).encode('ascii'), dtype=np.uint8) - ord('0')).reshape(len(texts), items)
