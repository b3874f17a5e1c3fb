"""Video addresses read strictly: an https YouTube, Vimeo or .mp4/.webm URL → provider and id.

Shared by every block that shows a video (the case study's situations, the expert session).
The provider and video id are taken out of the URL with `urlsplit` and full-match regexes:
exact host names, no user name or port, ids of the provider's own alphabet — never a regex
searched over the whole string, which `https://evil.example/?youtube.com/watch?v=…` defeats.
What a browser loads (`embed_url`) is rebuilt from those parts alone, on the privacy-enhanced
hosts (youtube-nocookie.com, Vimeo with do-not-track), never from anything an author or a
provider wrote as HTML.
"""
from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

PROVIDERS = ('youtube', 'vimeo', 'html5')
YOUTUBE_HOSTS = frozenset({'youtube.com', 'www.youtube.com', 'm.youtube.com'})
YOUTU_BE_HOSTS = frozenset({'youtu.be'})
VIMEO_HOSTS = frozenset({'vimeo.com', 'www.vimeo.com'})
FILE_EXTENSIONS = ('.mp4', '.webm')

# Only the characters RFC 3986 allows in a URI: no space, quote, angle bracket, backslash,
# control or non-ASCII character (authors percent-encode those).
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
HOST = re.compile(r'[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+')
_YOUTUBE_ID = re.compile(r'[A-Za-z0-9_-]{11}')
_YOUTU_BE_PATH = re.compile(r'/([A-Za-z0-9_-]{11})')
_VIMEO_PATH = re.compile(r'/([1-9][0-9]{0,11})(?:/([0-9a-f]{6,20}))?/?')

FORMS = 'youtube.com/watch?v=ID, youtu.be/ID, vimeo.com/ID or a .mp4/.webm file'


class VideoUrlError(ValueError):
    """The URL is not one we accept. `reason` is a stable word; the message (English, for logs
    and for the case study's format errors) reads after "'url' "."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # not_https, characters, host, youtube, youtu_be, vimeo, unsupported


class VideoRef(NamedTuple):
    """What a video URL names: `media_id` is the YouTube or Vimeo id ('' for a file)."""

    provider: str  # one of PROVIDERS
    media_id: str
    privacy_hash: str  # an unlisted Vimeo video's hash (vimeo.com/ID/HASH), else ''


def parse_video_url(url: str) -> VideoRef:
    """The provider, id and Vimeo privacy hash of an https video URL, or VideoUrlError."""
    if not isinstance(url, str) or not url.startswith('https://'):
        raise VideoUrlError('not_https', f'must start with https:// ({FORMS})')
    if not URI_CHARACTERS.fullmatch(url):
        raise VideoUrlError('characters', 'has characters a URL cannot hold (spaces, quotes, <, >, \\ or '
                                          'non-ASCII); percent-encode them')
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if not HOST.fullmatch(host):
        raise VideoUrlError('host', 'must name a host alone, without a user name, port or trailing dot')
    if host in YOUTUBE_HOSTS:
        ids = parse_qs(parts.query).get('v', [])
        if parts.path != '/watch' or len(ids) != 1 or not _YOUTUBE_ID.fullmatch(ids[0]):
            raise VideoUrlError('youtube', 'on YouTube must be youtube.com/watch?v=ID with an 11-character '
                                           'video id')
        return VideoRef('youtube', ids[0], '')
    if host in YOUTU_BE_HOSTS:
        found = _YOUTU_BE_PATH.fullmatch(parts.path)
        if not found:
            raise VideoUrlError('youtu_be', 'on youtu.be must be youtu.be/ID with an 11-character video id')
        return VideoRef('youtube', found.group(1), '')
    if host in VIMEO_HOSTS:
        found = _VIMEO_PATH.fullmatch(parts.path)
        if not found:
            raise VideoUrlError('vimeo', 'on Vimeo must be vimeo.com/ID (digits), or vimeo.com/ID/HASH when '
                                         'unlisted')
        return VideoRef('vimeo', found.group(1), found.group(2) or '')
    if not parts.path.lower().endswith(FILE_EXTENSIONS):
        raise VideoUrlError('unsupported', f'must be one of {FORMS}, not {url!r}')
    return VideoRef('html5', '', '')


def canonical_url(ref: VideoRef) -> str:
    """The provider's own page for a YouTube or Vimeo video, rebuilt from its parts (what we
    hand to an oEmbed endpoint, so nothing else the author typed travels with it)."""
    if ref.provider == 'youtube':
        return f'https://www.youtube.com/watch?v={ref.media_id}'
    if ref.provider == 'vimeo':
        return f'https://vimeo.com/{ref.media_id}' + (f'/{ref.privacy_hash}' if ref.privacy_hash else '')
    raise ValueError(f'{ref.provider} videos have no provider page')


def embed_url(ref: VideoRef, url: str) -> str:
    """What the player loads: built from the provider and id, on the privacy-enhanced hosts;
    a file (`html5`) plays from `url`, the author's checked address."""
    if ref.provider == 'youtube':
        return f'https://www.youtube-nocookie.com/embed/{ref.media_id}'
    if ref.provider == 'vimeo':
        hash_part = f'h={ref.privacy_hash}&' if ref.privacy_hash else ''
        return f'https://player.vimeo.com/video/{ref.media_id}?{hash_part}dnt=1'
    return url
