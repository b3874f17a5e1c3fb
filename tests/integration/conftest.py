"""Workbench integration fixtures: real scenario pages and handler URLs, CSRF enforced."""
import json
import re

import pytest
from django.test import Client
from workbench.runtime_util import reset_global_state


class Workbench:
    """A browser-less visitor of the workbench, one student at a time."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def open(self, scenario_id, student='student_1', lang=None, view=None):
        """GET a scenario page (which also sets the CSRF cookie) and return its HTML."""
        url = f'/scenario/{scenario_id}/' + (f'{view}/' if view else '')
        params = {'student': student, **({'lang': lang} if lang else {})}
        response = self.client.get(url, params)
        assert response.status_code == 200, response.content[:500]
        return response.content.decode('utf-8')

    @staticmethod
    def usage_ids(html, block_type):
        """Usage ids of the blocks of `block_type` on a page, in page order."""
        return re.findall(rf"data-usage=['\"]([^'\"]*\.{block_type}\.[^'\"]*)['\"]", html)

    @staticmethod
    def init_args(html):
        """The JSON arguments each block's JavaScript starts with, in page order."""
        found = re.findall(r'<script type="json/xblock-args" class="xblock_json_init_args">(.*?)</script>', html, re.S)
        return [json.loads(text) for text in found]

    def call(self, usage_id, handler, data=None, student='student_1', raw=None, csrf=True):
        """POST JSON to a handler the way our browser code does; return (status, parsed body)."""
        headers = {'HTTP_X_CSRFTOKEN': self.client.cookies['csrftoken'].value} if csrf else {}
        body = raw if raw is not None else json.dumps(data or {})
        response = self.client.post(f'/handler/{usage_id}/{handler}/?student={student}', body,
                                    content_type='application/json', **headers)
        try:
            parsed = json.loads(response.content)
        except ValueError:
            parsed = response.content.decode('utf-8', 'replace')
        return response.status_code, parsed

    def get(self, usage_id, handler, student='student_1'):
        """GET a handler (downloads, reports)."""
        return self.client.get(f'/handler/{usage_id}/{handler}/?student={student}')


@pytest.fixture
def workbench(transactional_db):  # pylint: disable=unused-argument
    """A clean workbench: fresh scenarios and no learner state."""
    reset_global_state()
    yield Workbench()
    reset_global_state()
