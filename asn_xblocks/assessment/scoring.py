"""Checking a learner's answers, scoring them, and what the browser may see before and after release.

The flow of a submit handler: `read_submission(form, bank, answers)` turns the browser's
answers (opaque option ids, Likert values) into responses keyed by bank ids, or raises
SubmissionError (a code and params for a translated 400) and nothing is stored; the block
stores the responses; `score_form(form, bank, responses)` scores them. A rescore after an
author fixed a key is `score_form` again with the stored form and responses.

Scores are from the server only. Per item: `scaled` 0..1 times the item's `points`.
- single: 1 when the one correct option is chosen, else 0.
- multiple, by the item's stated rule (n options, C correct options, R correct chosen, W wrong chosen):
  `all_or_nothing`: 1 when exactly the correct options are chosen;
  `per_option` (CAPA "every decision counts"): correct decisions ÷ n, a decision being
  an option chosen and correct or left and incorrect;
  `right_minus_wrong`: max(0, (R − W) ÷ C).
- an unanswered item scores 0 under every rule.
Per competency, an item's earned and possible points count toward each of its tags. Likert
items are not scored: each is returned scaled 0–100 after reverse keying
(keyed = min + max − value when `reverse`).

`public_view` is all the browser gets before release: stems, option texts and opaque ids —
never a correct flag, points, feedback, explanation or competency tag. `review_view` adds them
for after release; whether the show-answer policy allows it is the caller's decision.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.i18n import N_
from .forms import ForeignOptionId, Form
from .model import ALL_OR_NOTHING, LIKERT, MULTIPLE, PER_OPTION, SINGLE, Bank, Item

SUBMISSION_MESSAGES = {
    'malformed': N_('The answers could not be read. Please reload the page and try again.'),
    'unknown_item': N_('An answer was sent for a question that is not in your test.'),
    'unanswered': N_('{count} question(s) have no answer yet.'),
    'malformed_answer': N_('The answer to question {number} could not be read.'),
    'unknown_option': N_('An answer to question {number} is not one of its options.'),
    'duplicate_option': N_('An option of question {number} was chosen twice.'),
    'single_needs_one': N_('Choose exactly one answer for question {number}.'),
    'multiple_count': N_('Choose between 1 and {maximum} answers for question {number}.'),
    'likert_range': N_('The answer to question {number} must be a whole number from {minimum} to {maximum}.'),
}


class SubmissionError(ValueError):
    """Answers that do not fit the learner's form; `code` and `params` make the translated 400 message."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(self.translated())

    def translated(self, gettext=lambda text: text) -> str:
        return gettext(SUBMISSION_MESSAGES[self.code]).format(**self.params)


def live_items(form: Form, bank: Bank) -> list[tuple[int, object, Item]]:
    """(number, form item, bank item) for the form's items still in the bank with the same type.

    An item an author deleted (or changed to another type) after the form was drawn is
    withdrawn: not shown, not answerable, not scored. Numbers count shown questions from 1.
    """
    found = []
    for form_item in form.items:
        item = bank.item(form_item.item_id)
        if item is not None and (item.type == LIKERT) == (not form_item.options):
            found.append((len(found) + 1, form_item, item))
    return found


def _shown_options(form_item, item: Item) -> list[tuple[str, object]]:
    """(token, bank option) in the learner's order, for options still in the bank."""
    return [(token, item.option(option_id)) for token, option_id in form_item.options
            if item.option(option_id) is not None]


# --- reading a submission -----------------------------------------------------------------
def read_submission(form: Form, bank: Bank, answers, *, require_all: bool = True) -> dict:
    """{item_id: [bank option ids] | likert value} from the browser's {item_id: [tokens] | value}."""
    if not isinstance(answers, dict) or not all(isinstance(key, str) for key in answers):
        raise SubmissionError('malformed')
    live = {form_item.item_id: (number, form_item, item) for number, form_item, item in live_items(form, bank)}
    unknown = [key for key in answers if key not in live]
    if unknown:
        raise SubmissionError('unknown_item', item_id=unknown[0])
    missing = [item_id for item_id in live if item_id not in answers]
    if missing and require_all:
        raise SubmissionError('unanswered', count=len(missing), item_ids=missing)
    responses = {}
    for item_id, (number, form_item, item) in live.items():
        if item_id in answers:
            read = _read_likert if item.type == LIKERT else _read_choices
            responses[item_id] = read(answers[item_id], number, form, form_item, item)
    return responses


def _read_choices(value, number, form: Form, form_item, item: Item) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(token, str) for token in value):
        raise SubmissionError('malformed_answer', number=number, item_id=item.id)
    if len(set(value)) != len(value):
        raise SubmissionError('duplicate_option', number=number, item_id=item.id)
    chosen = set()
    for token in value:
        try:
            option_id = form.option_id(item.id, token)
        except ForeignOptionId:
            raise SubmissionError('unknown_option', number=number, item_id=item.id) from None
        if item.option(option_id) is None:  # withdrawn by the author after the draw
            raise SubmissionError('unknown_option', number=number, item_id=item.id)
        chosen.add(option_id)
    available = len(_shown_options(form_item, item))
    if item.type == SINGLE and len(chosen) != 1:
        raise SubmissionError('single_needs_one', number=number, item_id=item.id)
    if item.type == MULTIPLE and not 1 <= len(chosen) <= available:
        raise SubmissionError('multiple_count', number=number, item_id=item.id, maximum=available)
    return [option_id for _token, option_id in form_item.options if option_id in chosen]


def _read_likert(value, number, _form, _form_item, item: Item) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in item.scale.values:
        raise SubmissionError('likert_range', number=number, item_id=item.id,
                              minimum=item.scale.minimum, maximum=item.scale.maximum)
    return value


# --- scoring ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemScore:
    item_id: str
    scaled: float
    earned: float
    possible: float
    answered: bool

    def to_dict(self) -> dict:
        return {'item_id': self.item_id, 'scaled': self.scaled, 'earned': self.earned,
                'possible': self.possible, 'answered': self.answered}


@dataclass(frozen=True)
class CompetencyScore:
    code: str
    earned: float
    possible: float

    @property
    def percent(self) -> float | None:
        return 100 * self.earned / self.possible if self.possible else None

    def to_dict(self) -> dict:
        return {'code': self.code, 'earned': self.earned, 'possible': self.possible, 'percent': self.percent}


@dataclass(frozen=True)
class LikertScore:
    """A self-rating: `value` as given, `keyed` after reverse keying, `scaled` 0–100."""

    item_id: str
    competencies: tuple[str, ...]
    value: int
    keyed: int
    scaled: float

    def to_dict(self) -> dict:
        return {'item_id': self.item_id, 'competencies': list(self.competencies), 'value': self.value,
                'keyed': self.keyed, 'scaled': self.scaled}


@dataclass(frozen=True)
class FormScore:
    items: tuple[ItemScore, ...]
    competencies: tuple[CompetencyScore, ...]
    likert: tuple[LikertScore, ...]

    @property
    def earned(self) -> float:
        return sum(score.earned for score in self.items)

    @property
    def possible(self) -> float:
        return sum(score.possible for score in self.items)

    @property
    def percent(self) -> float | None:
        """0–100, the figure gains compare; None when the form has no graded item."""
        return 100 * self.earned / self.possible if self.possible else None

    def self_assessment(self) -> dict[str, float]:
        """The mean scaled self-rating (0–100) per competency."""
        by_code: dict[str, list[float]] = {}
        for rating in self.likert:
            for code in rating.competencies:
                by_code.setdefault(code, []).append(rating.scaled)
        return {code: sum(values) / len(values) for code, values in by_code.items()}

    def to_dict(self) -> dict:
        return {'earned': self.earned, 'possible': self.possible, 'percent': self.percent,
                'items': [s.to_dict() for s in self.items], 'competencies': [s.to_dict() for s in self.competencies],
                'likert': [s.to_dict() for s in self.likert], 'self_assessment': self.self_assessment()}


def scaled_score(item: Item, chosen, shown=None) -> float:
    """0..1 for a graded item and the bank option ids chosen.

    `shown`: the option ids the learner was shown (default: all); options an author added
    after the draw are not counted, chosen ids that are no longer options are ignored.
    """
    options = [option for option in item.options if shown is None or option.id in shown]
    chosen = {option.id for option in options if option.id in set(chosen)}
    correct = {option.id for option in options if option.correct}
    if not chosen:
        return 0.0
    if item.type == SINGLE or item.scoring == ALL_OR_NOTHING:
        return 1.0 if chosen == correct else 0.0
    if item.scoring == PER_OPTION:
        return sum((option.id in chosen) == option.correct for option in options) / len(options)
    if not correct:
        return 0.0
    return max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct))


def likert_score(item: Item, value: int) -> LikertScore:
    low, high = item.scale.minimum, item.scale.maximum
    keyed = low + high - value if item.reverse else value
    return LikertScore(item.id, item.competencies, value, keyed, 100 * (keyed - low) / (high - low))


def score_form(form: Form, bank: Bank, responses: dict) -> FormScore:
    """The score of stored responses (from read_submission) against the bank's current key."""
    items, likert, by_code = [], [], {}
    for _number, form_item, item in live_items(form, bank):
        response = responses.get(item.id)
        if item.type == LIKERT:
            if isinstance(response, int) and not isinstance(response, bool) and response in item.scale.values:
                likert.append(likert_score(item, response))
            continue
        chosen = response if isinstance(response, list) else []
        scaled = scaled_score(item, chosen, {option_id for _token, option_id in form_item.options})
        items.append(ItemScore(item.id, scaled, scaled * item.points, item.points, bool(chosen)))
        for code in dict.fromkeys(item.competencies):
            earned, possible = by_code.get(code, (0, 0))
            by_code[code] = (earned + scaled * item.points, possible + item.points)
    competencies = tuple(CompetencyScore(code, earned, possible) for code, (earned, possible) in by_code.items())
    return FormScore(tuple(items), competencies, tuple(likert))


# --- what the browser sees ----------------------------------------------------------------
def public_view(form: Form, bank: Bank, locale: str | None = None, responses: dict | None = None) -> dict:
    """The form as the learner may see it while answering: no key, points, feedback or tags.

    `responses` (the learner's own stored answers) mark what they chose, by opaque id.
    """
    responses = responses or {}
    return {'title': bank.title.get(locale),
            'instructions': bank.instructions.get(locale) if bank.instructions else None,
            'items': [_public_item(number, form_item, item, locale, responses.get(item.id))
                      for number, form_item, item in live_items(form, bank)]}


def _public_item(number, form_item, item: Item, locale, response) -> dict:
    out = {'item_id': item.id, 'number': number, 'type': item.type, 'stem': item.stem.get(locale)}
    if item.type == LIKERT:
        out['scale'] = [{'value': value, 'label': label.get(locale)}
                        for value, label in zip(item.scale.values, item.scale.labels)]
        out['value'] = response if isinstance(response, int) else None
        return out
    chosen = set(response) if isinstance(response, list) else set()
    shown = _shown_options(form_item, item)
    out['options'] = [{'id': token, 'text': option.text.get(locale)} for token, option in shown]
    out['selected'] = [token for token, option in shown if option.id in chosen]
    return out


def review_view(form: Form, bank: Bank, responses: dict, locale: str | None = None) -> dict:
    """After release: the public view plus the key, feedback, explanations and scores."""
    view = public_view(form, bank, locale, responses)
    score = score_form(form, bank, responses)
    item_scores = {s.item_id: s for s in score.items}
    likert_scores = {s.item_id: s for s in score.likert}
    for (_number, form_item, item), shown in zip(live_items(form, bank), view['items']):
        if item.explanation is not None:
            shown['explanation'] = item.explanation.get(locale)
        if item.type == LIKERT:
            rating = likert_scores.get(item.id)
            shown['scaled'] = rating.scaled if rating else None
            continue
        for option_view, (_token, option) in zip(shown['options'], _shown_options(form_item, item)):
            option_view['correct'] = option.correct
            option_view['feedback'] = option.feedback.get(locale) if option.feedback else None
        item_score = item_scores[item.id]
        shown.update(scaled=item_score.scaled, earned=item_score.earned, possible=item_score.possible)
    view.update(earned=score.earned, possible=score.possible, percent=score.percent,
                competencies=[s.to_dict() for s in score.competencies])
    return view
