"""The condition/effect mini-language: reading, evaluating, applying, and refusing bad text."""
import pytest
from hypothesis import given, strategies as st

from asn_xblocks.case_study.conditions import (
    Clause, Condition, ConditionError, Effect, apply_effects, holds, parse_condition, parse_effects, when_holds,
)
from asn_xblocks.case_study.model import Variable

VARIABLES = {
    'patience': Variable('patience', 'counter', 3, 0, 5),
    'checked': Variable('checked', 'flag', False, 0, 1),
}
VALUES = {'patience': 3, 'checked': False}


@pytest.mark.parametrize('text, expected', [
    ('checked', False),
    ('not checked', True),
    ('patience == 3', True),
    ('patience != 3', False),
    ('patience < 4 and not checked', True),
    ('patience <= 2', False),
    ('patience > -1', True),
    ('patience >= 3 and checked', False),
    ('  patience>=3   and   not checked  ', True),
    ('score >= 10', True),
    ('score < 10', False),
])
def test_conditions_evaluate_against_values_and_score(text, expected):
    assert holds(parse_condition(text), VALUES, score=12) is expected


def test_a_score_clause_is_unknown_without_a_score_but_a_false_clause_still_decides():
    assert holds(parse_condition('score > 5'), VALUES, None) is None
    assert holds(parse_condition('checked and score > 5'), VALUES, None) is False
    assert holds(parse_condition('not checked and score > 5'), VALUES, None) is None


def test_no_condition_always_holds():
    assert when_holds(None, VALUES, 0) is True


@pytest.mark.parametrize('text, quoted', [
    ('patience ==', "'patience =='"),
    ('patience = 3', "'patience = 3'"),
    ('patience == three', "'three'"),
    ('patience == 3 or checked', "'patience == 3 or checked'"),
    ('checked and', 'empty'),
    ('not', "'not'"),
    ('patience $ 3', "'$ 3'"),
    ('__import__("os")', '\'("os")\''),
    ('', 'empty'),
    ('and', 'empty'),
    ('true', "'true'"),
])
def test_unreadable_conditions_are_refused_with_the_offending_text(text, quoted):
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert quoted in str(caught.value)


def test_unknown_variable_is_an_error_when_evaluating():
    with pytest.raises(ConditionError, match='ghost'):
        holds(parse_condition('ghost > 1'), VALUES, 0)


def test_effects_are_read_in_order_and_a_trailing_semicolon_is_allowed():
    assert parse_effects('patience -= 1; checked = true; patience += 2;') == (
        Effect('patience', '-=', 1), Effect('checked', '=', True), Effect('patience', '+=', 2))


@pytest.mark.parametrize('text', ['patience', 'patience -- 1', 'score += 5', 'checked = maybe', 'a = 1;; b = 2',
                                  'patience += true', '', ';', 'x == 1'])
def test_unreadable_effects_are_refused(text):
    with pytest.raises(ConditionError):
        parse_effects(text)


def test_counters_are_clamped_to_their_bounds():
    effects = parse_effects('patience += 10')
    assert apply_effects(effects, VALUES, VARIABLES)['patience'] == 5
    assert apply_effects(parse_effects('patience -= 7'), VALUES, VARIABLES)['patience'] == 0
    assert apply_effects(parse_effects('patience = 4; checked = true'), VALUES, VARIABLES) == \
        {'patience': 4, 'checked': True}


def test_applying_effects_leaves_the_input_alone():
    before = dict(VALUES)
    apply_effects(parse_effects('patience -= 1'), VALUES, VARIABLES)
    assert VALUES == before


@pytest.mark.parametrize('text', ['checked += 1', 'patience = true', 'ghost = 1'])
def test_effects_that_do_not_suit_the_variable_are_refused_when_applied(text):
    with pytest.raises(ConditionError):
        apply_effects(parse_effects(text), VALUES, VARIABLES)


# --- properties -------------------------------------------------------------------------------

names = st.from_regex(r'[a-z_][a-z0-9_]{0,6}', fullmatch=True).filter(
    lambda n: n not in ('and', 'not', 'true', 'false'))
clauses = st.one_of(
    st.builds(Clause, names, st.sampled_from(['is', 'not'])),
    st.builds(Clause, names, st.sampled_from(['==', '!=', '<', '<=', '>', '>=']), st.integers(-1000, 1000)),
)
conditions = st.builds(Condition, st.lists(clauses, min_size=1, max_size=5).map(tuple))
effects = st.lists(st.one_of(
    st.builds(Effect, names.filter(lambda n: n != 'score'), st.sampled_from(['=', '+=', '-=']), st.integers(-99, 99)),
    st.builds(Effect, names.filter(lambda n: n != 'score'), st.just('='), st.booleans()),
), min_size=1, max_size=4).map(tuple)


@given(conditions)
def test_a_condition_written_out_reads_back_the_same(condition):
    assert parse_condition(condition.to_text()) == condition


@given(effects)
def test_effects_written_out_read_back_the_same(statements):
    assert parse_effects('; '.join(e.to_text() for e in statements)) == statements


@given(st.text(max_size=40))
def test_arbitrary_text_is_read_or_refused_but_never_crashes(text):
    for parse in (parse_condition, parse_effects):
        try:
            parse(text)
        except ConditionError as error:
            assert error.text == text or text.strip() == ''


@given(st.text(alphabet='ab notd=<>!0123456789-;+', max_size=30))
def test_near_miss_text_is_read_or_refused_but_never_crashes(text):
    for parse in (parse_condition, parse_effects):
        try:
            parse(text)
        except ConditionError:
            pass
