"""The case-study block in Studio: editor, preview, validate() and the two authoring handlers."""
import copy
import html
import json
import pathlib
import re

import pytest
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from webob import Request
from xblock.fields import ScopeIds
from xblock.validation import ValidationMessage

from asn_xblocks.case_study import studio
from asn_xblocks.case_study.block import CaseStudyBlock
from asn_xblocks.case_study.defaults import DEFAULT_SCENARIOS, scenario_data
from asn_xblocks.case_study.model import Scenario
from asn_xblocks.case_study.studio import CaseStudyStudioMixin
from asn_xblocks.core.competencies import standard_catalogue
from asn_xblocks.core.handlers import MAX_BODY_BYTES
from tests.unit.core.doubles import FakeUserService, make_block

from case_study_builders import choice, ending, scenario_dict, situation

STUDIO_JS = pathlib.Path(__file__).resolve().parents[3] / 'static' / 'case_study' / 'studio.js'


# CaseStudyBlock with the Studio mixin: the real class once block.py lists the mixin in its bases.
Block = CaseStudyBlock if issubclass(CaseStudyBlock, CaseStudyStudioMixin) else type(
    'Block', (CaseStudyStudioMixin, CaseStudyBlock), {})


class FakeStudioPermissions:
    """Studio's `studio_user_permissions` service: write access per course key."""

    def __init__(self, writable):
        self.writable = writable
        self.asked = []

    def can_write(self, course_key):
        self.asked.append(course_key)
        return self.writable


def staff_block(**fields):
    return make_block(Block, user=FakeUserService(user_id='7', staff=True), fields=fields)


def learner_block(**fields):
    return make_block(Block, user=FakeUserService(user_id='8', staff=False), fields=fields)


def call(block, handler, payload=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode('utf-8')
    response = block.runtime.handle(block, handler, Request.blank('/', method='POST', body=body))
    return response.status_code, json.loads(response.body)


def settings_of(block):
    return (block.display_name, block.weight, block.grading_policy, block.max_attempts, copy.deepcopy(block.scenario))


def save_payload(scenario, **overrides):
    return {'display_name': 'Studi Kasus Baru', 'weight': 2.5, 'grading_policy': 'last', 'max_attempts': 3,
            'scenario': scenario, **overrides}


def small_scenario(**extra):
    return scenario_dict(
        situation('n1', choice('a', 'n2', 10), choice('b', 'n2', 2)),
        situation('n2', choice('c', 'end', 5), choice('d', 'end', 0)),
        ending('end'), **extra)


# --- studio_view -----------------------------------------------------------------------------------

def test_studio_view_shows_the_current_settings_and_the_scenario_as_json():
    block = staff_block(display_name='Aduan <Warga>', weight=2.5, grading_policy='last', max_attempts=4)
    frag = block.studio_view()
    page = frag.content
    assert 'value="Aduan &lt;Warga&gt;"' in page  # autoescaped
    assert 'value="2.5"' in page  # not localised to "2,5": a number input needs a dot
    assert 'value="4"' in page
    assert re.search(r'<option value="last" selected>', page)
    assert 'editor-with-buttons' in page  # Studio's modal then hides its own Save/Cancel
    textarea = re.search(r'<textarea[^>]*data-cs-scenario>(.*?)</textarea>', page, re.S).group(1)
    assert json.loads(html.unescape(textarea)) == block.scenario
    for label in ('Nama tampilan', 'Bobot Soal', 'Kebijakan penilaian', 'Upaya Maksimal', 'Skenario (JSON)',
                  'Impor berkas JSON', 'Ekspor JSON', 'Periksa', 'Simpan', 'Batal'):
        assert label in page, label
    assert 'docs/scenario-format.md' in page and 'bahasa Indonesia (id) wajib' in page
    # every control is labelled: each id a <label for> names exists
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{control_id}"' in page, control_id


def test_studio_view_starts_its_script_with_the_report_of_the_stored_scenario():
    frag = staff_block().studio_view()
    assert frag.js_init_fn == 'AsnCaseStudyStudio'
    report = frag.json_init_args['report']
    assert report['problems'] == []
    assert report['max_score'] == 100.0 and report['min_score'] is not None
    assert frag.json_init_args['max_bytes'] == studio.STUDIO_MAX_BODY_BYTES
    urls = [resource.data for resource in frag.resources]
    assert any(url.endswith('case_study/studio.js') for url in urls)
    assert any(url.endswith('case_study/studio.css') for url in urls)
    assert any(url.endswith('i18n/id/LC_MESSAGES/textjs.js') for url in urls)


def test_studio_view_gives_the_form_editor_the_shared_competency_catalogue():
    frag = staff_block().studio_view()
    competencies = frag.json_init_args['competencies']
    assert [c['code'] for c in competencies] == list(standard_catalogue().codes())
    assert competencies[0] == {'code': 'M.01', 'label': 'Integritas'}  # the Indonesian name
    assert {'code': 'SK.01', 'label': 'Perekat Bangsa'} in competencies
    json.dumps(frag.json_init_args)  # plain data for the page
    urls = [resource.data for resource in frag.resources]
    editor, studio_js = (next(i for i, url in enumerate(urls) if url.endswith(name))
                         for name in ('case_study/scenario_editor.js', 'case_study/studio.js'))
    assert editor < studio_js  # the form is defined before the script that starts it
    assert 'data-cs-editor' in frag.content and 'data-cs-advanced' in frag.content


# --- studio_save -----------------------------------------------------------------------------------

def test_saving_a_valid_edited_scenario_updates_every_field():
    block = staff_block()
    edited = scenario_data(DEFAULT_SCENARIOS[0])
    edited['title']['id'] = 'Judul yang Diperbarui'
    status, body = call(block, 'studio_save', save_payload(edited))
    assert status == 200, body
    assert (block.display_name, block.weight, block.grading_policy, block.max_attempts) == (
        'Studi Kasus Baru', 2.5, 'last', 3)
    assert block.scenario['title']['id'] == 'Judul yang Diperbarui'
    assert block.scenario == Scenario.from_dict(edited).to_dict()  # stored in canonical form
    assert body['problems'] == [] and body['max_score'] == 100.0


def test_saving_a_smaller_scenario_changes_the_maximum_score():
    block = staff_block()
    status, _ = call(block, 'studio_save', save_payload(small_scenario()))
    assert status == 200
    assert block.max_score() == 15.0
    assert block.model.node('n1').choice('a').points == 10


def test_warnings_do_not_block_a_save_and_are_returned():
    scenario = small_scenario()
    scenario['nodes'].append(ending('lost-end', 'poor'))
    block = staff_block()
    status, body = call(block, 'studio_save', save_payload(scenario))
    assert status == 200, body
    assert [(p['severity'], p['code'], p['node_id']) for p in body['problems']] == [
        ('warning', 'ending_unreachable', 'lost-end')]
    assert body['problems'][0]['message'] == 'Akhir cerita "lost-end" tidak akan pernah tercapai.'
    assert block.scenario['nodes'][-1]['id'] == 'lost-end'


def test_a_scenario_with_an_unknown_target_is_refused_in_indonesian_and_nothing_changes():
    block = staff_block(display_name='Lama')
    before = settings_of(block)
    scenario = small_scenario()
    scenario['nodes'][1]['choices'][0]['target'] = 'hilang'
    status, body = call(block, 'studio_save', save_payload(scenario))
    assert status == 400
    assert body['error'] == 'Skenario tidak disimpan: perbaiki dulu kesalahan yang tercantum di bawah.'
    [problem] = [p for p in body['problems'] if p['code'] == 'unknown_target']
    assert (problem['severity'], problem['node_id'], problem['choice_id']) == ('error', 'n2', 'c')
    assert problem['message'] == 'Simpul "n2": pilihan mengarah ke "hilang", yang tidak ada.'
    assert body['min_score'] is None and body['max_score'] is None
    assert settings_of(block) == before


@pytest.mark.parametrize('mangle, detail', [
    (lambda s: s.pop('nodes'), "missing 'nodes'"),
    (lambda s: s['nodes'][0].update(kind='puzzle'), "'kind' must be one of"),
    (lambda s: s['nodes'][0]['choices'][0].update(points='sepuluh'), "node 'n1' choice 'a'"),
    (lambda s: s.update(format=2), "'format' must be 1"),
])
def test_a_malformed_scenario_is_refused_with_where_it_went_wrong(mangle, detail):
    block = staff_block()
    before = settings_of(block)
    scenario = small_scenario()
    mangle(scenario)
    status, body = call(block, 'studio_save', save_payload(scenario))
    assert status == 400
    assert body['error'].startswith('Skenario tidak sesuai dengan format skenario: ')
    assert detail in body['error']
    assert [p['code'] for p in body['problems']] == ['bad_shape']
    assert settings_of(block) == before


@pytest.mark.parametrize('overrides, message', [
    ({'display_name': 'x' * 256}, 'Isian "display_name" terlalu panjang.'),
    ({'display_name': '   '}, 'Nama tampilan tidak boleh kosong.'),
    ({'weight': -1}, 'Isian "weight" berada di luar rentang yang diizinkan.'),
    ({'weight': 101}, 'Isian "weight" berada di luar rentang yang diizinkan.'),
    ({'max_attempts': 101}, 'Isian "max_attempts" berada di luar rentang yang diizinkan.'),
    ({'max_attempts': 1.5}, 'Isian "max_attempts" memiliki tipe yang salah.'),
    ({'grading_policy': 'average'}, 'Nilai "grading_policy" tidak diizinkan.'),
    ({'scenario': []}, 'Isian "scenario" memiliki tipe yang salah.'),
    ({'points': 100}, 'Isian "points" tidak diharapkan di sini.'),
])
def test_bad_settings_are_refused_in_indonesian_and_nothing_changes(overrides, message):
    block = staff_block()
    before = settings_of(block)
    payload = {**save_payload(small_scenario()), **overrides}
    status, body = call(block, 'studio_save', payload)
    assert (status, body['error']) == (400, message)
    assert settings_of(block) == before


def test_learners_cannot_check_or_save():
    block = learner_block()
    before = settings_of(block)
    for handler, payload in (('studio_save', save_payload(small_scenario())),
                             ('studio_check', {'scenario': small_scenario()})):
        status, body = call(block, handler, payload)
        assert (status, body['error']) == (403, 'Hanya staf pelatihan yang dapat melakukan ini.')
    assert settings_of(block) == before


def studio_block(writable):
    """A block as Studio's handler runtime sees it: a user service that never says "staff"."""
    permissions = FakeStudioPermissions(writable)
    block = make_block(Block, user=FakeUserService(user_id='9', staff=False))
    block.runtime._services['studio_user_permissions'] = permissions  # pylint: disable=protected-access
    course = CourseLocator('ASN', 'CS101', '2025')
    block.scope_ids = ScopeIds('9', 'asn_case_study', 'def-1', BlockUsageLocator(course, 'asn_case_study', 'cs1'))
    return block, permissions, course


def test_a_studio_author_with_write_access_may_save():
    block, permissions, course = studio_block(writable=True)
    status, _ = call(block, 'studio_save', save_payload(small_scenario()))
    assert status == 200
    assert permissions.asked == [course]
    assert block.display_name == 'Studi Kasus Baru'


def test_a_studio_user_without_write_access_is_refused():
    block, _permissions, _course = studio_block(writable=False)
    before = settings_of(block)
    status, _ = call(block, 'studio_save', save_payload(small_scenario()))
    assert status == 403
    assert settings_of(block) == before


# --- studio_check ----------------------------------------------------------------------------------

def test_check_reports_problems_in_indonesian_without_saving():
    block = staff_block()
    before = settings_of(block)
    scenario = small_scenario(variables=[{'name': 'sabar', 'kind': 'flag', 'initial': False}])
    scenario['nodes'][0]['choices'][1]['effects'] = 'sabar += 1'
    scenario['nodes'][1]['choices'] = scenario['nodes'][1]['choices'][:1]
    status, body = call(block, 'studio_check', {'scenario': scenario})
    assert status == 200
    messages = {p['code']: p['message'] for p in body['problems']}
    assert messages['too_few_choices'].startswith('Situasi "n2"')
    assert 'penanda "sabar"' in messages['effect_type']  # the variable kind is translated too
    assert body['counts'] == {'situation': 2, 'event': 0, 'route': 0, 'ending': 1, 'choices': 3}
    assert settings_of(block) == before


def test_check_gives_the_score_range_of_a_clean_scenario():
    status, body = call(staff_block(), 'studio_check', {'scenario': small_scenario()})
    assert (status, body['problems'], body['min_score'], body['max_score']) == (200, [], 2.0, 15.0)


def test_every_default_scenario_fits_the_learner_cap_and_the_studio_cap():
    """They fit 64 KiB today (~42 KB); authored scenarios grow, so Studio handlers take 512 KiB."""
    for name in DEFAULT_SCENARIOS:
        body = json.dumps(save_payload(scenario_data(name))).encode('utf-8')
        assert len(body) < MAX_BODY_BYTES < studio.STUDIO_MAX_BODY_BYTES


def test_studio_handlers_take_scenarios_above_the_learner_cap_but_not_without_limit():
    scenario = small_scenario()
    scenario['introduction'] = {'id': 'panjang ' * 20_000}  # ~160 KB
    status, body = call(staff_block(), 'studio_check', {'scenario': scenario})
    assert status == 200, body
    scenario['introduction'] = {'id': 'x' * studio.STUDIO_MAX_BODY_BYTES}
    status, body = call(staff_block(), 'studio_check', {'scenario': scenario})
    assert (status, body['error']) == (400, 'Permintaan terlalu besar.')


# --- validate() and author_view --------------------------------------------------------------------

def test_validate_lists_every_error_and_warning_of_the_stored_scenario():
    scenario = small_scenario()
    scenario['nodes'][1]['choices'][0]['target'] = 'hilang'
    scenario['nodes'].append(ending('lost-end', 'poor'))
    validation = staff_block(scenario=scenario).validate()
    found = [(message.type, message.text) for message in validation.messages]
    assert (ValidationMessage.ERROR, 'Simpul "n2": pilihan mengarah ke "hilang", yang tidak ada.') in found
    assert (ValidationMessage.WARNING, 'Akhir cerita "lost-end" tidak akan pernah tercapai.') in found
    assert not validation


def test_validate_is_empty_for_the_default_scenario():
    assert staff_block().validate().messages == []


def test_validate_reports_a_malformed_stored_scenario_as_one_error():
    validation = staff_block(scenario={'format': 1}).validate()
    [message] = validation.messages
    assert message.type == ValidationMessage.ERROR
    assert message.text.startswith('Skenario tidak sesuai dengan format skenario:')


def test_author_view_is_the_learner_view_under_a_summary_for_authors():
    scenario = small_scenario()
    scenario['nodes'].append(ending('lost-end', 'poor'))
    frag = staff_block(scenario=scenario).author_view()
    page = frag.content
    summary, learner = page.split('<div class="asn-block asn-case-study"', 1)
    assert 'Untuk penyusun: ringkasan skenario' in summary
    for count in ('2 situasi', '4 pilihan', '0 situasi yang tidak terduga', '0 simpul rute', '2 akhir cerita'):
        assert count in summary, count
    assert 'Skor yang dapat dicapai: dari 2 sampai 15 poin.' in summary
    assert 'Peringatan' in summary and 'lost-end' in summary
    assert 'data-cs-stage' in learner
    assert frag.js_init_fn == 'AsnCaseStudy'  # the learner's player still starts


def test_author_view_of_a_malformed_scenario_shows_only_the_summary():
    frag = staff_block(scenario={'format': 1}).author_view()
    assert 'Skenario tidak sesuai dengan format skenario' in frag.content
    assert 'data-cs-stage' not in frag.content


# --- the editor's JavaScript -----------------------------------------------------------------------

def test_the_editor_script_speaks_the_studio_notify_contract():
    source = STUDIO_JS.read_text(encoding='utf-8')
    assert re.search(r"api\.notify\(runtime, 'save', \{state: 'start', message: _\('Saving…'\)\}\)", source)
    assert "api.notify(runtime, 'save', {state: 'end'})" in source
    assert re.search(r"api\.notify\(runtime, 'error', \{title: ", source)
    assert "api.notify(runtime, 'cancel', {})" in source
    assert 'innerHTML' not in source  # author and server text go in through textContent only
    assert "'studio_save'" in source and "'studio_check'" in source
    form = (STUDIO_JS.parent / 'scenario_editor.js').read_text(encoding='utf-8')
    assert 'innerHTML' not in form and 'insertAdjacentHTML' not in form
