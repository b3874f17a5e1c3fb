"""The content of a case study: a scenario graph read from and written to its JSON form.

The JSON form is specified in docs/scenario-format.md. `Scenario.from_dict` checks the
*shape* (types, required keys, allowed values) and raises ScenarioFormatError naming the
node and choice at fault; questions about the *graph* (targets, reachability, conditions)
belong to `analysis.validate`, which can report all of them at once to an author.

Round trip: `Scenario.from_dict(d).to_dict() == d` for every canonical `d`. Canonical means:
optional keys that are absent stay absent; scenario-level settings (`feedback_mode`,
`allow_undo`, `allow_restart`, `variables`), choice and timeout `points` and counter bounds
are always written, with their defaults filled in.

The content classes use __slots__: a 5,000-node scenario is some 100,000 of these objects, and
validation reads every one; without a __dict__ each, they take less memory and read faster.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Union

from ..core import json_shape as shape
from ..core.competencies import is_valid_code
from ..core.json_shape import ContentFormatError as ScenarioFormatError  # noqa: F401 - raised by from_dict
from ..core.localized import LocalizedText
from .conditions import is_name
from .media import Video

FORMAT_VERSION = 1
FEEDBACK_MODES = ('immediate', 'debrief')
RATINGS = ('good', 'fair', 'poor')
COUNTER_DEFAULT_MIN, COUNTER_DEFAULT_MAX = 0, 10
def _text(data: dict, key: str, where: str) -> LocalizedText | None:
    return shape.optional(data, key, LocalizedText.read, where)


def _text_dict(text: LocalizedText | None) -> dict | None:
    return text.to_dict() if text is not None else None


@dataclass(frozen=True, slots=True)
class Variable:
    """A scenario state variable: a `flag` (true/false) or a clamped integer `counter`."""

    name: str
    kind: str  # 'flag' | 'counter'
    initial: int | bool
    minimum: int = COUNTER_DEFAULT_MIN
    maximum: int = COUNTER_DEFAULT_MAX

    @classmethod
    def from_dict(cls, data) -> Variable:
        where = f'variable {data.get("name")!r}' if isinstance(data, dict) else 'variable'
        shape.keys(data, where, ('name', 'kind'), ('initial', 'min', 'max'))
        name = data['name']
        if not is_name(name) or name == 'score':
            shape.fail(where, "'name' must be an identifier (letters, digits, _) other than score/and/not/true/false")
        if data['kind'] == 'flag':
            if 'min' in data or 'max' in data:
                shape.fail(where, 'a flag has no min/max')
            return cls(name, 'flag', shape.boolean(data.get('initial', False), where, 'initial'), 0, 1)
        if data['kind'] != 'counter':
            shape.fail(where, "'kind' must be 'flag' or 'counter'")
        low = shape.integer(data.get('min', COUNTER_DEFAULT_MIN), where, 'min')
        high = shape.integer(data.get('max', COUNTER_DEFAULT_MAX), where, 'max')
        initial = shape.integer(data.get('initial', low), where, 'initial')
        if not low <= initial <= high:
            shape.fail(where, f'needs min <= initial <= max, got {low} <= {initial} <= {high}')
        return cls(name, 'counter', initial, low, high)

    def to_dict(self) -> dict:
        if self.kind == 'flag':
            return {'name': self.name, 'kind': 'flag', 'initial': self.initial}
        return {'name': self.name, 'kind': 'counter', 'initial': self.initial,
                'min': self.minimum, 'max': self.maximum}


@dataclass(frozen=True, slots=True)
class CompetencyPoints:
    """Points a choice gives toward one competency of the catalogue (M.01–M.08, SK.01, T.X)."""

    code: str
    points: int | float
    level: int | None = None

    @classmethod
    def from_dict(cls, data, where: str) -> CompetencyPoints:
        shape.keys(data, where, ('code', 'points'), ('level',))
        code = data['code']
        if not is_valid_code(code):
            shape.fail(where, f'unknown competency code {code!r} (use M.01–M.08, SK.01 or T.UPPER_SNAKE)')
        level = shape.optional(data, 'level', shape.integer, where)
        if level is not None and not 1 <= level <= 5:
            shape.fail(where, f"competency {code} 'level' must be 1–5")
        return cls(code, shape.number(data['points'], where, 'points'), level)

    def to_dict(self) -> dict:
        out = {'code': self.code, 'points': self.points}
        shape.put(out, 'level', self.level)
        return out


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer at a situation: where it leads, what it earns, what it says back."""

    id: str
    label: LocalizedText
    target: str
    points: int | float = 0
    competencies: tuple[CompetencyPoints, ...] = ()
    feedback: LocalizedText | None = None
    when: str | None = None
    effects: str | None = None

    @classmethod
    def from_dict(cls, data, node_id: str) -> Choice:
        choice_id = data.get('id') if isinstance(data, dict) else None
        where = f'node {node_id!r} choice {choice_id!r}'
        shape.keys(data, where, ('id', 'label', 'target'),
              ('points', 'competencies', 'feedback', 'when', 'effects'))
        return cls(
            id=shape.string(choice_id, where, 'id'),
            label=LocalizedText.read(data['label'], where, 'label'),
            target=shape.string(data['target'], where, 'target'),
            points=shape.number(data.get('points', 0), where, 'points'),
            competencies=tuple(CompetencyPoints.from_dict(c, where)
                               for c in shape.array(data.get('competencies', []), where, 'competencies')),
            feedback=_text(data, 'feedback', where),
            when=shape.optional(data, 'when', shape.string, where),
            effects=shape.optional(data, 'effects', shape.string, where),
        )

    def to_dict(self) -> dict:
        out = {'id': self.id, 'label': self.label.to_dict(), 'target': self.target, 'points': self.points}
        shape.put(out, 'competencies', [c.to_dict() for c in self.competencies] or None)
        shape.put(out, 'feedback', _text_dict(self.feedback))
        shape.put(out, 'when', self.when)
        shape.put(out, 'effects', self.effects)
        return out


@dataclass(frozen=True, slots=True)
class Variant:
    """Replacement situation text shown when `when` holds (first match wins)."""

    when: str
    text: LocalizedText


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: LocalizedText


@dataclass(frozen=True, slots=True)
class Timeout:
    """Where a timed situation leads when the learner does not answer in time."""

    target: str
    points: int | float = 0
    feedback: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Situation:
    """A decision point."""

    id: str
    title: LocalizedText
    text: LocalizedText
    choices: tuple[Choice, ...]
    variants: tuple[Variant, ...] = ()
    image: Image | None = None
    video: Video | None = None
    time_limit: int | float | None = None
    timeout: Timeout | None = None
    kind = 'situation'

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True, slots=True)
class EventOutcome:
    target: str
    weight: int | float


@dataclass(frozen=True, slots=True)
class Event:
    """An unexpected event: shown, then one outcome is drawn by weight."""

    id: str
    title: LocalizedText
    text: LocalizedText
    outcomes: tuple[EventOutcome, ...]
    kind = 'event'


@dataclass(frozen=True, slots=True)
class Route:
    """One rule of a route node; the last rule has no condition."""

    target: str
    when: str | None = None


@dataclass(frozen=True, slots=True)
class Router:
    """An invisible node that follows the first route whose condition holds."""

    id: str
    routes: tuple[Route, ...]
    kind = 'route'


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: LocalizedText
    text: LocalizedText
    rating: str
    kind = 'ending'


Node = Union[Situation, Event, Router, Ending]


def _situation(data: dict, where: str) -> Situation:
    shape.keys(data, where, ('id', 'kind', 'title', 'text', 'choices'),
               ('variants', 'image', 'video', 'time_limit', 'timeout'))
    variants = []
    for index, item in enumerate(shape.array(data.get('variants', []), where, 'variants')):
        at = f'{where} variant {index + 1}'
        shape.keys(item, at, ('when', 'text'))
        variants.append(Variant(shape.string(item['when'], at, 'when'), LocalizedText.read(item['text'], at, 'text')))
    image = None
    if 'image' in data:
        shape.keys(data['image'], f'{where} image', ('url', 'alt'))
        url = shape.string(data['image']['url'], f'{where} image', 'url')
        if not url.startswith('https://'):
            shape.fail(f'{where} image', "'url' must start with https://")
        image = Image(url, LocalizedText.read(data['image']['alt'], f'{where} image', 'alt'))
    video = shape.optional(data, 'video', lambda value, at, key: Video.read(value, at, key, LocalizedText.read), where)
    time_limit = shape.optional(data, 'time_limit', shape.number, where)
    if time_limit is not None and time_limit <= 0:
        shape.fail(where, "'time_limit' must be a positive number of seconds")
    timeout = None
    if 'timeout' in data:
        at = f'{where} timeout'
        shape.keys(data['timeout'], at, ('target',), ('points', 'feedback'))
        timeout = Timeout(shape.string(data['timeout']['target'], at, 'target'),
                          shape.number(data['timeout'].get('points', 0), at, 'points'),
                          _text(data['timeout'], 'feedback', at))
    return Situation(
        id=data['id'], title=LocalizedText.read(data['title'], where, 'title'),
        text=LocalizedText.read(data['text'], where, 'text'),
        choices=tuple(Choice.from_dict(c, data['id']) for c in shape.array(data['choices'], where, 'choices')),
        variants=tuple(variants), image=image, video=video, time_limit=time_limit, timeout=timeout)


def _event(data: dict, where: str) -> Event:
    shape.keys(data, where, ('id', 'kind', 'title', 'text', 'outcomes'))
    outcomes = []
    for index, item in enumerate(shape.array(data['outcomes'], where, 'outcomes')):
        at = f'{where} outcome {index + 1}'
        shape.keys(item, at, ('target', 'weight'))
        outcomes.append(EventOutcome(shape.string(item['target'], at, 'target'),
                                     shape.number(item['weight'], at, 'weight')))
    return Event(data['id'], LocalizedText.read(data['title'], where, 'title'),
                 LocalizedText.read(data['text'], where, 'text'), tuple(outcomes))


def _router(data: dict, where: str) -> Router:
    shape.keys(data, where, ('id', 'kind', 'routes'))
    routes = []
    for index, item in enumerate(shape.array(data['routes'], where, 'routes')):
        at = f'{where} route {index + 1}'
        shape.keys(item, at, ('target',), ('when',))
        routes.append(Route(shape.string(item['target'], at, 'target'), shape.optional(item, 'when', shape.string, at)))
    return Router(data['id'], tuple(routes))


def _ending(data: dict, where: str) -> Ending:
    shape.keys(data, where, ('id', 'kind', 'title', 'text', 'rating'))
    if data['rating'] not in RATINGS:
        shape.fail(where, f"'rating' must be one of {', '.join(RATINGS)}")
    return Ending(data['id'], LocalizedText.read(data['title'], where, 'title'),
                  LocalizedText.read(data['text'], where, 'text'), data['rating'])


_NODE_READERS = {'situation': _situation, 'event': _event, 'route': _router, 'ending': _ending}


def node_from_dict(data) -> Node:
    node_id = data.get('id') if isinstance(data, dict) else None
    where = f'node {node_id!r}'
    shape.keys(data, where, ('id', 'kind'), tuple(data) if isinstance(data, dict) else ())
    shape.string(node_id, where, 'id')
    reader = _NODE_READERS.get(data['kind']) if isinstance(data['kind'], str) else None
    if reader is None:
        shape.fail(where, f"'kind' must be one of {', '.join(_NODE_READERS)}")
    return reader(data, where)


def node_to_dict(node: Node) -> dict:
    out = {'id': node.id, 'kind': node.kind}
    if isinstance(node, Router):
        out['routes'] = [{'target': r.target, **({'when': r.when} if r.when else {})} for r in node.routes]
        return out
    out['title'] = node.title.to_dict()
    out['text'] = node.text.to_dict()
    if isinstance(node, Situation):
        shape.put(out, 'variants', [{'when': v.when, 'text': v.text.to_dict()} for v in node.variants] or None)
        shape.put(out, 'image', node.image and {'url': node.image.url, 'alt': node.image.alt.to_dict()})
        shape.put(out, 'video', node.video and node.video.to_dict())
        shape.put(out, 'time_limit', node.time_limit)
        if node.timeout:
            out['timeout'] = {'target': node.timeout.target, 'points': node.timeout.points}
            shape.put(out['timeout'], 'feedback', _text_dict(node.timeout.feedback))
        out['choices'] = [c.to_dict() for c in node.choices]
    elif isinstance(node, Event):
        out['outcomes'] = [{'target': o.target, 'weight': o.weight} for o in node.outcomes]
    else:
        out['rating'] = node.rating
    return out


@dataclass(frozen=True)
class Scenario:
    """A whole case study. Node and variable ids may repeat here; `validate` reports that."""

    id: str
    title: LocalizedText
    start: str
    nodes: tuple[Node, ...]
    variables: tuple[Variable, ...] = ()
    introduction: LocalizedText | None = None
    feedback_mode: str = 'immediate'
    allow_undo: bool = False
    allow_restart: bool = True

    @cached_property
    def nodes_by_id(self) -> dict[str, Node]:
        """Lookup by id; with duplicate ids the first node wins."""
        found = {}
        for node in self.nodes:
            found.setdefault(node.id, node)
        return found

    @cached_property
    def variables_by_name(self) -> dict[str, Variable]:
        found = {}
        for variable in self.variables:
            found.setdefault(variable.name, variable)
        return found

    def node(self, node_id: str) -> Node | None:
        return self.nodes_by_id.get(node_id)

    def initial_values(self) -> dict[str, int | bool]:
        return {v.name: v.initial for v in self.variables_by_name.values()}

    @classmethod
    def from_dict(cls, data) -> Scenario:
        shape.keys(data, 'scenario', ('format', 'id', 'title', 'start', 'nodes'),
              ('introduction', 'feedback_mode', 'allow_undo', 'allow_restart', 'variables'))
        if data['format'] != FORMAT_VERSION:
            shape.fail('scenario', f"'format' must be {FORMAT_VERSION}, got {data['format']!r}")
        mode = data.get('feedback_mode', 'immediate')
        if mode not in FEEDBACK_MODES:
            shape.fail('scenario', f"'feedback_mode' must be one of {', '.join(FEEDBACK_MODES)}")
        return cls(
            id=shape.string(data['id'], 'scenario', 'id'),
            title=LocalizedText.read(data['title'], 'scenario', 'title'),
            introduction=_text(data, 'introduction', 'scenario'),
            start=shape.string(data['start'], 'scenario', 'start'),
            feedback_mode=mode,
            allow_undo=shape.boolean(data.get('allow_undo', False), 'scenario', 'allow_undo'),
            allow_restart=shape.boolean(data.get('allow_restart', True), 'scenario', 'allow_restart'),
            variables=tuple(Variable.from_dict(v)
                            for v in shape.array(data.get('variables', []), 'scenario', 'variables')),
            nodes=tuple(node_from_dict(n) for n in shape.array(data['nodes'], 'scenario', 'nodes')),
        )

    def to_dict(self) -> dict:
        out = {'format': FORMAT_VERSION, 'id': self.id, 'title': self.title.to_dict()}
        shape.put(out, 'introduction', _text_dict(self.introduction))
        out.update({
            'start': self.start, 'feedback_mode': self.feedback_mode,
            'allow_undo': self.allow_undo, 'allow_restart': self.allow_restart,
            'variables': [v.to_dict() for v in self.variables],
            'nodes': [node_to_dict(n) for n in self.nodes],
        })
        return out
