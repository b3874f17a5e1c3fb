"""The server-side video look-up: a YouTube or Vimeo URL → title, thumbnail, duration via oEmbed.

Called only when an author saves a session in Studio; the block stores the answer in fields so
learner page views never fetch anything. This is the one module of the block that does network
I/O, so it is written as an SSRF guard first (CONVENTIONS §3, research notes §7.3):

* The URL must parse as a YouTube or Vimeo video (`core.video_urls`: exact hosts, strict ids);
  what the provider receives is the canonical page URL rebuilt from the id, nothing else the
  author typed. Each provider has ONE fixed https endpoint whose host must be in its allow-list.
  No oEmbed discovery, no provider HTML (the player iframe comes from our own template).
* DNS is resolved here, once; every address must be public (`is_public_address`: global, not
  multicast, no private IPv4 inside a mapped or NAT64 IPv6 address, no 6to4/Teredo). The
  connection then goes to the checked address itself — `_PinnedAdapter` hands urllib3 the IP
  as the pool's host while SNI, certificate check and the Host header keep the hostname — so a
  second, different DNS answer (rebinding) is never asked for. No proxies, no redirects (a 3xx is a
  failure), (connect, read) timeouts plus a deadline for the whole body, a byte cap enforced
  while streaming, JSON only, and every field validated.

Residual risks, accepted: `getaddrinfo` has no timeout of its own (the system resolver's
applies); response headers are bounded by http.client's limits (100 lines of 64 KiB) and the
read timeout per packet, not by the overall deadline; an egress proxy, if an operator needs
one, is not used (the look-up then fails with `network`, visibly).
"""
from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable, NamedTuple
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from asn_xblocks.core import video_urls
from asn_xblocks.core.errors import TranslatableError
from asn_xblocks.core.i18n import N_

TITLE_MAX = 300
AUTHOR_MAX = 200
URL_MAX = 2048
DURATION_MAX = 24 * 60 * 60
FAILURE_TTL = 600.0
USER_AGENT = 'asn-xblocks-oembed/1 (+video metadata look-up)'


class OEmbedError(TranslatableError):
    """A look-up that failed: `code` is stable, `params` fill the English template."""

    messages = {
        'unsupported_url': N_('{url} is not a YouTube or Vimeo video address '
                              '(use youtube.com/watch?v=ID, youtu.be/ID or vimeo.com/ID).'),
        'not_https': N_('The address must start with https://: {url}'),
        'host_not_allowed': N_('{host} is not on the list of video providers that may be contacted.'),
        'private_address': N_('{host} resolves to a private or reserved network address; '
                              'the look-up was refused.'),
        'redirect': N_('{provider} answered with a redirect, which is not followed.'),
        'timeout': N_('{provider} did not answer in time. Try again later.'),
        'too_large': N_('The answer from {provider} was larger than {max_bytes} bytes.'),
        'not_json': N_('The answer from {provider} was not JSON.'),
        'not_found': N_('{provider} does not know this video. Check the address.'),
        'private_video': N_('{provider} says this video is private or may not be embedded. '
                            'Check its privacy settings.'),
        'bad_response': N_('The answer from {provider} is not a valid video description ({field}).'),
        'network': N_('{provider} could not be reached. Try again later.'),
    }


class VideoInfo(NamedTuple):
    """What the block stores about a video; `duration_seconds` is None where the provider
    does not say (YouTube's oEmbed never does)."""

    provider: str
    video_id: str
    title: str
    thumbnail_url: str
    duration_seconds: int | None
    author_name: str


@dataclass(frozen=True)
class Provider:
    """One oEmbed provider: its fixed endpoint and the hosts it may use."""

    name: str  # a `core.video_urls` provider: 'youtube' or 'vimeo'
    label: str  # shown in messages
    endpoint: str  # fixed, https; the video URL is passed as the `url` parameter
    endpoint_hosts: frozenset
    thumbnail_hosts: frozenset
    extra_params: tuple = ()


PROVIDERS = {
    'youtube': Provider('youtube', 'YouTube', 'https://www.youtube.com/oembed',
                        frozenset({'www.youtube.com'}), frozenset({'i.ytimg.com'}), (('format', 'json'),)),
    'vimeo': Provider('vimeo', 'Vimeo', 'https://vimeo.com/api/oembed.json',
                      frozenset({'vimeo.com'}), frozenset({'i.vimeocdn.com'})),
}

_NAT64 = ipaddress.ip_network('64:ff9b::/96')


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address. An IPv4-mapped or NAT64 IPv6 address is
    judged by the IPv4 address inside it; 6to4 and Teredo tunnels are refused outright (where
    they lead is not ours to judge, and Python versions disagree on whether they are global)."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip.sixtofour is not None or ip.teredo is not None:
            return False
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return ip.is_global and not ip.is_multicast


class _PinnedAdapter(HTTPAdapter):
    """An adapter that connects to one checked address for one https origin.

    urllib3 gets the IP as the pool's host (so it never resolves the name again) and the
    hostname as `server_hostname`, which it uses for SNI and for the certificate's name check
    (by the ssl module, as for any https request); the Host header is set by `_fetch`. Any
    other origin, or a proxy, is refused.
    """

    def __init__(self, hostname: str, address: str):
        self._hostname, self._address = hostname, address
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if host_params['scheme'] != 'https' or host_params['host'] != self._hostname or proxies:
            raise requests.exceptions.InvalidURL('the pinned adapter serves one https origin, directly')
        pool_kwargs = dict(pool_kwargs, server_hostname=self._hostname)
        return self.poolmanager.connection_from_host(
            scheme='https', host=self._address, port=host_params['port'], pool_kwargs=pool_kwargs)


def lookup(video_url: str, *, session: requests.Session | None = None, timeout=(3.05, 5),
           max_bytes: int = 256 * 1024, resolver=socket.getaddrinfo, providers=PROVIDERS,
           address_allowed: Callable = is_public_address) -> VideoInfo:
    """Ask the video's provider, through its fixed oEmbed endpoint, what the video is.

    `session` lends its default headers and TLS trust (`verify`); its adapters, proxies and
    redirect handling are never used. `resolver` has `socket.getaddrinfo`'s signature and
    `address_allowed` judges each address it returns (tests inject both). Raises OEmbedError.
    """
    try:
        ref = video_urls.parse_video_url(video_url)
    except video_urls.VideoUrlError as error:
        raise OEmbedError('not_https' if error.reason == 'not_https' else 'unsupported_url',
                          {'url': str(video_url)}) from None
    provider = providers.get(ref.provider)
    if provider is None:
        raise OEmbedError('unsupported_url', {'url': video_url})
    endpoint = urlsplit(provider.endpoint)
    if endpoint.scheme != 'https':
        raise OEmbedError('not_https', {'url': provider.endpoint})
    hostname = (endpoint.hostname or '').lower()
    if hostname not in provider.endpoint_hosts or '@' in endpoint.netloc or endpoint.query or endpoint.fragment:
        raise OEmbedError('host_not_allowed', {'host': hostname or provider.endpoint})
    address = _resolve(hostname, endpoint.port or 443, resolver, address_allowed, provider.label)
    params = [('url', video_urls.canonical_url(ref)), *provider.extra_params]
    data = _fetch(provider, params, endpoint.netloc.lower(), hostname, address, session, timeout, max_bytes)
    return _video_info(provider, ref, data)


def _resolve(hostname: str, port: int, resolver, address_allowed, label: str) -> str:
    """The address to connect to; every address the name resolves to must be allowed, so a
    mixed answer (one public, one private) is refused whichever the system would pick."""
    try:
        answers = resolver(hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise OEmbedError('network', {'provider': label}) from None
    addresses = []
    for _family, _type, _proto, _canonname, sockaddr in answers:
        try:
            ip = ipaddress.ip_address(sockaddr[0])
        except ValueError:  # e.g. a scoped link-local 'fe80::1%eth0' on older Pythons
            raise OEmbedError('private_address', {'host': hostname}) from None
        if not address_allowed(ip):
            raise OEmbedError('private_address', {'host': hostname})
        addresses.append(str(ip))
    if not addresses:
        raise OEmbedError('network', {'provider': label})
    return addresses[0]


def _fetch(provider: Provider, params, netloc: str, hostname: str, address: str,
           session, timeout, max_bytes: int):
    """GET the endpoint through the pinned adapter; the decoded JSON, or OEmbedError."""
    label = {'provider': provider.label}
    own_session = session is None
    session = requests.Session() if own_session else session
    request = requests.Request('GET', provider.endpoint, params=params, headers={
        'Host': netloc, 'Accept': 'application/json', 'Accept-Encoding': 'identity',
        'User-Agent': USER_AGENT})
    adapter = _PinnedAdapter(hostname, address)
    response = None
    try:
        deadline = time.monotonic() + (sum(timeout) if isinstance(timeout, tuple) else 2 * timeout)
        # The adapter, not Session.send: it never follows redirects and ignores environment proxies.
        response = adapter.send(session.prepare_request(request), stream=True, timeout=timeout,
                                verify=session.verify, proxies={})
        _check_head(response, label, max_bytes)
        body = _read_capped(response, label, max_bytes, deadline)
    except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
        raise OEmbedError('timeout', label) from None
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError):
        raise OEmbedError('network', label) from None
    finally:
        if response is not None:
            response.close()
        adapter.close()
        if own_session:
            session.close()
    try:
        return json.loads(body.decode('utf-8'), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise OEmbedError('not_json', label) from None


def _check_head(response, label: dict, max_bytes: int):
    status = response.status_code
    if 300 <= status < 400:
        raise OEmbedError('redirect', label)
    if status == 404:
        raise OEmbedError('not_found', label)
    if status in (401, 403):
        raise OEmbedError('private_video', label)
    if status != 200:
        raise OEmbedError('bad_response', {**label, 'field': f'HTTP {status}'})
    media_type = response.headers.get('Content-Type', '').split(';')[0].strip().lower()
    if media_type != 'application/json':
        raise OEmbedError('not_json', label)
    length = response.headers.get('Content-Length')
    if length is not None:
        if not length.strip().isdigit():
            raise OEmbedError('bad_response', {**label, 'field': 'Content-Length'})
        if int(length) > max_bytes:
            raise OEmbedError('too_large', {**label, 'max_bytes': max_bytes})


def _read_capped(response, label: dict, max_bytes: int, deadline: float) -> bytes:
    """The body, at most `max_bytes`, before `deadline`. `read1` returns whatever has arrived
    (where `iter_content` would wait to fill a whole chunk), so a server sending one byte at a
    time, each inside the read timeout, still meets the deadline."""
    body = bytearray()
    while chunk := response.raw.read1(16 * 1024, decode_content=True):
        body += chunk
        if len(body) > max_bytes:
            raise OEmbedError('too_large', {**label, 'max_bytes': max_bytes})
        if time.monotonic() > deadline:
            raise OEmbedError('timeout', label)
    return bytes(body)


def _refuse_constant(name: str):
    raise ValueError(f'{name} is not JSON')


_INVISIBLE = re.compile('[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]')


def _video_info(provider: Provider, ref: video_urls.VideoRef, data) -> VideoInfo:
    def bad(field):
        return OEmbedError('bad_response', {'provider': provider.label, 'field': field})

    if not isinstance(data, dict):
        raise bad('not an object')
    if data.get('type') != 'video':
        raise bad('type')
    duration = data.get('duration')
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int)
                                 or not 0 <= duration <= DURATION_MAX):
        raise bad('duration')
    return VideoInfo(
        provider=provider.name, video_id=ref.media_id,
        title=_plain_text(data.get('title'), TITLE_MAX, bad('title')),
        thumbnail_url=_thumbnail(data.get('thumbnail_url'), provider.thumbnail_hosts, bad('thumbnail_url')),
        duration_seconds=duration,
        author_name=_plain_text(data.get('author_name'), AUTHOR_MAX, bad('author_name')))


def _plain_text(value, limit: int, error: OEmbedError) -> str:
    """One line of text (escaped where shown): control and bidi characters become spaces,
    runs of white space one space, and past `limit` it is cut with an ellipsis."""
    if value is None:
        return ''
    if not isinstance(value, str):
        raise error
    text = ' '.join(_INVISIBLE.sub(' ', unicodedata.normalize('NFC', value)).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + '\u2026'


def _thumbnail(value, hosts: frozenset, error: OEmbedError) -> str:
    if value is None or value == '':
        return ''
    if not (isinstance(value, str) and len(value) <= URL_MAX and value.startswith('https://')
            and video_urls.URI_CHARACTERS.fullmatch(value)):
        raise error
    if urlsplit(value).netloc.lower() not in hosts:  # a bare host: no user name, no port
        raise error
    return value


class CachedLookup:
    """`lookup` that remembers failures for `ttl` seconds, so an author saving again and again
    (or several Studio workers) does not hammer a provider that just said no. Successes are not
    kept here: the block stores them in its fields. Thread-safe, bounded, clock injectable."""

    def __init__(self, fetch: Callable[..., VideoInfo] = lookup, *, ttl: float = FAILURE_TTL,
                 clock: Callable[[], float] = time.monotonic, max_entries: int = 1024):
        self._fetch, self._ttl, self._clock, self._max = fetch, ttl, clock, max_entries
        self._failures: dict[str, tuple[float, str, dict]] = {}
        self._lock = threading.Lock()

    def __call__(self, video_url: str, **options) -> VideoInfo:
        with self._lock:
            cached = self._failures.get(video_url)
            if cached and self._clock() < cached[0]:
                raise OEmbedError(cached[1], cached[2])
            self._failures.pop(video_url, None)
        try:
            return self._fetch(video_url, **options)
        except OEmbedError as error:
            with self._lock:
                self._remember(video_url, error)
            raise

    def forget(self, video_url: str):
        with self._lock:
            self._failures.pop(video_url, None)

    def _remember(self, video_url: str, error: OEmbedError):
        now = self._clock()
        if len(self._failures) >= self._max:
            for key in [key for key, (expiry, _c, _p) in self._failures.items() if expiry <= now]:
                del self._failures[key]
            while len(self._failures) >= self._max:  # still full: the oldest go first
                del self._failures[next(iter(self._failures))]
        self._failures[video_url] = (now + self._ttl, error.code, dict(error.params))
