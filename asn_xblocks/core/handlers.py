"""One decorator for every JSON handler: method, size, parse, schema, staff check, errors.

Handlers receive validated data and raise `HandlerError` for rules only they can check; the
learner always gets HTTP 4xx with a message in their language, never a traceback. Handlers
must check everything before they change a field, so a refused request changes nothing.
"""
import functools
import json

import jsonschema
from webob import Response
from xblock.core import XBlock

from .i18n import N_, gettext_for
from .users import is_staff

MAX_BODY_BYTES = 64 * 1024

MESSAGES = {
    'method': N_('This action only accepts {method} requests.'),
    'too_large': N_('The request is too large.'),
    'not_json': N_('The request could not be read: it is not valid JSON.'),
    'not_object': N_('The request must be a JSON object.'),
    'staff_only': N_('Only course staff can do this.'),
    'required': N_('The field "{field}" is required.'),
    'type': N_('The field "{field}" has the wrong type.'),
    'too_long': N_('The field "{field}" is too long.'),
    'too_short': N_('The field "{field}" is too short.'),
    'out_of_range': N_('The field "{field}" is out of range.'),
    'not_allowed': N_('The value of "{field}" is not allowed.'),
    'unexpected': N_('The field "{field}" is not expected here.'),
    'invalid': N_('The field "{field}" is not valid.'),
}

SCHEMA_KEYWORD_MESSAGES = {
    'required': 'required',
    'type': 'type',
    'maxLength': 'too_long', 'maxItems': 'too_long', 'maxProperties': 'too_long',
    'minLength': 'too_short', 'minItems': 'too_short', 'minProperties': 'too_short',
    'minimum': 'out_of_range', 'maximum': 'out_of_range',
    'exclusiveMinimum': 'out_of_range', 'exclusiveMaximum': 'out_of_range',
    'enum': 'not_allowed', 'const': 'not_allowed', 'pattern': 'not_allowed',
    'additionalProperties': 'unexpected',
}


def fields(**properties):
    """A JSON Schema for an object with exactly these (all required) fields and nothing else."""
    return {
        'type': 'object',
        'properties': properties,
        'required': sorted(properties),
        'additionalProperties': False,
    }


NO_FIELDS = fields()


class HandlerError(Exception):
    """A refusal with an HTTP status and a translatable message template."""

    def __init__(self, message, status=400, *, extra=None, **params):
        super().__init__(message)
        self.message = message
        self.status = status
        self.params = params
        self.extra = extra or {}  # more of the refusal for the page (e.g. a list of problems)


def json_response(payload, status=200):
    """A JSON response that is never cached by a browser or proxy."""
    response = Response(json.dumps(payload), status=status, content_type='application/json', charset='utf-8')
    response.cache_control.no_store = True
    return response


def json_handler(schema=None, staff_only=False, method='POST', *, max_body_bytes=MAX_BODY_BYTES, permission=None):
    """Turn `func(self, data, suffix)` into an XBlock handler that speaks JSON.

    `schema` is a JSON Schema for the body (default: any object). The handler's return value
    is sent as JSON with status 200. `staff_only=True` admits course staff only; `permission`
    is another test of the block's current user (refused with the same 403). Raise
    `max_body_bytes` only for handlers that receive authored content, never for learners.
    """
    validator = jsonschema.Draft202012Validator(schema or {'type': 'object'})
    allowed = permission or (is_staff if staff_only else None)

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=''):
            try:
                check_access(self, request, method, allowed)
                data = parse_body(request, max_body_bytes) if method == 'POST' else dict(request.GET)
                check_schema(validator, data)
                return json_response(func(self, data, suffix))
            except HandlerError as error:
                return error_response(self, error)

        return wrapper

    return decorator


def download_handler(staff_only=False):
    """Turn `func(self, request, suffix)` returning a webob Response into a GET handler.

    For files a link opens (CSV exports): the same method and staff checks as `json_handler`;
    a refusal is the same translated JSON error, and the file is never produced.
    """
    allowed = is_staff if staff_only else None

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=''):
            try:
                check_access(self, request, 'GET', allowed)
                return func(self, request, suffix)
            except HandlerError as error:
                return error_response(self, error)

        return wrapper

    return decorator


def check_access(block, request, method, allowed=None):
    """Refuse a request with the wrong method, or from a user `allowed(block)` does not admit."""
    if request.method != method:
        raise HandlerError(MESSAGES['method'], status=405, method=method)
    if allowed is not None and not allowed(block):
        raise HandlerError(MESSAGES['staff_only'], status=403)


def error_response(block, error):
    """A refusal as JSON `{'error': message in the user's language, **extra}`."""
    _ = gettext_for(block)
    return json_response({**error.extra, 'error': _(error.message).format(**error.params)}, status=error.status)


def parse_body(request, max_body_bytes=MAX_BODY_BYTES):
    """The request body as a JSON object, or a HandlerError saying why not."""
    if request.content_length and request.content_length > max_body_bytes:
        raise HandlerError(MESSAGES['too_large'])
    body = request.body
    if len(body) > max_body_bytes:
        raise HandlerError(MESSAGES['too_large'])
    try:
        data = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as error:
        raise HandlerError(MESSAGES['not_json']) from error
    if not isinstance(data, dict):
        raise HandlerError(MESSAGES['not_object'])
    return data


def check_schema(validator, data):
    """Raise a HandlerError naming the first field that breaks the schema."""
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    path = '.'.join(str(part) for part in error.absolute_path)
    if error.validator == 'required':
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        path = '.'.join(filter(None, [path, missing[0] if missing else '']))
    elif error.validator == 'additionalProperties':
        allowed = set(error.schema.get('properties', {}))
        extra = sorted(set(error.instance) - allowed)
        path = '.'.join(filter(None, [path, extra[0] if extra else '']))
    key = SCHEMA_KEYWORD_MESSAGES.get(error.validator, 'invalid')
    raise HandlerError(MESSAGES[key], field=path or '-')
