"""The assessment block through real workbench pages and handler URLs: a pre-test and its post-test."""
import json

import pytest

from asn_xblocks.assessment.summary import parse
from asn_xblocks.core.ledger.models import Attempt

SCENARIO = 'asn_assessment.0'
KEY_WORDS = ('"correct"', '"feedback"', '"explanation"', '"points"', '"competencies"', '"scoring"')


def blocks(workbench, student='student_1', lang=None):
    html = workbench.open(SCENARIO, student=student, lang=lang)
    pre, post = workbench.usage_ids(html, 'asn_assessment')
    return html, pre, post


def answers_for(form, pick=0):
    """An answer to every question: option `pick` (wrapping) or the scale's middle value."""
    answers = {}
    for item in form['items']:
        if item['type'] == 'likert':
            answers[item['item_id']] = item['scale'][len(item['scale']) // 2]['value']
        else:
            answers[item['item_id']] = [item['options'][pick % len(item['options'])]['id']]
    return answers


def take(workbench, usage, student='student_1', pick=0, confidence=None):
    status, started = workbench.call(usage, 'start', {}, student=student)
    assert status == 200, started
    body = {'attempt': started['attempt'], 'answers': answers_for(started['form'], pick), 'confidence': confidence or {}}
    status, result = workbench.call(usage, 'submit', body, student=student)
    assert status == 200, result
    return started, result


def test_the_page_shows_the_pre_and_post_test_in_indonesian(workbench):
    html, _pre, _post = blocks(workbench)
    assert 'Tes awal' in html or 'Tes Awal' in html
    assert 'lang="id"' in html
    english, _pre, _post = blocks(workbench, lang='en')
    assert 'Pre-test' in english and 'lang="en"' in english


def test_post_test_waits_for_the_pre_test_then_pairs_with_it(workbench):
    _html, pre, post = blocks(workbench)
    status, body = workbench.call(post, 'start', {})
    assert status == 400 and 'tes awal' in body['error'].lower()
    _started, pre_result = take(workbench, pre)
    assert pre_result['result']['comparison'] is None
    _started, post_result = take(workbench, post)
    comparison = post_result['result']['comparison']
    assert comparison['pre_percent'] == pytest.approx(pre_result['result']['percent'])
    assert {row['code'] for row in comparison['competencies']} >= {'M.05', 'M.06'}
    rows = Attempt.objects.filter(user_id='student_1').order_by('phase')
    assert [(row.phase, row.pairing_key) for row in rows] == [('post', 'pelayanan-publik-demo'),
                                                              ('pre', 'pelayanan-publik-demo')]


def test_no_key_reaches_the_browser_before_release(workbench):
    from workbench.runtime import WorkbenchRuntime
    html, pre, _post = blocks(workbench)
    status, started = workbench.call(pre, 'start', {})
    page = workbench.open(SCENARIO)
    first = started['form']['items'][0]
    _status, saved = workbench.call(pre, 'save_answers', {'attempt': started['attempt'], 'confidence': {},
                                                          'answers': {first['item_id']: [first['options'][0]['id']]}})
    _status, loaded = workbench.call(pre, 'load', {})
    mobile = WorkbenchRuntime('student_1').get_block(pre).student_view_data()
    args = json.dumps(workbench.init_args(page))
    for payload in (json.dumps(started), json.dumps(saved), json.dumps(loaded), json.dumps(mobile), args):
        for word in KEY_WORDS:
            assert word not in payload
    bank_ids = {'a', 'b', 'c', 'd'}
    assert not any(option['id'] in bank_ids for item in started['form']['items'] for option in item.get('options', ()))
    _status, result = workbench.call(pre, 'submit', {'attempt': started['attempt'],
                                                     'answers': answers_for(started['form']), 'confidence': {}})
    assert result['result']['review'] is None  # the pre-test never shows answers by default
    for word in KEY_WORDS:
        assert word not in json.dumps(result)


@pytest.fixture
def published(monkeypatch):
    """Every event the blocks publish, as (block type, event name, data)."""
    from workbench.runtime import WorkbenchRuntime
    events = []
    original = WorkbenchRuntime.publish

    def record(runtime, block, event_type, event_data):
        events.append((block.scope_ids.block_type, event_type, event_data))
        return original(runtime, block, event_type, event_data)

    monkeypatch.setattr(WorkbenchRuntime, 'publish', record)
    return events


def grades(events):
    return [data for block_type, name, data in events if name == 'grade' and block_type == 'asn_assessment']


def test_a_double_submit_records_one_attempt_and_one_grade(workbench, published):
    _html, pre, _post = blocks(workbench)
    status, started = workbench.call(pre, 'start', {})
    body = {'attempt': started['attempt'], 'answers': answers_for(started['form']), 'confidence': {}}
    first = workbench.call(pre, 'submit', body)
    second = workbench.call(pre, 'submit', body)
    assert first[0] == 200 and second[0] == 400
    assert second[1]['code'] == 'stale_attempt' and 'sudah dikirim' in second[1]['error']
    assert Attempt.objects.filter(usage_key=pre).count() == 1
    assert len(grades(published)) == 1
    assert grades(published)[0]['max_value'] == 100.0
    assert grades(published)[0]['value'] == pytest.approx(first[1]['result']['percent'])


def test_the_score_is_the_servers_and_counts_the_right_answers(workbench):
    """Answering every question right scores 100; the browser never sent a score."""
    from asn_xblocks.assessment.defaults import default_bank
    from asn_xblocks.assessment.forms import Form
    _html, pre, _post = blocks(workbench)
    _status, started = workbench.call(pre, 'start', {})
    from workbench.runtime import WorkbenchRuntime
    block = WorkbenchRuntime('student_1').get_block(pre)
    form = Form.from_dict(block.current['form'])
    key = {item['id']: [o['id'] for o in item.get('options', ()) if o['correct']] for item in default_bank()['items']}
    answers = answers_for(started['form'])
    for item in started['form']['items']:
        if item['type'] != 'likert':
            answers[item['item_id']] = [form.token(item['item_id'], option) for option in key[item['item_id']]]
    _status, result = workbench.call(pre, 'submit', {'attempt': started['attempt'], 'answers': answers, 'confidence': {}})
    assert result['result']['percent'] == 100.0
    row = Attempt.objects.get(usage_key=pre)
    assert row.score == 100.0 and row.competency_scores.count() == len({
        code for item in default_bank()['items'] if item['type'] != 'likert' for code in item['competencies']})


BAD_BODIES = [
    ('malformed JSON', None, '{"attempt": 1,', 'JSON'),
    ('unknown item', lambda a, f: {**a, 'zz99': ['x']}, None, 'tidak ada dalam tes'),
    ('made-up option id', lambda a, f: {**a, f['items'][0]['item_id']: ['AAAAAAAAAAAAAAAA']}, None, 'bukan salah satu'),
    ('two answers to a single-choice item',
     lambda a, f: {**a, f['items'][0]['item_id']: [o['id'] for o in f['items'][0]['options'][:2]]}, None, 'tepat satu'),
    ('too many options', lambda a, f: {**a, f['items'][0]['item_id']: ['x'] * 9}, None, 'terlalu panjang'),
    ('Likert value out of range', lambda a, f: {**a, 's01': 9}, None, 'bilangan bulat dari 1 sampai 5'),
    ('a question left out', lambda a, f: {k: v for k, v in list(a.items())[1:]}, None, 'belum dijawab'),
]


@pytest.mark.parametrize('label, change, raw, message', BAD_BODIES, ids=[case[0] for case in BAD_BODIES])
def test_bad_answers_get_a_400_in_indonesian_and_change_nothing(workbench, label, change, raw, message):
    _html, pre, _post = blocks(workbench)
    _status, started = workbench.call(pre, 'start', {})
    answers = answers_for(started['form'])
    body = {'attempt': started['attempt'], 'answers': change(answers, started['form']) if change else answers,
            'confidence': {}}
    status, refusal = workbench.call(pre, 'submit', body, raw=raw)
    assert status == 400, refusal
    assert message.lower() in refusal['error'].lower()
    assert not Attempt.objects.filter(usage_key=pre).exists()
    assert workbench.call(pre, 'load', {})[1]['status'] == 'in_progress'


def test_another_learners_option_ids_are_refused(workbench):
    _html, pre, _post = blocks(workbench)
    workbench.open(SCENARIO, student='student_2')
    _status, mine = workbench.call(pre, 'start', {}, student='student_1')
    _status, theirs = workbench.call(pre, 'start', {}, student='student_2')
    answers = answers_for(mine['form'])
    item = mine['form']['items'][0]['item_id']
    foreign = next(i for i in theirs['form']['items'] if i['item_id'] == item)['options'][0]['id']
    assert foreign not in [o['id'] for o in mine['form']['items'][0]['options']]
    status, refusal = workbench.call(pre, 'submit', {'attempt': mine['attempt'], 'answers': {**answers, item: [foreign]},
                                                     'confidence': {}}, student='student_1')
    assert status == 400 and not Attempt.objects.exists()


def test_answers_are_saved_as_the_learner_goes_and_survive_a_reload(workbench):
    _html, pre, _post = blocks(workbench)
    _status, started = workbench.call(pre, 'start', {})
    first = started['form']['items'][0]
    chosen = first['options'][1]['id']
    status, saved = workbench.call(pre, 'save_answers', {'attempt': started['attempt'], 'answers': {first['item_id']: [chosen]},
                                                         'confidence': {}})
    assert status == 200 and saved == {'saved': 1}
    state = workbench.init_args(workbench.open(SCENARIO))[0]['state']
    assert state['status'] == 'in_progress'
    assert state['form']['items'][0]['selected'] == [chosen]
    def order(form):
        return [(item['item_id'], [option['id'] for option in item.get('options', ())]) for item in form['items']]
    assert order(state['form']) == order(started['form'])  # the same items and options, in the same order


def test_the_test_refuses_answers_outside_its_window(workbench):
    from datetime import datetime, timedelta, timezone
    from workbench.runtime import WorkbenchRuntime
    _html, pre, _post = blocks(workbench)
    _status, started = workbench.call(pre, 'start', {})
    block = WorkbenchRuntime('student_1').get_block(pre)
    block.closes_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    block.save()
    status, refusal = workbench.call(pre, 'submit', {'attempt': started['attempt'],
                                                     'answers': answers_for(started['form']), 'confidence': {}})
    assert status == 400 and refusal['error'] == 'Tes ini sudah ditutup.'
    assert not Attempt.objects.exists()


def test_confidence_ratings_only_for_graded_questions_of_the_form(workbench):
    _html, _pre, post = blocks(workbench)
    take(workbench, _pre)
    _status, started = workbench.call(post, 'start', {})
    body = {'attempt': started['attempt'], 'answers': answers_for(started['form']), 'confidence': {'s01': 3}}
    status, refusal = workbench.call(post, 'submit', body)
    assert status == 400 and 'keyakinan' in refusal['error']
    body['confidence'] = {started['form']['items'][0]['item_id']: 5}
    assert workbench.call(post, 'submit', body)[0] == 400
    body['confidence'] = {started['form']['items'][0]['item_id']: 4}
    status, result = workbench.call(post, 'submit', body)
    assert status == 200
    row = Attempt.objects.get(usage_key=post)
    assert row.answers['confidence'] == body['confidence']
    recorded = parse(row.summary.text)
    assert recorded.confidence[recorded.item_ids.index(started['form']['items'][0]['item_id'])] == '4'


def test_the_post_test_shows_answers_when_the_author_allows_it(workbench):
    _html, pre, post = blocks(workbench)
    take(workbench, pre)
    _started, result = take(workbench, post)
    review = result['result']['review']
    assert review is not None
    graded = [item for item in review['items'] if item['type'] != 'likert']
    assert all(any(option['correct'] for option in item['options']) for item in graded)
    assert all(item['explanation'] for item in graded)


def test_one_attempt_by_default(workbench):
    _html, pre, _post = blocks(workbench)
    take(workbench, pre)
    state = workbench.call(pre, 'load', {})[1]
    assert state['status'] == 'no_attempts' and state['result']['percent'] is not None
    status, refusal = workbench.call(pre, 'start', {})
    assert status == 400 and refusal['error'] == 'Anda telah menggunakan semua kesempatan percobaan.'
