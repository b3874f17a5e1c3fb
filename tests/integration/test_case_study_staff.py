"""The instructors' side of the case-study block through real workbench handler URLs.

Several learners play to an ending; staff (`?student=staff_…`) read the report and the CSV;
learners are refused both; the LMS report hook reads XBlockUserState tuples.
"""
import csv
import io
import json
from collections import Counter, namedtuple

import pytest
from workbench.runtime import WorkbenchRuntime

from asn_xblocks.case_study.defaults import scenario_data
from asn_xblocks.case_study.model import Router, Scenario, Situation
from asn_xblocks.core.ledger import api as ledger
from asn_xblocks.devsite.services import DevUserService

from .test_case_study_workbench import SCENARIO, play_to_last_decision, start

XBlockUserState = namedtuple('XBlockUserState', ['username', 'block_key', 'state', 'updated', 'scope'])

STAFF = 'staff_1'
FORMULA_LEARNER = '=SUM(A1)'
STATE_FIELDS = ('play', 'finished_paths', 'attempts_used', 'raw_earned')


def play_picking(workbench, usage, payload, student, picks):
    """Play to the ending taking `picks[node_id]` where given, else the first available choice."""
    while not payload['finished']:
        view = payload['view']
        if view['kind'] == 'event':
            status, payload = workbench.call(usage, 'proceed', {'step': payload['step']}, student=student)
        else:
            choice = picks.get(view['node_id'], view['choices'][0]['id'])
            status, payload = workbench.call(usage, 'choose', {'step': payload['step'], 'choice': choice},
                                             student=student)
        assert status == 200, payload
    return payload


@pytest.fixture(name='played')
def fixture_played(workbench):
    """student_1 plays twice (expert path), '=SUM(A1)' once (expert path), student_2 takes the bribe,
    student_3 only opens the page and student_4 starts without finishing.

    Returns the usage id and each learner's final payload.
    """
    endings = {}
    usage, payload = start(workbench, 'student_1')
    play_to_last_decision(workbench, usage, payload, student='student_1')
    status, again = workbench.call(usage, 'begin', {}, student='student_1')
    assert status == 200, again
    endings['student_1'] = play_to_last_decision(workbench, usage, again, student='student_1')[1]
    _usage, payload = start(workbench, FORMULA_LEARNER)
    endings[FORMULA_LEARNER] = play_to_last_decision(workbench, usage, payload, student=FORMULA_LEARNER)[1]
    _usage, payload = start(workbench, 'student_2')
    endings['student_2'] = play_picking(workbench, usage, payload, 'student_2', {'n8': 'b'})
    workbench.open(SCENARIO, student='student_3')  # opens the page, never starts
    start(workbench, 'student_4')  # starts, never finishes
    return usage, endings


def test_staff_get_the_report_with_the_right_counts(workbench, played):
    usage, endings = played
    assert endings['student_1']['view']['rating'] == 'good'
    assert endings['student_2']['view']['node_id'] == 'end-breach'
    status, report = workbench.call(usage, 'staff_report', {}, student=STAFF)
    assert status == 200, report
    assert report['ledger_available'] is True
    assert (report['summary']['learners'], report['summary']['attempts']) == (3, 4)
    assert report['summary']['started'] == 4
    ratings = {row['rating']: (row['learners'], row['attempts']) for row in report['ratings']['rows']}
    assert ratings == {'good': (2, 3), 'fair': (0, 0), 'poor': (1, 1)}
    assert report['scores']['learners'] == 3
    assert sum(band['count'] for band in report['scores']['bands']) == 3
    n8 = next(row for row in report['choices']['situations'] if row['node_id'] == 'n8')
    assert n8['learners'] == 3
    assert {c['choice_id']: c['learners'] for c in n8['choices']} == {'a': 2, 'b': 1, 'c': 0}
    assert n8['choices'][0]['label'] and not n8['choices'][0]['label'].startswith('Accept')  # Indonesian
    poor = report['poor_paths']['rows']
    assert len(poor) == 1 and poor[0]['learners'] == 1 and poor[0]['ending_id'] == 'end-breach'
    assert 'n8:b' in poor[0]['path']
    assert report['competencies']['rows'] and report['competencies']['learners'] == 3


def edges_taken(scenario, answers):
    """The graph edge ids one recorded attempt took, worked out from its path on its own."""
    path = answers['path']
    arrivals = [step['node_id'] for step in path[1:]] + [answers['ending']]
    taken = set()
    for step, arrival in zip(path, arrivals):
        node = scenario.node(step['node_id'])
        if step['kind'] == 'choice':
            index = [choice.id for choice in node.choices].index(step['choice_id'])
            taken.add(f"{node.id}:choice:{index}")
            target = node.choices[index].target
        elif step['kind'] == 'timeout':
            taken.add(f"{node.id}:timeout:{len(node.choices)}")
            target = node.timeout.target
        else:
            index = [outcome.target for outcome in node.outcomes].index(arrival)
            taken.add(f"{node.id}:outcome:{index}")
            target = arrival
        router = scenario.node(target)
        if isinstance(router, Router):
            taken.add(f"{router.id}:route:{[route.target for route in router.routes].index(arrival)}")
    return taken


def test_the_report_draws_the_scenario_graph_with_the_learners_of_each_step(workbench, played):
    usage, _endings = played
    status, report = workbench.call(usage, 'staff_report', {}, student=STAFF)
    assert status == 200, report
    graph = report['graph']
    scenario = Scenario.from_dict(scenario_data('sampah_sekolah'))
    assert len(graph['nodes']) == len(scenario.nodes) and graph['width'] > 0 and graph['height'] > 0
    nodes = {node['id']: node for node in graph['nodes']}
    assert nodes['n1']['column'] == 0 and nodes['n1']['title'] == scenario.node('n1').title.get('id')
    assert nodes['n1']['learners'] == 3 and nodes['end-breach']['learners'] == 1
    assert (graph['learners'], graph['basis']) == (3, 'latest_attempt')

    latest = {}
    for record in ledger.attempt_records(usage):
        latest[record['user_id']] = record  # attempts come in order: the last one stays
    expected = Counter()
    for record in latest.values():
        expected.update(edges_taken(scenario, record['answers']))
    counts = {edge['id']: edge['learners'] for edge in graph['edges']}
    assert {key: count for key, count in counts.items() if count} == dict(expected)
    assert (counts['n8:choice:0'], counts['n8:choice:1'], counts['n8:choice:2']) == (2, 1, 0)
    assert counts['e1:outcome:0'] + counts['e1:outcome:1'] == 3
    assert sum(count for key, count in counts.items() if key.startswith('r1:route:')) == 3
    assert counts['r1:route:0'] == 1  # student_2's integrity breach
    # The same numbers as the report's choice table.
    for row in report['choices']['situations']:
        if isinstance(scenario.node(row['node_id']), Situation):
            for index, choice in enumerate(row['choices']):
                assert counts[f"{row['node_id']}:choice:{index}"] == choice['learners']


def test_attempt_records_come_in_learner_order_with_one_query_for_competencies(
        workbench, played, django_assert_num_queries):
    usage, _ = played
    with django_assert_num_queries(2):
        records = list(ledger.attempt_records(usage))
    assert [(r['user_id'], r['attempt_number']) for r in records] == [
        (FORMULA_LEARNER, 1), ('student_1', 1), ('student_1', 2), ('student_2', 1)]
    assert set(records[0]) == {'user_id', 'attempt_number', 'score', 'max_score', 'answers', 'submitted_at',
                               'competencies'}
    earned, possible = records[0]['competencies']['M.05']
    assert 0 <= earned <= possible
    assert list(ledger.attempt_records('no-such-block')) == []


def test_the_report_needs_the_empty_object(workbench, played):
    usage, _ = played
    status, error = workbench.call(usage, 'staff_report', {'all': True}, student=STAFF)
    assert status == 400 and '"all"' in error['error']


def test_learners_are_refused_both_staff_handlers_in_indonesian(workbench, played):
    usage, _ = played
    status, error = workbench.call(usage, 'staff_report', {}, student='student_1')
    assert status == 403 and error['error'] != 'Only course staff can do this.'
    response = workbench.get(usage, 'export_csv', student='student_1')
    assert response.status_code == 403
    assert response['Content-Type'].startswith('application/json')
    assert 'attachment' not in response.get('Content-Disposition', '')
    body = json.loads(response.content)
    assert set(body) == {'error'} and body['error'] == error['error']


def test_the_csv_export_wants_get(workbench, played):
    usage, _ = played
    status, _body = workbench.call(usage, 'export_csv', {}, student=STAFF)
    assert status == 405


def read_csv(response):
    text = response.content.decode('utf-8')
    assert text.startswith('\ufeff')
    return list(csv.reader(io.StringIO(text[1:])))


def test_staff_download_one_row_per_attempt_with_formulas_neutralised(workbench, played):
    usage, endings = played
    response = workbench.get(usage, 'export_csv', student=STAFF)
    assert response.status_code == 200
    assert response['Content-Type'].startswith('text/csv')
    assert response['Content-Disposition'] == 'attachment; filename="studi-kasus-sampah-sekolah.csv"'
    header, *rows = read_csv(response)
    assert header[:3] == ['Nama pengguna', 'ID pengguna', 'Percobaan']
    assert header[-1] == 'Waktu kirim (UTC)' and 'M.05 (%)' in header
    assert len(rows) == 4
    by_user = {}
    for row in rows:
        by_user.setdefault(row[1], []).append(row)
    assert sorted(by_user) == sorted(["'" + FORMULA_LEARNER, 'student_1', 'student_2'])
    formula_row = by_user["'" + FORMULA_LEARNER][0]
    assert formula_row[0] == "'" + FORMULA_LEARNER  # the username column too
    assert not any(cell.startswith(('=', '+', '@')) for row in rows for cell in row)
    breach = by_user['student_2'][0]
    score, maximum, percent = (float(cell) for cell in breach[3:6])
    assert (score, maximum, percent) == (endings['student_2']['debrief']['score'], 100.0,
                                         endings['student_2']['debrief']['score'])
    assert breach[7] == 'Kurang' and 'n8:b' in breach[8]
    assert [row[2] for row in by_user['student_1']] == ['1', '2']


def test_the_staff_panel_is_offered_to_staff_only(workbench, played):
    usage, _ = played
    assert WorkbenchRuntime('student_1').get_block(usage).staff_fragment_context() is None
    panel = WorkbenchRuntime(STAFF).get_block(usage).staff_fragment_context()
    assert panel['js'] == ('public/case_study/staff.js',) and panel['init_args'] == {'ledger_available': True}


def user_states(usage, students):
    """XBlockUserState tuples as the LMS hands them to generate_report_data."""
    states = []
    for student in students:
        block = WorkbenchRuntime(student).get_block(usage)
        state = {name: getattr(block, name) for name in STATE_FIELDS if block.fields[name].is_set_on(block)}
        states.append(XBlockUserState(student, usage, state, None, 'user_state'))
    return states


def test_generate_report_data_reads_states_without_the_user_service(workbench, played, monkeypatch):
    usage, endings = played
    states = user_states(usage, ['student_3', 'student_1', FORMULA_LEARNER, 'student_2'])
    assert states[0].state == {}  # opened the page, never started
    block = WorkbenchRuntime(None).get_block(usage)

    def no_user(_service):
        raise AssertionError('generate_report_data must not ask for a user')

    monkeypatch.setattr(DevUserService, 'get_current_user', no_user)
    rows = list(block.generate_report_data(iter(states)))
    assert [username for username, _row in rows] == ['student_1', FORMULA_LEARNER, 'student_2']
    first = rows[0][1]
    assert list(first)[:2] == ['Jumlah percobaan', 'Status']
    assert first['Jumlah percobaan'] == 2 and first['Status'] == 'Selesai' and first['Predikat'] == 'Baik'
    assert rows[2][1]['Skor'] == endings['student_2']['debrief']['score']
    assert 'n8:b' in rows[2][1]['Jalur']


def test_generate_report_data_honours_the_limit(workbench, played):
    usage, _ = played
    states = user_states(usage, ['student_3', 'student_1', FORMULA_LEARNER, 'student_2'])
    block = WorkbenchRuntime(None).get_block(usage)
    consumed = []

    def counted():
        for state in states:
            consumed.append(state.username)
            yield state

    assert [name for name, _row in block.generate_report_data(counted(), limit_responses=2)] == [
        'student_1', FORMULA_LEARNER]
    assert consumed == ['student_3', 'student_1', FORMULA_LEARNER]  # stops without reading more
    assert list(block.generate_report_data(iter(states), limit_responses=0)) == []
