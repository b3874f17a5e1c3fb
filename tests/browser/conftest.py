"""The browser test layer: Playwright driving Debian's chromium against pytest-django's live server.

Every test here is marked `browser`, starts from a freshly loaded workbench on an empty test
database, fails on any console error or uncaught exception of its pages, and leaves a
screenshot in tests/browser/artifacts/<test name>.png when it fails.
"""
import os
import pathlib
import re

import pytest

from .helpers import ConsoleErrors

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
]
HERE = pathlib.Path(__file__).resolve().parent
ARTIFACTS = HERE / 'artifacts'
DEFAULT_TIMEOUT_MS = 10_000
SCREENSHOT_TIMEOUT_MS = 5_000
MAX_SHOT_HEIGHT = 4_000
DESKTOP = {'viewport': {'width': 1280, 'height': 800}}
PHONE = {'viewport': {'width': 375, 'height': 740}, 'is_mobile': True, 'has_touch': True}


def pytest_collection_modifyitems(items):
    """Mark every test under tests/browser with `browser` (this hook sees the whole session)."""
    for item in items:
        if _is_ours(item):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, screenshot every page the test holds while the pages are still open."""
    report = yield
    if report.failed and report.when in ('setup', 'call') and _is_ours(item):
        pages = _open_pages(item)
        for fixture_name, page in pages.items():
            _screenshot(page, item, fixture_name if len(pages) > 1 else None)
    return report


def _is_ours(item):
    return HERE in pathlib.Path(item.path).resolve().parents


def _open_pages(item):
    from playwright.sync_api import Page
    return {name: value for name, value in getattr(item, 'funcargs', {}).items()
            if isinstance(value, Page) and not value.is_closed()}


def _artifact_name(item, suffix=None):
    name = re.sub(r'[^A-Za-z0-9_.\-\[\]]+', '_', item.name)
    return f'{name}-{suffix}.png' if suffix else f'{name}.png'


def _screenshot(page, item, suffix=None):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / _artifact_name(item, suffix)
    try:
        # The page as far down as MAX_SHOT_HEIGHT, viewport wide: the workbench's debug section
        # (scenario XML, block repr) can make a page hundreds of thousands of pixels wide, and a
        # full-page shot of that crashes chromium.
        height = page.evaluate('() => document.documentElement.scrollHeight')
        clip = {'x': 0, 'y': 0, 'width': page.viewport_size['width'], 'height': min(height, MAX_SHOT_HEIGHT)}
        page.screenshot(path=str(path), full_page=True, clip=clip, timeout=SCREENSHOT_TIMEOUT_MS)
    except Exception as error:  # pylint: disable=broad-exception-caught  # a screenshot must not hide the failure
        item.add_report_section('call', 'screenshot', f'could not save {path}: {error}')
    else:
        item.add_report_section('call', 'screenshot', str(path))


@pytest.fixture(scope='package')
def playwright_browser():
    """One headless Debian chromium (never a downloaded browser) for all of tests/browser.

    Package scope: the browser and Playwright's event loop stop, and the async-safety switch
    below is restored, after the last browser test, before the rest of the suite runs.
    """
    if not os.path.exists(CHROMIUM):
        reason = f'{CHROMIUM} is missing: install Debian chromium (apt-get install chromium) to run browser tests'
        if os.environ.get('CI', '').lower() == 'true':
            pytest.fail(f'CI=true and {reason}', pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django's ORM in
    # fixtures (test database, workbench reset) would refuse to run without this.
    previous = os.environ.get('DJANGO_ALLOW_ASYNC_UNSAFE')
    os.environ['DJANGO_ALLOW_ASYNC_UNSAFE'] = 'true'
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop('DJANGO_ALLOW_ASYNC_UNSAFE', None)
        else:
            os.environ['DJANGO_ALLOW_ASYNC_UNSAFE'] = previous


@pytest.fixture(autouse=True)
def fresh_workbench(live_server, transactional_db):  # pylint: disable=unused-argument
    """Each test starts from freshly loaded scenarios on an empty database.

    The SDK keeps scenarios (`workbench.scenarios.SCENARIOS`) and usage ids
    (`workbench.runtime.ID_MANAGER`) in module globals of this process, which the live
    server's thread shares, while block content and learner state live in the
    `XBlockState` table that `transactional_db` empties after every test. So reload the
    scenarios into the (empty) test database before each test, and afterwards forget them,
    so nothing later in the session can use ids whose rows are gone.
    """
    from django.core.cache import caches
    from workbench import scenarios
    from workbench.runtime import ID_MANAGER
    from workbench.runtime_util import reset_global_state

    for cache in caches.all():
        cache.clear()
    reset_global_state()
    yield
    scenarios.SCENARIOS.clear()
    ID_MANAGER.clear()
    scenarios.get_scenarios.initialized = False


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of this test's pages; see `helpers.ConsoleErrors`."""
    return ConsoleErrors()


@pytest.fixture(autouse=True)
def _no_stale_screenshot(request):
    """A screenshot left by an earlier failing run of this test would mislead: remove it."""
    stem = _artifact_name(request.node).removesuffix('.png')
    for stale in ARTIFACTS.glob('*.png'):
        if stale.stem == stem or stale.stem.startswith(f'{stem}-'):
            stale.unlink()


def _open_page(browser, live_server, request, console_errors, label, options):
    context = browser.new_context(base_url=live_server.url, locale='id-ID', timezone_id='Asia/Jakarta',
                                  **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # The workbench has no favicon; chromium would report its 404 as a console error.
    context.route('**/favicon.ico', lambda route: route.fulfill(status=204, body=''))
    page = context.new_page()
    console_errors.watch(page, label)
    yield page
    failures = [m for m in console_errors.messages if m.startswith(f'[{label}]')]
    if failures and not page.is_closed():
        _screenshot(page, request.node, label if len(_open_pages(request.node)) > 1 else None)
    context.close()
    if failures:
        pytest.fail('the page reported JavaScript errors:\n' + '\n'.join(failures), pytrace=False)


@pytest.fixture
def page(playwright_browser, live_server, request, console_errors):
    """A desktop page (1280x800, id-ID, Asia/Jakarta) in a fresh context whose base URL is the live server."""
    yield from _open_page(playwright_browser, live_server, request, console_errors, 'page', DESKTOP)


@pytest.fixture
def phone_page(playwright_browser, live_server, request, console_errors):
    """A phone page (375x740, mobile, touch, id-ID) in its own fresh context, like `page`."""
    yield from _open_page(playwright_browser, live_server, request, console_errors, 'phone_page', PHONE)
