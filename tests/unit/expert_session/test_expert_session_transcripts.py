"""Transcript uploads: good WebVTT/SRT files become plain cues; bad ones are refused with the line."""
import pytest
from hypothesis import given, settings, strategies as st

from asn_xblocks.expert_session import transcripts
from asn_xblocks.expert_session.transcripts import Cue, TranscriptError, parse_transcript, plain_text, to_vtt

GOOD_VTT = '''WEBVTT - Sesi pakar
Kind: captions
Language: id

NOTE Disunting oleh tim kurikulum
dua baris catatan

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.500 line:0 position:20%
<v.narator Dr. Sari Wulandari>Selamat pagi, <b>Bapak &amp; Ibu</b>.

00:04.500 --> 00:08.000
<v Budi>Akuntabilitas &lt;publik&gt; itu
<i>wajib</i> <00:00:06.000>bagi ASN.

00:01:00.000 --> 01:00:00.000
Terima kasih &nbsp;semua.
'''

GOOD_SRT = '''1
00:00:01,000 --> 00:00:04,500
{\\an8}<i>Selamat pagi</i>, AT&T tetap AT&T.

2
00:00:04,500 --> 00:00:08,000 X1:10 X2:20 Y1:5 Y2:9
<font color="#ffffff">Baris satu</font>
Baris dua

'''


def refused(text, **kwargs):
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(text, **kwargs)
    return caught.value


# --- good files ------------------------------------------------------------------------------
def test_vtt_cues_are_plain_text_with_the_speaker_as_a_field():
    transcript = parse_transcript(GOOD_VTT.encode('utf-8'))
    assert transcript.format == 'vtt'
    assert transcript.notices == ()
    assert transcript.cues == (
        Cue(1000, 4500, 'Selamat pagi, Bapak & Ibu.', 'Dr. Sari Wulandari'),
        Cue(4500, 8000, 'Akuntabilitas <publik> itu\nwajib bagi ASN.', 'Budi'),
        Cue(60_000, 3_600_000, 'Terima kasih \xa0semua.', ''),
    )


def test_srt_cues_lose_tags_but_keep_literal_ampersands():
    transcript = parse_transcript(GOOD_SRT, filename='sesi.srt')
    assert transcript.format == 'srt'
    assert transcript.cues == (Cue(1000, 4500, 'Selamat pagi, AT&T tetap AT&T.'),
                               Cue(4500, 8000, 'Baris satu\nBaris dua'))


@pytest.mark.parametrize('newline', ['\r\n', '\r', '\n'])
def test_bom_and_every_line_ending_are_accepted(newline):
    data = ('\ufeff' + GOOD_SRT.replace('\n', newline)).encode('utf-8')
    assert parse_transcript(data).cues == parse_transcript(GOOD_SRT).cues


def test_header_metadata_and_a_cue_straight_under_the_header():
    assert parse_transcript('WEBVTT\n00:01.000 --> 00:02.000\nLangsung\n').cues == (Cue(1000, 2000, 'Langsung'),)


def test_cues_out_of_order_are_sorted_with_a_notice():
    text = 'WEBVTT\n\n00:05.000 --> 00:06.000\nKedua\n\n00:01.000 --> 00:02.000\nPertama\n'
    transcript = parse_transcript(text)
    assert [cue.text for cue in transcript.cues] == ['Pertama', 'Kedua']
    assert [(notice.code, notice.line) for notice in transcript.notices] == [('sorted', 6)]
    assert transcript.notices[0].translated() == 'Line 6: the cues were not in time order; they have been sorted'


def test_a_cue_without_text_is_dropped_with_a_notice():
    text = 'WEBVTT\n\n00:01.000 --> 00:02.000\n<b></b>\n\n00:03.000 --> 00:04.000\nAda\n'
    transcript = parse_transcript(text)
    assert transcript.cues == (Cue(3000, 4000, 'Ada'),)
    assert [(notice.code, notice.line) for notice in transcript.notices] == [('empty_cue_dropped', 3)]


def test_entities_cannot_smuggle_control_characters_or_blank_lines():
    cue, = parse_transcript('WEBVTT\n\n00:01.000 --> 00:02.000\na&#7;b&#10;&#10;c&#13;d\n').cues
    assert cue.text == 'ab\ncd'


def test_plain_text_names_each_speaker_once_per_turn():
    cues = (Cue(0, 1, 'Halo.', 'Sari'), Cue(1, 2, 'Apa kabar?', 'Sari'), Cue(2, 3, 'Baik.', 'Budi'),
            Cue(3, 4, 'Lanjut.'))
    assert plain_text(cues) == 'Sari:\nHalo.\nApa kabar?\nBudi:\nBaik.\nLanjut.'


# --- bad files: the message names the line -----------------------------------------------------
@pytest.mark.parametrize('text, code, line', [
    ('WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n', 'bad_header', 1),
    ('WEBVTT\n\n00:01.000 --> 00:00.500\nmundur\n', 'end_not_after_start', 3),
    ('WEBVTT\n\n00:01.000 --> 00:01.000\nsama\n', 'end_not_after_start', 3),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:61.000 --> 00:62.000\nx\n', 'bad_timestamp', 6),
    ('WEBVTT\n\n00:01,000 --> 00:02,000\nkoma\n', 'bad_timestamp', 3),
    ('WEBVTT\n\n00:01.000 --> \nkosong\n', 'bad_timestamp', 3),
    ('WEBVTT\n\n1\njam 1 --> 2\n', 'bad_timestamp', 4),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nsatu\n00:03.000 --> 00:04.000\ndua\n', 'missing_blank_line', 5),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nsatu\n\nteks lepas\n', 'expected_timing', 6),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nsatu\n\nid\nteks\n', 'expected_timing', 7),
    ('WEBVTT\n\n100:00:00.000 --> 100:00:01.000\nlama\n', 'time_too_large', 3),
    ('WEBVTT\n\nNOTE hanya catatan\n', 'no_cues', None),
    ('1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:00:03.000 -> 00:00:04,000\ny\n', 'expected_timing', 6),
    ('1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:00:03,00 --> 00:00:04,000\ny\n', 'bad_timestamp', 6),
    ('1\n00:00:01,000 --> 00:00:02,000\nx\n2\n00:00:03,000 --> 00:00:04,000\ny\n', 'missing_blank_line', 5),
    ('1\n00:00:05,000 --> 00:00:02,000\nx\n', 'end_not_after_start', 2),
    ('1\n00:00:01,000 --> 00:00:02,000\nx\n\n7\n', 'expected_timing', 5),
    ('Sekadar teks biasa\ntanpa waktu\n', 'not_a_transcript', None),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nnol\x00byte\n', 'control_character', 4),
    ('WEBVTT\n\n00:01.000 --> 00:02.000\nform\x0cfeed\n', 'control_character', 4),
])
def test_bad_files_are_refused_at_their_line(text, code, line):
    error = refused(text)
    assert (error.code, error.line) == (code, line)
    assert str(error).startswith(f'Line {line}: ' if line else error.translated()[:1])


def test_messages_are_english_templates_translated_at_display():
    error = refused('WEBVTT\n\n00:01.000 --> 00:00.500\nmundur\n')
    assert str(error) == 'Line 3: the cue must end after it starts (00:01.000 --> 00:00.500)'
    catalog = {'Line {line}: {problem}': 'Baris {line}: {problem}',
               'the cue must end after it starts ({start} --> {end})':
                   'isyarat harus berakhir setelah dimulai ({start} --> {end})'}
    assert error.translated(catalog.get) == 'Baris 3: isyarat harus berakhir setelah dimulai (00:01.000 --> 00:00.500)'
    assert error.template in transcripts.MESSAGES.values()


def test_a_forced_format_is_honoured():
    assert refused(GOOD_SRT, fmt='vtt').code == 'bad_header'
    assert refused(GOOD_VTT, fmt='srt').code == 'expected_timing'
    assert refused(GOOD_SRT, filename='salah.vtt').code == 'bad_header'
    with pytest.raises(ValueError):
        parse_transcript(GOOD_SRT, fmt='dfxp')


def test_size_is_capped_before_anything_is_decoded():
    big = b'WEBVTT\n\n' + b'x' * transcripts.MAX_BYTES
    error = refused(big)
    assert (error.code, error.params) == ('too_large', {'max_kib': 1024})
    assert refused(big.decode()).code == 'too_large'


def test_not_utf8_names_the_line_of_the_first_bad_byte():
    data = 'WEBVTT\n\n00:01.000 --> 00:02.000\nPeraturan Pemerintah\n'.encode() + 'Pasal 5 – huruf é\n'.encode('cp1252')
    error = refused(data)
    assert (error.code, error.line) == ('not_utf8', 5)


def test_cue_count_and_cue_length_are_capped(monkeypatch):
    monkeypatch.setattr(transcripts, 'MAX_CUES', 3)
    cues = ''.join(f'00:0{i}.000 --> 00:0{i}.500\nteks {i}\n\n' for i in range(4))
    assert refused('WEBVTT\n\n' + cues).code == 'too_many_cues'
    long_cue = 'WEBVTT\n\n00:01.000 --> 00:02.000\n' + 'a' * (transcripts.MAX_CUE_CHARS + 1) + '\n'
    assert (refused(long_cue).code, refused(long_cue).line) == ('cue_too_long', 3)


# --- writing WebVTT ----------------------------------------------------------------------------
def test_to_vtt_is_canonical_and_escapes_markup():
    cues = (Cue(1000, 4500, 'A < B & C --> D', 'Sari <Ketua>'), Cue(3_600_000, 3_601_001, 'baris 1\nbaris 2'))
    assert to_vtt(cues) == (
        'WEBVTT\n\n'
        '00:00:01.000 --> 00:00:04.500\n<v Sari &lt;Ketua&gt;>A &lt; B &amp; C --&gt; D\n\n'
        '01:00:00.000 --> 01:00:01.001\nbaris 1\nbaris 2\n')
    assert parse_transcript(to_vtt(cues)).cues == cues


@pytest.mark.parametrize('source', [GOOD_VTT, GOOD_SRT])
def test_uploads_round_trip_through_vtt(source):
    cues = parse_transcript(source).cues
    assert parse_transcript(to_vtt(cues)).cues == cues
    assert to_vtt(parse_transcript(to_vtt(cues)).cues) == to_vtt(cues)


def test_format_time_srt_form():
    assert transcripts.format_time(3_723_004, ',') == '01:02:03,004'


_LINE = st.text(st.characters(blacklist_categories=('Cc', 'Cs')), min_size=1, max_size=30).filter(
    lambda line: line.strip() == line and line)
_CUE = st.builds(
    lambda start, length, lines, speaker: Cue(start, start + length, '\n'.join(lines), speaker),
    st.integers(0, transcripts.MAX_MS - 10_000), st.integers(1, 9_999), st.lists(_LINE, min_size=1, max_size=3),
    st.one_of(st.just(''), _LINE.map(lambda name: ' '.join(name.split())).filter(bool)))


@settings(max_examples=200, deadline=None)
@given(st.lists(_CUE, min_size=1, max_size=8).map(lambda cues: sorted(cues, key=lambda c: (c.start_ms, c.end_ms))))
def test_any_plain_cues_survive_a_round_trip(cues):
    assert list(parse_transcript(to_vtt(cues)).cues) == cues


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_is_parsed_or_refused_never_crashes(text):
    try:
        transcript = parse_transcript('WEBVTT\n\n00:01.000 --> 00:02.000\n' + text)
    except TranscriptError as error:
        assert error.code in transcripts.MESSAGES
    else:
        assert all(cue.end_ms > cue.start_ms for cue in transcript.cues)
        assert parse_transcript(to_vtt(transcript.cues)).cues == transcript.cues


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400),
                 st.lists(st.sampled_from(['WEBVTT', '', '1', '00:01.000 --> 00:02.000',
                                           '00:00:01,000 --> 00:00:02,000', 'NOTE x', '<v A>teks', '&amp;', '-->',
                                           'teks']), max_size=20)
                 .map('\n'.join)))
def test_any_upload_is_parsed_or_refused_never_crashes(data):
    try:
        transcript = parse_transcript(data)
    except TranscriptError as error:
        assert error.code in transcripts.MESSAGES and error.translated()
    else:
        assert transcript.cues and all(cue.end_ms > cue.start_ms and cue.text for cue in transcript.cues)
