"""Helpers for the browser tests: workbench URLs, the axe-core check and keyboard navigation."""
import pathlib
import re
from urllib.parse import urlencode

from xblock.core import XBlock

REPO = pathlib.Path(__file__).resolve().parents[2]
AXE_JS = REPO / 'node_modules' / 'axe-core' / 'axe.min.js'

# Every WCAG 2.0, 2.1 and 2.2 success criterion at level A and AA that axe-core can check.
WCAG_A_AA = ('wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa')

ASN_PACKAGE = 'asn_xblocks'


def scenario_url(live_server, scenario_id, student='student_1', lang=None, view=None):
    """The live workbench URL of a scenario as seen by `student`, optionally in `lang` ('id' or 'en').

    Uses `/scenario/<id>/` (the SDK's `/view/` page has a JavaScript bug). `view` picks another
    view than `student_view`, e.g. 'studio_view' or 'author_view'.
    """
    path = f'/scenario/{scenario_id}/' + (f'{view}/' if view else '')
    query = {'student': student}
    if lang:
        query['lang'] = lang
    return f'{live_server.url}{path}?{urlencode(query)}'


def asn_block_classes():
    """(entry-point name, class) of every XBlock registered under `xblock.v1` from our package."""
    return sorted(
        (name, cls) for name, cls in XBlock.load_classes(fail_silently=False)
        if cls.__module__.split('.')[0] == ASN_PACKAGE
    )


def asn_scenarios():
    """(scenario id, description) of every workbench scenario our blocks declare, without a database.

    The ids are the workbench's own: `<entry-point name>.<index in workbench_scenarios()>`.
    """
    return [
        (f'{name}.{index}', description)
        for name, cls in asn_block_classes()
        for index, (description, _xml) in enumerate(getattr(cls, 'workbench_scenarios', list)())
    ]


def assert_no_axe_violations(page, selector='body', *, tags=WCAG_A_AA, disable_rules=()):
    """Run axe-core on what `selector` matches and fail with a readable list of its violations.

    Only the matched elements are checked (scope it to the block, not the workbench around it).
    A selector that matches nothing fails rather than passing an empty check.
    """
    if not AXE_JS.exists():
        raise AssertionError(f'{AXE_JS} is missing: run `npm ci --no-audit --no-fund` in {REPO} '
                             '(`make test` does it when node_modules/axe-core is missing)')
    if page.locator(selector).count() == 0:
        raise AssertionError(f'axe: nothing on {page.url} matches {selector!r}; nothing would be checked')
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        """async ([selector, tags, disabled]) => {
            const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
            const result = await axe.run(selector, {
                runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        [selector, list(tags), list(disable_rules)],
    )
    if violations:
        raise AssertionError(format_axe_violations(violations, selector, page.url))


def format_axe_violations(violations, selector, url):
    """One paragraph per violated rule: id, impact, what it means, then each offending node."""
    lines = [f'axe-core found {len(violations)} WCAG 2.x A/AA violation(s) in {selector!r} on {url}:']
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation['nodes']:
            summary = ' '.join((node['summary'] or '').split())
            lines.append(f"    {node['target']}: {summary}")
    return '\n'.join(lines)


_DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body>';
    let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    const label = (el.getAttribute('aria-label') || el.value || el.textContent || '').trim().replace(/\\s+/g, ' ');
    return label ? `${name} "${label.slice(0, 40)}"` : name;
}"""


def tab_to(page, locator, max_presses=30, *, backwards=False):
    """Press Tab (Shift+Tab if `backwards`) until `locator` has focus; return the number of presses.

    Only the keyboard moves focus, from wherever it is now, so this proves the element is
    reachable by keyboard alone. Fails with the path focus took if it is not reached.
    """
    count = locator.count()
    if count != 1:
        raise AssertionError(f'tab_to: {locator} matches {count} elements, expected exactly one')
    key = 'Shift+Tab' if backwards else 'Tab'
    path = []
    for presses in range(1, max_presses + 1):
        page.keyboard.press(key)
        if locator.evaluate('(el) => el === document.activeElement'):
            return presses
        path.append(page.evaluate(_DESCRIBE_FOCUS))
    raise AssertionError(f'{locator} did not get focus after {max_presses} {key} presses; '
                         f'focus went: {" -> ".join(path)}')


class ConsoleErrors:
    """Collects console errors and uncaught exceptions of the pages it watches.

    Any collected message fails the test at teardown. A test that provokes an error on purpose
    (say a handler answering 400) declares it with `allow(regex)`.
    """

    def __init__(self):
        self.messages = []
        self._allowed = []

    def watch(self, page, label):
        page.on('console', lambda message: message.type == 'error' and self._add(
            label, f'console.error: {message.text} ({_where(message)})'))
        page.on('pageerror', lambda error: self._add(label, f'uncaught {error.name}: {error.message}'))

    def allow(self, pattern):
        """Ignore messages matching the regular expression `pattern` (searched, not matched)."""
        self._allowed.append(re.compile(pattern))
        self.messages = [m for m in self.messages if not self._is_allowed(m)]

    def clear(self):
        self.messages = []

    def _is_allowed(self, message):
        return any(pattern.search(message) for pattern in self._allowed)

    def _add(self, label, message):
        message = f'[{label}] {message}'
        if not self._is_allowed(message):
            self.messages.append(message)

    def __str__(self):
        return '\n'.join(self.messages)


def _where(message):
    location = message.location or {}
    if location.get('url'):
        return f"{location['url']}:{location.get('lineNumber', '?')}"
    return 'no location'
