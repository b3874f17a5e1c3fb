"""Playing the two default case studies in chromium, as a learner: every ending, keyboard only,
on a phone, axe at each stage, nothing secret in the page, resume after a reload, README shots.

Events are drawn on the server (seeded per learner and attempt), so each play-through is
planned adaptively: after every move the test reads where the server put the learner (the
handler's JSON answer, cross-checked with the step title on the page) and asks the pure engine
(`case_study_planner.Walk`) for a choice from which the wanted ending can still be forced. Moves
are always made through the page (click, tap or keyboard), never by calling handlers directly.
"""
import functools
import html
import json
import os
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from asn_xblocks.case_study.defaults import DEFAULT_SCENARIOS, scenario_data
from asn_xblocks.case_study.model import Scenario, Situation

from .case_study_planner import GOALS, Walk
from .helpers import REPO, WCAG_A_AA, assert_no_axe_violations, scenario_url, tab_to

# The workbench page of each default scenario (`asn_case_study.<index in DEFAULT_SCENARIOS>`).
SCENARIO_PAGES = {f'asn_case_study.{index}': name for index, name in enumerate(DEFAULT_SCENARIOS)}
ROOT = '.asn-case-study'
SCREENSHOTS = REPO / 'docs' / 'screenshots'

# The player's Indonesian texts (locale/id/LC_MESSAGES/textjs.po).
START = 'Mulai studi kasus'
CONTINUE = 'Lanjutkan'
KEYS = ('Enter', 'Space')  # a keyboard learner may press either on a button
SAME_AS_YOURS = 'Sama dengan pilihan Anda'
SCORE_TEXT = '{score} dari {max} poin'

# What only the server may know while a learner plays: JSON keys of the scenario that never
# belong in a learner payload, and words that would betray them in the page.
SECRET_KEYS = frozenset({'points', 'target', 'effects', 'when', 'weight', 'outcomes', 'competencies',
                         'variables', 'routes', 'nodes', 'timeout', 'debrief'})
SECRET_WORDS = ('points', 'target', 'effects')

# The page's HTML without the workbench SDK's own debug panel (`section.debug`), which prints
# the block's raw fields for developers; the LMS has no such panel.
PAGE_HTML_JS = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('section.debug').forEach((node) => node.remove());
    return {html: copy.outerHTML, text: copy.textContent};
}"""


# Before a move: mark the step heading, which rendering the answer replaces.
MARK_STALE_JS = """(root) => {
    const heading = root.querySelector('.asn-cs-step-title');
    if (heading) heading.dataset.testStale = 'yes';
}"""
# After a move: null until the answer is rendered (a new heading with `title`, and the live region
# saying `spoken` if given), then what the learner sees and where focus is.
RENDERED_JS = """([selector, title, spoken]) => {
    const root = document.querySelector(selector);
    const heading = root.querySelector('.asn-cs-step-title');
    if (!heading || heading.dataset.testStale || heading.textContent !== title) return null;
    const live = root.querySelector('[data-asn-live]').textContent.replace(/\\s+/g, ' ');
    if (spoken && !live.includes(spoken)) return null;
    const active = document.activeElement;
    const feedback = root.querySelector('.asn-feedback');
    const focus = active === heading ? 'heading' : active && active === feedback ? 'feedback'
        : active ? active.tagName.toLowerCase() + '.' + active.className : 'nothing';
    return {
        title: heading.textContent,
        choices: [...root.querySelectorAll('.asn-cs-choices button')].map((b) => b.textContent),
        feedback: feedback ? [...feedback.querySelectorAll('p')].map((p) => p.textContent) : [],
        focus, live,
    };
}"""
# At the ending: the title, the score line and the debrief table's rows as the learner reads them.
DEBRIEF_JS = """(root) => ({
    title: root.querySelector('.asn-cs-step-title').textContent,
    score: root.querySelector('.asn-cs-score').textContent,
    rows: [...root.querySelectorAll('.asn-cs-debrief tbody tr')].map((row) => {
        const cells = row.querySelectorAll('td');
        const first = (cell) => (cell && cell.querySelector('p') ? cell.querySelector('p').textContent : null);
        return {title: row.querySelector('th').textContent, mine: first(cells[0]), expert: first(cells[1]),
                points: cells[2] ? cells[2].textContent : null, cells: cells.length};
    }),
})"""


@functools.lru_cache(maxsize=None)
def scenario(scenario_id):
    return Scenario.from_dict(scenario_data(SCENARIO_PAGES[scenario_id]))


def number(value):
    """A number as the player's JavaScript prints it (`String(100.0)` is "100")."""
    return str(int(value)) if float(value).is_integer() else str(value)


def squeeze(text):
    return ' '.join((text or '').split())


class Player:
    """Plays one scenario in one page toward one kind of ending, through the page's own controls.

    `how` is 'click', 'tap' (phone) or 'keyboard' (Tab to the control, then Enter or Space).
    `on_step(player)` runs after each rendered move (for audits and layout checks).
    """

    def __init__(self, page, live_server, scenario_id, goal, student, how='click'):
        self.page, self.live_server, self.scenario_id = page, live_server, scenario_id
        self.student, self.how = student, how
        self.scenario = scenario(scenario_id)
        self.walk = Walk(self.scenario, goal)
        self.root = page.locator(ROOT)
        self.payload = None  # the last handler answer
        self.shown = None  # what the page showed after it (see RENDERED_JS)
        self.handler_url = None
        self.keys_used = []

    # --- page ---------------------------------------------------------------------------------
    def open(self):
        response = self.page.goto(scenario_url(self.live_server, self.scenario_id, student=self.student))
        assert response.ok, response.status
        expect(self.root.locator('[data-cs-controls] button').first).to_be_visible()
        return self

    def init_args(self):
        script = self.page.locator('[data-block-type="asn_case_study"] script.xblock_json_init_args')
        return json.loads(script.text_content())

    def heading(self):
        return self.root.locator('.asn-cs-step-title')

    def feedback_box(self):
        return self.root.locator('.asn-feedback')

    def choice_buttons(self):
        return self.root.locator('.asn-cs-choices button')

    def active_element(self, selector):
        """Whether focus is on the (single) element `selector` matches inside the block."""
        return self.root.locator(selector).evaluate('(el) => el === document.activeElement')

    def press(self, button):
        if self.how == 'keyboard':
            tab_to(self.page, button)
            key = KEYS[len(self.keys_used) % len(KEYS)]
            self.page.keyboard.press(key)
            self.keys_used.append(key)
        elif self.how == 'tap':
            button.tap()
        else:
            button.click()

    def _move(self, handler, button):
        """Press `button`, wait for `handler`'s answer and for the page to render it; return the answer."""
        self.root.evaluate(MARK_STALE_JS)
        with self.page.expect_response(
                lambda r: r.request.method == 'POST' and f'/{handler}/' in r.url) as answer:
            self.press(button)
        response = answer.value
        assert response.ok, f'{handler} answered {response.status}: {response.text()}'
        self.handler_url = response.url
        self.payload = response.json()
        feedback = (self.payload.get('feedback') or {}).get('text')
        # The live region is filled 50 ms after rendering; only the keyboard run waits for it.
        spoken = (squeeze(feedback) if feedback else squeeze(self.payload['view']['title'])) \
            if self.how == 'keyboard' else ''
        try:
            self.shown = self.page.wait_for_function(
                RENDERED_JS, arg=[ROOT, self.payload['view']['title'], spoken]).json_value()
        except PlaywrightTimeoutError:
            now = self.root.evaluate('(root) => [root.querySelector(".asn-cs-step-title")?.textContent, '
                                     'root.querySelector("[data-asn-live]").textContent]')
            raise AssertionError(f'the page did not render {self.payload["view"]["title"]!r}'
                                 + (f' and announce {spoken!r}' if spoken else '')
                                 + f'; heading and live region now: {now}') from None
        self._check_rendered(self.payload['view'], feedback)
        return self.payload

    def _check_rendered(self, view, feedback):
        shown = self.shown
        node = self.scenario.node(view['node_id'])
        assert node is not None, f'the server sent unknown node {view["node_id"]!r}'
        assert shown['title'] == node.title.get('id')
        if isinstance(node, Situation):
            assert shown['choices'] == [c['label'] for c in view['choices']]
        if feedback:
            assert squeeze(' '.join(shown['feedback'])) == squeeze(feedback)
        else:
            assert not shown['feedback']
        if self.how == 'keyboard':
            assert shown['focus'] == ('feedback' if feedback else 'heading'), \
                f'after the move focus is on {shown["focus"]}'

    # --- moves --------------------------------------------------------------------------------
    def start(self):
        self._move('begin', self.root.get_by_role('button', name=START, exact=True))
        assert self.payload['view']['node_id'] == self.walk.node_id
        assert self.payload['step'] == 0 and not self.payload['finished']
        return self

    def step(self):
        """Make the planned move at the current step and check where the server put the learner."""
        view = self.payload['view']
        assert view['node_id'] == self.walk.node_id, f'page at {view["node_id"]!r}, walk at {self.walk.node_id!r}'
        if view['kind'] == 'event':
            self._move('proceed', self.root.get_by_role('button', name=CONTINUE, exact=True))
            self.walk.proceeded(self.payload['view']['node_id'])
            return self.payload
        choice = self.walk.next_choice()
        offered = [c['id'] for c in view['choices']]
        assert choice.id in offered, f'{choice.id!r} is not offered at {view["node_id"]!r}: {offered}'
        assert self.shown['choices'][offered.index(choice.id)] == choice.label.get('id')
        self._move('choose', self.choice_buttons().nth(offered.index(choice.id)))
        arrived = self.walk.chose(choice)
        assert self.payload['view']['node_id'] == arrived
        assert self.payload['feedback'] == {'text': choice.feedback.get('id'), 'timed_out': False}
        return self.payload

    def play(self, steps=None, on_step=None):
        """Move until the ending (or `steps` moves); `on_step(self)` runs after each move."""
        taken = 0
        while not self.payload['finished'] and (steps is None or taken < steps):
            self.step()
            taken += 1
            if on_step:
                on_step(self)
        return self

    # --- the ending ---------------------------------------------------------------------------
    def check_ending(self):
        """The ending, the score and the debrief table are what the engine computes for the path."""
        assert self.payload['finished'] and self.walk.finished
        assert self.walk.goal_reached(), f'{self.walk.node_id} with {self.walk.score} is not {self.walk.goal!r}'
        ending = self.walk.node
        breakdown = self.walk.score_breakdown()
        expected = self.walk.debrief()
        assert self.payload['debrief']['score'] == breakdown.earned
        assert self.payload['debrief']['ending']['id'] == ending.id
        assert [d['choice']['id'] for d in self.payload['debrief']['decisions']] == \
            [s.choice_id for s in self.walk.path if s.kind == 'choice']

        shown = self.root.evaluate(DEBRIEF_JS)
        assert shown['title'] == ending.title.get('id')
        assert shown['score'] == SCORE_TEXT.format(score=number(breakdown.earned), max=number(breakdown.possible_max))
        rows = [{'title': d['title'], 'mine': d['choice']['label'],
                 'expert': SAME_AS_YOURS if d['followed_expert'] else d['expert']['label'],
                 'points': number(d['points']), 'cells': 3} for d in expected['decisions']]
        assert len(rows) == len([s for s in self.walk.path if s.kind == 'choice'])
        assert shown['rows'] == rows
        assert_no_sideways_overflow(self.root)
        return breakdown


def assert_no_sideways_overflow(root):
    sizes = root.evaluate('(el) => ({scroll: el.scrollWidth, client: el.clientWidth})')
    assert sizes['scroll'] <= sizes['client'], f'the block overflows sideways: {sizes}'


def load_from_page(page, handler_url):
    """The `load` handler's answer, fetched by the page itself (same cookies, CSRF token)."""
    url = re.sub(r'/[a-z_]+/\?', '/load/?', handler_url, count=1)
    return page.evaluate(
        """async (url) => {
            const token = (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || '';
            const response = await fetch(url, {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': decodeURIComponent(token)},
                body: '{}'});
            return {status: response.status, data: await response.json()};
        }""", url)


def secret_keys_in(value, where='args'):
    """Paths of keys in a JSON value that only the server may know."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS:
                found.append(f'{where}.{key}')
            found += secret_keys_in(item, f'{where}.{key}')
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += secret_keys_in(item, f'{where}[{index}]')
    return found


def strings_in(value):
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return [value] if isinstance(value, str) else []


def unseen_feedback(scenario_model, seen):
    """Every feedback paragraph of the scenario (both languages) except the texts in `seen`."""
    texts = []
    for node in scenario_model.nodes:
        if not isinstance(node, Situation):
            continue
        feedbacks = [c.feedback for c in node.choices if c.feedback]
        feedbacks += [node.timeout.feedback] if node.timeout and node.timeout.feedback else []
        for feedback in feedbacks:
            for _lang, text in feedback.texts:
                if text not in seen:
                    texts += [squeeze(part) for part in re.split(r'\n\s*\n', text) if part.strip()]
    return texts


def assert_page_keeps_secrets(page, scenario_model, seen=()):
    """No scenario key, secret word or unseen feedback anywhere in the page (outside the SDK's debug panel)."""
    found = page.evaluate(PAGE_HTML_JS)
    page_html, page_text = found['html'], squeeze(found['text'])
    for word in SECRET_WORDS:
        match = re.search(rf'.{{0,60}}\b{word}\b.{{0,60}}', page_html, re.IGNORECASE)
        assert match is None, f'the page says {word!r}: …{match.group(0)}…'
    for text in unseen_feedback(scenario_model, seen):
        probe = text[:60]
        assert probe not in page_text and html.escape(probe, quote=False) not in page_html, \
            f'the page shows feedback of a choice not taken: {probe!r}'


def assert_args_keep_secrets(args, scenario_model, seen=()):
    assert not secret_keys_in(args), f'the JSON init args carry {secret_keys_in(args)}'
    strings = [squeeze(s) for s in strings_in(args)]
    for text in unseen_feedback(scenario_model, seen):
        assert not any(text[:60] in s for s in strings), f'the JSON init args carry unseen feedback {text[:60]!r}'


LMS_HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>.workbench .banner, section.debug { display: none !important; }</style>')


def like_an_lms_page(page):
    """Serve workbench pages the way the LMS frames a block: with `<meta name="viewport"
    content="width=device-width">` (the LMS and the learning MFE have it; without it a phone lays
    the SDK's bare page out 980 px wide and zooms out) and without the SDK's own chrome: its fixed
    banner (a nowrap title wider than a phone, which also covers controls and screenshots) and its
    developer debug panel (a raw field dump thousands of pixels wide)."""
    def add_meta(route):
        response = route.fetch()
        body = response.text().replace('<head>', '<head>' + LMS_HEAD, 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r'/scenario/'), add_meta)
    return page


def assert_fits(player, width):
    """The block does not scroll sideways; every choice is on screen, whole, inside the block."""
    assert_no_sideways_overflow(player.root)
    block = player.root.bounding_box()
    buttons = player.choice_buttons()
    expect(buttons.first).to_be_visible()
    for index in range(buttons.count()):
        button = buttons.nth(index)
        box = button.bounding_box()
        label = button.inner_text()[:40]
        assert box['x'] >= block['x'] - 0.5 and box['x'] + box['width'] <= block['x'] + block['width'] + 0.5, \
            f'choice {label!r} sticks out of the block: {box} vs {block}'
        assert box['x'] >= 0 and box['x'] + box['width'] <= width, f'choice {label!r} is off screen: {box}'
        overflow = button.evaluate('(el) => ({scroll: el.scrollWidth, client: el.clientWidth})')
        assert overflow['scroll'] <= overflow['client'], f'the label of {label!r} overflows its button: {overflow}'


# --- every ending -------------------------------------------------------------------------------
@pytest.mark.parametrize('scenario_id', list(SCENARIO_PAGES))
def test_every_ending_can_be_played_and_is_scored_like_the_engine(page, live_server, scenario_id):
    """Four learners play the scenario to its good, fair, poor and integrity-breach endings."""
    endings = {}
    for goal in GOALS:
        player = Player(page, live_server, scenario_id, goal, student=f'ending-{goal}').open().start()
        player.play()
        breakdown = player.check_ending()
        endings[goal] = (player.walk.node_id, breakdown.earned)
    assert len({ending for ending, _score in endings.values()}) == 4, endings


# --- keyboard -----------------------------------------------------------------------------------
def test_a_whole_play_through_works_by_keyboard_alone(page, live_server):
    """Tab and Enter/Space only; focus lands on the new step's feedback or heading; the live region speaks."""
    player = Player(page, live_server, 'asn_case_study.1', 'fair', student='keyboard', how='keyboard').open()
    player.start()
    player.play()
    player.check_ending()
    assert player.active_element('.asn-feedback')
    assert set(player.keys_used) == set(KEYS) and len(player.keys_used) >= 12, player.keys_used


# --- phone --------------------------------------------------------------------------------------
def test_a_phone_learner_sees_whole_choices_without_sideways_scrolling(phone_page, live_server):
    width = phone_page.viewport_size['width']
    like_an_lms_page(phone_page)
    player = Player(phone_page, live_server, 'asn_case_study.0', 'good', student='phone', how='tap').open()
    player.start()
    assert_fits(player, width)
    player.play(steps=4, on_step=lambda p: p.payload['view']['kind'] == 'situation' and assert_fits(p, width))
    expect(player.feedback_box()).to_be_visible()
    assert phone_page.evaluate('innerWidth') == width


# --- axe ----------------------------------------------------------------------------------------
@pytest.mark.parametrize('scenario_id', list(SCENARIO_PAGES))
def test_axe_finds_nothing_at_the_start_a_feedback_step_the_event_and_the_debrief(page, live_server, scenario_id):
    audited = []

    def audit(stage):
        # WCAG A/AA and axe's best practices too: heading-order caught the feedback's h4 under the h2.
        assert_no_axe_violations(page, ROOT, tags=(*WCAG_A_AA, 'best-practice'))
        audited.append(stage)

    def on_step(player):
        view = player.payload['view']
        if view['kind'] == 'event':
            audit('event')
        elif view['kind'] == 'situation' and player.payload['feedback'] and 'feedback' not in audited:
            expect(player.feedback_box()).to_be_visible()
            audit('feedback')

    player = Player(page, live_server, scenario_id, 'poor', student='axe').open()
    audit('start')
    player.start().play(on_step=on_step)
    player.check_ending()
    audit('debrief')
    assert audited == ['start', 'feedback', 'event', 'debrief']


# --- secrecy ------------------------------------------------------------------------------------
def test_the_page_never_holds_points_targets_effects_or_unseen_feedback(page, live_server):
    scenario_id = 'asn_case_study.0'
    player = Player(page, live_server, scenario_id, 'good', student='secrets').open()
    assert_args_keep_secrets(player.init_args(), player.scenario)
    player.start()
    assert_page_keeps_secrets(page, player.scenario)

    player.step()
    seen = {player.payload['feedback']['text']}
    assert_page_keeps_secrets(page, player.scenario, seen)

    # The page as the server renders it mid-scenario: its init args now carry the current step.
    page.reload()
    expect(player.heading()).to_have_text(player.walk.node.title.get('id'))
    args = player.init_args()
    assert args['state']['view']['node_id'] == player.walk.node_id
    assert_args_keep_secrets(args, player.scenario)
    assert_page_keeps_secrets(page, player.scenario)
    # The `load` handler (what a resuming page asks for) keeps the same secrets.
    loaded = load_from_page(page, player.handler_url)
    assert loaded['status'] == 200, loaded
    assert_args_keep_secrets(loaded['data'], player.scenario)


# --- resume -------------------------------------------------------------------------------------
def test_a_reload_mid_scenario_resumes_at_the_same_step(page, live_server):
    player = Player(page, live_server, 'asn_case_study.1', 'good', student='reload').open().start()
    player.play(steps=7)  # past the timed situation and the event
    before = player.payload
    assert not before['finished']

    page.reload()
    expect(player.heading()).to_have_text(before['view']['title'])
    expect(player.choice_buttons()).to_have_text([c['label'] for c in before['view']['choices']])
    expect(player.root.get_by_role('button', name=START, exact=True)).to_have_count(0)
    state = player.init_args()['state']
    assert (state['step'], state['view']['node_id']) == (before['step'], before['view']['node_id'])
    assert load_from_page(page, player.handler_url)['data']['step'] == before['step']

    # And the resumed page plays on to the ending.
    player.play()
    assert player.check_ending().earned == 100


# --- README screenshots -------------------------------------------------------------------------
@pytest.mark.skipif(os.environ.get('ASN_SCREENSHOTS') != '1',
                    reason='writes docs/screenshots/case-study-*.png only when ASN_SCREENSHOTS=1')
def test_readme_screenshots(page, phone_page, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({'width': 1100, 'height': 900})
    like_an_lms_page(page)
    # A fair play-through: its debrief shows the expert's answer beside several of the learner's.
    player = Player(page, live_server, 'asn_case_study.0', 'fair', student='readme').open().start()
    player.step()
    expect(player.feedback_box()).to_be_visible()
    shoot(player, 'case-study-step.png')
    player.play()
    player.check_ending()
    shoot(player, 'case-study-debrief.png')

    like_an_lms_page(phone_page)
    phone = Player(phone_page, live_server, 'asn_case_study.1', 'good', student='readme-phone', how='tap')
    phone.open().start().step()
    expect(phone.feedback_box()).to_be_visible()
    shoot(phone, 'case-study-phone.png')


def shoot(player, name):
    path = SCREENSHOTS / name
    player.page.evaluate('() => document.activeElement && document.activeElement.blur()')
    player.root.screenshot(path=str(path), animations='disabled', caret='hide')
    assert path.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
