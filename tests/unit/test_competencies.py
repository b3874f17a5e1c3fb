"""The competency catalogue: the bundled PermenPANRB 38/2017 data and technical extensions."""
import copy
import dataclasses
import json
import pickle
import string
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_xblocks.core.competencies import (
    LEVELS, TECHNICAL, Catalogue, Competency, is_technical_code, is_valid_code, standard_catalogue,
)

STANDARD_CODES = ('M.01', 'M.02', 'M.03', 'M.04', 'M.05', 'M.06', 'M.07', 'M.08', 'SK.01')
DATA_FILE = files('asn_xblocks.core') / 'data' / 'competencies.json'
TECHNICAL_CHARS = set(string.ascii_uppercase + string.digits + '_')


def looks_technical(code):
    """The code rule written a second way, so the regex is checked against something."""
    return code.startswith('T.') and 1 <= len(code) - 2 <= 30 and set(code[2:]) <= TECHNICAL_CHARS


# --- the bundled standard ----------------------------------------------------------------

def test_standard_codes_in_order():
    catalogue = standard_catalogue()
    assert catalogue.codes() == STANDARD_CODES
    assert [c.code for c in catalogue] == list(STANDARD_CODES)
    assert len(catalogue) == 9


def test_standard_kinds():
    kinds = {c.code: c.kind for c in standard_catalogue()}
    assert kinds.pop('SK.01') == 'socio_cultural'
    assert set(kinds.values()) == {'managerial'}


@pytest.mark.parametrize('code', STANDARD_CODES)
def test_every_standard_competency_is_complete_in_both_languages(code):
    competency = standard_catalogue().get(code)
    for texts in (competency.name, competency.definition):
        assert set(texts) == {'id', 'en'}
        assert all(text.strip() for text in texts.values())
    assert tuple(competency.levels) == LEVELS
    for level in LEVELS:
        indonesian = competency.level_description(level, 'id')
        english = competency.level_description(level, 'en')
        assert indonesian and english and indonesian != english


@pytest.mark.parametrize('locale', ['id', 'en'])
def test_standard_texts_are_distinct(locale):
    competencies = list(standard_catalogue())
    for texts in (
        [c.label(locale) for c in competencies],
        [c.definition_text(locale) for c in competencies],
        [c.level_description(level, locale) for c in competencies for level in LEVELS],
    ):
        assert len(set(texts)) == len(texts), 'a copy-paste slip repeats a text'


def test_known_names():
    catalogue = standard_catalogue()
    assert catalogue.get('M.01').label('id') == 'Integritas'
    assert catalogue.get('M.01').label('en') == 'Integrity'
    assert catalogue.get('M.08').label('id') == 'Pengambilan Keputusan'
    assert catalogue.get('SK.01').label('id') == 'Perekat Bangsa'


def test_source_is_cited():
    assert 'Nomor 38 Tahun 2017' in standard_catalogue().source


def test_data_file_is_utf8_and_canonically_indented():
    raw = DATA_FILE.read_bytes()
    data = json.loads(raw.decode('utf-8'))
    assert raw.decode('utf-8') == json.dumps(data, ensure_ascii=False, indent=2) + '\n'
    assert set(data) == {'source', 'translation', 'competencies'}
    for entry in data['competencies']:
        assert set(entry) == {'code', 'kind', 'name', 'definition', 'levels'}
        assert list(entry['levels']) == ['1', '2', '3', '4', '5']


def test_standard_catalogue_is_loaded_once():
    assert standard_catalogue() is standard_catalogue()


# --- lookups and locales --------------------------------------------------------------------

@pytest.mark.parametrize('locale, expected', [
    ('en', 'Decision Making'), ('en-US', 'Decision Making'), ('en_GB', 'Decision Making'),
    ('EN', 'Decision Making'), ('id', 'Pengambilan Keputusan'), ('id-ID', 'Pengambilan Keputusan'),
    ('fr', 'Pengambilan Keputusan'), (None, 'Pengambilan Keputusan'), ('', 'Pengambilan Keputusan'),
])
def test_label_by_locale(locale, expected):
    assert standard_catalogue().get('M.08').label(locale) == expected


def test_level_description_accepts_int_and_numeric_text():
    integrity = standard_catalogue().get('M.01')
    assert integrity.level_description(5, 'en').startswith('Able to be a role model')
    assert integrity.level_description('5', 'en') == integrity.level_description(5, 'en')
    assert integrity.level_description(1).startswith('Mampu bertindak sesuai nilai')


@pytest.mark.parametrize('level', [0, 6, -1, '0', 'x', '', None, True, 2.5, '2.5'])
def test_level_description_rejects_levels_outside_1_to_5(level):
    with pytest.raises(ValueError, match='1-5'):
        standard_catalogue().get('M.01').level_description(level)


@pytest.mark.parametrize('code', ['M.09', 'm.01', 'M.1', 'SK.1', 'T.UNKNOWN', ''])
def test_unknown_code_is_a_clear_key_error(code):
    catalogue = standard_catalogue()
    assert code not in catalogue
    with pytest.raises(KeyError, match='Unknown competency code') as raised:
        catalogue.get(code)
    assert repr(code) in str(raised.value) and 'M.01' in str(raised.value)


@pytest.mark.parametrize('value', [None, 1, ['M.01'], ('M.01',)])
def test_non_string_codes_are_not_contained(value):
    assert value not in standard_catalogue()
    with pytest.raises(KeyError):
        standard_catalogue().get(value)


# --- technical competencies -----------------------------------------------------------------

PROCUREMENT = {
    'code': 'T.PBJ',
    'name': {'id': 'Pengadaan Barang/Jasa', 'en': 'Procurement of Goods and Services'},
    'definition': {'id': 'Kemampuan melaksanakan pengadaan sesuai Perpres.'},
    'levels': {'1': 'Memahami prosedur pengadaan.', 2: {'id': 'Menyusun HPS.', 'en': 'Drafts the OE.'}},
}


def test_with_technical_returns_a_new_catalogue_and_leaves_the_original_alone():
    standard = standard_catalogue()
    extended = standard.with_technical([PROCUREMENT, {'code': 'T.SPBE', 'name': 'Tata Kelola SPBE'}])
    assert extended is not standard
    assert standard.codes() == STANDARD_CODES and 'T.PBJ' not in standard
    assert extended.codes() == STANDARD_CODES + ('T.PBJ', 'T.SPBE')
    assert extended.source == standard.source
    assert standard_catalogue().codes() == STANDARD_CODES


def test_technical_competency_texts_and_fallbacks():
    extended = standard_catalogue().with_technical([PROCUREMENT, {'code': 'T.SPBE', 'name': 'Tata Kelola SPBE'}])
    procurement, spbe = extended.get('T.PBJ'), extended.get('T.SPBE')
    assert procurement.kind == spbe.kind == TECHNICAL
    assert procurement.label('en') == 'Procurement of Goods and Services'
    assert spbe.label('en') == 'Tata Kelola SPBE'  # no English name: the Indonesian one
    assert procurement.definition_text('en') == 'Kemampuan melaksanakan pengadaan sesuai Perpres.'
    assert procurement.level_description(1, 'en') == 'Memahami prosedur pengadaan.'
    assert procurement.level_description(2, 'en') == 'Drafts the OE.'
    assert procurement.level_description(3) == ''
    assert spbe.definition_text() == '' and spbe.level_description(5) == ''


@given(st.from_regex(r'T\.[A-Z0-9_]{1,30}', fullmatch=True))
def test_well_formed_technical_codes_are_accepted(code):
    assert is_technical_code(code) and is_valid_code(code)
    assert code in standard_catalogue().with_technical([{'code': code, 'name': 'Kompetensi teknis'}])


NEAR_TECHNICAL = st.builds(
    'T.{}'.format, st.text(alphabet=string.ascii_letters + string.digits + '_-. \n', max_size=33))


@given(st.one_of(st.text(max_size=40), NEAR_TECHNICAL, st.sampled_from(STANDARD_CODES)))
def test_code_validator_matches_the_rule(code):
    assert is_technical_code(code) == looks_technical(code)
    assert is_valid_code(code) == (code in STANDARD_CODES or looks_technical(code))


@pytest.mark.parametrize('code', [
    'T.', 'T', 't.PBJ', 'T.pbj', 'T.PB-J', 'T.PB J', 'T.PBJ\n', ' T.PBJ', 'T..PBJ', 'X.PBJ',
    'T.' + 'A' * 31, 'T.É', 'M.01', 'SK.01', None, 7,
])
def test_bad_technical_codes_are_rejected_with_a_clear_message(code):
    with pytest.raises(ValueError, match='Technical competency code .* is invalid'):
        standard_catalogue().with_technical([{'code': code, 'name': 'Sesuatu'}])


def test_standard_codes_are_valid_but_not_technical():
    for code in STANDARD_CODES:
        assert is_valid_code(code) and not is_technical_code(code)
    assert not is_valid_code('M.09') and not is_valid_code(None)


def test_duplicate_technical_codes_are_rejected():
    with pytest.raises(ValueError, match="'T.PBJ' is defined more than once"):
        standard_catalogue().with_technical([PROCUREMENT, {'code': 'T.PBJ', 'name': 'Lagi'}])
    extended = standard_catalogue().with_technical([PROCUREMENT])
    with pytest.raises(ValueError, match="'T.PBJ' is defined more than once"):
        extended.with_technical([{'code': 'T.PBJ', 'name': 'Lagi'}])


@pytest.mark.parametrize('name', [None, '', '   ', {'en': 'Procurement'}, {'id': ''}, {'id': 3}, ['x']])
def test_technical_competency_needs_an_indonesian_name(name):
    with pytest.raises(ValueError, match='T.PBJ'):
        standard_catalogue().with_technical([{'code': 'T.PBJ', 'name': name}])


@pytest.mark.parametrize('definition', ['T.PBJ', None, 42, [('code', 'T.PBJ')]])
def test_technical_definition_must_be_a_mapping(definition):
    with pytest.raises(ValueError, match='must be a mapping'):
        standard_catalogue().with_technical([definition])


@pytest.mark.parametrize('levels', [{'6': 'x'}, {'0': 'x'}, {'satu': 'x'}, ['x'], {'1': 5}])
def test_technical_levels_are_validated(levels):
    with pytest.raises(ValueError):
        standard_catalogue().with_technical([{'code': 'T.PBJ', 'name': 'Pengadaan', 'levels': levels}])


def test_a_failed_extension_leaves_nothing_behind():
    with pytest.raises(ValueError):
        standard_catalogue().with_technical([PROCUREMENT, {'code': 'bad'}])
    assert standard_catalogue().codes() == STANDARD_CODES


# --- immutability ---------------------------------------------------------------------------

def test_competencies_are_immutable():
    integrity = standard_catalogue().get('M.01')
    with pytest.raises(dataclasses.FrozenInstanceError):
        integrity.code = 'M.09'
    with pytest.raises(TypeError):
        integrity.name['en'] = 'Honesty'
    with pytest.raises(TypeError):
        integrity.levels[1] = {'id': 'x'}
    with pytest.raises(TypeError):
        integrity.levels[1]['id'] = 'x'
    assert standard_catalogue().get('M.01').label('en') == 'Integrity'


def test_caller_dicts_are_copied_not_shared():
    name = {'id': 'Pengadaan'}
    competency = standard_catalogue().with_technical([{'code': 'T.PBJ', 'name': name}]).get('T.PBJ')
    name['id'] = 'Diubah'
    assert competency.label() == 'Pengadaan'


def test_competencies_survive_pickle_and_deepcopy():
    for competency in standard_catalogue().with_technical([PROCUREMENT]):
        for clone in (pickle.loads(pickle.dumps(competency)), copy.deepcopy(competency)):
            assert clone == competency and hash(clone) == hash(competency)
            assert clone.level_description(2, 'en') == competency.level_description(2, 'en')


def test_catalogue_rejects_duplicates_and_unknown_kinds_directly():
    integrity = standard_catalogue().get('M.01')
    with pytest.raises(ValueError, match='more than once'):
        Catalogue([integrity, integrity])
    with pytest.raises(ValueError, match='kind must be one of'):
        Competency('M.01', 'political', {'id': 'Integritas'})
