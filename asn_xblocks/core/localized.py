"""Learner-facing text in several languages, with Bahasa Indonesia required and the fallback."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import json_shape as shape

LANGUAGE_CODE = re.compile(r'[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?\Z')
DEFAULT_LANGUAGE = 'id'


@dataclass(frozen=True, slots=True)  # slots: large content holds tens of thousands, read in bulk by validation
class LocalizedText:
    """A learner-facing text per language; Indonesian is required, others fall back to it."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, id: str, en: str | None = None) -> LocalizedText:  # noqa: A002 - the language code
        return cls((('id', id),) + ((('en', en),) if en is not None else ()))

    @classmethod
    def read(cls, value, where: str, key: str) -> LocalizedText:
        if not isinstance(value, dict) or not value:
            shape.fail(where, f'{key!r} must be an object like {{"id": "…", "en": "…"}}')
        for lang, text in value.items():
            if not LANGUAGE_CODE.match(lang) or not isinstance(text, str):
                shape.fail(where, f'{key!r} has an invalid entry {lang!r}: expected a language code and a string')
        return cls(tuple(value.items()))

    @property
    def indonesian(self) -> str:
        return dict(self.texts).get(DEFAULT_LANGUAGE, '')

    def has_indonesian(self) -> bool:
        """Whether the required Indonesian text is there (validation asks this of every text)."""
        for language, text in self.texts:
            if language == DEFAULT_LANGUAGE:
                return bool(text.strip())
        return False

    def get(self, locale: str | None = None) -> str:
        """The text in `locale` ('en', 'en-US', 'id_ID'…), else Indonesian."""
        texts = dict(self.texts)
        lang = (locale or DEFAULT_LANGUAGE).replace('_', '-').split('-')[0].lower()
        return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or ''

    def to_dict(self) -> dict:
        return dict(self.texts)
