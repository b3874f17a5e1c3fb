"""The item bank's JSON form: exact round trips, shape errors that say where, content problems."""
import copy

import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.assessment.model import (
    MESSAGES, Bank, BankFormatError, Item, load_bank, validate,
)

from test_assessment_builders import bank_dict, demo_bank_dict, likert, multiple, option, single, text


def codes(bank_data):
    return [(p.severity, p.code, p.item_id, p.option_id) for p in validate(Bank.from_dict(bank_data))]


def errors(bank_data):
    return [(code, item_id, option_id) for severity, code, item_id, option_id in codes(bank_data)
            if severity == 'error']


# --- round trips --------------------------------------------------------------------------
def test_demo_bank_is_valid_and_round_trips_exactly():
    data = demo_bank_dict()
    bank = load_bank(data)
    assert bank.to_dict() == data
    assert [p.severity for p in validate(bank)] == ['warning'] * len(validate(bank))


def test_demo_bank_has_the_ten_domain_items_and_four_self_ratings():
    bank = load_bank(demo_bank_dict())
    graded = [item for item in bank.items if item.graded]
    assert len(graded) == 10 and all(item.type == 'single' for item in graded)
    assert [item.type for item in bank.items[10:]] == ['likert'] * 4
    assert sum(item.reverse for item in bank.items) == 1
    assert bank.item('q08').competencies == ('T.PERIZINAN_BERUSAHA', 'M.05')
    keys = {item.id: next(iter(item.correct_ids)) for item in graded}
    assert keys == {'q01': 'b', 'q02': 'b', 'q03': 'b', 'q04': 'c', 'q05': 'b', 'q06': 'c', 'q07': 'b',
                    'q08': 'a', 'q09': 'c', 'q10': 'c'}  # DOMAIN.md §3.5 "Kunci"
    for item in bank.items:
        assert item.stem.indonesian and item.stem.get('en') != item.stem.indonesian


def test_defaults_are_filled_in_and_written():
    data = bank_dict({'id': 'q', 'type': 'multiple', 'stem': text('S'), 'competencies': ['M.01'],
                      'options': [{'id': 'a', 'text': text('A'), 'correct': True}, {'id': 'b', 'text': text('B')}]},
                     {'id': 's', 'type': 'likert', 'stem': text('S'), 'competencies': ['M.01'],
                      'scale': {'min': 1, 'max': 2, 'labels': [text('x'), text('y')]}})
    out = Bank.from_dict(data).to_dict()
    assert out['items'][0]['difficulty'] == 'sedang' and out['items'][0]['points'] == 1
    assert out['items'][0]['scoring'] == 'all_or_nothing'
    assert out['items'][0]['options'][1]['correct'] is False
    assert out['items'][1]['reverse'] is False
    assert Bank.from_dict(out).to_dict() == out


TEXTS = st.text(min_size=1, max_size=30)
LOCALIZED = st.builds(lambda i, e: {'id': i, 'en': e}, TEXTS, TEXTS) | st.builds(lambda i: {'id': i}, TEXTS)


@st.composite
def items(draw, index):
    kind = draw(st.sampled_from(['single', 'multiple', 'likert']))
    item = {'id': f'i{index}', 'type': kind, 'stem': draw(LOCALIZED),
            'competencies': draw(st.lists(st.sampled_from(['M.01', 'M.05', 'SK.01', 'T.A_1']), max_size=3))}
    if kind == 'likert':
        low = draw(st.integers(-3, 3))
        size = draw(st.integers(2, 8))
        item['scale'] = {'min': low, 'max': low + size - 1, 'labels': draw(st.lists(LOCALIZED, min_size=size,
                                                                                    max_size=size))}
        item['reverse'] = draw(st.booleans())
    else:
        item['difficulty'] = draw(st.sampled_from(['mudah', 'sedang', 'sulit']))
        item['points'] = draw(st.integers(1, 10) | st.floats(0.25, 10, allow_nan=False))
        if kind == 'multiple':
            item['scoring'] = draw(st.sampled_from(['all_or_nothing', 'per_option', 'right_minus_wrong']))
        item['options'] = []
        for n in range(draw(st.integers(2, 8))):
            choice = {'id': f'o{n}', 'text': draw(LOCALIZED), 'correct': draw(st.booleans())}
            if draw(st.booleans()):
                choice['feedback'] = draw(LOCALIZED)
            item['options'].append(choice)
    if draw(st.booleans()):
        item['explanation'] = draw(LOCALIZED)
    return item


@st.composite
def banks(draw):
    data = bank_dict(*[draw(items(n)) for n in range(draw(st.integers(0, 4)))])
    data['title'] = draw(LOCALIZED)
    if draw(st.booleans()):
        data['instructions'] = draw(LOCALIZED)
    return data


@settings(max_examples=150, deadline=None)
@given(banks())
def test_any_canonical_bank_round_trips_exactly(data):
    original = copy.deepcopy(data)
    assert Bank.from_dict(data).to_dict() == original


# --- shape errors -------------------------------------------------------------------------
@pytest.mark.parametrize('change, message', [
    (lambda d: d.update(format=2), "'format' must be 1"),
    (lambda d: d.pop('title'), "bank: missing 'title'"),
    (lambda d: d.update(extra=1), "unknown key(s) 'extra'"),
    (lambda d: d['items'][0].update(type='essay'), "item 'q1': 'type' must be one of single, multiple, likert"),
    (lambda d: d['items'][0].update(difficulty='easy'), "'difficulty' must be one of mudah, sedang, sulit"),
    (lambda d: d['items'][0].update(points='1'), "item 'q1': 'points' must be a number"),
    (lambda d: d['items'][0].update(scoring='per_option'), "item 'q1': unknown key(s) 'scoring'"),
    (lambda d: d['items'][1].update(scoring='halves'), "item 'm1': 'scoring' must be one of"),
    (lambda d: d['items'][0]['options'][1].update(correct='yes'), "item 'q1' option 'b': 'correct' must be true"),
    (lambda d: d['items'][0]['options'][2].pop('text'), "item 'q1' option 'c': missing 'text'"),
    (lambda d: d['items'][0].update(stem='Soal'), "item 'q1': 'stem' must be an object"),
    (lambda d: d['items'][0].update(stem={'ID': 'x'}), "'stem' has an invalid entry 'ID'"),
    (lambda d: d['items'][0].update(competencies='M.01'), "'competencies' must be a list"),
    (lambda d: d['items'][2].update(options=[option('a', True)]), 'a likert item is ungraded'),
    (lambda d: d['items'][2].update(points=1), 'a likert item is ungraded'),
    (lambda d: d['items'][2]['scale'].update(min='1'), "item 's1' scale: 'min' must be an integer"),
    (lambda d: d['items'][2].update(reverse=1), "'reverse' must be true or false"),
])
def test_shape_errors_name_the_item_and_option(change, message):
    data = bank_dict(single('q1'), multiple('m1'), likert('s1'))
    change(data)
    with pytest.raises(BankFormatError) as caught:
        Bank.from_dict(data)
    assert message in str(caught.value)


def test_a_likert_item_with_correct_flags_is_refused_clearly():
    data = likert('s1')
    data['options'] = [option('1', True), option('2')]
    with pytest.raises(BankFormatError, match="item 's1': a likert item is ungraded.*'correct' flags"):
        Item.from_dict(data)


# --- content problems ---------------------------------------------------------------------
def test_a_clean_bank_has_no_errors():
    assert errors(bank_dict(single('q1'), multiple('m1'), likert('s1'))) == []


def test_duplicate_item_and_option_ids():
    item = single('q1')
    item['options'][1]['id'] = 'a'
    assert errors(bank_dict(item, single('q1'))) == [('duplicate_item_id', 'q1', None),
                                                     ('duplicate_option_id', 'q1', 'a')]


@pytest.mark.parametrize('key, found', [('', 0), ('ab', 2)])
def test_single_needs_exactly_one_correct_option(key, found):
    item = single('q1', key=None)
    for choice in item['options']:
        choice['correct'] = choice['id'] in key
    problems = validate(Bank.from_dict(bank_dict(item)))
    assert [(p.code, p.params) for p in problems if p.severity == 'error'] == [('single_correct_count',
                                                                                {'count': found})]


def test_multiple_needs_a_correct_option():
    assert errors(bank_dict(multiple('m1', correct=''))) == [('multiple_no_correct', 'm1', None)]


def test_unknown_missing_and_repeated_competency_codes():
    data = bank_dict(single('q1', codes=('M.09', 'T.lower')), single('q2', codes=()), single('q3', codes=('M.01',) * 2))
    assert errors(data) == [('unknown_competency', 'q1', None), ('unknown_competency', 'q1', None),
                            ('no_competency', 'q2', None), ('duplicate_competency', 'q3', None)]


def test_missing_indonesian_text_is_reported_where_it_is():
    item = single('q1')
    item['stem'] = {'id': ' ', 'en': 'Question'}
    item['options'][2]['text'] = {'en': 'Only English'}
    item['options'][3]['feedback'] = {'id': ''}
    data = bank_dict(item, likert('s1'))
    data['items'][1]['scale']['labels'][0] = {'en': 'Never'}
    data['title'] = {'en': 'Pre-test'}
    problems = [p for p in validate(Bank.from_dict(data)) if p.severity == 'error']
    assert [(p.code, p.item_id, p.option_id, p.params.get('field')) for p in problems] == [
        ('bank_missing_indonesian', None, None, 'title'),
        ('missing_indonesian', 'q1', None, 'stem'),
        ('option_missing_indonesian', 'q1', 'c', 'option text'),
        ('option_missing_indonesian', 'q1', 'd', 'option feedback'),
        ('missing_indonesian', 's1', None, 'scale label 1')]
    assert problems[2].message == 'Item "q1" option "c": the option text has no Indonesian (id) text.'


@pytest.mark.parametrize('options, code', [('a', 'too_few_options'), ('abcdefghi', 'too_many_options')])
def test_two_to_eight_options(options, code):
    assert errors(bank_dict(single('q1', options=options))) == [(code, 'q1', None)]


def test_eight_options_and_two_options_are_fine():
    assert errors(bank_dict(single('q1', options='ab'), single('q2', options='abcdefgh'))) == []


def test_likert_scale_size_and_labels():
    wide, unlabelled, flat = likert('s1', low=1, high=9), likert('s2'), likert('s3', low=3, high=3)
    unlabelled['scale']['labels'].pop()
    assert errors(bank_dict(wide, unlabelled, flat)) == [('scale_size', 's1', None), ('scale_labels', 's2', None),
                                                         ('scale_size', 's3', None)]


def test_points_must_be_positive():
    assert errors(bank_dict(single('q1', points=0))) == [('points_not_positive', 'q1', None)]


def test_empty_bank_and_likert_only_bank():
    assert errors(bank_dict()) == [('no_items', None, None)]
    assert codes(bank_dict(likert('s1'))) == [('warning', 'no_graded_items', None, None)]


def test_few_items_per_competency_is_a_warning():
    data = bank_dict(single('q1', codes=('M.01',)), single('q2', codes=('M.01', 'M.02')), single('q3'))
    warnings = [(p.code, p.params) for p in validate(Bank.from_dict(data)) if p.severity == 'warning']
    assert warnings == [('few_items', {'code': 'M.02', 'count': 1})]


def test_load_bank_refuses_a_bank_with_errors_and_lists_them():
    with pytest.raises(BankFormatError) as caught:
        load_bank(bank_dict(single('q1', key='z'), multiple('m1', correct='')))
    assert str(caught.value) == ('Item "q1" is single choice but has 0 correct options; mark exactly one.; '
                                 'Item "m1" is multiple response but no option is marked correct.')


def test_every_problem_code_has_a_message_with_known_placeholders():
    for code, template in MESSAGES.items():
        template.format(item_id='q', option_id='o', field='f', count=1, minimum=2, maximum=8, code='M.01',
                        points=0, low=2, high=8, expected=5)
