"""The compact record of one submitted attempt that reports read from the ledger.

An attempt's full answers (form, opaque ids, responses) stay in the ledger as evidence; the
staff report over a whole cohort reads only this summary, extracted by the database, so a
report over 100,000 learners parses a few hundred bytes per learner:

    {"percent": 62.5, "items": {"q01": 1.0, "q03": 0.0, …}, "choices": {"q01": ["b"], …},
     "competencies": {"M.05": 50.0, …}, "self": {"M.05": 75.0}, "confidence": {"q01": 3},
     "key": "3f9a…"}

`items` holds every graded item of the learner's form (scaled 0–1; unanswered 0), `choices`
the bank option ids chosen, `self` the self-assessment per competency (0–100), and `key` a
fingerprint of the answer key the attempt was scored with, so the report can say how many
attempts an author's later key fix has not reached.
"""
from __future__ import annotations

import hashlib
import json

from .model import Bank


def key_fingerprint(bank: Bank) -> str:
    """A short hash of everything that decides a score: items' types, points, rules and correct options."""
    key = [[item.id, item.type, item.points, item.scoring, sorted(o.id for o in item.options if o.correct)]
           for item in bank.items if item.graded]
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def attempt_summary(score, responses: dict, confidence: dict, bank: Bank) -> dict:
    """The summary of a scored attempt (see the module docstring)."""
    return {
        'percent': score.percent,
        'items': {item.item_id: item.scaled for item in score.items},
        'choices': {item.item_id: responses[item.item_id] for item in score.items if item.item_id in responses},
        'competencies': {c.code: c.percent for c in score.competencies if c.percent is not None},
        'self': score.self_assessment(),
        'confidence': dict(confidence),
        'key': key_fingerprint(bank),
    }
