"""A failing browser test leaves a screenshot, and a JavaScript error fails a test that otherwise passes.

Runs `checks_that_must_fail.py` in a child pytest (on SQLite, so it never touches the parent
run's MariaDB test database) and reads its JUnit report.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from .conftest import ARTIFACTS
from .helpers import REPO

CHECKS = 'tests/browser/checks_that_must_fail.py'


def test_failures_are_reported_with_screenshots(tmp_path):
    names = ['test_an_assertion_fails_and_leaves_a_screenshot', 'test_an_uncaught_error_in_the_page_fails_the_test',
             'test_a_console_error_on_the_phone_fails_the_test']
    shots = [ARTIFACTS / f'{name}.png' for name in names]
    for shot in shots:
        shot.unlink(missing_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in ('ASN_TEST_DB', 'PYTEST_ADDOPTS')}
    report = tmp_path / 'report.xml'
    child = subprocess.run(
        [sys.executable, '-m', 'pytest', CHECKS, '-p', 'no:cacheprovider', '-q', f'--junitxml={report}'],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False)
    try:
        assert child.returncode == 1, child.stdout[-3000:] + child.stderr[-3000:]
        outcomes = {case.get('name'): [(part.tag, part.get('message', '') + (part.text or ''))
                                       for part in case if part.tag in ('failure', 'error', 'skipped')]
                    for case in ET.parse(report).iter('testcase')}
        assert_outcome(outcomes[names[0]], 'failure', 'failing on purpose')
        assert_outcome(outcomes[names[1]], 'error', 'notDefinedAnywhere is not defined')
        assert_outcome(outcomes[names[2]], 'error', "[phone_page] console.error: logged on purpose")
        missing = [shot.name for shot in shots if not shot.exists() or shot.stat().st_size == 0]
        assert not missing, f'no screenshot: {missing}'
    finally:
        for shot in shots:
            shot.unlink(missing_ok=True)


def assert_outcome(parts, kind, text):
    assert [tag for tag, _ in parts] == [kind], parts
    assert text in parts[0][1], parts
