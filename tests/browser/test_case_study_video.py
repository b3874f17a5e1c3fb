"""A situation's video in chromium: privacy first (nothing from the video host before the learner
presses play), then the player the server's embed URL names, by keyboard, and axe clean.

The sandbox has no network, and the test must not depend on one: every https request the page
makes (all of them third-party; the live server is plain http) is recorded and answered with a
stub, so the assertions are on the DOM and on what the page asked for, never on a real player.
"""
import re

import pytest
from playwright.sync_api import expect

from asn_xblocks.case_study.olx import workbench_olx

from .helpers import assert_no_axe_violations, scenario_url, tab_to

ROOT = '.asn-case-study'
SCENARIO_ID = 'asn_case_study.video'
START = 'Mulai studi kasus'  # the player's Indonesian texts (locale/id/LC_MESSAGES/textjs.po)
PLAY = 'Putar video: {title}'
TITLE = 'Cara melayani aduan warga'
STUB_PAGE = '<!DOCTYPE html><html lang="id"><title>Pemutar uji</title><p>Pemutar video (tiruan)</p></html>'


def text(indonesian, english):
    return {'id': indonesian, 'en': english}


def video_scenario(url):
    """One situation with a video of `url`, then an ending."""
    return {
        'format': 1, 'id': 'uji-video', 'title': text('Uji video', 'Video test'), 'start': 'n1',
        'nodes': [
            {'id': 'n1', 'kind': 'situation', 'title': text('Aduan di loket', 'A complaint at the desk'),
             'text': text('Seorang warga datang dengan keluhan.', 'A citizen comes with a complaint.'),
             'video': {'url': url, 'title': text(TITLE, 'How to handle a complaint')},
             'choices': [{'id': 'a', 'label': text('Dengarkan dulu', 'Listen first'), 'target': 'end', 'points': 1},
                         {'id': 'b', 'label': text('Minta menunggu', 'Ask them to wait'), 'target': 'end'}]},
            {'id': 'end', 'kind': 'ending', 'title': text('Selesai', 'Done'), 'text': text('Terima kasih.', 'Thanks.'),
             'rating': 'good'},
        ],
    }


@pytest.fixture
def third_party(page):
    """Every https request of the page, answered by a stub (a small page for frames, 204 otherwise)."""
    seen = []

    def answer(route):
        seen.append(route.request.url)
        if route.request.resource_type == 'document':
            route.fulfill(status=200, content_type='text/html; charset=utf-8', body=STUB_PAGE)
        else:
            route.fulfill(status=204, body='')

    page.route(re.compile(r'^https://'), answer)
    return seen


def open_situation(page, live_server, url):
    from workbench.scenarios import add_xml_scenario
    add_xml_scenario(SCENARIO_ID, 'Studi kasus dengan video', workbench_olx(video_scenario(url), 'Video'))
    response = page.goto(scenario_url(live_server, SCENARIO_ID))
    assert response.ok, response.status
    root = page.locator(ROOT)
    root.get_by_role('button', name=START, exact=True).click()
    expect(root.locator('.asn-cs-step-title')).to_have_text('Aduan di loket')
    return root


@pytest.mark.parametrize('url, provider, embed_url', [
    pytest.param('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5', 'YouTube',
                 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', id='youtube'),
    pytest.param('https://vimeo.com/76979871', 'Vimeo', 'https://player.vimeo.com/video/76979871?dnt=1', id='vimeo'),
])
def test_an_embedded_video_loads_only_after_the_learner_presses_play(page, live_server, third_party, url, provider,
                                                                     embed_url):
    root = open_situation(page, live_server, url)
    poster = root.get_by_role('button', name=PLAY.format(title=TITLE), exact=True)
    expect(poster).to_be_visible()
    note = root.locator('.asn-cs-video-note')
    expect(note).to_contain_text(provider)
    assert poster.get_attribute('aria-describedby') == note.get_attribute('id')
    # Privacy: no player and not one request to the video host before the learner asks for it.
    assert root.locator('iframe, video').count() == 0
    assert third_party == []
    assert_no_axe_violations(page, ROOT)

    tab_to(page, poster)
    page.keyboard.press('Enter')
    frame = root.locator('iframe')
    expect(frame).to_have_count(1)
    assert poster.count() == 0 and note.count() == 0
    attributes = frame.evaluate('(el) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]))')
    assert attributes == {
        'src': embed_url, 'title': TITLE, 'allow': 'fullscreen', 'allowfullscreen': '',
        'referrerpolicy': 'strict-origin-when-cross-origin',
        'sandbox': 'allow-scripts allow-same-origin allow-presentation', 'class': 'asn-cs-video-player',
    }
    assert frame.evaluate('(el) => el === document.activeElement'), 'focus did not move into the player'
    expect(page.frame_locator(f'{ROOT} iframe').locator('p')).to_have_text('Pemutar video (tiruan)')
    assert third_party == [embed_url]
    assert_no_axe_violations(page, ROOT)


def test_a_video_file_plays_in_an_html5_player_after_space_on_the_poster(page, live_server, third_party):
    url = 'https://cdn.example.org/pelatihan/aduan.mp4'
    root = open_situation(page, live_server, url)
    poster = root.get_by_role('button', name=PLAY.format(title=TITLE), exact=True)
    assert root.locator('.asn-cs-video-note').count() == 0  # no third-party host to name
    assert root.locator('iframe, video').count() == 0 and third_party == []
    tab_to(page, poster)
    page.keyboard.press('Space')
    video = root.locator('video')
    expect(video).to_have_count(1)
    assert (video.get_attribute('src'), video.get_attribute('aria-label')) == (url, TITLE)
    assert video.get_attribute('controls') is not None
    assert root.locator('iframe').count() == 0
    assert video.evaluate('(el) => el === document.activeElement')
    assert_no_axe_violations(page, ROOT)
