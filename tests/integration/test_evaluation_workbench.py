"""The training evaluation block in the workbench, through real handler URLs with CSRF enforced:
a small course (before survey, pre-test, case study, expert session, post-test, reaction survey)
played by several learners, the dashboard's numbers against hand-computed ones, anonymity and
suppression, bad input refused with nothing stored, staff-only exports."""
import csv
import io
import re

import pytest

from asn_xblocks.core.ledger.models import SurveyResponse

COURSE = 'asn_evaluation.0'
FOLLOW_UP = 'asn_evaluation.1'
RIGHT = {'q1': 'no wrong door policy', 'q2': 'Menolak dan menjelaskan prosedur resmi'}
REFLECTION = 'Saya akan menindaklanjuti setiap aduan dalam tiga hari kerja.'


class CoursePlayer:
    """Plays the small course page for one learner through the blocks' own handlers."""

    def __init__(self, workbench, student):
        self.wb, self.student = workbench, student
        html = workbench.open(COURSE, student=student)
        self.ids = {kind: workbench.usage_ids(html, kind) for kind in
                    ('asn_evaluation', 'asn_assessment', 'asn_case_study', 'asn_expert_session')}

    def call(self, usage, handler, data):
        status, body = self.wb.call(usage, handler, data, student=self.student)
        assert status == 200, body
        return body

    def test(self, index, right):
        """Answer the pre-test (0) or post-test (1): items in `right` correctly, others wrongly."""
        usage = self.ids['asn_assessment'][index]
        form = self.call(usage, 'start', {})['form']
        answers = {}
        for item in form['items']:
            wanted = [o['id'] for o in item['options'] if (o['text'] == RIGHT[item['item_id']]) == (item['item_id'] in right)]
            answers[item['item_id']] = wanted[:1]
        body = self.call(usage, 'submit', {'attempt': 1, 'answers': answers, 'confidence': {}})
        return body['result']['percent']

    def case_study(self, good):
        usage = self.ids['asn_case_study'][0]
        view = self.call(usage, 'begin', {})['view']
        label = 'Mendengarkan' if good else 'Melayaninya'
        choice = next(c['id'] for c in view['choices'] if c['label'].startswith(label))
        return self.call(usage, 'choose', {'step': 0, 'choice': choice})

    def expert_session(self):
        return self.call(self.ids['asn_expert_session'][0], 'reflect', {'text': REFLECTION})

    def survey(self, index, answers, comment=''):
        return self.wb.call(self.ids['asn_evaluation'][index], 'submit', {'answers': answers, 'comment': comment},
                            student=self.student)


def reaction(rating, ready, sure, comment=''):
    return {'materi': rating, 'fasilitator': rating, 'method-classroom': rating, 'method-case_study': rating,
            'method-expert_session': rating, 'siap': ready, 'yakin': sure}, comment


def play(workbench, student, *, pre, post, good_case, reflect, before, after, comment=''):
    learner = CoursePlayer(workbench, student)
    assert learner.survey(0, {'siap': before[0], 'yakin': before[1]})[0] == 200
    learner.test(0, pre)
    learner.case_study(good_case)
    if reflect:
        learner.expert_session()
    learner.test(1, post)
    answers, note = reaction(after[2], after[0], after[1], comment)
    status, body = learner.survey(1, answers, note)
    assert status == 200, body
    return learner


#: Five learners: pre-test items right, post-test items right, case-study choice, reflection,
#: before (ready, sure) and after (ready, sure, rating).
COHORT = [
    ('u1', set(), {'q1', 'q2'}, True, True, (2, 2), (4, 4, 5), 'Sangat bermanfaat'),
    ('u2', {'q1'}, {'q1', 'q2'}, True, True, (3, 2), (4, 3, 4), '=HYPERLINK("http://x")'),
    ('u3', set(), {'q1'}, False, True, (2, 3), (3, 3, 4), ''),
    ('u4', {'q1'}, {'q1'}, True, False, (3, 3), (4, 4, 3), '<b>tebal</b>'),
    ('u5', set(), set(), False, False, (1, 2), (2, 2, 2), ''),
]


def play_cohort(workbench, cohort=COHORT):
    for student, pre, post, good, reflect, before, after, comment in cohort:
        play(workbench, student, pre=pre, post=post, good_case=good, reflect=reflect, before=before, after=after,
             comment=comment)


def table(html, name):
    """{row header: [cells]} of the dashboard table `data-ev-table=name`."""
    found = re.search(rf'data-ev-table="{name}">(.*?)</table>', html, re.S)
    assert found, f'no table {name}'
    rows = {}
    for row in re.findall(r'<tr>(.*?)</tr>', found.group(1), re.S):
        cells = [re.sub(r'<[^>]+>', '', cell).strip() for cell in re.findall(r'<t[hd][^>]*>(.*?)</t[hd]>', row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(autouse=True)
def fresh_dashboard_cache():
    """Ledger ids restart in each test's database: a snapshot from another test must not match."""
    from django.core.cache import cache
    cache.clear()


def test_the_dashboard_shows_hand_computed_numbers_for_a_small_course(workbench):
    play_cohort(workbench)
    html = workbench.open(COURSE, student='staff_1')
    funnel = table(html, 'funnel')
    assert funnel['Tes awal'] == ['5', '5'] and funnel['Tes akhir'] == ['5', '5']
    assert funnel['Simulasi studi kasus'] == ['5', '5']
    assert funnel['Sesi narasumber'] == ['3', '3']  # reflection required: three completed
    assert funnel['Sebelum pelatihan'] == ['5', '5'] and funnel['Reaksi (akhir pelatihan)'] == ['5', '5']
    # Pre: 0, 50, 0, 50, 0 → mean 20; post: 100, 100, 50, 50, 0 → mean 60; ⟨g⟩ = 40/80 = 0,50
    gains = table(html, 'gain-0')
    assert gains['Keseluruhan'] == ['5', '20,0', '60,0', '0,50']
    # M.05 (q1): pre 0,100,0,100,0 → 40; post 100,100,100,100,0 → 80; ⟨g⟩ = 40/60 = 0,67
    assert gains['M.05 Pelayanan Publik'] == ['5', '40,0', '80,0', '0,67']
    # Case study: u1, u2, u4 chose well (100 %), u3, u5 not (0 %): mean 60 %
    assert table(html, 'case-study')['M.05 Pelayanan Publik'] == ['5', '60,0']
    # Reaction ratings: 5, 4, 4, 3, 2 → 3,60 for every satisfaction statement
    survey = table(html, 'survey-reaction')
    assert survey['Materi pelatihan relevan dengan pekerjaan saya.'][:2] == ['5', '3,60']
    assert survey['Materi pelatihan relevan dengan pekerjaan saya.'][2] == '0/1/1/2/1'
    # Readiness 2,3,2,3,1 (2,20) → 4,4,3,4,2 (3,40): change 1,20 over the same five respondents
    confidence = table(html, 'confidence')
    assert confidence['Kesiapan: Saya siap menerapkan standar pelayanan dalam menangani pengaduan warga.'] == [
        '5', '2,20', '3,40', '1,20']
    # Methods: every learner finished the case study (g 1, 1, 0,5, 0, 0 → 0,50); the expert session
    # was completed by u1, u2, u3 (g 1, 1, 0,5 → 0,83) and not by u4, u5 (0, 0 → 0,00)
    methods = table(html, 'methods')
    assert methods['Simulasi studi kasus'][:2] == ['0,50 (5)', '— (0)']
    expert = methods['Sesi narasumber']
    assert expert[:2] == ['0,83 (3)', '0,00 (2)']
    assert 'disembunyikan' in expert[2] and 'disembunyikan' in expert[3]  # 3 and 2 respondents: suppressed
    assert expert[4] == '3,60 (5)'  # everyone rated the method: 5, 4, 4, 3, 2
    # Comments: escaped, sorted, shown at five respondents
    assert '&lt;b&gt;tebal&lt;/b&gt;' in html and '<b>tebal</b>' not in html


def test_a_new_survey_answer_replaces_the_cached_dashboard(workbench):
    play_cohort(workbench, COHORT[:4])
    assert table(workbench.open(COURSE, student='staff_1'), 'survey-reaction')[
        'Materi pelatihan relevan dengan pekerjaan saya.'][0] == '4'
    play_cohort(workbench, COHORT[4:])
    assert table(workbench.open(COURSE, student='staff_1'), 'survey-reaction')[
        'Materi pelatihan relevan dengan pekerjaan saya.'][:2] == ['5', '3,60']


def test_survey_figures_of_fewer_than_five_respondents_are_hidden(workbench):
    play_cohort(workbench, COHORT[:4])
    html = workbench.open(COURSE, student='staff_1')
    row = table(html, 'survey-reaction')['Materi pelatihan relevan dengan pekerjaan saya.']
    assert row[0] == '4' and 'disembunyikan' in row[1] and 'disembunyikan' in row[2]
    assert 'Sangat bermanfaat' not in html and 'data-ev-comments' not in html
    assert table(html, 'gain-0')['Keseluruhan'][0] == '4'  # test scores are not anonymous: shown


def test_responses_are_stored_under_a_keyed_hash_and_only_once(workbench):
    learner = play(workbench, 'u1', pre=set(), post={'q1'}, good_case=True, reflect=False, before=(2, 2),
                   after=(4, 4, 5))
    rows = list(SurveyResponse.objects.values_list('respondent', 'kind', 'answers'))
    assert len(rows) == 2 and rows[0][0] == rows[1][0]  # linkable: the same key in both surveys
    assert all(re.fullmatch(r'[0-9a-f]{64}', respondent) and 'u1' not in str(answers)
               for respondent, _kind, answers in rows)
    answers, _note = reaction(5, 5, 5)
    status, body = learner.survey(1, answers)
    assert status == 400 and body['error'] == 'Anda sudah mengisi survei ini. Terima kasih!'
    assert SurveyResponse.objects.count() == 2
    page = workbench.open(COURSE, student='u1')
    assert page.count('data-ev-form') == 0


FULL = reaction(4, 4, 4)[0]


@pytest.mark.parametrize('answers, message', [
    ({**FULL, 'materi': 6}, 'Jawaban untuk "materi" harus dari 1 sampai 5.'),
    ({**FULL, 'tidak-ada': 3}, 'Pertanyaan "tidak-ada" tidak ada dalam survei ini.'),
    ({'materi': 4}, 'Mohon jawab setiap pernyataan sebelum mengirim survei.'),
    ({**FULL, 'materi': 2.5}, 'Jawaban untuk "materi" harus berupa angka.'),
])
def test_bad_answers_get_a_translated_400_and_nothing_is_stored(workbench, answers, message):
    status, body = CoursePlayer(workbench, 'u9').survey(1, answers)
    assert status == 400 and body['error'] == message
    assert SurveyResponse.objects.count() == 0


def test_the_follow_up_opens_days_after_the_end_date_and_refuses_before(workbench, monkeypatch):
    from asn_xblocks.evaluation import learner as learner_module
    from datetime import datetime, timezone
    html = workbench.open(FOLLOW_UP, student='u1')
    usage = workbench.usage_ids(html, 'asn_evaluation')[0]
    assert 'data-ev-form' in html  # end 2026-01-05 + 30 days: open today
    monkeypatch.setattr(learner_module, 'now', lambda: datetime(2026, 2, 3, 23, 0, tzinfo=timezone.utc))
    status, body = workbench.call(usage, 'submit', {'answers': {'terapkan': 4, 'lebih-cepat': 4}, 'comment': ''},
                                  student='u1')
    assert status == 400 and body['error'] == 'Survei ini belum dibuka.'
    assert 'Survei ini dibuka pada 2026-02-04.' in workbench.open(FOLLOW_UP, student='u1')
    monkeypatch.setattr(learner_module, 'now', lambda: datetime(2026, 2, 4, tzinfo=timezone.utc))
    status, body = workbench.call(usage, 'submit', {'answers': {'terapkan': 4, 'lebih-cepat': 5, 'hari-selesai': 61},
                                                    'comment': ''}, student='u1')
    assert status == 400 and body['error'] == 'Jawaban untuk "hari-selesai" harus dari 0 sampai 60.'
    status, _body = workbench.call(usage, 'submit', {'answers': {'terapkan': 4, 'lebih-cepat': 5, 'hari-selesai': 3},
                                                     'comment': 'Lebih cepat'}, student='u1')
    assert status == 200
    assert SurveyResponse.objects.get().answers == {'terapkan': 4, 'lebih-cepat': 5, 'hari-selesai': 3}


def test_exports_are_staff_only_formula_safe_and_have_the_expected_columns(workbench):
    play_cohort(workbench)
    usage = CoursePlayer(workbench, 'staff_1').ids['asn_evaluation'][1]
    assert workbench.get(usage, 'export_csv/outcomes', student='u1').status_code == 403
    assert workbench.get(usage, 'report_page', student='u1').status_code == 403
    outcomes = list(csv.reader(io.StringIO(workbench.get(usage, 'export_csv/outcomes', student='staff_1')
                                           .content.decode('utf-8-sig'))))
    assert outcomes[0] == ['Nama pengguna', 'ID pengguna', 'Mulai pertama (UTC)', 'kursus-demo tes awal (%)',
                           'kursus-demo tes akhir (%)', 'kursus-demo gain ternormalisasi g',
                           'Skor studi kasus terbaik (%)', 'Sesi narasumber yang diselesaikan']
    by_user = {row[1]: row for row in outcomes[1:]}
    assert by_user['u2'][3:] == ['50.0', '100.0', '1.0', '100.0', '1']
    hours = list(csv.reader(io.StringIO(workbench.get(usage, 'export_csv/hours', student='staff_1')
                                        .content.decode('utf-8-sig'))))
    assert hours[0] == ['Nama pengguna', 'ID pengguna', 'Nama pelatihan', 'Instansi penyelenggara',
                        'Jumlah jam pelajaran (JP)', 'Tanggal mulai', 'Tanggal selesai', 'Nomor sertifikat']
    assert hours[1] == ['u1', 'u1', 'Pelatihan Pelayanan Publik Prima', 'BKPSDM Kota Tangerang Selatan (ilustrasi)',
                        '20.0', '2026-11-02', '2026-11-06', '800/1/BKPSDM/2026']
    assert len(hours) == 6
    page = workbench.get(usage, 'report_page', student='staff_1')
    assert page.status_code == 200 and page.content.startswith(b'<!DOCTYPE html>')
    assert 'Sangat bermanfaat' not in ''.join(','.join(row) for row in outcomes)  # no survey answer in exports
