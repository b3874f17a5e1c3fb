"""The instructors' side of the assessment through real workbench handler URLs.

Four learners take the pre-test and the post-test with answers chosen so that their scores are
known; staff read the report and both CSVs; learners are refused; the LMS report hook reads
XBlockUserState tuples; a key fixed by the author rescores.
"""
import csv
import io
from collections import namedtuple

import numpy as np
import pytest
from scipy import stats
from workbench.runtime import WorkbenchRuntime

from asn_xblocks.assessment.defaults import default_bank
from asn_xblocks.assessment.forms import Form

from .test_assessment_workbench import SCENARIO, blocks

XBlockUserState = namedtuple('XBlockUserState', ['username', 'block_key', 'state', 'updated', 'scope'])
STAFF = 'staff_1'
KEY = {item['id']: [o['id'] for o in item.get('options', ()) if o['correct']] for item in default_bank()['items']}
WRONG = {item['id']: [next(o['id'] for o in item.get('options', ()) if not o['correct'])]
         for item in default_bank()['items'] if item['type'] != 'likert'}
GRADED = sorted(WRONG)
# learner: (items right in the pre-test, items right in the post-test); 10 graded items of 1 point
PLAN = {
    'ani': (GRADED[:2], GRADED[:8]),  # 20 -> 80
    'budi': (GRADED[:5], GRADED[:6]),  # 50 -> 60
    'citra': (GRADED[:4], GRADED[:10]),  # 40 -> 100
    '=cmd|calc': (GRADED[:6], GRADED[:5]),  # 60 -> 50, a name a spreadsheet would run
}


def submit_with(workbench, usage, student, right):
    """Start and submit, answering the items in `right` correctly and the others wrongly."""
    status, started = workbench.call(usage, 'start', {}, student=student)
    assert status == 200, started
    form = Form.from_dict(WorkbenchRuntime(student).get_block(usage).current['form'])
    answers = {}
    for item in started['form']['items']:
        item_id = item['item_id']
        if item['type'] == 'likert':
            answers[item_id] = 4
        else:
            answers[item_id] = [form.token(item_id, option) for option in (KEY if item_id in right else WRONG)[item_id]]
    status, result = workbench.call(usage, 'submit', {'attempt': started['attempt'], 'answers': answers,
                                                      'confidence': {}}, student=student)
    assert status == 200, result
    return result


@pytest.fixture
def taken(workbench):
    _html, pre, post = blocks(workbench)
    for student, (before, after) in PLAN.items():
        workbench.open(SCENARIO, student=student)
        submit_with(workbench, pre, student, before)
        submit_with(workbench, post, student, after)
    workbench.open(SCENARIO, student='dewi')  # pre-test only: unmatched
    submit_with(workbench, pre, 'dewi', GRADED[:3])
    workbench.open(SCENARIO, student=STAFF)
    return pre, post


def test_the_report_gives_the_matched_gains_computed_by_hand(workbench, taken):
    pre, post = taken
    status, report = workbench.call(post, 'staff_report', {}, student=STAFF)
    assert status == 200, report
    gains = report['gains']
    pre_scores = np.array([20, 50, 40, 60.0])
    post_scores = np.array([80, 60, 100, 50.0])
    assert gains['n_matched'] == 4 and gains['n_pre_only'] == 1 and gains['n_post_only'] == 0
    assert gains['pre']['mean'] == pytest.approx(42.5) and gains['post']['mean'] == pytest.approx(72.5)
    assert gains['raw_gain']['mean'] == pytest.approx(30.0)
    # Hake: (72.5 - 42.5) / (100 - 42.5)
    assert gains['class_gain']['value'] == pytest.approx(30 / 57.5) and gains['class_gain_band'] == 'medium'
    individual = (post_scores - pre_scores) / (100 - pre_scores)
    assert gains['average_normalized_gain']['value'] == pytest.approx(individual.mean())
    assert gains['t_test']['p_value'] == pytest.approx(stats.ttest_rel(post_scores, pre_scores).pvalue)
    # tied differences (60, 60; |10|, |-10|): the normal approximation, as gains.py documents
    assert gains['wilcoxon']['method'] == 'normal approximation'
    assert gains['wilcoxon']['p_value'] == pytest.approx(
        stats.wilcoxon(post_scores - pre_scores, method='approx').pvalue)
    delta = post_scores - pre_scores
    assert gains['effect_size_dz']['value'] == pytest.approx(delta.mean() / delta.std(ddof=1))
    assert report['phases']['pre']['learners'] == 5 and report['phases']['post']['learners'] == 4
    assert report['phases']['post']['repeated_items'] == 4  # the demo draws every item: staff are told
    assert report['distribution']['pre'][2] == 1 and report['distribution']['post'][-1] == 1  # 20 and 100
    assert report['computed_at'] and report['pairing_key'] == 'pelayanan-publik-demo'
    assert report['competency_labels']['M.05'].startswith('Pelayanan Publik')
    assert 'learners' not in report  # no per-learner rows to the browser


def test_the_item_analysis_matches_the_answers(workbench, taken):
    _pre, post = taken
    _status, report = workbench.call(post, 'staff_report', {}, student=STAFF)
    items = {row['item_id']: row for row in report['phases']['pre']['items']}
    # pre-test: GRADED[0] and [1] right for all five learners (2, 5, 4, 6, 3 right each)
    assert items[GRADED[0]]['facility'] == pytest.approx(1.0)
    assert items[GRADED[5]]['facility'] == pytest.approx(1 / 5)  # only the learner with 6 right
    assert items[GRADED[9]]['facility'] == 0.0
    assert report['phases']['pre']['form_learners'] == 5 and report['phases']['pre']['forms'] == 1
    codes = {(alert['code'], alert['item_id']) for alert in report['phases']['pre']['alerts']}
    assert ('pre-test-facility-high', GRADED[0]) in codes
    assert all(alert['message'] for alert in report['phases']['pre']['alerts'])
    dropped = {alert['item_id'] for alert in report['phases']['post']['alerts'] if alert['code'] == 'post-facility-below-pre'}
    assert dropped == set()  # every item is answered right at least as often after the training


def test_learners_are_refused_the_staff_handlers(workbench, taken):
    _pre, post = taken
    status, refusal = workbench.call(post, 'staff_report', {}, student='ani')
    assert status == 403 and refusal['error'] == 'Hanya staf pelatihan yang dapat melakukan ini.'
    assert workbench.get(post, 'export_csv/pairs', student='ani').status_code == 403


def read_csv(response):
    assert response.status_code == 200 and response['Content-Type'].startswith('text/csv')
    return list(csv.reader(io.StringIO(response.content.decode('utf-8-sig'))))


def test_the_pairs_csv_has_a_row_per_matched_learner_and_neutralises_formulas(workbench, taken):
    _pre, post = taken
    rows = read_csv(workbench.get(post, 'export_csv/pairs', student=STAFF))
    header, body = rows[0], rows[1:]
    assert header[:4] == ['Nama pengguna', 'ID pengguna', 'Tes awal (%)', 'Tes akhir (%)']
    assert header[-1] == 'Dihitung pada (UTC)'
    assert len(body) == 4
    by_learner = {row[1]: row for row in body}
    assert "'=cmd|calc" in by_learner
    assert float(by_learner['ani'][2]) == 20.0 and float(by_learner['ani'][3]) == 80.0
    assert float(by_learner['ani'][5]) == pytest.approx(0.75)  # g = 60 / 80


def test_the_items_csv_has_both_phases(workbench, taken):
    _pre, post = taken
    rows = read_csv(workbench.get(post, 'export_csv/items', student=STAFF))
    phases = {row[0] for row in rows[1:]}
    assert phases == {'pre', 'post'} and len(rows) == 1 + 2 * len(GRADED)
    assert workbench.get(post, 'export_csv/other', student=STAFF).status_code == 404


def test_generate_report_data_reads_only_the_states_it_is_handed(workbench, taken):
    pre, _post = taken
    students = ['ani', 'nobody', 'budi']
    states = []
    for student in students:
        block = WorkbenchRuntime(student).get_block(pre)
        state = {name: getattr(block, name) for name in ('current', 'submitted', 'attempts_used')
                 if block.fields[name].is_set_on(block)}
        states.append(XBlockUserState(student, pre, state, None, 'user_state'))
    block = WorkbenchRuntime(None).get_block(pre)
    rows = list(block.generate_report_data(iter(states)))
    assert [name for name, _row in rows] == ['ani', 'budi']
    assert rows[0][1]['Skor (%)'] == 20.0 and rows[0][1]['Tahap'] == 'Tes awal'
    assert list(block.generate_report_data(iter(states), limit_responses=1))[0][0] == 'ani'


def test_a_fixed_key_rescores_the_learners_attempts(workbench, taken):
    pre, _post = taken
    block = WorkbenchRuntime('ani').get_block(pre)
    assert block.get_score().raw_earned == 20.0
    bank = default_bank()
    flipped = GRADED[9]  # ani answered it wrongly; make her answer the key
    for item in bank['items']:
        if item['id'] == flipped:
            for option in item['options']:
                option['correct'] = option['id'] == WRONG[flipped][0]
    block.bank = bank
    assert block.calculate_score().raw_earned == pytest.approx(30.0)
