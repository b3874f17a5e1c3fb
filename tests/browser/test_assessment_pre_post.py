"""The pre/post assessment in chromium: two learners take the pre-test and the post-test through
the page (mouse and keyboard), then course staff read the report and check its numbers.

Learners answer by option text (the page shows opaque ids only), so the plan below fixes each
learner's score: ani 40% → 100%, budi 60% → 80%. Matched gains by hand: pre mean 50, post mean
90, raw gain 40, class gain ⟨g⟩ = 40 / 50 = 0,8 (high), mean of individual gains
(60/60 + 20/40) / 2 = 0,75.
"""
import re

import pytest
from playwright.sync_api import expect

from asn_xblocks.assessment.defaults import default_bank

from .helpers import assert_no_axe_violations, scenario_url, tab_to

SCENARIO_ID = 'asn_assessment.0'
PRE, POST = '.asn-assessment >> nth=0', '.asn-assessment >> nth=1'
STAFF = 'staff_1'
BANK = default_bank()
GRADED = sorted(item['id'] for item in BANK['items'] if item['type'] != 'likert')
PLAN = {'ani': (GRADED[:4], GRADED), 'budi': (GRADED[:6], GRADED[:8])}
# What must never be in a learner's page before release: the bank's key and feedback words.
SECRET_JS = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('section.debug').forEach((node) => node.remove());  // the SDK's field dump
    return copy.outerHTML;
}"""


def option_text(item, right):
    """The Indonesian text of the item's correct option (right) or of its first wrong one."""
    option = next(o for o in item['options'] if o['correct'] == right)
    return option['text']['id']


def answer_all(block, right_items, confidence=False):
    """Answer every question on the page: graded ones by plan, Likert with the scale's 4."""
    for item in BANK['items']:
        box = block.locator(f'[data-item="{item["id"]}"]')
        if not box.count():
            continue
        if item['type'] == 'likert':
            box.locator('input[data-answer][value="4"]').check()
            continue
        box.get_by_label(option_text(item, item['id'] in right_items), exact=True).check()
        if confidence:
            box.get_by_label('Cukup yakin', exact=True).check()


def take(page, live_server, selector, student, right_items, confidence=False, keyboard=False):
    assert page.goto(scenario_url(live_server, SCENARIO_ID, student=student)).ok
    block = page.locator(selector)
    start = block.get_by_role('button', name='Mulai tes')
    if keyboard:
        tab_to(page, start)
        page.keyboard.press('Enter')
    else:
        start.click()
    expect(block.locator('[data-as-progress]')).to_contain_text('0 dari')
    secret = page.evaluate(SECRET_JS)
    for item in BANK['items']:
        for option in item.get('options', ()):
            if option.get('feedback'):
                assert option['feedback']['id'] not in secret
        if item.get('explanation'):
            assert item['explanation']['id'] not in secret
    answer_all(block, right_items, confidence)
    expect(block.locator('[data-as-saved]')).to_have_text('Jawaban Anda tersimpan.')
    assert_no_axe_violations(page, '.asn-assessment')
    block.get_by_role('button', name='Kirim jawaban').click()
    expect(block.locator('[data-as-score]')).to_be_visible()
    return block


def test_two_learners_then_staff_read_the_gains(page, live_server):
    for student, (before, after) in PLAN.items():
        pre = take(page, live_server, PRE, student, before, keyboard=student == 'ani')
        expect(pre.locator('[data-as-score]')).to_have_text(
            f'Skor percobaan 1: {len(before) * 10}%')
        expect(page.locator('.asn-assessment [data-asn-live]').first).to_have_text('Jawaban Anda telah dikirim.')
        post = take(page, live_server, POST, student, after, confidence=True)
        expect(post.locator('[data-as-score]')).to_have_text(f'Skor percobaan 1: {len(after) * 10}%')
        expect(post.get_by_text(f'Skor tes awal Anda: {len(before) * 10}%')).to_be_visible()
        expect(post.get_by_role('table', name='Skor Anda per kompetensi')).to_be_visible()
        expect(post.get_by_role('heading', name='Jawaban dan pembahasan')).to_be_visible()
        assert_no_axe_violations(page, '.asn-assessment')

    assert page.goto(scenario_url(live_server, SCENARIO_ID, student=STAFF)).ok
    panel = page.locator(POST).locator('.asn-as-staff')
    panel.get_by_role('button', name='Tampilkan laporan').click()
    gain = panel.get_by_role('table', name=re.compile(r'^Peningkatan hasil belajar 2 peserta'))
    expect(gain).to_be_visible()

    def value(label):
        return gain.get_by_role('row', name=label).locator('td')

    expect(value('Peserta berpasangan (mengikuti kedua tes)')).to_have_text('2')
    expect(value('Skor rata-rata tes awal (%)')).to_have_text('50 (n = 2)')
    expect(value('Skor rata-rata tes akhir (%)')).to_have_text('90 (n = 2)')
    expect(value('Rata-rata peningkatan mentah (poin)')).to_have_text('40 (n = 2)')
    expect(value('Gain ternormalisasi kelas ⟨g⟩ (Hake)')).to_have_text('0,8 (n = 2) — tinggi')
    expect(value('Rata-rata gain ternormalisasi individu')).to_have_text('0,75 (n = 2)')
    items = panel.get_by_role('table', name='Tes awal: butir soal')
    expect(items.get_by_role('row')).to_have_count(1 + len(GRADED))
    expect(items.get_by_role('row', name=GRADED[0])).to_contain_text('1')  # both learners right
    assert_no_axe_violations(page, '.asn-assessment')
    pairs = panel.get_by_role('link', name='Unduh data peserta (CSV)')
    with page.expect_download() as download:
        pairs.click()
    text = open(download.value.path(), encoding='utf-8-sig').read()
    assert text.splitlines()[0].startswith('Nama pengguna,ID pengguna,Tes awal (%),Tes akhir (%)')
    assert len(text.splitlines()) == 3


def test_the_post_test_waits_for_the_pre_test(page, live_server):
    assert page.goto(scenario_url(live_server, SCENARIO_ID, student='citra')).ok
    post = page.locator(POST)
    expect(post.get_by_text('Ikuti tes awal terlebih dahulu: tes akhir ini dibuka setelahnya.')).to_be_visible()
    expect(post.get_by_role('button', name='Mulai tes')).to_have_count(0)


@pytest.mark.parametrize('lang, start', [('en', 'Start the test')])
def test_english_on_request(page, live_server, lang, start):
    assert page.goto(scenario_url(live_server, SCENARIO_ID, student='dewi', lang=lang)).ok
    expect(page.locator(PRE).get_by_role('button', name=start)).to_be_visible()
