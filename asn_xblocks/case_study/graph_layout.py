"""The scenario graph laid out for the instructors' report: pure, deterministic plain data.

Nodes go in columns by their longest-path depth from the start node, following every edge
an author can draw: choice targets, timeout routes, event outcomes and routes. Back edges
(found by a depth-first search from the start, in author order) are left out of the
layering, so cycles still give columns; an edge into the start node counts as a back edge,
so the start is always in column 0. Within a column, nodes are ordered by a few barycentre
sweeps to reduce crossings, keeping the best order seen.

Each edge carries how many learners took it, on the report's basis (each learner's latest
attempt, a learner counted once per edge):

- choice and timeout edges: the report's choice distribution (`report['choices']`);
- event outcome and route edges: the report's recorded transitions (`report['transitions']`):
  a path records where a step led, not which outcome or route took it there, so a step
  that arrived at X is credited to the first outcome whose target is X or routes to X, and
  to the routes on the way (the first route chain, in author order, that reaches X). A learner
  who passed the same route from two different steps counts once per step.

Coordinates are in SVG user units: `x`/`y` are a node's top-left corner; each edge has a
cubic Bézier `path` ([start, control, control, end]) and a `label_at` point for its count.
Nothing here is translated: `title` and choice `label` are the content's own text in `locale`.
"""
from __future__ import annotations

import heapq
from collections import defaultdict

from .model import Ending, Event, Router, Scenario, Situation

NODE_WIDTH = 160
NODE_HEIGHT = 80
COLUMN_GAP = 116
ROW_GAP = 44
MARGIN = 24
PORT_PADDING = 12  # edges leave and enter a node no closer than this to its corners
PORT_STEP = 14  # at most this far apart, between neighbouring edges on one side of a node
FAN_STEP = 12  # parallel edges (same source and target) bow apart this much at their middle
LANE_GAP = 28  # back edges run in lanes under the graph, this far apart
SWEEPS = 4  # barycentre sweeps down and up the columns

CHOICE, TIMEOUT, OUTCOME, ROUTE = 'choice', 'timeout', 'outcome', 'route'


# --- the edges an author drew -------------------------------------------------------------------

def _unique_nodes(scenario: Scenario) -> list:
    """The scenario's nodes in author order, the first of any duplicate ids only."""
    return [node for node in scenario.nodes if scenario.node(node.id) is node]


def declared_edges(scenario: Scenario) -> list[dict]:
    """Every edge in author order: {source, target, kind, index, choice_id, label, condition, weight}.

    Edges to an unknown node are left out (`analysis.validate` reports those to the author).
    """
    edges = []

    def add(node, target, kind, index, **extra):
        if scenario.node(target) is not None:
            edges.append({'source': node.id, 'target': target, 'kind': kind, 'index': index, 'choice_id': None,
                          'label': None, 'condition': None, 'weight': None, **extra})

    for node in _unique_nodes(scenario):
        if isinstance(node, Situation):
            for index, choice in enumerate(node.choices):
                add(node, choice.target, CHOICE, index, choice_id=choice.id, label=choice.label, condition=choice.when)
            if node.timeout is not None:
                add(node, node.timeout.target, TIMEOUT, len(node.choices))
        elif isinstance(node, Event):
            for index, outcome in enumerate(node.outcomes):
                add(node, outcome.target, OUTCOME, index, weight=outcome.weight)
        elif isinstance(node, Router):
            for index, route in enumerate(node.routes):
                add(node, route.target, ROUTE, index, condition=route.when)
    return edges


# --- layering -----------------------------------------------------------------------------------

def _back_edges(node_ids: list[str], start: str, edges: list[dict]) -> tuple[set[int], list[str], set[str]]:
    """(indices of back edges, nodes in depth-first preorder, nodes reachable from start)."""
    outgoing = defaultdict(list)
    for number, edge in enumerate(edges):
        outgoing[edge['source']].append(number)
    state = dict.fromkeys(node_ids, 0)  # 0 unseen, 1 on the stack, 2 done
    back, preorder, reachable = set(), [], set()
    roots = ([start] if start in state else []) + node_ids
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        preorder.append(root)
        stack = [(root, iter(outgoing[root]))]
        while stack:
            node_id, pending = stack[-1]
            number = next(pending, None)
            if number is None:
                state[node_id] = 2
                stack.pop()
                continue
            target = edges[number]['target']
            if state[target] == 1 or target == start:
                back.add(number)
            elif state[target] == 0:
                state[target] = 1
                preorder.append(target)
                stack.append((target, iter(outgoing[target])))
        if root == start:
            reachable = set(preorder)
    return back, preorder, reachable


def _layers(node_ids: list[str], edges: list[dict], back: set[int]) -> dict[str, int]:
    """Longest-path depth of every node over the forward edges (a DAG), in a stable topological order."""
    position = {node_id: index for index, node_id in enumerate(node_ids)}
    incoming = dict.fromkeys(node_ids, 0)
    outgoing = defaultdict(list)
    for number, edge in enumerate(edges):
        if number not in back:
            incoming[edge['target']] += 1
            outgoing[edge['source']].append(edge['target'])
    layer = dict.fromkeys(node_ids, 0)
    ready = [(position[node_id], node_id) for node_id in node_ids if not incoming[node_id]]
    heapq.heapify(ready)
    while ready:
        _index, node_id = heapq.heappop(ready)
        for target in outgoing[node_id]:
            layer[target] = max(layer[target], layer[node_id] + 1)
            incoming[target] -= 1
            if not incoming[target]:
                heapq.heappush(ready, (position[target], target))
    return layer


def _crossings(columns: list[list[str]], pairs: list[tuple[str, str]], layer: dict) -> int:
    """Crossings among forward edges between neighbouring columns."""
    row = {node_id: index for column in columns for index, node_id in enumerate(column)}
    by_column = defaultdict(list)
    for source, target in pairs:
        if layer[target] == layer[source] + 1:
            by_column[layer[source]].append((row[source], row[target]))
    total = 0
    for spans in by_column.values():
        for index, (a_top, a_bottom) in enumerate(spans):
            total += sum(1 for b_top, b_bottom in spans[index + 1:]
                         if (a_top - b_top) * (a_bottom - b_bottom) < 0)
    return total


def _order(columns: list[list[str]], pairs: list[tuple[str, str]], layer: dict) -> list[list[str]]:
    """Barycentre sweeps (down, then up) over the columns, keeping the order with fewest crossings."""
    before, after = defaultdict(set), defaultdict(set)
    for source, target in pairs:
        if layer[target] > layer[source]:
            after[source].add(target)
            before[target].add(source)

    def centred(cols):
        return {node_id: index - (len(column) - 1) / 2 for column in cols for index, node_id in enumerate(column)}

    def sweep(cols, indices, neighbours):
        for column_index in indices:
            place = centred(cols)
            column = cols[column_index]
            keys = {}
            for index, node_id in enumerate(column):
                near = neighbours[node_id]
                keys[node_id] = (sum(place[n] for n in near) / len(near) if near else place[node_id], index)
            cols[column_index] = sorted(column, key=keys.__getitem__)

    best = [list(column) for column in columns]
    fewest = _crossings(best, pairs, layer)
    current = [list(column) for column in best]
    for _sweep in range(SWEEPS):
        sweep(current, range(1, len(current)), before)
        sweep(current, range(len(current) - 2, -1, -1), after)
        count = _crossings(current, pairs, layer)
        if count < fewest:
            best, fewest = [list(column) for column in current], count
    return best


# --- counts ---------------------------------------------------------------------------------------

def _arrivals_via_routes(scenario: Scenario, target: str, arrival: str) -> list[tuple[str, int]] | None:
    """The routes (router id, route index) from `target` to `arrival`; [] if target is arrival; None if none."""
    if target == arrival and not isinstance(scenario.node(target), Router):
        return []

    seen = set()  # routers already searched: none of them leads to `arrival`, or we returned

    def walk(node_id):
        node = scenario.node(node_id)
        if not isinstance(node, Router):
            return [] if node_id == arrival else None
        if node_id in seen:
            return None
        seen.add(node_id)
        for index, route in enumerate(node.routes):
            rest = walk(route.target)
            if rest is not None:
                return [(node_id, index)] + rest
        return None

    return walk(target)


def _counts(scenario: Scenario, edges: list[dict], report: dict | None) -> list[int]:
    """Learners per edge (see the module docstring), in the order of `edges`."""
    key_of = {(edge['source'], edge['kind'], edge['choice_id'] if edge['kind'] == CHOICE else edge['index']): number
              for number, edge in reversed(list(enumerate(edges)))}  # the first of duplicate choice ids wins
    counts = [0] * len(edges)
    report = report or {}
    for row in (report.get('choices') or {}).get('situations', []):
        for choice in row['choices']:
            number = key_of.get((row['node_id'], CHOICE, choice['choice_id']))
            if number is not None:
                counts[number] = choice['learners']
        node = scenario.node(row['node_id'])
        if isinstance(node, Situation) and node.timeout is not None:
            number = key_of.get((row['node_id'], TIMEOUT, len(node.choices)))
            if number is not None:
                counts[number] = row.get('timed_out') or 0

    for row in (report.get('transitions') or {}).get('rows', []):
        source, kind, arrival, learners = row['from'], row['kind'], row['to'], row['learners']
        node = scenario.node(source) if source is not None else None
        declared = None
        if kind == 'start':
            declared = scenario.start
        elif kind == 'choice' and isinstance(node, Situation) and node.choice(row['choice_id']) is not None:
            declared = node.choice(row['choice_id']).target
        elif kind == 'timeout' and isinstance(node, Situation) and node.timeout is not None:
            declared = node.timeout.target
        elif kind == 'event' and isinstance(node, Event):
            for index, outcome in enumerate(node.outcomes):
                routes = _arrivals_via_routes(scenario, outcome.target, arrival)
                number = key_of.get((source, OUTCOME, index))
                if routes is not None and number is not None:
                    counts[number] += learners
                    declared = outcome.target
                    break
        if declared is None:
            continue
        for router_id, index in _arrivals_via_routes(scenario, declared, arrival) or []:
            number = key_of.get((router_id, ROUTE, index))
            if number is not None:
                counts[number] += learners
    return counts


# --- geometry -------------------------------------------------------------------------------------

def _spread(count: int, span: float, step: float) -> list[float]:
    """`count` offsets centred on 0, at most `step` apart, within `span`."""
    if count <= 1:
        return [0.0] * count
    gap = min(step, span / (count - 1))
    return [(index - (count - 1) / 2) * gap for index in range(count)]


def _point(x: float, y: float) -> list[float]:
    return [round(x, 1), round(y, 1)]


def _geometry(nodes: dict, edges: list[dict], back: set[int], bottom: float) -> tuple[list, list, float]:
    """(path, label point) per edge, and the height the back-edge lanes need below `bottom`."""
    outs, ins, parallel = defaultdict(list), defaultdict(list), defaultdict(list)
    for number, edge in enumerate(edges):
        if number in back:
            continue
        source, target = nodes[edge['source']], nodes[edge['target']]
        outs[edge['source']].append(((target['y'], target['x'], number), number))
        ins[edge['target']].append(((source['y'], source['x'], number), number))
        parallel[edge['source'], edge['target']].append(number)
    out_port, in_port, fan = {}, {}, {}
    span = NODE_HEIGHT - 2 * PORT_PADDING
    for ports, table in ((outs, out_port), (ins, in_port)):
        for node_id, items in ports.items():
            items.sort()
            # A route is drawn as a diamond: its edges meet at the left and right corners.
            room = 0 if nodes[node_id]['kind'] == 'route' else span
            for (_key, number), offset in zip(items, _spread(len(items), room, PORT_STEP)):
                table[number] = offset
    for numbers in parallel.values():
        for number, offset in zip(numbers, _spread(len(numbers), float('inf'), FAN_STEP)):
            fan[number] = offset

    paths, labels, lane = [None] * len(edges), [None] * len(edges), 0
    for number, edge in enumerate(edges):
        source, target = nodes[edge['source']], nodes[edge['target']]
        if number in back:
            lane += 1
            y_lane = bottom + lane * LANE_GAP
            x1 = source['x'] + NODE_WIDTH / 2 + 8
            x2 = target['x'] + NODE_WIDTH / 2 - 8
            y1, y2 = source['y'] + NODE_HEIGHT, target['y'] + NODE_HEIGHT
            # Bézier controls 4/3 of the way down put the curve's middle on the lane.
            control = y_lane + (y_lane - (y1 + y2) / 2) / 3
            paths[number] = [_point(x1, y1), _point(x1, control), _point(x2, control), _point(x2, y2)]
            labels[number] = _point((x1 + x2) / 2, y_lane)
            continue
        x1, y1 = source['x'] + NODE_WIDTH, source['y'] + NODE_HEIGHT / 2 + out_port[number]
        x2, y2 = target['x'], target['y'] + NODE_HEIGHT / 2 + in_port[number]
        bend = (x2 - x1) / 2
        bow = fan[number] * 4 / 3  # the curve's middle then sits fan[number] off the straight line
        paths[number] = [_point(x1, y1), _point(x1 + bend, y1 + bow), _point(x2 - bend, y2 + bow), _point(x2, y2)]
        labels[number] = _point((x1 + x2) / 2, (y1 + y2) / 2 + fan[number])
    return paths, labels, (lane * LANE_GAP + LANE_GAP / 2 if lane else 0)


# --- the layout -----------------------------------------------------------------------------------

def _title(node, locale: str | None) -> str:
    return node.title.get(locale) if hasattr(node, 'title') else node.id


def layout(scenario: Scenario, report: dict | None = None, locale: str | None = None) -> dict:
    """The scenario graph as plain data for the staff panel (see the module docstring).

    {'learners', 'basis', 'computed_at' (from the report's choices figure), 'start',
     'columns', 'width', 'height', 'node_width', 'node_height',
     'nodes': [{id, kind, title, rating, start, reachable, learners, column, row, x, y}],
     'edges': [{id, source, target, kind, index, choice_id, label, condition, weight, back,
                learners, path, label_at}]}
    with nodes by column then row and edges by their source's place, then author order.
    """
    node_list = _unique_nodes(scenario)
    node_ids = [node.id for node in node_list]
    edges = declared_edges(scenario)
    back, preorder, reachable = _back_edges(node_ids, scenario.start, edges)
    layer = _layers(node_ids, edges, back)
    column_count = max(layer.values(), default=-1) + 1
    columns = [[] for _column in range(column_count)]
    for node_id in preorder:
        columns[layer[node_id]].append(node_id)
    pairs = [(edge['source'], edge['target']) for number, edge in enumerate(edges) if number not in back]
    columns = _order(columns, pairs, layer)

    pitch = NODE_HEIGHT + ROW_GAP
    rows = max((len(column) for column in columns), default=0)
    learners = _node_learners(report)
    placed = {}
    for column_index, column in enumerate(columns):
        top = MARGIN + (rows - len(column)) * pitch / 2
        for row_index, node_id in enumerate(column):
            node = scenario.node(node_id)
            placed[node_id] = {
                'id': node_id, 'kind': node.kind, 'title': _title(node, locale),
                'rating': node.rating if isinstance(node, Ending) else None,
                'start': node_id == scenario.start, 'reachable': node_id in reachable,
                'learners': learners.get((node.kind, node_id)),
                'column': column_index, 'row': row_index,
                'x': MARGIN + column_index * (NODE_WIDTH + COLUMN_GAP), 'y': round(top + row_index * pitch, 1)}
    bottom = MARGIN + rows * pitch - ROW_GAP
    paths, label_points, lanes = _geometry(placed, edges, back, bottom)
    counts = _counts(scenario, edges, report)

    out_edges = []
    for number, edge in enumerate(edges):
        label = edge['label']
        out_edges.append({
            'id': f"{edge['source']}:{edge['kind']}:{edge['index']}",
            **edge, 'label': label.get(locale) if label is not None else None,
            'back': number in back, 'learners': counts[number],
            'path': paths[number], 'label_at': label_points[number]})
    place = {node_id: (node['column'], node['row']) for node_id, node in placed.items()}
    out_edges.sort(key=lambda edge: place[edge['source']])  # stable: author order within a node

    choices = (report or {}).get('choices') or {}
    return {
        'learners': choices.get('learners', 0), 'basis': choices.get('basis', 'latest_attempt'),
        'computed_at': choices.get('computed_at'), 'start': scenario.start, 'columns': column_count,
        'width': MARGIN * 2 + max(column_count * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP, 0),
        'height': round(bottom + lanes + MARGIN, 1) if rows else MARGIN * 2,
        'node_width': NODE_WIDTH, 'node_height': NODE_HEIGHT,
        'nodes': sorted(placed.values(), key=lambda node: (node['column'], node['row'])),
        'edges': out_edges,
    }


def _node_learners(report: dict | None) -> dict:
    """{(kind, node id): learners} for situations and endings, from the report (latest attempts)."""
    report = report or {}
    found = {('situation', row['node_id']): row['learners']
             for row in (report.get('choices') or {}).get('situations', [])}
    found.update((('ending', row['ending_id']), row['learners']) for row in (report.get('endings') or {}).get('rows', []))
    return found
