"""The learner's one-field record and the milestone crossing rule: what a heartbeat reads and writes."""
import json

import pytest
from hypothesis import given, strategies as st
from xblock.fields import Scope

from asn_xblocks.core.ledger import api as ledger
from asn_xblocks.expert_session.learner_record import LearnerRecord
from asn_xblocks.expert_session.records import passed
from asn_xblocks.expert_session.watching import WatchState

from tests.unit.expert_session.es_builders import call, new_block

SCALARS = st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                                        max_size=4), max_leaves=12)


def test_a_record_round_trips_through_json():
    record = LearnerRecord(WatchState(((0, 15000), (20000, 30000)), 12.5), 'Refleksi saya', True, 0.75)
    assert LearnerRecord.from_json(json.loads(json.dumps(record.to_json()))) == record
    assert LearnerRecord.from_json({}) == LearnerRecord() and not LearnerRecord().started


@given(st.dictionaries(st.sampled_from(['watch', 'reflection', 'attended', 'completion']), JSON) | JSON)
def test_any_stored_value_reads_as_a_valid_record(data):
    record = LearnerRecord.from_json(data)
    assert isinstance(record.reflection, str) and isinstance(record.attended, bool)
    assert 0.0 <= record.completion <= 1.0


@pytest.mark.parametrize('before, after, expected', [
    (0, 24.9, False), (0, 25, True), (24, 30, True), (25, 49, False), (30, 100, True), (100, 100, False),
])
def test_a_milestone_is_passed_once(before, after, expected):
    assert passed(before, after) is expected


def test_a_heartbeat_saves_only_the_learner_record(monkeypatch):
    monkeypatch.setattr(ledger, 'is_available', lambda: False)
    block = new_block()
    call(block, 'progress', {'intervals': [[0, 10]]})
    stored = block._field_data  # pylint: disable=protected-access
    saved = [name for name, field in block.fields.items()
             if field.scope == Scope.user_state and stored.has(block, name)]
    assert saved == ['learner_record']
    assert block.record.watch.intervals == ((0, 10000),) and block.record.completion == 0.125
