"""The scenario graph of the staff report: layering, order, geometry and counts, as plain data."""
import json

import pytest

from asn_xblocks.case_study import graph_layout
from asn_xblocks.case_study.defaults import DEFAULT_SCENARIOS, scenario_data
from asn_xblocks.case_study.graph_layout import NODE_HEIGHT, NODE_WIDTH, layout
from asn_xblocks.case_study.model import Scenario
from asn_xblocks.case_study.report import build_report, transitions

from case_study_builders import build, choice, ending, event, route, situation, text
from test_report import steps


def bundled(name):
    return Scenario.from_dict(scenario_data(name))


def by_id(graph):
    return {node['id']: node for node in graph['nodes']}


def declared_count(scenario):
    total = 0
    for node in scenario.nodes:
        total += len(getattr(node, 'choices', ())) + bool(getattr(node, 'timeout', None))
        total += len(getattr(node, 'outcomes', ())) + len(getattr(node, 'routes', ()))
    return total


@pytest.mark.parametrize('name', DEFAULT_SCENARIOS)
def test_bundled_scenarios_are_layered_from_the_start(name):
    scenario = bundled(name)
    graph = layout(scenario, locale='id')
    nodes = by_id(graph)
    assert set(nodes) == {node.id for node in scenario.nodes}
    assert nodes[scenario.start]['column'] == 0 and nodes[scenario.start]['start']
    assert [node['id'] for node in graph['nodes'] if node['column'] == 0] == [scenario.start]
    assert all(node['reachable'] for node in graph['nodes'])
    # Every edge an author drew, each one forward: the bundled scenarios have no cycle.
    assert len(graph['edges']) == declared_count(scenario)
    for edge in graph['edges']:
        assert not edge['back'], edge['id']
        assert nodes[edge['target']]['column'] > nodes[edge['source']]['column'], edge['id']
    # A chain of situations, the event's two outcomes side by side, the route, then the endings.
    assert graph['columns'] == 13
    assert {node['id'] for node in graph['nodes'] if node['column'] == 12} == {
        'end-good', 'end-fair', 'end-poor', 'end-breach'}
    assert {node['kind'] for node in graph['nodes']} == {'situation', 'event', 'route', 'ending'}
    assert nodes['r1']['column'] == 11 and nodes['r1']['title'] == 'r1'
    event_column = nodes['e1']['column'] + 1
    assert sorted(node['id'] for node in graph['nodes'] if node['column'] == event_column) in (
        ['n5', 'n5b'], ['n6', 'n6b'])


@pytest.mark.parametrize('name', DEFAULT_SCENARIOS)
def test_the_layout_is_deterministic_and_json_ready(name):
    first = layout(bundled(name), locale='id')
    again = layout(Scenario.from_dict(json.loads(json.dumps(scenario_data(name)))), locale='id')
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


@pytest.mark.parametrize('name', DEFAULT_SCENARIOS)
def test_geometry_fits_the_drawing_and_nodes_do_not_overlap(name):
    graph = layout(bundled(name), locale='id')
    assert (graph['node_width'], graph['node_height']) == (NODE_WIDTH, NODE_HEIGHT)
    boxes = set()
    for node in graph['nodes']:
        assert 0 <= node['x'] and node['x'] + NODE_WIDTH <= graph['width']
        assert 0 <= node['y'] and node['y'] + NODE_HEIGHT <= graph['height']
        boxes.add((node['column'], node['row']))
    assert len(boxes) == len(graph['nodes'])
    nodes = by_id(graph)
    for edge in graph['edges']:
        source, target = nodes[edge['source']], nodes[edge['target']]
        assert len(edge['path']) == 4
        assert edge['path'][0][0] == source['x'] + NODE_WIDTH and edge['path'][-1][0] == target['x']
        assert source['y'] <= edge['path'][0][1] <= source['y'] + NODE_HEIGHT
        assert 0 <= edge['label_at'][1] <= graph['height']
    # Parallel edges (n1's choices all lead to n2) get labels at distinct heights.
    n1 = [edge['label_at'][1] for edge in graph['edges'] if edge['source'] == 'n1']
    assert len(set(n1)) == len(n1) > 1


def test_edges_carry_the_content_in_the_locale():
    scenario = bundled('sampah_sekolah')
    edges = {edge['id']: edge for edge in layout(scenario, locale='en')['edges']}
    n1_a = edges['n1:choice:0']
    assert (n1_a['source'], n1_a['target'], n1_a['choice_id'], n1_a['kind']) == ('n1', 'n2', 'a', 'choice')
    assert n1_a['label'] == scenario.node('n1').choices[0].label.get('en')
    assert edges['n6:timeout:3']['target'] == 'n7' and edges['n6:timeout:3']['choice_id'] is None
    assert (edges['e1:outcome:1']['target'], edges['e1:outcome:1']['weight']) == ('n5b', 1)
    assert edges['r1:route:1']['condition'] == 'score >= 85' and edges['r1:route:3']['condition'] is None
    assert all(edge['learners'] == 0 for edge in edges.values())


# e0 -> (n1 | r0) ; n1: a -> n2, b -> r1, loop -> n1 (back), timeout -> n3 ; n2: c -> n1 (back), d -> r1 ;
# r1 -> good if score >= 10, else -> poor ; n3: e -> poor ; orphan: unreachable, f -> good.
CYCLE = build(
    situation('n1', choice('a', 'n2'), choice('b', 'r1'), choice('loop', 'n1'),
              time_limit=30, timeout={'target': 'n3', 'points': 0, 'feedback': text('Terlambat')}),
    situation('n2', choice('c', 'n1'), choice('d', 'r1')),
    route('r1', ('score >= 10', 'good'), (None, 'poor')),
    situation('n3', choice('e', 'poor')),
    ending('good', 'good'), ending('poor', 'poor'),
    situation('orphan', choice('f', 'good')),
)


def test_cycles_are_laid_out_by_ignoring_back_edges():
    graph = layout(CYCLE, locale='id')
    nodes = by_id(graph)
    back = {edge['id'] for edge in graph['edges'] if edge['back']}
    assert back == {'n1:choice:2', 'n2:choice:0'}
    for edge in graph['edges']:
        source, target = nodes[edge['source']], nodes[edge['target']]
        if not edge['back']:
            assert target['column'] > source['column'], edge['id']
        else:
            assert target['column'] <= source['column'], edge['id']
            # Back edges run under the nodes, in lanes inside the drawing.
            assert edge['label_at'][1] > max(node['y'] for node in graph['nodes']) + NODE_HEIGHT
            assert edge['label_at'][1] < graph['height']
    # Longest path: n1 (0) -> n2 (1) -> r1 (2) -> good/poor (3), n3 (1).
    assert {key: node['column'] for key, node in nodes.items() if key != 'orphan'} == {
        'n1': 0, 'n2': 1, 'n3': 1, 'r1': 2, 'good': 3, 'poor': 3}
    assert nodes['orphan']['reachable'] is False and nodes['n1']['reachable'] is True


def test_an_edge_into_the_start_is_a_back_edge_even_from_outside():
    scenario = build(situation('n1', choice('a', 'end')), ending('end'), situation('x', choice('b', 'n1')))
    graph = layout(scenario)
    assert by_id(graph)['n1']['column'] == 0
    assert [edge['id'] for edge in graph['edges'] if edge['back']] == ['x:choice:0']


def test_barycentre_order_removes_a_crossing():
    # n1 reaches `cc` directly, so the search meets it first: in that order A (above) leads to
    # `dd` (below) and B to `cc` (above), a crossing the barycentre sweeps remove.
    scenario = build(
        situation('n1', choice('c', 'cc'), choice('a', 'A'), choice('b', 'B')),
        situation('A', choice('d', 'dd')), situation('B', choice('e', 'cc')),
        ending('cc'), ending('dd'))
    graph = layout(scenario)
    nodes = by_id(graph)
    layer = {key: node['column'] for key, node in nodes.items()}
    pairs = [(e['source'], e['target']) for e in graph['edges'] if not e['back']]
    crossings = graph_layout._crossings  # pylint: disable=protected-access
    assert crossings([['n1'], ['A', 'B'], ['cc', 'dd']], pairs, layer) == 1
    columns = [[n['id'] for n in graph['nodes'] if n['column'] == c] for c in range(graph['columns'])]
    assert columns == [['n1'], ['A', 'B'], ['dd', 'cc']]
    assert crossings(columns, pairs, layer) == 0


# --- counts ---------------------------------------------------------------------------------

# n1: a -> e1, b -> r1 ; e1: (n2, 3) or (r1, 1) ; n2: c -> r1 (timeout -> bad) ; r1: good if score >= 5 else meh.
COUNTED = build(
    situation('n1', choice('a', 'e1'), choice('b', 'r1')),
    event('e1', ('n2', 3), ('r1', 1)),
    situation('n2', choice('c', 'r1'), time_limit=20, timeout={'target': 'bad', 'points': 0}),
    route('r1', ('score >= 5', 'good'), (None, 'meh')),
    ending('good', 'good'), ending('meh', 'fair'), ending('bad', 'poor'),
)


def hand_made_report():
    """What build_report gives for: u1 n1:a e1->n2 n2:c ->good ; u2 n1:a e1->r1->meh ;
    u3 n1:b ->good ; u4 n1:a e1->n2 n2:timeout ->bad (latest attempts)."""
    return {
        'choices': {'learners': 4, 'basis': 'latest_attempt', 'computed_at': '2026-11-30T08:00:00+00:00',
                    'situations': [
                        {'node_id': 'n1', 'title': 'Judul n1', 'learners': 4, 'timed_out': 0,
                         'choices': [{'choice_id': 'a', 'label': 'Pilihan a', 'learners': 3},
                                     {'choice_id': 'b', 'label': 'Pilihan b', 'learners': 1}]},
                        {'node_id': 'n2', 'title': 'Judul n2', 'learners': 2, 'timed_out': 1,
                         'choices': [{'choice_id': 'c', 'label': 'Pilihan c', 'learners': 1}]}]},
        'endings': {'rows': [{'ending_id': 'good', 'learners': 2}, {'ending_id': 'meh', 'learners': 1},
                             {'ending_id': 'bad', 'learners': 1}]},
        'transitions': {'rows': [
            {'from': None, 'kind': 'start', 'choice_id': None, 'to': 'n1', 'learners': 4},
            {'from': 'n1', 'kind': 'choice', 'choice_id': 'a', 'to': 'e1', 'learners': 3},
            {'from': 'n1', 'kind': 'choice', 'choice_id': 'b', 'to': 'good', 'learners': 1},
            {'from': 'e1', 'kind': 'event', 'choice_id': None, 'to': 'n2', 'learners': 2},
            {'from': 'e1', 'kind': 'event', 'choice_id': None, 'to': 'meh', 'learners': 1},
            {'from': 'n2', 'kind': 'choice', 'choice_id': 'c', 'to': 'good', 'learners': 1},
            {'from': 'n2', 'kind': 'timeout', 'choice_id': None, 'to': 'bad', 'learners': 1},
            {'from': 'gone', 'kind': 'choice', 'choice_id': 'x', 'to': 'good', 'learners': 7},
        ]},
    }


EXPECTED_COUNTS = {
    'n1:choice:0': 3, 'n1:choice:1': 1, 'e1:outcome:0': 2, 'e1:outcome:1': 1, 'n2:choice:0': 1,
    'n2:timeout:1': 1, 'r1:route:0': 2, 'r1:route:1': 1,
}


def test_counts_come_from_the_reports_choices_and_transitions():
    graph = layout(COUNTED, hand_made_report(), 'id')
    assert {edge['id']: edge['learners'] for edge in graph['edges']} == EXPECTED_COUNTS
    nodes = by_id(graph)
    assert (nodes['n1']['learners'], nodes['n2']['learners'], nodes['good']['learners']) == (4, 2, 2)
    assert nodes['e1']['learners'] is None and nodes['r1']['learners'] is None
    assert (graph['learners'], graph['basis'], graph['computed_at']) == (
        4, 'latest_attempt', '2026-11-30T08:00:00+00:00')


def record(user, number, moves, ending_id):
    return {'user_id': user, 'attempt_number': number, 'score': 0, 'max_score': 10,
            'answers': {'path': steps(*moves), 'ending': ending_id, 'seed': 's'}, 'submitted_at': None,
            'competencies': {}}


def test_the_report_records_transitions_that_give_the_same_counts():
    records = [
        record('u1', 1, ['n1:b'], 'meh'),  # an earlier attempt: not counted
        record('u1', 2, ['n1:a', 'e1:', 'n2:c'], 'good'),
        record('u2', 1, ['n1:a', 'e1:'], 'meh'),
        record('u3', 1, ['n1:b'], 'good'),
        record('u4', 1, ['n1:a', 'e1:', 'n2:timeout'], 'bad'),
    ]
    report = build_report(records, COUNTED, 'id')
    assert report['transitions']['basis'] == 'latest_attempt' and report['transitions']['learners'] == 4
    assert {(row['from'], row['kind'], row['choice_id'], row['to']): row['learners']
            for row in report['transitions']['rows']} == {
        (None, 'start', None, 'n1'): 4, ('n1', 'choice', 'a', 'e1'): 3, ('n1', 'choice', 'b', 'good'): 1,
        ('e1', 'event', None, 'n2'): 2, ('e1', 'event', None, 'meh'): 1, ('n2', 'choice', 'c', 'good'): 1,
        ('n2', 'timeout', None, 'bad'): 1}
    graph = layout(COUNTED, report, 'id')
    assert {edge['id']: edge['learners'] for edge in graph['edges']} == EXPECTED_COUNTS


def test_transitions_of_one_path():
    answers = {'path': steps('n1:a', 'e1:', 'n2:timeout'), 'ending': 'bad'}
    assert transitions(answers) == [(None, 'start', None, 'n1'), ('n1', 'choice', 'a', 'e1'),
                                    ('e1', 'event', None, 'n2'), ('n2', 'timeout', None, 'bad')]
    assert transitions({'path': steps('n1:a'), 'ending': None}) == [(None, 'start', None, 'n1')]
    assert transitions({}) == []


def test_a_learner_repeating_a_step_counts_once_per_edge():
    scenario = build(situation('n1', choice('again', 'n1'), choice('go', 'end')), ending('end'))
    report = build_report([record('u1', 1, ['n1:again', 'n1:again', 'n1:go'], 'end')], scenario)
    graph = layout(scenario, report)
    assert {edge['id']: (edge['learners'], edge['back']) for edge in graph['edges']} == {
        'n1:choice:0': (1, True), 'n1:choice:1': (1, False)}


def test_chained_routes_are_credited_along_the_way():
    scenario = build(
        situation('n1', choice('a', 'r0')),
        route('r0', ('score >= 50', 'r1'), (None, 'low')),
        route('r1', ('score >= 90', 'top'), (None, 'mid')),
        ending('top'), ending('mid'), ending('low'))
    records = [record('u1', 1, ['n1:a'], 'mid'), record('u2', 1, ['n1:a'], 'top'), record('u3', 1, ['n1:a'], 'low')]
    graph = layout(scenario, build_report(records, scenario))
    assert {edge['id']: edge['learners'] for edge in graph['edges']} == {
        'n1:choice:0': 3, 'r0:route:0': 2, 'r0:route:1': 1, 'r1:route:0': 1, 'r1:route:1': 1}
    assert [by_id(graph)[key]['column'] for key in ('n1', 'r0', 'r1', 'top', 'low')] == [0, 1, 2, 3, 2]
