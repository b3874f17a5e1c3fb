"""The oEmbed look-up against a real HTTPS server on loopback that plays the provider.

The server holds a certificate for `oembed.invalid`, a name no DNS will ever answer, signed by a
throwaway CA (trustme); the look-up reaches it only because the injected resolver says
127.0.0.1 and the connection is pinned to that checked address. Loopback is let through by an
injected `address_allowed`; the refusal tests keep the real rule. Nothing leaves loopback.
"""
import ipaddress
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import trustme

from asn_xblocks.expert_session import oembed
from asn_xblocks.expert_session.oembed import (
    PROVIDERS, CachedLookup, OEmbedError, Provider, VideoInfo, is_public_address, lookup,
)

HOST = 'oembed.invalid'
YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'
VIMEO_UNLISTED = 'https://vimeo.com/823141156/90e6d75118'
YT_THUMB = 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg'
VIDEO = {'type': 'video', 'version': '1.0', 'title': 'Pelayanan publik yang inklusif',
         'author_name': 'LAN RI', 'thumbnail_url': YT_THUMB, 'thumbnail_width': 480,
         'thumbnail_height': 360, 'html': '<iframe src="https://evil.example/"></iframe>'}


# --- the loopback provider -------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):  # pylint: disable=invalid-name
        self.server.seen.append((self.path, dict(self.headers)))
        self.server.routes[urlsplit(self.path).path](self)

    def log_message(self, *args):
        pass


def reply(body=b'', status=200, content_type='application/json', length=True, headers=()):
    """A route answering at once; `body` may be a dict (sent as JSON)."""
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body

    def route(handler):
        handler.send_response(status)
        if content_type:
            handler.send_header('Content-Type', content_type)
        for name, value in headers:
            handler.send_header(name, value)
        if length:
            handler.send_header('Content-Length', str(len(data) if length is True else length))
        else:
            handler.send_header('Connection', 'close')
            handler.close_connection = True
        handler.end_headers()
        handler.wfile.write(data)
    return route


def slow(delay):
    def route(handler):
        time.sleep(delay)
        reply(VIDEO)(handler)
    return route


def stream(piece, pause, total):
    """Headers at once, then `piece` every `pause` seconds up to `total` bytes, no length."""
    def route(handler):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Connection', 'close')
        handler.end_headers()
        handler.close_connection = True
        sent = 0
        try:
            while sent < total:
                handler.wfile.write(piece)
                handler.wfile.flush()
                sent += len(piece)
                time.sleep(pause)
        except OSError:
            pass  # the client hung up, as it should
    return route


class LoopbackProvider(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, cert):
        super().__init__(('127.0.0.1', 0), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.port = self.server_address[1]
        self.routes, self.seen = {}, []

    def handle_error(self, request, client_address):
        pass  # clients hanging up mid-answer is what several tests do on purpose

    def provider(self, path, name='youtube', hosts=(HOST,), thumbnails=('i.ytimg.com',), host=HOST):
        return {name: Provider(name, 'TestTube', f'https://{host}:{self.port}{path}',
                               frozenset(hosts), frozenset(thumbnails))}


def start(cert):
    server = LoopbackProvider(cert)
    threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope='module')
def ca():
    return trustme.CA()


@pytest.fixture(scope='module')
def ca_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp('ca') / 'ca.pem'
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope='module')
def module_server(ca):
    server = start(ca.issue_cert(HOST))
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(module_server):
    module_server.routes.clear()
    module_server.seen.clear()
    return module_server


@pytest.fixture
def session(ca_file):
    with requests.Session() as trusting:
        trusting.verify = ca_file
        yield trusting


class Resolver:
    """`getaddrinfo` stand-in: answers from a list of address lists, one per call."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # pylint: disable=redefined-builtin
        self.calls.append((host, port, type))
        addresses = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return [(socket.AF_INET6 if ':' in a else socket.AF_INET, socket.SOCK_STREAM, 6, '',
                 (a, port) if ':' not in a else (a, port, 0, 0)) for a in addresses]


def loopback_only(ip):
    return ip.is_loopback


def fetch(server, session, path, url=YOUTUBE, **options):
    """A look-up against `server` at `path`, reached over pinned loopback."""
    options.setdefault('resolver', Resolver(['127.0.0.1']))
    options.setdefault('providers', server.provider(path, name='vimeo' if 'vimeo' in url else 'youtube',
                                                    thumbnails=('i.ytimg.com', 'i.vimeocdn.com')))
    return lookup(url, session=session, address_allowed=loopback_only, **options)


def refusal(call, *args, **kwargs):
    with pytest.raises(OEmbedError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- success ---------------------------------------------------------------------------------

def test_youtube_answer_is_read_and_the_request_is_the_fixed_one(server, session):
    server.routes['/oembed'] = reply(VIDEO)
    resolver = Resolver(['127.0.0.1'])
    info = fetch(server, session, '/oembed', url='https://youtu.be/dQw4w9WgXcQ?si=tracking', resolver=resolver)
    assert info == VideoInfo('youtube', 'dQw4w9WgXcQ', 'Pelayanan publik yang inklusif', YT_THUMB, None, 'LAN RI')
    (path, headers), = server.seen
    assert parse_qs(urlsplit(path).query) == {'url': [YOUTUBE]}  # canonical: no tracking parameter
    assert headers['Host'] == f'{HOST}:{server.port}'
    assert headers['Accept'] == 'application/json'
    # oembed.invalid never resolves: the answer came through the one checked address.
    assert resolver.calls == [(HOST, server.port, socket.SOCK_STREAM)]


def test_real_provider_table_adds_format_json_for_youtube(server, session):
    server.routes['/oembed'] = reply(VIDEO)
    youtube = PROVIDERS['youtube']
    providers = {'youtube': Provider('youtube', 'YouTube', f'https://{HOST}:{server.port}/oembed',
                                     frozenset({HOST}), youtube.thumbnail_hosts, youtube.extra_params)}
    fetch(server, session, '/oembed', providers=providers)
    assert parse_qs(urlsplit(server.seen[0][0]).query) == {'url': [YOUTUBE], 'format': ['json']}


def test_vimeo_answer_gives_duration_and_keeps_the_privacy_hash(server, session):
    answer = dict(VIDEO, thumbnail_url='https://i.vimeocdn.com/video/452001751-8216e0571c_295x166',
                  duration=3725, video_id=823141156)
    server.routes['/api/oembed.json'] = reply(answer, content_type='application/json; charset=utf-8')
    info = fetch(server, session, '/api/oembed.json', url=VIMEO_UNLISTED)
    assert (info.provider, info.video_id, info.duration_seconds) == ('vimeo', '823141156', 3725)
    assert info.thumbnail_url == answer['thumbnail_url']
    assert parse_qs(urlsplit(server.seen[0][0]).query) == {'url': [VIMEO_UNLISTED]}


@pytest.mark.parametrize('duration', [0, 86400])
def test_durations_at_the_limits_are_kept(server, session, duration):
    server.routes['/o'] = reply(dict(VIDEO, duration=duration))
    assert fetch(server, session, '/o').duration_seconds == duration


def test_text_fields_are_made_one_plain_line_and_capped(server, session):
    title = 'Etika\u202e ASN\x00 \n\t' + 'x' * 1000
    server.routes['/o'] = reply(dict(VIDEO, title=title, author_name='<b>Ombudsman</b>\u200b RI'))
    info = fetch(server, session, '/o')
    assert info.title.startswith('Etika ASN x') and info.title.endswith('\u2026')
    assert len(info.title) == oembed.TITLE_MAX
    assert info.author_name == '<b>Ombudsman</b> RI'  # plain text, escaped where it is shown


def test_missing_optional_fields_are_empty(server, session):
    server.routes['/o'] = reply({'type': 'video', 'version': '1.0'})
    assert fetch(server, session, '/o') == VideoInfo('youtube', 'dQw4w9WgXcQ', '', '', None, '')


def test_environment_proxies_are_not_used(server, session, monkeypatch):
    for name in ('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY'):
        monkeypatch.setenv(name, 'http://127.0.0.1:9')  # the discard port: a proxy would fail
    server.routes['/o'] = reply(VIDEO)
    assert fetch(server, session, '/o').title == VIDEO['title']


def test_dns_is_asked_once_so_a_rebinding_answer_is_never_used(server, session):
    server.routes['/o'] = reply(VIDEO)
    resolver = Resolver(['127.0.0.1'], ['10.0.0.1'])
    fetch(server, session, '/o', resolver=resolver)
    assert len(resolver.calls) == 1 and len(server.seen) == 1


# --- refusals before any connection ----------------------------------------------------------

@pytest.mark.parametrize('url', [
    'https://evil.example/watch?v=dQw4w9WgXcQ',
    'https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
    'https://evil.example/?next=youtube.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ',
    'https://vimeo.com/channels/staffpicks/76979871',
    'https://cdn.example.org/sesi.mp4',  # a file: nothing to look up
    'javascript:alert(1)//youtu.be/dQw4w9WgXcQ',
])
def test_urls_that_are_not_youtube_or_vimeo_videos_are_refused_unresolved(url):
    resolver = Resolver(['8.8.8.8'])
    error = refusal(lookup, url, resolver=resolver)
    assert error.code in ('unsupported_url', 'not_https') and error.params == {'url': url}
    assert resolver.calls == []


def test_http_video_url_is_refused_as_not_https():
    error = refusal(lookup, 'http://www.youtube.com/watch?v=dQw4w9WgXcQ', resolver=Resolver(['8.8.8.8']))
    assert error.code == 'not_https'


def test_a_provider_missing_from_the_table_is_unsupported():
    providers = {'youtube': PROVIDERS['youtube']}
    assert refusal(lookup, 'https://vimeo.com/76979871', providers=providers).code == 'unsupported_url'


def test_http_endpoint_is_refused():
    providers = {'youtube': Provider('youtube', 'YouTube', 'http://www.youtube.com/oembed',
                                     frozenset({'www.youtube.com'}), frozenset())}
    resolver = Resolver(['8.8.8.8'])
    assert refusal(lookup, YOUTUBE, providers=providers, resolver=resolver).code == 'not_https'
    assert resolver.calls == []


@pytest.mark.parametrize('endpoint', [
    'https://evil.example/oembed',
    'https://www.youtube.com.evil.example/oembed',
    'https://www.youtube.com@evil.example/oembed',
    'https://user@www.youtube.com/oembed',
    'https://www.youtube.com/oembed?url=https://evil.example/',
])
def test_endpoint_off_the_allow_list_is_refused_unresolved(endpoint):
    providers = {'youtube': Provider('youtube', 'YouTube', endpoint, frozenset({'www.youtube.com'}), frozenset())}
    resolver = Resolver(['8.8.8.8'])
    assert refusal(lookup, YOUTUBE, providers=providers, resolver=resolver).code == 'host_not_allowed'
    assert resolver.calls == []


@pytest.mark.parametrize('addresses', [
    ['127.0.0.1'], ['10.1.2.3'], ['172.16.0.1'], ['192.168.1.1'], ['169.254.169.254'], ['0.0.0.0'],
    ['100.64.0.1'], ['224.0.0.1'], ['255.255.255.255'], ['192.0.2.1'],
    ['::1'], ['fe80::1'], ['fc00::1'], ['::ffff:127.0.0.1'], ['::ffff:169.254.169.254'],
    ['64:ff9b::a00:1'], ['64:ff9b::7f00:1'],  # NAT64 of private IPv4
    ['2002:7f00:1::'], ['2002:808:808::'], ['2001:0:4136:e378:8000:63bf:f5ff:fffe'],  # 6to4, Teredo
    ['8.8.8.8', '10.0.0.1'],  # one private answer among public ones is enough
])
def test_allow_listed_host_resolving_to_a_private_address_is_refused(addresses):
    """The real endpoint (www.youtube.com) with the real address rule: refused before connecting
    (a connection to a private address on :443 would end as `network`, not `private_address`)."""
    error = refusal(lookup, YOUTUBE, resolver=Resolver(addresses))
    assert (error.code, error.params) == ('private_address', {'host': 'www.youtube.com'})


def test_public_addresses_pass_the_rule():
    for text in ('8.8.8.8', '142.250.4.93', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808'):
        assert is_public_address(ipaddress.ip_address(text)), text


def unknown_name(*_args, **_kwargs):
    raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')


@pytest.mark.parametrize('resolver', [Resolver([]), unknown_name])
def test_resolver_failures_are_network_errors(resolver):
    assert refusal(lookup, YOUTUBE, resolver=resolver).code == 'network'


# --- refusals of what the server says --------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_redirects_are_failures_and_are_not_followed(server, session, status):
    server.routes['/o'] = reply(b'', status=status, headers=[('Location', f'https://{HOST}:{server.port}/ok')])
    server.routes['/ok'] = reply(VIDEO)
    assert refusal(fetch, server, session, '/o').code == 'redirect'
    assert [urlsplit(path).path for path, _headers in server.seen] == ['/o']


def test_slow_server_times_out(server, session):
    server.routes['/o'] = slow(1.5)
    began = time.monotonic()
    assert refusal(fetch, server, session, '/o', timeout=(0.5, 0.2)).code == 'timeout'
    assert time.monotonic() - began < 1.0


def test_server_dripping_the_body_meets_the_overall_deadline(server, session):
    server.routes['/o'] = stream(b' ', pause=0.05, total=200)  # 10 s of one byte at a time
    began = time.monotonic()
    assert refusal(fetch, server, session, '/o', timeout=(0.3, 0.3)).code == 'timeout'
    assert time.monotonic() - began < 1.5


def test_declared_oversize_body_is_refused_before_reading(server, session):
    server.routes['/o'] = reply(b'{}', length=10 * 1024 * 1024)
    error = refusal(fetch, server, session, '/o', timeout=(0.5, 0.5))
    assert (error.code, error.params['max_bytes']) == ('too_large', 256 * 1024)


def test_oversize_body_with_an_honest_length_is_refused(server, session):
    server.routes['/o'] = reply(dict(VIDEO, title='x' * 2000))
    assert refusal(fetch, server, session, '/o', max_bytes=1000).code == 'too_large'


def test_endless_body_without_length_is_cut_at_the_cap(server, session):
    server.routes['/o'] = stream(b'x' * 65536, pause=0, total=200 * 1024 * 1024)
    began = time.monotonic()
    assert refusal(fetch, server, session, '/o', max_bytes=64 * 1024).code == 'too_large'
    assert time.monotonic() - began < 1.0


def test_small_body_without_length_is_read(server, session):
    server.routes['/o'] = reply(VIDEO, length=False)
    assert fetch(server, session, '/o').title == VIDEO['title']


@pytest.mark.parametrize('content_type', ['text/html', 'text/plain', 'application/javascript', None])
def test_answers_that_are_not_json_are_refused(server, session, content_type):
    server.routes['/o'] = reply(b'<html>{"type": "video"}</html>', content_type=content_type)
    assert refusal(fetch, server, session, '/o').code == 'not_json'


@pytest.mark.parametrize('status, code', [(404, 'not_found'), (401, 'private_video'), (403, 'private_video'),
                                          (500, 'bad_response'), (204, 'bad_response')])
def test_provider_statuses_become_codes(server, session, status, code):
    server.routes['/o'] = reply(b'{}' if status != 204 else b'', status=status)
    error = refusal(fetch, server, session, '/o')
    assert (error.code, error.params['provider']) == (code, 'TestTube')


@pytest.mark.parametrize('body', [b'{"type": "video", ', b'\xff\xfe{}', b'', b'{"duration": NaN}'])
def test_malformed_json_is_refused(server, session, body):
    server.routes['/o'] = reply(body)
    assert refusal(fetch, server, session, '/o').code == 'not_json'


@pytest.mark.parametrize('answer, field', [
    ([VIDEO], 'not an object'),
    (dict(VIDEO, type='rich'), 'type'),
    ({k: v for k, v in VIDEO.items() if k != 'type'}, 'type'),
    (dict(VIDEO, title=['a']), 'title'),
    (dict(VIDEO, author_name=7), 'author_name'),
    (dict(VIDEO, thumbnail_url='https://evil.example/x.jpg'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='https://i.ytimg.com.evil.example/x.jpg'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='https://user@i.ytimg.com/x.jpg'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='https://i.ytimg.com:8443/x.jpg'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='http://i.ytimg.com/x.jpg'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='javascript:alert(1)'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='https://i.ytimg.com/x.jpg"onerror="alert(1)'), 'thumbnail_url'),
    (dict(VIDEO, thumbnail_url='https://i.ytimg.com/' + 'a' * 3000), 'thumbnail_url'),
    (dict(VIDEO, duration=-1), 'duration'),
    (dict(VIDEO, duration=86401), 'duration'),
    (dict(VIDEO, duration=10 ** 12), 'duration'),
    (dict(VIDEO, duration=12.5), 'duration'),
    (dict(VIDEO, duration='600'), 'duration'),
    (dict(VIDEO, duration=True), 'duration'),
])
def test_invalid_fields_are_refused(server, session, answer, field):
    server.routes['/o'] = reply(answer)
    error = refusal(fetch, server, session, '/o')
    assert (error.code, error.params['field']) == ('bad_response', field)


def test_thumbnail_of_the_other_provider_is_refused(server, session):
    server.routes['/o'] = reply(dict(VIDEO, thumbnail_url='https://i.vimeocdn.com/video/1_295x166'))
    providers = server.provider('/o', thumbnails=('i.ytimg.com',))
    assert refusal(fetch, server, session, '/o', providers=providers).code == 'bad_response'


# --- TLS is still checked against the hostname -----------------------------------------------

def test_certificate_for_another_name_is_refused(ca, session):
    other = start(ca.issue_cert('other.invalid'))
    try:
        other.routes['/o'] = reply(VIDEO)
        assert refusal(fetch, other, session, '/o').code == 'network'
        assert other.seen == []
    finally:
        other.shutdown()
        other.server_close()


def test_certificate_from_an_untrusted_ca_is_refused(server):
    server.routes['/o'] = reply(VIDEO)
    assert refusal(fetch, server, None, '/o').code == 'network'  # the default session trusts real CAs only
    assert server.seen == []


# --- messages --------------------------------------------------------------------------------

def test_every_code_has_a_template_and_formats_with_the_params_it_is_raised_with():
    assert set(OEmbedError.messages) == {
        'unsupported_url', 'not_https', 'host_not_allowed', 'private_address', 'redirect', 'timeout',
        'too_large', 'not_json', 'not_found', 'private_video', 'bad_response', 'network'}
    params = {'url': 'https://x.example/', 'host': 'x.example', 'provider': 'Vimeo', 'max_bytes': 10,
              'field': 'duration'}
    for code, template in OEmbedError.messages.items():
        error = OEmbedError(code, params)
        assert error.message == template.format(**params) == str(error)
        assert error.translated(lambda source: source) == error.message
    with pytest.raises(ValueError):
        OEmbedError('teapot')


def test_translated_message_uses_the_given_gettext():
    error = OEmbedError('not_found', {'provider': 'Vimeo'})
    catalog = {error.template: '{provider} tidak mengenal video ini.'}
    assert error.translated(catalog.get) == 'Vimeo tidak mengenal video ini.'


# --- the failure cache -----------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def counting(outcomes):
    calls = []

    def fake(url, **options):
        calls.append((url, options))
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, OEmbedError):
            raise outcome
        return outcome
    return fake, calls


def test_a_failure_is_remembered_until_the_ttl_passes():
    clock = Clock()
    info = VideoInfo('youtube', 'dQw4w9WgXcQ', 't', '', None, '')
    fake, calls = counting([OEmbedError('private_video', {'provider': 'YouTube'}), info])
    cached = CachedLookup(fake, ttl=600, clock=clock)
    for _ in range(3):
        assert refusal(cached, YOUTUBE, timeout=1).code == 'private_video'
    assert len(calls) == 1
    clock.now += 599
    assert refusal(cached, YOUTUBE).params == {'provider': 'YouTube'}
    clock.now += 1
    assert cached(YOUTUBE) == info and cached(YOUTUBE) == info
    assert len(calls) == 3 and calls[0] == (YOUTUBE, {'timeout': 1})  # successes are not cached


def test_failures_are_per_url_and_can_be_forgotten():
    fake, calls = counting([OEmbedError('not_found', {'provider': 'Vimeo'})])
    cached = CachedLookup(fake, clock=Clock())
    refusal(cached, 'https://vimeo.com/1')
    refusal(cached, 'https://vimeo.com/2')
    refusal(cached, 'https://vimeo.com/1')
    cached.forget('https://vimeo.com/1')
    refusal(cached, 'https://vimeo.com/1')
    assert [url for url, _ in calls] == ['https://vimeo.com/1', 'https://vimeo.com/2', 'https://vimeo.com/1']


def test_the_cache_stays_bounded():
    clock = Clock()
    fake, calls = counting([OEmbedError('network', {'provider': 'Vimeo'})])
    cached = CachedLookup(fake, clock=clock, max_entries=3)
    for n in range(5):
        refusal(cached, f'https://vimeo.com/{n + 1}')
    assert len(cached._failures) == 3  # pylint: disable=protected-access
    refusal(cached, 'https://vimeo.com/5')  # still remembered
    refusal(cached, 'https://vimeo.com/1')  # pushed out, asked again
    assert len(calls) == 6


def test_cached_lookup_spares_the_real_provider(server, session):
    server.routes['/o'] = reply(b'', status=404)
    cached = CachedLookup(clock=Clock())
    for _ in range(3):
        error = refusal(cached, YOUTUBE, session=session, resolver=Resolver(['127.0.0.1']),
                        providers=server.provider('/o'), address_allowed=loopback_only)
        assert error.code == 'not_found'
    assert len(server.seen) == 1
