"""OLX export and import, the content model and the completion rule."""
from datetime import datetime, timezone

import pytest
from xblock.core import XBlock
from xblock.test.tools import blocks_are_equivalent

from asn_xblocks.core.json_shape import ContentFormatError
from asn_xblocks.core.olx import OlxError
from asn_xblocks.expert_session.defaults import demo_session, demo_transcript, workbench_scenarios
from asn_xblocks.expert_session.model import Session
from asn_xblocks.expert_session.progress import CompletionRule, completion
from asn_xblocks.expert_session.transcripts import parse_transcript
from tests.unit.expert_session.es_builders import JOIN_URL, live_fields, new_block


def export(block):
    from lxml import etree
    node = etree.Element('root')
    block.add_xml_to_node(node)
    return node


def reimport(block, node):
    runtime = block.runtime
    return type(block).parse_xml(node, runtime, block.scope_ids)


def full_block():
    start = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)
    return new_block(transcripts={'id': [c.to_dict() for c in parse_transcript(demo_transcript()).cues]},
                     video={'provider': 'youtube', 'video_id': 'aqz-KE-bpKQ', 'title': 'Judul', 'thumbnail_url': '',
                            'duration_seconds': None, 'author_name': ''},
                     live=live_fields(start, join_url=''), live_sequence=3, reflection_graded=True, weight=2.5)


def test_export_then_import_gives_an_equivalent_block():
    block = full_block()
    again = reimport(block, export(block))  # the runtime mixes its own class around ours
    assert {name: getattr(again, name) for name in block.fields} == {name: getattr(block, name) for name in block.fields}
    assert blocks_are_equivalent(again, reimport(again, export(again)))


def test_the_join_link_is_never_exported():
    from lxml import etree
    block = full_block()
    block.live = {**block.live, 'join_url': JOIN_URL}
    text = etree.tostring(export(block), encoding='unicode')
    assert 'zoom.us' not in text and '<live ' in text and '<expert ' in text and 'WEBVTT' in text


@pytest.mark.parametrize('olx, problem', [
    ('<asn_expert_session watch_percent="lots"><session><title>T</title></session></asn_expert_session>', 'watch_percent'),
    ('<asn_expert_session><session><title>T</title><expert name="A" stakeholder="alien"/></session>'
     '</asn_expert_session>', 'stakeholder'),
    ('<asn_expert_session><session><title>T</title></session><transcript lang="id">nope</transcript>'
     '</asn_expert_session>', 'transcript'),
    ('<asn_expert_session><session><title>T</title><script/></session></asn_expert_session>', 'script'),
])
def test_bad_olx_is_refused_with_its_line(olx, problem):
    from asn_xblocks.core.olx import parse_olx_string
    block = new_block()
    with pytest.raises(OlxError) as caught:
        reimport(block, parse_olx_string(olx))
    assert problem in str(caught.value) and caught.value.line == 1


def test_workbench_scenarios_parse_and_the_live_one_opens_ahead():
    pages = workbench_scenarios()
    assert [title for title, _ in pages] == ['Sesi narasumber: rekaman', 'Sesi narasumber: sesi langsung']
    assert 'join_url="https://us02web.zoom.us/' in pages[1][1]
    assert XBlock.load_class('asn_expert_session')


def test_content_is_read_strictly():
    data = demo_session()
    assert Session.from_dict(data).to_dict() == Session.from_dict(Session.from_dict(data).to_dict()).to_dict()
    assert Session.from_dict(data).stakeholder_counts() == {'akademisi': 1, 'praktisi': 1, 'oms': 1,
                                                            'pemerintah': 0, 'swasta': 0}
    for broken in ({**data, 'resources': [{'title': {'id': 'x'}, 'url': 'http://insecure.example/'}]},
                   {**data, 'experts': [{'name': 'A', 'stakeholder': 'alien'}]},
                   {**data, 'jp': 0}, {**data, 'extra': 1}):
        with pytest.raises(ContentFormatError):
            Session.from_dict(broken)


def test_learning_hours_default_from_the_video_length():
    session = Session.from_dict({'title': {'id': 'T'}})
    assert session.learning_hours(90 * 60) == 2.0 and session.learning_hours(0) is None


def test_completion_rule_parts_count_equally_and_a_recording_makes_up_attendance():
    rule = CompletionRule(watch_percent=80, reflection=True, attendance=True)
    assert completion(rule, watched_fraction=0.4) == pytest.approx(0.5 / 3)
    assert completion(rule, watched_fraction=0.8, reflected=True, attended=True) == 1.0
    assert completion(rule, watched_fraction=0.8, reflected=True, recording_available=True) == 1.0
    assert completion(rule, watched_fraction=0.8, reflected=True) == pytest.approx(2 / 3 + 1 / 3 * 0)
    assert completion(CompletionRule(0, False, False)) == 0.0
