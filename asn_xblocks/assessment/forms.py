"""A learner's test form: which items, in which order, with which opaque option ids.

A form is drawn once per learner, phase and attempt and then stored (it is JSON-serialisable,
small, and holds no answer key), so its items, item order and option order stay fixed for the
whole attempt, and a rescore after an author fixes a key replays the same form.

- Stratified draw: `per_competency` graded items for every competency of the bank. An item
  tagged with several competencies is drawn once and counts toward each of its tags, so each
  competency is measured by at least `per_competency` items when the bank has them.
- Randomness comes from `random.Random` seeded with a string derived (HMAC) from the block's
  secret, the bank, the learner, the phase and the attempt: the same inputs give the same form,
  other learners get other forms, and nobody can predict a form without the secret.
- Opaque option ids: the browser never sees the bank's option ids ("a", "b"…), which would be
  the same for every learner and could be shared, but a per-learner token: HMAC-SHA256 of the
  secret, learner, item and option, truncated to 96 bits, url-safe base64 (16 characters).
  `Form.option_id` maps a token back and refuses any token that is not in this learner's form
  for that item (another learner's token, another item's token, a made-up one).
- Parallel forms: given the items the learner saw in the pre-test (`seen`), the post-test draws
  other items of each competency when the bank has enough; otherwise it reuses some, records
  them in `reused_item_ids` and in each competency's `Coverage`, for staff to see.

Likert self-assessment items are not drawn: all of them follow the graded items, in bank order,
so the self-ratings of the pre- and post-test can be compared item by item.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

from .model import Bank, Item

PHASES = ('pre', 'post')
TOKEN_BYTES = 12  # 96 bits: unguessable, and a whole number of base64 characters (16)
MIN_SECRET_BYTES = 16


class FormError(ValueError):
    """A draw that cannot be made as asked (unknown phase, bad count, weak secret) or a broken stored form."""


class ForeignOptionId(LookupError):
    """A submitted option id that is not one of this learner's options for that item."""

    def __init__(self, item_id: str, token):
        super().__init__(f'{token!r} is not an option of item {item_id!r} in this form')
        self.item_id, self.token = item_id, token


def _key(secret) -> bytes:
    key = secret.encode('utf-8') if isinstance(secret, str) else bytes(secret)
    if len(key) < MIN_SECRET_BYTES:
        raise FormError(f'the block secret must have at least {MIN_SECRET_BYTES} bytes')
    return key


def _mac(secret, *parts: str) -> bytes:
    message = json.dumps(parts, separators=(',', ':'), ensure_ascii=False).encode('utf-8')  # unambiguous
    return hmac.new(_key(secret), message, hashlib.sha256).digest()


def option_token(secret, learner: str, item_id: str, option_id: str) -> str:
    """The opaque id the browser sees for one option of one item, for one learner."""
    return base64.urlsafe_b64encode(_mac(secret, 'option', learner, item_id, option_id)[:TOKEN_BYTES]).decode('ascii')


def form_seed(secret, bank_id: str, learner: str, phase: str, attempt: int) -> str:
    return _mac(secret, 'form', bank_id, learner, phase, str(attempt)).hex()


@dataclass(frozen=True)
class FormItem:
    """One item of a form; `options` are (token, bank option id) in the learner's order (none for Likert)."""

    item_id: str
    options: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        return {'item_id': self.item_id, 'options': [list(pair) for pair in self.options]}

    @classmethod
    def from_dict(cls, data) -> FormItem:
        try:
            options = tuple((str(token), str(option_id)) for token, option_id in data['options'])
            return cls(str(data['item_id']), options)
        except (KeyError, TypeError, ValueError) as error:
            raise FormError(f'broken form item: {data!r}') from error


@dataclass(frozen=True)
class Coverage:
    """How well one competency is covered: `drawn` < `wanted` means the bank is too small;
    `reused` counts drawn items the learner already saw (in the pre-test)."""

    code: str
    wanted: int
    drawn: int
    reused: int = 0

    @property
    def short(self) -> bool:
        return self.drawn < self.wanted

    def to_dict(self) -> dict:
        return {'code': self.code, 'wanted': self.wanted, 'drawn': self.drawn, 'reused': self.reused}


@dataclass(frozen=True)
class Form:
    bank_id: str
    phase: str
    attempt: int
    seed: str
    items: tuple[FormItem, ...]
    coverage: tuple[Coverage, ...] = ()
    reused_item_ids: tuple[str, ...] = ()

    @property
    def reused(self) -> bool:
        """True when the post-test had to show items the learner saw before (tell staff)."""
        return bool(self.reused_item_ids)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(form_item.item_id for form_item in self.items)

    @cached_property
    def _options(self) -> dict[str, dict[str, str]]:
        return {form_item.item_id: dict(form_item.options) for form_item in self.items}

    def form_item(self, item_id: str) -> FormItem | None:
        return next((form_item for form_item in self.items if form_item.item_id == item_id), None)

    def option_id(self, item_id: str, token) -> str:
        """The bank option id behind `token`; ForeignOptionId unless it is this learner's, for this item."""
        found = self._options.get(item_id, {}).get(token) if isinstance(token, str) else None
        if found is None:
            raise ForeignOptionId(item_id, token)
        return found

    def token(self, item_id: str, option_id: str) -> str | None:
        return next((token for token, known in self._options.get(item_id, {}).items() if known == option_id), None)

    def to_dict(self) -> dict:
        return {'bank_id': self.bank_id, 'phase': self.phase, 'attempt': self.attempt, 'seed': self.seed,
                'items': [form_item.to_dict() for form_item in self.items],
                'coverage': [c.to_dict() for c in self.coverage], 'reused_item_ids': list(self.reused_item_ids)}

    @classmethod
    def from_dict(cls, data) -> Form:
        try:
            return cls(str(data['bank_id']), str(data['phase']), int(data['attempt']), str(data['seed']),
                       tuple(FormItem.from_dict(item) for item in data['items']),
                       tuple(Coverage(str(c['code']), int(c['wanted']), int(c['drawn']), int(c['reused']))
                             for c in data.get('coverage', ())),
                       tuple(str(item_id) for item_id in data.get('reused_item_ids', ())))
        except (KeyError, TypeError, ValueError) as error:
            raise FormError(f'broken form: {error}') from error


def draw_form(bank: Bank, *, secret, learner: str, phase: str, attempt: int = 1,
              per_competency: int | Mapping[str, int] | None = 1, seen: Collection[str] = (),
              include_likert: bool = True) -> Form:
    """Draw a form from a valid bank (see model.load_bank).

    `per_competency`: items wanted per competency (one number, or per code; codes left out get
    none), or None for every graded item of the bank. `seen`: item ids to avoid (the learner's
    pre-test form when drawing the post-test).
    """
    if phase not in PHASES:
        raise FormError(f'phase must be one of {", ".join(PHASES)}, got {phase!r}')
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise FormError(f'attempt must be a positive whole number, got {attempt!r}')
    seed = form_seed(secret, bank.id, learner, phase, attempt)
    rng = random.Random(seed)
    graded = [item for item in bank.items_by_id.values() if item.graded]
    seen = frozenset(seen)
    wanted = _wanted(graded, per_competency)
    chosen = _stratified(graded, wanted, seen, rng)
    coverage = tuple(Coverage(code, count, sum(code in item.competencies for item in chosen),
                              sum(code in item.competencies and item.id in seen for item in chosen))
                     for code, count in wanted.items())
    rng.shuffle(chosen)
    items = [FormItem(item.id, _shuffled_options(item, rng, secret, learner)) for item in chosen]
    if include_likert:
        items += [FormItem(item.id) for item in bank.items_by_id.values() if not item.graded]
    return Form(bank.id, phase, attempt, seed, tuple(items), coverage,
                tuple(item.id for item in chosen if item.id in seen))


def _wanted(graded: list[Item], per_competency) -> dict[str, int]:
    codes = dict.fromkeys(code for item in graded for code in item.competencies)
    if per_competency is None:
        return {code: sum(code in item.competencies for item in graded) for code in codes}
    if isinstance(per_competency, Mapping):  # codes asked for but absent from the bank show as short
        counts = {**{code: per_competency.get(code, 0) for code in codes}, **per_competency}
    else:
        counts = dict.fromkeys(codes, per_competency)
    for code, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise FormError(f'items per competency must be a whole number >= 0, got {count!r} for {code}')
    return counts


def _stratified(graded: list[Item], wanted: dict[str, int], seen: frozenset, rng: random.Random) -> list[Item]:
    """Fill the scarcest competencies first, so that multi-tagged items are not spent on rich ones."""
    chosen: list[Item] = []
    order = sorted(wanted, key=lambda code: sum(code in item.competencies for item in graded))
    for code in order:
        need = wanted[code] - sum(code in item.competencies for item in chosen)
        taken = {item.id for item in chosen}
        pool = [item for item in graded if code in item.competencies and item.id not in taken]
        if need <= 0 or not pool:
            continue
        fresh = [item for item in pool if item.id not in seen]
        if len(fresh) >= need:
            chosen += rng.sample(fresh, need)
        else:
            stale = [item for item in pool if item.id in seen]
            chosen += fresh + rng.sample(stale, min(need - len(fresh), len(stale)))
    return chosen


def _shuffled_options(item: Item, rng: random.Random, secret, learner: str) -> tuple[tuple[str, str], ...]:
    options = rng.sample(item.options, len(item.options))
    pairs = tuple((option_token(secret, learner, item.id, option.id), option.id) for option in options)
    if len({token for token, _ in pairs}) != len(pairs):  # 2**-96: never, but never silently
        raise FormError(f'option ids of item {item.id!r} collide')
    return pairs
