"""The case-study staff panel in chromium: the report with the scenario graph, its table, axe, a phone.

Three learners play the first default scenario through the workbench's handlers (a Django test
client on the live server's database); then course staff open the page, load the report and
read the graph as drawn (SVG) and as a table.
"""
import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from asn_xblocks.case_study.defaults import DEFAULT_SCENARIOS, scenario_data
from asn_xblocks.case_study.model import Scenario

from .helpers import assert_no_axe_violations, scenario_url, tab_to

SCENARIO_ID = 'asn_case_study.0'
ROOT = '.asn-case-study'
PANEL = '.asn-cs-staff'
STAFF = 'staff_1'
VIEW_REPORT = 'Lihat laporan'  # "View report" (locale/id/LC_MESSAGES/textjs.po)
GRAPH_HEADING = 'Graf skenario'
TABLE_CAPTION = 'Langkah pada graf skenario'


class Learners:
    """Plays learners through the handlers, as the block's JavaScript would."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def usage(self, student):
        html = self.client.get(f'/scenario/{SCENARIO_ID}/', {'student': student}).content.decode('utf-8')
        return re.findall(r"data-usage=['\"]([^'\"]*\.asn_case_study\.[^'\"]*)['\"]", html)[0]

    def call(self, usage, handler, data, student):
        response = self.client.post(f'/handler/{usage}/{handler}/?student={student}', json.dumps(data),
                                    content_type='application/json',
                                    HTTP_X_CSRFTOKEN=self.client.cookies['csrftoken'].value)
        assert response.status_code == 200, response.content[:300]
        return json.loads(response.content)

    def play(self, student, picks=None):
        """Play to an ending, taking picks[node id] where given, else the first choice."""
        usage = self.usage(student)
        payload = self.call(usage, 'begin', {}, student)
        while not payload['finished']:
            view = payload['view']
            if view['kind'] == 'event':
                payload = self.call(usage, 'proceed', {'step': payload['step']}, student)
            else:
                chosen = (picks or {}).get(view['node_id'], view['choices'][0]['id'])
                payload = self.call(usage, 'choose', {'step': payload['step'], 'choice': chosen}, student)
        return payload


@pytest.fixture(name='played')
def fixture_played():
    learners = Learners()
    learners.play('student_1')
    learners.play('student_2')
    learners.play('student_3', {'n8': 'b'})


def open_report(page, live_server):
    assert page.goto(scenario_url(live_server, SCENARIO_ID, student=STAFF)).ok
    panel = page.locator(PANEL)
    panel.get_by_role('button', name=VIEW_REPORT).click()
    expect(panel.get_by_role('heading', name=GRAPH_HEADING)).to_be_visible()
    return panel


def test_staff_read_the_scenario_graph_drawn_and_as_a_table(page, live_server, played):  # pylint: disable=unused-argument
    scenario = Scenario.from_dict(scenario_data(DEFAULT_SCENARIOS[0]))
    panel = open_report(page, live_server)
    graph = panel.locator('svg.asn-cs-graph')
    expect(graph).to_have_attribute('role', 'img')
    names = graph.get_attribute('aria-labelledby').split()
    assert len(names) == 2
    assert graph.locator(f'title#{names[0]}').text_content().startswith('Graf skenario')
    assert 'langkah' in graph.locator(f'desc#{names[1]}').text_content()
    expect(panel.get_by_role('img', name=re.compile('^Graf skenario'))).to_have_count(1)

    nodes = graph.locator('[data-node-id]')
    expect(nodes).to_have_count(len(scenario.nodes))
    # Kind in words in each box, not by colour alone.
    start = graph.locator('[data-node-id="n1"]')
    assert 'Situasi · n1' in start.text_content() and 'Awal' in start.text_content()
    assert 'Peristiwa' in graph.locator('[data-node-id="e1"]').text_content()
    assert 'Rute' in graph.locator('[data-node-id="r1"]').text_content()
    assert 'Akhir cerita · Kurang' in graph.locator('[data-node-id="end-breach"]').text_content()

    edges = graph.locator('path[data-edge-id]')
    edge_count = edges.count()
    assert edge_count > len(scenario.nodes)
    n8 = {key: int(graph.locator(f'path[data-edge-id="n8:choice:{key}"]').get_attribute('data-learners'))
          for key in range(3)}
    assert n8 == {0: 2, 1: 1, 2: 0}
    width = {key: float(graph.locator(f'path[data-edge-id="n8:choice:{key}"]').get_attribute('stroke-width'))
             for key in range(3)}
    assert width[0] > width[1] > width[2]
    labels = graph.locator('text.asn-cs-graph-edge-label').all_text_contents()
    assert len(labels) == edge_count and 'a: 2' in labels and 'b: 1' in labels

    table = panel.locator('table', has=page.locator('caption', has_text=TABLE_CAPTION))
    expect(table).to_have_count(1)
    assert table.locator('thead th').all_text_contents() == ['Dari', 'Pilihan atau rute', 'Ke', 'Peserta']
    rows = table.locator('tbody tr')
    expect(rows).to_have_count(edge_count)
    n8_title = scenario.node('n8').title.get('id')
    bribe = scenario.node('n8').choices[1]
    row = rows.filter(has=page.locator('th', has_text=n8_title)).filter(has_text=bribe.label.get('id')[:30])
    expect(row).to_have_count(1)
    assert row.locator('td').all_text_contents()[-1] == '1'
    route_rows = rows.filter(has=page.locator('th', has_text='Rute r1'))
    assert sum(int(cells[-1]) for cells in (r.locator('td').all_text_contents() for r in route_rows.all())) == 3

    assert_no_axe_violations(page, ROOT)


def test_the_graph_scrolls_sideways_by_keyboard_inside_its_region_on_a_phone(
        phone_page, live_server, played):  # pylint: disable=unused-argument
    panel = open_report(phone_page, live_server)
    region = panel.locator('.asn-cs-graph-scroll')
    expect(region).to_have_attribute('role', 'group')
    sizes = region.evaluate('(el) => ({scroll: el.scrollWidth, client: el.clientWidth})')
    assert sizes['scroll'] > sizes['client'] * 2, sizes
    page_width = phone_page.evaluate('() => document.documentElement.clientWidth')
    assert region.evaluate('(el) => el.getBoundingClientRect().right') <= page_width + 1
    phone_page.locator(PANEL).get_by_role('heading', name=GRAPH_HEADING).click()
    tab_to(phone_page, region, max_presses=5)
    phone_page.keyboard.press('ArrowRight')
    phone_page.wait_for_function('(el) => el.scrollLeft > 0', arg=region.element_handle())
    assert_no_axe_violations(phone_page, ROOT)
