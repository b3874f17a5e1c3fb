"""What an author writes about a session: experts, summary, takeaways, chapters, prompts, resources.

Pure Python: read from untrusted JSON (Studio, OLX) with errors that say where, written back in
one canonical form so that JSON and OLX round trips are exact. Rich text (summary, bios) is
author HTML, sanitised where it is shown; every other text is plain and escaped where shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core import json_shape as shape
from ..core.localized import LocalizedText

# The typology the issue and DOMAIN.md §4.4 name; the course-wide summary counts by these codes.
STAKEHOLDERS = ('akademisi', 'praktisi', 'oms', 'pemerintah', 'swasta')
MAX_EXPERTS = 10
MAX_ITEMS = 50
MAX_NAME = 200
MAX_SECONDS = 24 * 3600
MAX_JP = 100
JP_MINUTES = 45  # 1 Jam Pelajaran = 45 minutes (PerLAN 10/2018)


def https_url(value, where: str, key: str) -> str:
    """An https address with a host and no user name (which can disguise the host)."""
    url = shape.string(value, where, key)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        shape.fail(where, f'{key!r} is not a valid address')
    if parts.scheme != 'https' or not parts.hostname or parts.username is not None or any(
            ch.isspace() for ch in url) or len(url) > 2048:
        shape.fail(where, f'{key!r} must be an https:// address')
    return url


def seconds(value, where: str, key: str) -> int:
    number = shape.integer(value, where, key)
    if not 0 <= number <= MAX_SECONDS:
        shape.fail(where, f'{key!r} must be between 0 and {MAX_SECONDS} seconds')
    return number


def _items(data, key, where, read, limit=MAX_ITEMS):
    values = shape.array(data.get(key, []), where, key)
    if len(values) > limit:
        shape.fail(where, f'{key!r} may hold at most {limit} entries')
    return tuple(read(item, f'{where} {key}[{index}]') for index, item in enumerate(values, 1))


@dataclass(frozen=True)
class Expert:
    """A resource person (narasumber); `bio` is author HTML."""

    name: str
    stakeholder: str
    title: LocalizedText | None = None
    organisation: str = ''
    bio: LocalizedText | None = None
    photo_url: str = ''
    affiliations: LocalizedText | None = None

    @classmethod
    def read(cls, data, where):
        shape.keys(data, where, ('name', 'stakeholder'),
                   ('title', 'organisation', 'bio', 'photo_url', 'affiliations'))
        name = shape.string(data['name'], where, 'name').strip()
        if len(name) > MAX_NAME:
            shape.fail(where, f"'name' is longer than {MAX_NAME} characters")
        if data['stakeholder'] not in STAKEHOLDERS:
            shape.fail(where, f"'stakeholder' must be one of {', '.join(STAKEHOLDERS)}")
        return cls(
            name=name, stakeholder=data['stakeholder'],
            title=shape.optional(data, 'title', LocalizedText.read, where),
            organisation=(shape.optional(data, 'organisation', shape.string, where) or '').strip(),
            bio=shape.optional(data, 'bio', LocalizedText.read, where),
            photo_url=shape.optional(data, 'photo_url', https_url, where) or '',
            affiliations=shape.optional(data, 'affiliations', LocalizedText.read, where))

    def to_dict(self):
        out = {'name': self.name, 'stakeholder': self.stakeholder}
        for key in ('title', 'bio', 'affiliations'):
            shape.put(out, key, getattr(self, key) and getattr(self, key).to_dict())
        shape.put(out, 'organisation', self.organisation or None)
        shape.put(out, 'photo_url', self.photo_url or None)
        return out


@dataclass(frozen=True)
class Moment:
    """A takeaway or a chapter: a text and, optionally, the second of the video it points to."""

    text: LocalizedText
    at: int | None = None

    @classmethod
    def read(cls, data, where):
        shape.keys(data, where, ('text',), ('at',))
        return cls(LocalizedText.read(data['text'], where, 'text'), shape.optional(data, 'at', seconds, where))

    def to_dict(self):
        out = {'text': self.text.to_dict()}
        shape.put(out, 'at', self.at)
        return out


@dataclass(frozen=True)
class Resource:
    """A link for further reading (a Studio asset or any https page)."""

    title: LocalizedText
    url: str

    @classmethod
    def read(cls, data, where):
        shape.keys(data, where, ('title', 'url'))
        return cls(LocalizedText.read(data['title'], where, 'title'), https_url(data['url'], where, 'url'))

    def to_dict(self):
        return {'title': self.title.to_dict(), 'url': self.url}


def _prompt(value, where):
    return LocalizedText.read(value, where, 'prompt')


@dataclass(frozen=True)
class Session:
    """The authored content of one expert session."""

    title: LocalizedText
    summary: LocalizedText | None = None
    experts: tuple = ()
    takeaways: tuple = ()
    chapters: tuple = ()
    prompts: tuple = ()
    resources: tuple = ()
    rubric: LocalizedText | None = None  # what staff grade a reflection by
    jp: float | None = None  # learning hours (JP); None: from the video's duration

    @classmethod
    def from_dict(cls, data) -> Session:
        """Read untrusted JSON; ContentFormatError names the place of the first problem."""
        where = 'session'
        shape.keys(data, where, ('title',),
                   ('summary', 'experts', 'takeaways', 'chapters', 'prompts', 'resources', 'rubric', 'jp'))
        jp = shape.optional(data, 'jp', shape.number, where)
        if jp is not None and not 0 < jp <= MAX_JP:
            shape.fail(where, f"'jp' must be more than 0 and at most {MAX_JP}")
        return cls(
            title=LocalizedText.read(data['title'], where, 'title'),
            summary=shape.optional(data, 'summary', LocalizedText.read, where),
            experts=_items(data, 'experts', where, Expert.read, MAX_EXPERTS),
            takeaways=_items(data, 'takeaways', where, Moment.read),
            chapters=tuple(sorted(_items(data, 'chapters', where, Moment.read), key=lambda m: m.at or 0)),
            prompts=_items(data, 'prompts', where, _prompt),
            resources=_items(data, 'resources', where, Resource.read),
            rubric=shape.optional(data, 'rubric', LocalizedText.read, where),
            jp=jp)

    def to_dict(self) -> dict:
        out = {'title': self.title.to_dict()}
        shape.put(out, 'summary', self.summary and self.summary.to_dict())
        shape.put(out, 'experts', [expert.to_dict() for expert in self.experts] or None)
        shape.put(out, 'takeaways', [item.to_dict() for item in self.takeaways] or None)
        shape.put(out, 'chapters', [item.to_dict() for item in self.chapters] or None)
        shape.put(out, 'prompts', [prompt.to_dict() for prompt in self.prompts] or None)
        shape.put(out, 'resources', [item.to_dict() for item in self.resources] or None)
        shape.put(out, 'rubric', self.rubric and self.rubric.to_dict())
        shape.put(out, 'jp', self.jp)
        return out

    def learning_hours(self, duration_seconds) -> float | None:
        """JP as the author set it, else the video's length in 45-minute hours (a quarter at least)."""
        if self.jp is not None:
            return self.jp
        if not duration_seconds:
            return None
        return max(0.25, round(duration_seconds / 60 / JP_MINUTES * 4) / 4)

    def stakeholder_counts(self) -> dict:
        """{stakeholder type: experts} (the course-wide balance the evaluation block reads)."""
        counts = dict.fromkeys(STAKEHOLDERS, 0)
        for expert in self.experts:
            counts[expert.stakeholder] += 1
        return counts

    def texts(self):
        """(label, LocalizedText) of every learner-facing text, for the Indonesian check."""
        yield 'title', self.title
        if self.summary:
            yield 'summary', self.summary
        for expert in self.experts:
            for key in ('title', 'bio', 'affiliations'):
                if getattr(expert, key):
                    yield f'{expert.name}: {key}', getattr(expert, key)
        for label, items in (('takeaway', self.takeaways), ('chapter', self.chapters)):
            for index, item in enumerate(items, 1):
                yield f'{label} {index}', item.text
        for index, prompt in enumerate(self.prompts, 1):
            yield f'prompt {index}', prompt
        for index, resource in enumerate(self.resources, 1):
            yield f'resource {index}', resource.title
        if self.rubric:
            yield 'rubric', self.rubric
