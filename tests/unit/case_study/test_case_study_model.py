"""Reading and writing the scenario JSON format (docs/scenario-format.md)."""
import copy

import pytest
from hypothesis import given, strategies as st

from asn_xblocks.case_study.media import Video
from asn_xblocks.case_study.model import Ending, LocalizedText, Scenario, ScenarioFormatError, Situation

from case_study_builders import choice, ending, event, flag, counter, route, scenario_dict, situation, text

FULL = scenario_dict(
    situation('n1', choice('a', 'e1', 10, competencies=[{'code': 'M.05', 'points': 10, 'level': 1},
                                                         {'code': 'T.PENGADUAN', 'points': 2}],
                           feedback=text('Tepat', 'Right'), when='documents_checked',
                           effects='citizen_patience -= 1; escalated = true'),
              choice('b', 'r1', 0),
              variants=[{'when': 'citizen_patience <= 1', 'text': text('Warga marah', 'Angry citizen')}],
              image={'url': 'https://example.org/a.png', 'alt': text('Kantor', 'Office')},
              video={'url': 'https://youtu.be/dQw4w9WgXcQ', 'title': text('Pelayanan', 'Service')},
              time_limit=90, timeout={'target': 'r1', 'points': 0, 'feedback': text('Terlambat')}),
    event('e1', ('r1', 3), ('end-poor', 1)),
    route('r1', ('escalated', 'end-poor'), ('score >= 85', 'end-good'), (None, 'end-poor')),
    ending('end-good'), ending('end-poor', 'poor'),
    variables=[counter('citizen_patience', 3, 0, 5), flag('documents_checked'), flag('escalated')],
    introduction=text('Pengantar', 'Introduction'), feedback_mode='debrief', allow_undo=True,
)


def test_a_canonical_scenario_round_trips_exactly():
    assert Scenario.from_dict(copy.deepcopy(FULL)).to_dict() == FULL


def test_reading_does_not_change_the_input():
    data = copy.deepcopy(FULL)
    Scenario.from_dict(data)
    assert data == FULL


def test_defaults_are_filled_in_and_written_out():
    data = {'format': 1, 'id': 's', 'title': {'id': 'T'}, 'start': 'n1', 'nodes': [
        {'id': 'n1', 'kind': 'situation', 'title': {'id': 'J'}, 'text': {'id': 'S'},
         'choices': [{'id': 'a', 'label': {'id': 'A'}, 'target': 'end'}]},
        {'id': 'end', 'kind': 'ending', 'title': {'id': 'A'}, 'text': {'id': 'B'}, 'rating': 'fair'}],
        'variables': [{'name': 'p', 'kind': 'counter'}, {'name': 'f', 'kind': 'flag'}]}
    scenario = Scenario.from_dict(data)
    assert (scenario.feedback_mode, scenario.allow_undo, scenario.allow_restart) == ('immediate', False, True)
    assert scenario.variables_by_name['p'].initial == 0 and scenario.variables_by_name['p'].maximum == 10
    out = scenario.to_dict()
    assert out['variables'] == [{'name': 'p', 'kind': 'counter', 'initial': 0, 'min': 0, 'max': 10},
                                {'name': 'f', 'kind': 'flag', 'initial': False}]
    assert out['nodes'][0]['choices'][0]['points'] == 0
    assert Scenario.from_dict(out).to_dict() == out


def test_nodes_are_typed_and_found_by_id():
    scenario = Scenario.from_dict(FULL)
    n1 = scenario.node('n1')
    assert isinstance(n1, Situation) and n1.choice('a').competencies[0].level == 1
    assert isinstance(scenario.node('end-good'), Ending)
    assert scenario.node('missing') is None
    assert scenario.initial_values() == {'citizen_patience': 3, 'documents_checked': False, 'escalated': False}


def test_localized_text_falls_back_to_indonesian():
    label = LocalizedText.of('Setuju', 'Agree')
    assert label.get('en') == 'Agree' and label.get('en-US') == 'Agree' and label.get('en_GB') == 'Agree'
    assert label.get('id') == 'Setuju' and label.get(None) == 'Setuju'
    assert LocalizedText.of('Hanya Indonesia').get('en') == 'Hanya Indonesia'
    assert LocalizedText.of('Setuju', '').get('en') == 'Setuju'


def _broken(path, value):
    data = copy.deepcopy(FULL)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize('path, value, words', [
    (('format',), 2, ["'format' must be 1"]),
    (('nodes', 0, 'choices', 0, 'points'), '10', ["node 'n1' choice 'a'", "'points'"]),
    (('nodes', 0, 'choices', 0, 'points'), True, ["node 'n1' choice 'a'", "'points'"]),
    (('nodes', 0, 'choices', 1, 'target'), KeyError, ["node 'n1' choice 'b'", "missing 'target'"]),
    (('nodes', 0, 'choices', 0, 'colour'), 'red', ["node 'n1' choice 'a'", "unknown key(s) 'colour'"]),
    (('nodes', 0, 'choices', 0, 'competencies', 0, 'code'), 'X.99', ["node 'n1' choice 'a'", 'X.99']),
    (('nodes', 0, 'choices', 0, 'competencies', 0, 'level'), 6, ["node 'n1' choice 'a'", "'level'"]),
    (('nodes', 0, 'choices', 0, 'label'), 'Setuju', ["node 'n1' choice 'a'", "'label'"]),
    (('nodes', 0, 'image', 'url'), 'http://example.org/a.png', ["node 'n1' image", 'https://']),
    (('nodes', 0, 'video', 'url'), 'http://youtu.be/dQw4w9WgXcQ', ["node 'n1' video", 'https://']),
    (('nodes', 0, 'video', 'title'), 'Judul', ["node 'n1' video", "'title'"]),
    (('nodes', 0, 'video', 'start'), 5, ["node 'n1' video", "unknown key(s) 'start'"]),
    (('nodes', 0, 'video'), 'https://youtu.be/dQw4w9WgXcQ', ["node 'n1' video", 'expected an object']),
    (('nodes', 0, 'time_limit'), 0, ["node 'n1'", "'time_limit'"]),
    (('nodes', 1, 'kind'), 'quiz', ["node 'e1'", "'kind'"]),
    (('nodes', 1, 'outcomes', 0, 'weight'), None, ["node 'e1' outcome 1", "'weight'"]),
    (('nodes', 3, 'rating'), 'great', ["node 'end-good'", "'rating'"]),
    (('variables', 0, 'initial'), 9, ["variable 'citizen_patience'", 'min <= initial <= max']),
    (('variables', 0, 'name'), 'score', ["'name'"]),
    (('variables', 1, 'kind'), 'string', ["variable 'documents_checked'", "'kind'"]),
    (('feedback_mode',), 'later', ["'feedback_mode'"]),
    (('allow_undo',), 'yes', ["'allow_undo'"]),
    (('nodes',), {}, ["'nodes' must be a list"]),
    (('nodes', 2), ['not', 'an', 'object'], ['expected an object']),
    (('title',), {'id': 5}, ["'title'"]),
])
def test_shape_errors_name_the_place(path, value, words):
    with pytest.raises(ScenarioFormatError) as caught:
        Scenario.from_dict(_broken(path, value))
    for word in words:
        assert word in str(caught.value)


GOOD_VIDEO_URLS = [
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'dQw4w9WgXcQ', ''),
    ('https://youtube.com/watch?v=dQw4w9WgXcQ&t=30s#x', 'youtube', 'dQw4w9WgXcQ', ''),
    ('https://m.youtube.com/watch?feature=share&v=a_B-c1D2e3F', 'youtube', 'a_B-c1D2e3F', ''),
    ('https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'dQw4w9WgXcQ', ''),
    ('https://youtu.be/dQw4w9WgXcQ', 'youtube', 'dQw4w9WgXcQ', ''),
    ('https://youtu.be/dQw4w9WgXcQ?si=Ab12', 'youtube', 'dQw4w9WgXcQ', ''),
    ('https://vimeo.com/76979871', 'vimeo', '76979871', ''),
    ('https://www.vimeo.com/76979871/', 'vimeo', '76979871', ''),
    ('https://vimeo.com/823141156/90e6d75118', 'vimeo', '823141156', '90e6d75118'),
    ('https://cdn.example.org/pelatihan/aduan.mp4', 'html5', '', ''),
    ('https://media.example.go.id/kelas/Video%20Satu.WEBM?token=a1&x=2', 'html5', '', ''),
]


@pytest.mark.parametrize('url, provider, media_id, privacy_hash', GOOD_VIDEO_URLS)
def test_video_urls_are_read_into_provider_and_id_and_kept_exactly(url, provider, media_id, privacy_hash):
    data = copy.deepcopy(FULL)
    data['nodes'][0]['video'] = {'url': url, 'title': text('Video')}
    scenario = Scenario.from_dict(data)
    video = scenario.node('n1').video
    assert isinstance(video, Video)
    assert (video.provider, video.media_id, video.privacy_hash) == (provider, media_id, privacy_hash)
    assert video.url == url and video.title.get('en') == 'Video'
    assert scenario.to_dict() == data


@pytest.mark.parametrize('url, words', [
    ('javascript:alert(1)//youtu.be/dQw4w9WgXcQ', ['https://']),
    ('JAVASCRIPT:alert(1)', ['https://']),
    ('data:video/mp4;base64,AAAA', ['https://']),
    ('http://www.youtube.com/watch?v=dQw4w9WgXcQ', ['https://']),
    ('HTTPS://youtu.be/dQw4w9WgXcQ', ['https://']),
    ('//youtu.be/dQw4w9WgXcQ', ['https://']),
    (' https://youtu.be/dQw4w9WgXcQ', ['https://']),
    ('https://youtu.be/dQw4w9WgXcQ\n', ['characters']),
    ('https://youtu.be/dQw4w9WgXcQ ', ['characters']),
    ('https://cdn.example.org/a.mp4"onerror="alert(1)', ['characters']),
    ('https://cdn.example.org/<script>.mp4', ['characters']),
    ('https://cdn.example.org/vidéo.mp4', ['characters']),
    ('https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ', ['youtube.com/watch?v=ID']),
    ('https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ', ['youtube.com/watch?v=ID']),
    ('https://notyoutube.com/watch?v=dQw4w9WgXcQ', ['youtube.com/watch?v=ID']),
    ('https://youtu.be.evil.example/dQw4w9WgXcQ', ['youtube.com/watch?v=ID']),
    ('https://vimeo.com.evil.example/76979871', ['vimeo.com/ID']),
    ('https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ', ['user name']),
    ('https://evil.example@www.youtube.com/watch?v=dQw4w9WgXcQ', ['user name']),
    ('https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ', ['port']),
    ('https://www.youtube.com./watch?v=dQw4w9WgXcQ', ['trailing dot']),
    ('https:///watch?v=dQw4w9WgXcQ', ['host']),
    ('https://www.youtube.com/watch?v=dQw4w9WgXc', ['11-character']),
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQQ', ['11-character']),
    ('https://www.youtube.com/watch?v=dQw4w9WgX%22Q', ['11-character']),
    ('https://www.youtube.com/watch?v=dQw4w9WgX.Q', ['11-character']),
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=a_B-c1D2e3F', ['11-character']),
    ('https://www.youtube.com/watch', ['11-character']),
    ('https://www.youtube.com/embed/dQw4w9WgXcQ', ['youtube.com/watch?v=ID']),
    ('https://www.youtube.com/evil.mp4', ['youtube.com/watch?v=ID']),
    ('https://youtu.be/dQw4w9WgXcQ/x', ['youtu.be/ID']),
    ('https://youtu.be/dQw4w9W%67XcQ', ['youtu.be/ID']),
    ('https://vimeo.com/channels/staffpicks/76979871', ['vimeo.com/ID']),
    ('https://vimeo.com/7697abc', ['vimeo.com/ID']),
    ('https://vimeo.com/0', ['vimeo.com/ID']),
    ('https://vimeo.com/76979871/NOT-HEX', ['vimeo.com/ID']),
    ('https://cdn.example.org/aduan.mov', ['.mp4/.webm']),
    ('https://cdn.example.org/aduan.mp4.html', ['.mp4/.webm']),
    ('https://cdn.example.org/page?file=aduan.mp4', ['.mp4/.webm']),
])
def test_other_video_urls_are_refused_naming_the_node(url, words):
    data = copy.deepcopy(FULL)
    data['nodes'][0]['video']['url'] = url
    with pytest.raises(ScenarioFormatError) as caught:
        Scenario.from_dict(data)
    message = str(caught.value)
    assert message.startswith("node 'n1' video: 'url'"), message
    for word in words:
        assert word in message


def test_graph_problems_are_left_to_validation():
    """Unknown targets, duplicate ids and missing Indonesian are read, so validate() can list them all."""
    data = scenario_dict(situation('n1', choice('a', 'nowhere'), choice('a', 'n1')), ending('n1'))
    data['nodes'][0]['title'] = {'en': 'Only English'}
    scenario = Scenario.from_dict(data)
    assert scenario.to_dict() == data
    assert isinstance(scenario.node('n1'), Situation)  # the first of two nodes with one id


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(['id', 'kind', 'en', 'target', 'x']), inner,
                                                 max_size=3)), max_leaves=8)


@given(st.dictionaries(st.sampled_from(['format', 'id', 'title', 'start', 'nodes', 'variables', 'allow_undo']),
                       json_values, max_size=7))
def test_arbitrary_json_is_read_or_refused_with_a_format_error(data):
    try:
        Scenario.from_dict(data)
    except ScenarioFormatError:
        pass


@given(st.sampled_from(range(len(FULL['nodes']))), st.sampled_from(['id', 'kind', 'title', 'choices', 'outcomes',
                                                                    'routes', 'rating']), json_values)
def test_corrupting_one_node_field_is_refused_with_a_format_error_or_read(index, key, value):
    data = copy.deepcopy(FULL)
    data['nodes'][index][key] = value
    try:
        assert Scenario.from_dict(data).to_dict() == data
    except ScenarioFormatError:
        pass
