"""The JSON handler decorator: every refusal is a 4xx with a translated message, nothing changes."""
import json

import webob

from .doubles import FakeUserService, make_block


def post(block, handler, body, method='POST'):
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    request = webob.Request.blank('/', method=method, body=raw.encode() if isinstance(raw, str) else raw)
    request.content_type = 'application/json'
    return block.runtime.handle(block, handler, request)


def error_of(response):
    return json.loads(response.body)['error']


def test_valid_request_reaches_the_handler():
    response = post(make_block(), 'submit', {'answer': 3})
    assert response.status_code == 200
    assert json.loads(response.body) == {'score': 6.0}
    assert response.cache_control.no_store


def test_malformed_json_is_refused_in_indonesian_and_changes_nothing():
    block = make_block()
    response = post(block, 'submit', b'{"answer": ')
    assert response.status_code == 400
    assert 'JSON' in error_of(response)
    assert error_of(response) != 'The request could not be read: it is not valid JSON.'
    assert block.attempts_used == 0
    block.runtime.publish.assert_not_called()


def test_non_object_body_is_refused():
    assert post(make_block(), 'submit', '[1, 2]').status_code == 400


def test_schema_errors_name_the_field():
    block = make_block()
    for body, field in [({}, 'answer'), ({'answer': 'x'}, 'answer'), ({'answer': 99}, 'answer'),
                        ({'answer': 1, 'grade': 10}, 'grade')]:
        response = post(block, 'submit', body)
        assert response.status_code == 400, body
        assert f'"{field}"' in error_of(response), body
    assert block.attempts_used == 0


def test_wrong_method_is_refused():
    response = post(make_block(), 'submit', b'', method='GET')
    assert response.status_code == 405


def test_oversized_body_is_refused_before_parsing():
    response = post(make_block(), 'submit', json.dumps({'answer': 1, 'pad': 'x' * 70000}))
    assert response.status_code == 400
    assert 'JSON' not in error_of(response)


def test_invalid_utf8_is_refused():
    assert post(make_block(), 'submit', b'{"answer": "\xff"}').status_code == 400


def test_staff_handler_refuses_learners_and_accepts_staff():
    assert post(make_block(), 'staff_report', {}).status_code == 403
    assert post(make_block(user=FakeUserService(staff=True)), 'staff_report', {}).status_code == 200
    assert post(make_block(user=FakeUserService(role='instructor')), 'staff_report', {}).status_code == 200


def test_staff_handler_refuses_when_the_runtime_has_no_user():
    block = make_block()
    block.runtime._services['user'] = None  # pylint: disable=protected-access
    assert post(block, 'staff_report', {}).status_code == 403
