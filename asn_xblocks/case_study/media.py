"""A situation's optional video: an https YouTube, Vimeo or .mp4/.webm address, read strictly.

The author's URL is kept as written (so the JSON and OLX round trips stay exact), and the
provider and video id are taken out of it with `urlsplit` and full-match regexes: exact host
names, no user name or port, ids of the provider's own alphabet. What the learner's browser
loads, `Video.embed_url`, is built here from those parts alone, on the privacy-enhanced hosts
(youtube-nocookie.com, Vimeo with do-not-track), never from anything the author wrote as HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable
from urllib.parse import parse_qs, urlsplit

from . import json_shape as shape

if TYPE_CHECKING:
    from .model import LocalizedText

PROVIDERS = ('youtube', 'vimeo', 'html5')
YOUTUBE_HOSTS = frozenset({'youtube.com', 'www.youtube.com', 'm.youtube.com'})
YOUTU_BE_HOSTS = frozenset({'youtu.be'})
VIMEO_HOSTS = frozenset({'vimeo.com', 'www.vimeo.com'})
FILE_EXTENSIONS = ('.mp4', '.webm')

# Only the characters RFC 3986 allows in a URI: no space, quote, angle bracket, backslash,
# control or non-ASCII character (authors percent-encode those).
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_HOST = re.compile(r'[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+')
_YOUTUBE_ID = re.compile(r'[A-Za-z0-9_-]{11}')
_YOUTU_BE_PATH = re.compile(r'/([A-Za-z0-9_-]{11})')
_VIMEO_PATH = re.compile(r'/([1-9][0-9]{0,11})(?:/([0-9a-f]{6,20}))?/?')

FORMS = 'youtube.com/watch?v=ID, youtu.be/ID, vimeo.com/ID or a .mp4/.webm file'


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
        if self.provider == 'youtube':
            return f'https://www.youtube-nocookie.com/embed/{self.media_id}'
        if self.provider == 'vimeo':
            hash_part = f'h={self.privacy_hash}&' if self.privacy_hash else ''
            return f'https://player.vimeo.com/video/{self.media_id}?{hash_part}dnt=1'
        return self.url

    def to_dict(self) -> dict:
        return {'url': self.url, 'title': self.title.to_dict()}


def parse_video_url(url: str, where: str) -> tuple[str, str, str]:
    """(provider, media id, Vimeo privacy hash) of a video URL, or ScenarioFormatError."""
    if not url.startswith('https://'):
        shape.fail(where, f"'url' must start with https:// ({FORMS})")
    if not _URI_CHARACTERS.fullmatch(url):
        shape.fail(where, "'url' has characters a URL cannot hold (spaces, quotes, <, >, \\ or non-ASCII); "
                          'percent-encode them')
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if not _HOST.fullmatch(host):
        shape.fail(where, "'url' must name a host alone, without a user name, port or trailing dot")
    if host in YOUTUBE_HOSTS:
        ids = parse_qs(parts.query).get('v', [])
        if parts.path != '/watch' or len(ids) != 1 or not _YOUTUBE_ID.fullmatch(ids[0]):
            shape.fail(where, "'url' on YouTube must be youtube.com/watch?v=ID with an 11-character video id")
        return 'youtube', ids[0], ''
    if host in YOUTU_BE_HOSTS:
        found = _YOUTU_BE_PATH.fullmatch(parts.path)
        if not found:
            shape.fail(where, "'url' on youtu.be must be youtu.be/ID with an 11-character video id")
        return 'youtube', found.group(1), ''
    if host in VIMEO_HOSTS:
        found = _VIMEO_PATH.fullmatch(parts.path)
        if not found:
            shape.fail(where, "'url' on Vimeo must be vimeo.com/ID (digits), or vimeo.com/ID/HASH when unlisted")
        return 'vimeo', found.group(1), found.group(2) or ''
    if not parts.path.lower().endswith(FILE_EXTENSIONS):
        shape.fail(where, f"'url' must be one of {FORMS}, not {url!r}")
    return 'html5', '', ''
