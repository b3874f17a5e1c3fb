"""Tests that fail on purpose; `test_failure_reporting.py` runs them in a child pytest.

Not collected by a normal run (the name does not match `test_*.py`).
"""


def test_an_assertion_fails_and_leaves_a_screenshot(page):
    page.set_content('<h1>Failing on purpose</h1>')
    assert False, 'failing on purpose'


def test_an_uncaught_error_in_the_page_fails_the_test(page):
    page.set_content('<button onclick="notDefinedAnywhere()">Klik</button>')
    page.click('button')


def test_a_console_error_on_the_phone_fails_the_test(phone_page):
    phone_page.set_content('<p>Ponsel</p>')
    phone_page.evaluate("() => console.error('logged on purpose')")
