"""The scenarios shipped with the block must be sound: they are what a new course starts from."""
import json
from importlib.resources import files

import pytest

from asn_xblocks.case_study import engine
from asn_xblocks.case_study.analysis import max_achievable, min_achievable, validate
from asn_xblocks.case_study.model import Scenario

DATA = files('asn_xblocks.case_study') / 'data'
SHIPPED = sorted(p.name for p in DATA.iterdir() if p.name.endswith('.json'))


def _load(name):
    return json.loads((DATA / name).read_text(encoding='utf-8'))


def test_scenarios_are_shipped():
    assert SHIPPED


@pytest.mark.parametrize('name', SHIPPED)
def test_shipped_scenario_round_trips_and_validates_without_errors(name):
    data = _load(name)
    scenario = Scenario.from_dict(data)
    assert scenario.to_dict() == data
    assert [p.message for p in validate(scenario) if p.severity == 'error'] == []
    assert max_achievable(scenario) > min_achievable(scenario)


@pytest.mark.parametrize('name', SHIPPED)
def test_shipped_scenario_can_be_played_to_an_ending_along_the_expert_path(name):
    scenario = Scenario.from_dict(_load(name))
    state, now = engine.start(scenario, 'expert', 0.0), 0.0
    for _ in range(200):
        if state.finished:
            break
        now += 1
        view = engine.current_view(scenario, state, 'id', now)
        if view['kind'] == 'event':
            state, _ = engine.continue_event(scenario, state, now)
            continue
        node = scenario.node(state.node_id)
        offered = {c['id'] for c in view['choices']}
        best = max((c for c in node.choices if c.id in offered), key=lambda c: c.points)
        state, _ = engine.choose(scenario, state, best.id, now)
    assert state.finished
