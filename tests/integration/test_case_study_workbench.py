"""The case-study block through real workbench pages and handler URLs, CSRF enforced."""
import json

from asn_xblocks.core.ledger.models import Attempt

SCENARIO = 'asn_case_study.0'


def start(workbench, student='student_1'):
    html = workbench.open(SCENARIO, student=student)
    usage = workbench.usage_ids(html, 'asn_case_study')[0]
    status, payload = workbench.call(usage, 'begin', {}, student=student)
    assert status == 200, payload
    return usage, payload


def advance(workbench, usage, payload, student='student_1'):
    """One move from `payload`: continue an event, or take the first available choice."""
    view = payload['view']
    if view['kind'] == 'event':
        status, after = workbench.call(usage, 'proceed', {'step': payload['step']}, student=student)
    else:
        status, after = workbench.call(usage, 'choose', {'step': payload['step'], 'choice': view['choices'][0]['id']},
                                       student=student)
    assert status == 200, after
    return after


def play_until(workbench, usage, payload, node_id, student='student_1'):
    """Move on until the learner stands at `node_id`."""
    while payload['view']['node_id'] != node_id:
        payload = advance(workbench, usage, payload, student)
    return payload


def play_to_last_decision(workbench, usage, payload, student='student_1'):
    """Play on until the next move ends the attempt; return (that step's payload, the final payload)."""
    while True:
        after = advance(workbench, usage, payload, student)
        if after['finished']:
            return payload, after
        payload = after


def test_page_is_indonesian_first_and_english_on_request(workbench):
    html = workbench.open(SCENARIO)
    assert 'Sampah Menumpuk di Samping Sekolah' in html
    assert 'lang="id"' in html
    english = workbench.open(SCENARIO, lang='en')
    assert 'Garbage' in english or 'garbage' in english
    assert 'lang="en"' in english


def test_handlers_refuse_requests_without_the_csrf_token(workbench):
    html = workbench.open(SCENARIO)
    usage = workbench.usage_ids(html, 'asn_case_study')[0]
    status, _ = workbench.call(usage, 'begin', {}, csrf=False)
    assert status == 403


def test_the_browser_sees_only_the_current_step(workbench):
    _usage, payload = start(workbench)
    text = json.dumps(payload)
    assert payload['view']['kind'] == 'situation'
    for secret in ('"points"', '"target"', '"feedback": {', '"competencies"', '"when"', '"effects"'):
        assert secret not in text
    assert set(payload['view']['choices'][0]) == {'id', 'label'}


def test_bad_input_gets_a_400_in_indonesian_and_changes_nothing(workbench):
    usage, payload = start(workbench)
    for body in ['{"step": 0, "choice": ', json.dumps({'step': 0, 'choice': 'zz'}),
                 json.dumps({'step': 0, 'choice': 'a', 'points': 100}), json.dumps({'step': 'x', 'choice': 'a'})]:
        status, error = workbench.call(usage, 'choose', raw=body)
        assert status == 400, body
        assert error['error'] and 'The ' not in error['error'], error
    status, again = workbench.call(usage, 'load', {})
    assert again['step'] == 0 and again['view'] == payload['view']


def test_a_second_click_on_the_same_step_is_refused_and_resyncs(workbench):
    usage, payload = start(workbench)
    choice = payload['view']['choices'][0]['id']
    first = workbench.call(usage, 'choose', {'step': 0, 'choice': choice})
    second = workbench.call(usage, 'choose', {'step': 0, 'choice': choice})
    assert first[0] == 200 and second[0] == 400
    assert second[1]['code'] == 'stale_step' and second[1]['error']
    assert workbench.call(usage, 'load', {})[1]['step'] == 1


def test_finishing_records_one_ledger_row_and_one_grade_even_when_clicked_twice(workbench):
    usage, payload = start(workbench)
    last, finished = play_to_last_decision(workbench, usage, payload)
    repeat = workbench.call(usage, 'choose', {'step': last['step'], 'choice': last['view']['choices'][0]['id']})
    assert repeat[0] == 400
    assert Attempt.objects.filter(usage_key=usage).count() == 1
    row = Attempt.objects.get(usage_key=usage)
    assert row.score == finished['debrief']['score']
    assert row.max_score == 100
    assert row.answers['ending'] == finished['view']['node_id']
    assert row.competency_scores.exists()


def test_the_learner_resumes_where_they_left_off(workbench):
    usage, payload = start(workbench)
    choice = payload['view']['choices'][0]['id']
    _status, moved = workbench.call(usage, 'choose', {'step': 0, 'choice': choice})
    html = workbench.open(SCENARIO)  # a reload, or another device
    assert workbench.init_args(html)[0]['state']['view'] == moved['view']
    assert workbench.call(usage, 'load', {})[1]['view'] == moved['view']


def test_learners_do_not_share_state(workbench):
    usage, _ = start(workbench, 'student_1')
    workbench.open(SCENARIO, student='student_2')
    assert workbench.call(usage, 'load', {}, student='student_2')[1]['view'] is None
