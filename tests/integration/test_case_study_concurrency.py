"""Two tabs or two LMS workers submitting the same final step at the same moment."""
import threading

import pytest

from django.db import connection
from django.test import Client

from asn_xblocks.core.ledger.models import Attempt

from .test_case_study_workbench import play_until, start

LAST_DECISION = 'n10'  # every path of the default scenario ends with this decision


def test_simultaneous_final_submissions_record_one_attempt_and_one_grade(workbench, monkeypatch):
    if connection.vendor == 'sqlite':
        pytest.skip("SQLite's in-memory test database takes one writer at a time; "
                    'this race runs on MariaDB (ASN_TEST_DB=mysql), as in CI')
    published = []
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    original = WorkbenchRuntime.publish

    def record(runtime, block, event_type, event_data):
        if event_type == 'grade':
            published.append(event_data)
        return original(runtime, block, event_type, event_data)

    monkeypatch.setattr(WorkbenchRuntime, 'publish', record)
    usage, payload = start(workbench)
    back = play_until(workbench, usage, payload, LAST_DECISION)
    choice = back['view']['choices'][0]['id']
    token = workbench.client.cookies['csrftoken'].value
    barrier = threading.Barrier(2)
    results = []

    def submit():
        client = Client(enforce_csrf_checks=True)
        client.cookies['csrftoken'] = token
        barrier.wait()
        try:
            response = client.post(f'/handler/{usage}/choose/?student=student_1',
                                   {'step': back['step'], 'choice': choice}, content_type='application/json',
                                   HTTP_X_CSRFTOKEN=token)
            results.append(response.status_code)
        except Exception as error:  # pylint: disable=broad-exception-caught
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) in (['200', '200'], ['200', '400']), results
    assert Attempt.objects.filter(usage_key=usage).count() == 1
    assert len(published) == 1
