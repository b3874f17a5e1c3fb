"""A situation's optional video: an https YouTube, Vimeo or .mp4/.webm address, read strictly.

The author's URL is kept as written (so the JSON and OLX round trips stay exact); the provider,
video id and the player's address come from `asn_xblocks.core.video_urls`, shared with the
other blocks that show videos, which reads URLs with `urlsplit` and full-match regexes and
builds embed addresses on the privacy-enhanced hosts only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..core import video_urls
from ..core.video_urls import FORMS, PROVIDERS  # noqa: F401  (re-exported for this block's readers)
from ..core import json_shape as shape

if TYPE_CHECKING:
    from .model import LocalizedText


@dataclass(frozen=True)
class Video:
    """A video shown with a situation; `media_id` is the YouTube or Vimeo id ('' for a file)."""

    url: str
    title: LocalizedText
    provider: str  # one of PROVIDERS
    media_id: str = ''
    privacy_hash: str = ''  # an unlisted Vimeo video's hash (vimeo.com/ID/HASH)

    @classmethod
    def read(cls, value, where: str, key: str, read_text: Callable) -> Video:
        """Read `{"url": …, "title": {…}}`; ScenarioFormatError names `where` and what is wrong."""
        at = f'{where} {key}'
        shape.keys(value, at, ('url', 'title'))
        url = shape.string(value['url'], at, 'url')
        provider, media_id, privacy_hash = parse_video_url(url, at)
        return cls(url, read_text(value['title'], at, 'title'), provider, media_id, privacy_hash)

    @property
    def embed_url(self) -> str:
        """What the player loads: built from the provider and id, on the privacy-enhanced hosts."""
        return video_urls.embed_url(video_urls.VideoRef(self.provider, self.media_id, self.privacy_hash), self.url)

    def to_dict(self) -> dict:
        return {'url': self.url, 'title': self.title.to_dict()}


def parse_video_url(url: str, where: str) -> tuple[str, str, str]:
    """(provider, media id, Vimeo privacy hash) of a video URL, or ScenarioFormatError."""
    try:
        return tuple(video_urls.parse_video_url(url))
    except video_urls.VideoUrlError as error:
        shape.fail(where, f"'url' {error}")
