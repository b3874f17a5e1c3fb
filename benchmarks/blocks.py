"""What to measure for each block type: the floor, the case study, and a fallback for new blocks.

A *case* is one row of the table. `prepare(i)` does the untimed set-up for iteration `i`
(usually: a fresh learner brought to the right step) and returns the request to time.
A new asn block type gets a page-render row automatically; add its handlers to `SPECS`.
"""
from dataclasses import dataclass
from typing import Callable

from workbench.scenarios import get_scenarios

from .floor import FLOOR_ASN_TYPE, FLOOR_LEDGER_TYPE, FLOOR_STATE_TYPE, FLOOR_TYPE


@dataclass
class Case:
    """One measured request."""

    label: str
    block_type: str
    kind: str  # 'handler' or 'render'
    prepare: Callable[[int], Callable[[], object]]
    role: str = ''  # 'floor', 'render_floor', 'main' (a block's main handler) or ''
    note: str = ''


def scenario_of(block_type):
    """The first workbench scenario of a block type: (scenario id, root usage id), or None."""
    scenario = get_scenarios().get(f'{block_type}.0')
    return (f'{block_type}.0', scenario.usage_id) if scenario else None


def render_case(visitor, block_type, label, role='', note=''):
    """The block's scenario page for a new learner each time (GET /scenario/<id>/)."""
    scenario_id, _usage = scenario_of(block_type)

    def prepare(i):
        student = f'{block_type}-render-{i}'
        return lambda: visitor.open(scenario_id, student)
    return Case(label, block_type, 'render', prepare, role, note)


def floor_cases(visitor):
    """The runtime's floor: a no-op handler and a one-line page, in this same workbench."""
    cases = []
    for block_type, handler, label, role, note in (
            (FLOOR_TYPE, 'noop', 'floor: no-op handler (`XBlock.json_handler`)', 'floor',
             'the floor every ratio is measured against'),
            (FLOOR_ASN_TYPE, 'noop', 'floor: no-op handler (asn `json_handler`)', '',
             'the project decorator: size, JSON and schema checks'),
            (FLOOR_STATE_TYPE, 'touch', 'floor: one `user_state` field read + saved', 'state_floor',
             'the least a handler that stores learner state pays'),
            (FLOOR_LEDGER_TYPE, 'submit', 'floor: one field saved + one ledger attempt', 'ledger_floor',
             'the least a graded submission pays: state and one attempt row')):
        scenario_id, usage = scenario_of(block_type)
        visitor.open(scenario_id, 'bench-floor')  # also sets the CSRF cookie

        def prepare(i, usage=usage, handler=handler):  # pylint: disable=unused-argument
            return lambda: visitor.call(usage, handler, {}, student='bench-floor')
        cases.append(Case(label, block_type, 'handler', prepare, role, note))
    cases.insert(1, render_case(visitor, FLOOR_TYPE, 'floor: page render (one-line `student_view`)',
                                role='render_floor', note='the render floor'))
    return cases


# --- the case study --------------------------------------------------------------------------

class CaseStudyPlayer:
    """Brings learners to a given step of the case study through its real handlers."""

    def __init__(self, visitor, block_type):
        self.visitor = visitor
        self.scenario_id, self.usage = scenario_of(block_type)
        self.block_type = block_type
        self.last_decision = None

    def call(self, handler, student, data=None):
        return self.visitor.call(self.usage, handler, data or {}, student=student)

    def begin(self, student):
        """A started attempt whose first view is a decision (events before it are continued)."""
        payload = self.call('begin', student)
        while payload['view']['kind'] == 'event':
            payload = self.call('proceed', student, {'step': payload['step']})
        return payload

    def move(self, student, payload):
        """One step forward along the first choice (or continue an event)."""
        if payload['view']['kind'] == 'event':
            return self.call('proceed', student, {'step': payload['step']})
        return self.call('choose', student, {'step': payload['step'], 'choice': payload['view']['choices'][0]['id']})

    def play_until(self, student, stop):
        """Begin and move until `stop(payload)`; None if the attempt ended first."""
        payload = self.begin(student)
        while not stop(payload):
            if payload['finished']:
                return None
            payload = self.move(student, payload)
        return payload

    def find_last_decision(self):
        """The node of the decision that ends an attempt along first choices (probed once)."""
        if self.last_decision is None:
            student = f'{self.block_type}-probe'
            payload, previous = self.begin(student), None
            while not payload['finished']:
                previous, payload = payload, self.move(student, payload)
            self.last_decision = previous['view']['node_id']
        return self.last_decision

    def first_choice(self, student, payload):
        choice = payload['view']['choices'][0]['id']
        return lambda: self.call('choose', student, {'step': payload['step'], 'choice': choice})


def case_study_cases(visitor, block_type):
    """Page renders, then `begin`, `choose` (first and final), `proceed` and `load`."""
    player = CaseStudyPlayer(visitor, block_type)
    visitor.open(player.scenario_id, 'bench-cookie')

    def resume_render(i):
        student = f'{block_type}-resume-{i}'
        player.move(student, player.begin(student))
        return lambda: visitor.open(player.scenario_id, student)

    def begin(i):
        student = f'{block_type}-begin-{i}'
        return lambda: player.call('begin', student)

    def choose_first(i):
        student = f'{block_type}-choose-{i}'
        return player.first_choice(student, player.begin(student))

    def choose_final(i):
        student = f'{block_type}-final-{i}'
        last = player.find_last_decision()
        payload = player.play_until(student, lambda p: p['view'].get('node_id') == last)
        if payload is None:
            raise RuntimeError(f'{student} finished before reaching {last}')
        return player.first_choice(student, payload)

    def proceed(i):
        student = f'{block_type}-proceed-{i}'
        payload = player.call('begin', student)
        while payload['view']['kind'] != 'event':
            if payload['finished']:
                raise RuntimeError(f'{student} finished without meeting an event')
            payload = player.move(student, payload)
        return lambda: player.call('proceed', student, {'step': payload['step']})

    resume_student = f'{block_type}-load'

    def load(i):
        if i == 0:
            player.move(resume_student, player.begin(resume_student))
        return lambda: player.call('load', resume_student)

    return [
        render_case(visitor, block_type, f'{block_type}: page render, new learner'),
        Case(f'{block_type}: page render, attempt in progress', block_type, 'render', resume_render),
        Case(f'{block_type}: `begin` (start an attempt)', block_type, 'handler', begin),
        Case(f'{block_type}: `choose`, first decision', block_type, 'handler', choose_first, role='main',
             note='main handler: a fresh learner\'s first choice'),
        Case(f'{block_type}: `choose`, final decision', block_type, 'handler', choose_final,
             note='ends the attempt: grading, ledger row, grade and completion events'),
        Case(f'{block_type}: `proceed` (unexpected event)', block_type, 'handler', proceed),
        Case(f'{block_type}: `load` (resume)', block_type, 'handler', load),
    ]


def generic_cases(visitor, block_type):
    """A block without a spec yet: its page render, so it still appears in the table."""
    if scenario_of(block_type) is None:
        return [Case(f'{block_type}: no workbench scenario to measure', block_type, 'missing', None)]
    return [render_case(visitor, block_type, f'{block_type}: page render, new learner',
                        note='no handler spec yet: add one in benchmarks/blocks.py')]


def expert_session_cases(visitor, block_type):
    """Page render and the `progress` heartbeat: a fresh learner's first watched interval (which
    also starts the learner and passes the 25 % milestone) and a later one that passes nothing,
    the heartbeat a watching learner sends every ~15 s."""
    scenario_id, usage = scenario_of(block_type)
    visitor.open(scenario_id, 'bench-cookie')

    def report(student, start, end):
        return visitor.call(usage, 'progress', {'intervals': [[start, end]]}, student=student)

    def first_progress(i):
        student = f'{block_type}-progress-{i}'
        return lambda: report(student, 0, 15)

    def later_progress(i):
        student = f'{block_type}-heartbeat-{i}'
        report(student, 0, 15)
        return lambda: report(student, 15, 20)
    return [render_case(visitor, block_type, f'{block_type}: page render, new learner'),
            Case(f'{block_type}: `progress` (watched-time heartbeat)', block_type, 'handler', first_progress,
                 role='main', note='main handler: a fresh learner\'s first report: merge and rate-check watched '
                                   'intervals, first start, 25 % milestone, completion event'),
            Case(f'{block_type}: `progress`, later heartbeat', block_type, 'handler', later_progress,
                 note='a returning learner\'s report that passes no milestone: one field read and saved')]


# --- the assessment ----------------------------------------------------------------------------

def answers_to(form):
    """An answer to every question of a public form: the first option, or the scale's first value."""
    return {item['item_id']: item['scale'][0]['value'] if item['type'] == 'likert' else [item['options'][0]['id']]
            for item in form['items']}


def assessment_cases(visitor, block_type):
    """The pre-test: page renders, `start`, autosave and `submit` for fresh learners."""
    scenario_id, _page = scenario_of(block_type)
    visitor.open(scenario_id, 'bench-cookie')
    pre = visitor.usages(scenario_id, block_type, 'bench-cookie')[0]

    def started(student):
        return visitor.call(pre, 'start', {}, student=student)

    def resume_render(i):
        student = f'{block_type}-resume-{i}'
        started(student)
        return lambda: visitor.open(scenario_id, student)

    def start(i):
        student = f'{block_type}-start-{i}'
        return lambda: visitor.call(pre, 'start', {}, student=student)

    def answering(handler, prefix):
        def prepare(i):
            student = f'{block_type}-{prefix}-{i}'
            payload = started(student)
            body = {'attempt': payload['attempt'], 'answers': answers_to(payload['form']), 'confidence': {}}
            return lambda: visitor.call(pre, handler, body, student=student)
        return prepare

    return [
        render_case(visitor, block_type, f'{block_type}: page render (pre- and post-test), new learner'),
        Case(f'{block_type}: page render, test in progress', block_type, 'render', resume_render),
        Case(f'{block_type}: `start` (draw the form)', block_type, 'handler', start),
        Case(f'{block_type}: `save_answers` (autosave)', block_type, 'handler', answering('save_answers', 'save')),
        Case(f'{block_type}: `submit`', block_type, 'handler', answering('submit', 'submit'), role='main',
             note='main handler: checks, scoring, ledger attempt and summary, grade and completion events'),
    ]


SPECS = {'asn_assessment': assessment_cases, 'asn_case_study': case_study_cases,
         'asn_expert_session': expert_session_cases}


def block_cases(visitor, block_type):
    return SPECS.get(block_type, generic_cases)(visitor, block_type)
