"""The ASN competency catalogue that every block tags its content with.

Items, choices and questions carry a competency code so that results can be reported per
competency. The nine standard competencies of PermenPANRB 38/2017 (M.01-M.08 managerial,
SK.01 socio-cultural) are bundled as data (`data/competencies.json`) so that reviewers and
translators can correct the text without touching code. The Permen leaves technical
competencies to each agency, so a course adds its own on top with `with_technical`.

Pure Python on purpose: scoring, OLX parsing and reports use it with no runtime bound.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from types import MappingProxyType

DEFAULT_LOCALE = 'id'
LEVELS = (1, 2, 3, 4, 5)
TECHNICAL = 'technical'
KINDS = ('managerial', 'socio_cultural', TECHNICAL)

# Technical codes live in their own "T." namespace so they can never be mistaken for, or
# shadow, a standard code, and stay short enough to read in OLX and CSV exports.
_TECHNICAL_CODE = re.compile(r'T\.[A-Z0-9_]{1,30}')


def _texts(value, what: str) -> MappingProxyType:
    """A read-only {locale: text}; a bare string is Indonesian, the default content language."""
    if value is None:
        value = {}
    elif isinstance(value, str):
        value = {DEFAULT_LOCALE: value}
    if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError(f'{what} must be a text or a mapping of locale to text, got {value!r}.')
    return MappingProxyType({k: v.strip() for k, v in value.items()})


def _pick(texts: Mapping[str, str], locale: str | None) -> str:
    # The LMS hands us 'en', 'en-us' or 'en_US'; text is kept per language, not per region.
    language = (locale or DEFAULT_LOCALE).replace('_', '-').split('-')[0].lower()
    return texts.get(language) or texts.get(DEFAULT_LOCALE, '')


def _level(level) -> int:
    """Levels arrive as ints from Python and as strings from JSON keys and OLX attributes."""
    if isinstance(level, str) and level.strip() in {str(n) for n in LEVELS}:
        return int(level)
    if isinstance(level, int) and not isinstance(level, bool) and level in LEVELS:
        return level
    raise ValueError(f'Competency level must be one of 1-5, got {level!r}.')


@dataclass(frozen=True)
class Competency:
    """One competency. Text mappings are read-only because catalogues are shared process-wide."""

    code: str
    kind: str
    name: Mapping[str, str]
    definition: Mapping[str, str] = field(default_factory=dict)
    levels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self):
        where = f'Competency {self.code}'
        if self.kind not in KINDS:
            raise ValueError(f'{where}: kind must be one of {", ".join(KINDS)}, got {self.kind!r}.')
        name = _texts(self.name, f'{where}: name')
        if not name.get(DEFAULT_LOCALE):
            raise ValueError(f'{where}: a name in Indonesian ("id") is required.')
        if not isinstance(self.levels, Mapping):
            raise ValueError(f'{where}: levels must map a level (1-5) to its description.')
        levels = {_level(k): _texts(v, f'{where}: level {k}') for k, v in self.levels.items()}
        object.__setattr__(self, 'name', name)
        object.__setattr__(self, 'definition', _texts(self.definition, f'{where}: definition'))
        object.__setattr__(self, 'levels', MappingProxyType(dict(sorted(levels.items()))))

    def __hash__(self):
        return hash((self.code, self.kind))

    def __reduce__(self):
        # Read-only mappings cannot be pickled or deep-copied; rebuild from plain dicts instead.
        levels = {k: dict(v) for k, v in self.levels.items()}
        return (type(self), (self.code, self.kind, dict(self.name), dict(self.definition), levels))

    def label(self, locale: str | None = DEFAULT_LOCALE) -> str:
        """The name in `locale`, or in Indonesian when there is none (English is optional)."""
        return _pick(self.name, locale)

    def definition_text(self, locale: str | None = DEFAULT_LOCALE) -> str:
        """The definition in `locale`, falling back to Indonesian; '' when there is none."""
        return _pick(self.definition, locale)

    def level_description(self, level, locale: str | None = DEFAULT_LOCALE) -> str:
        """What `level` means for this competency; '' when the author described no levels."""
        return _pick(self.levels.get(_level(level), {}), locale)


class Catalogue:
    """An ordered, read-only set of competencies: the standard nine, then any technical ones."""

    def __init__(self, competencies: Iterable[Competency] = (), source: str = ''):
        by_code: dict[str, Competency] = {}
        for competency in competencies:
            if competency.code in by_code:
                raise ValueError(f'Competency code {competency.code!r} is defined more than once.')
            by_code[competency.code] = competency
        self._by_code = MappingProxyType(by_code)
        self._source = source

    @property
    def source(self) -> str:
        """The citation for the standard text, for reports and "about" notes."""
        return self._source

    @classmethod
    def from_data(cls, data: Mapping) -> Catalogue:
        """Build from the bundled JSON's shape: {"source": ..., "competencies": [...]}."""
        competencies = (Competency(**entry) for entry in data['competencies'])
        return cls(competencies, source=data.get('source', ''))

    def get(self, code: str) -> Competency:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            known = ', '.join(self._by_code)
            raise KeyError(f'Unknown competency code {code!r}; known codes: {known}.') from None

    def __contains__(self, code) -> bool:
        return isinstance(code, str) and code in self._by_code

    def label_of(self, code, locale: str | None = DEFAULT_LOCALE) -> str:
        """The competency's name in `locale`, or the code itself for a code the catalogue lacks
        (a course's technical competency): reports must show every recorded code."""
        return self._by_code[code].label(locale) if code in self else str(code)

    def __iter__(self) -> Iterator[Competency]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __repr__(self) -> str:
        return f'<Catalogue {" ".join(self._by_code)}>'

    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def with_technical(self, definitions: Iterable[Mapping]) -> Catalogue:
        """A new catalogue that adds a course's technical competencies; this one is unchanged.

        Each definition is {"code": "T.XYZ", "name": {"id": ..., "en": ...}, "definition": ...,
        "levels": {"1": ...}}; name may be a plain Indonesian string, the rest is optional.
        """
        added = [_technical(definition) for definition in definitions]
        return Catalogue([*self, *added], source=self.source)


def _technical(definition: Mapping) -> Competency:
    if not isinstance(definition, Mapping):
        raise ValueError('A technical competency must be a mapping with a code and a name, '
                         f'got {definition!r}.')
    code = definition.get('code')
    if not is_technical_code(code):
        raise ValueError(f'Technical competency code {code!r} is invalid: use "T." and 1 to 30 '
                         'capital letters, digits or underscores, e.g. "T.PENGADAAN_BARANG".')
    return Competency(code, TECHNICAL, definition.get('name'), definition.get('definition'),
                      definition.get('levels') or {})


def is_technical_code(code) -> bool:
    return isinstance(code, str) and _TECHNICAL_CODE.fullmatch(code) is not None


def is_valid_code(code) -> bool:
    """True for a standard code or a well-formed technical code (defined in a course or not)."""
    return code in standard_catalogue() or is_technical_code(code)


@functools.cache
def standard_catalogue() -> Catalogue:
    """The nine PermenPANRB 38/2017 competencies, read from the package data once per process."""
    path = files('asn_xblocks.core') / 'data' / 'competencies.json'
    return Catalogue.from_data(json.loads(path.read_text(encoding='utf-8')))
