"""A browser-less workbench visitor for the benchmarks (Django test client, CSRF enforced).

Mirrors tests/integration/conftest.py: GET the scenario page (which sets the CSRF cookie),
POST JSON to handler URLs with the X-CSRFToken header, one `?student=` per learner.
"""
import json
import re

from django.test import Client


class BenchmarkError(RuntimeError):
    """A request the benchmark depends on did not succeed: the numbers would be meaningless."""


class Visitor:
    """Requests exactly as the browser code makes them; every non-200 answer is an error."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def open(self, scenario_id, student):
        """GET a scenario page; return its HTML length (the body is read, as a browser would)."""
        response = self.client.get(f'/scenario/{scenario_id}/', {'student': student})
        if response.status_code != 200:
            raise BenchmarkError(f'GET {scenario_id} as {student}: {response.status_code} {response.content[:300]!r}')
        return len(response.content)

    def usages(self, scenario_id, block_type, student):
        """Usage ids of the `block_type` blocks on a scenario page, in page order."""
        html = self.client.get(f'/scenario/{scenario_id}/', {'student': student}).content.decode('utf-8')
        return re.findall(rf"data-usage=['\"]([^'\"]*\.{block_type}\.[^'\"]*)['\"]", html)

    def call(self, usage_id, handler, data=None, student='student_1'):
        """POST JSON to a handler; return the parsed JSON answer."""
        token = self.client.cookies.get('csrftoken')
        if token is None:
            raise BenchmarkError('No CSRF cookie yet: open a scenario page before calling handlers')
        response = self.client.post(f'/handler/{usage_id}/{handler}/?student={student}', json.dumps(data or {}),
                                    content_type='application/json', HTTP_X_CSRFTOKEN=token.value)
        if response.status_code != 200:
            raise BenchmarkError(f'{handler} on {usage_id} as {student}: {response.status_code} '
                                 f'{response.content[:300]!r}')
        return json.loads(response.content)
