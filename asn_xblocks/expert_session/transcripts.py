"""Transcripts: validate an author's WebVTT or SRT upload and turn it into plain cues.

Why our own small parser rather than `webvtt-py` (0.6.0, checked): it silently drops cues it
cannot read, accepts cues that end before they start, keeps entities such as `&amp;` in the
text and reports errors without line numbers. An author uploading a file needs the opposite: every
problem refused with the line to fix. The subset we read is what captioning tools write:
the WebVTT header, NOTE/STYLE/REGION blocks (skipped), cue identifiers, `start --> end
[settings]` (settings dropped), cue text with tags; SRT numbered blocks with `,` milliseconds.

Cue text is stored as *plain* text: tags are removed, entities decoded, and the first voice span
(`<v Speaker>`) becomes the cue's `speaker`. Escaping happens where text is shown (Django
templates) and in `to_vtt`, the only writer, so stored text can never carry markup to a page.
"""
import codecs
import html
import re
from dataclasses import dataclass

from asn_xblocks.core.errors import TranslatableError
from asn_xblocks.core.i18n import N_

MAX_BYTES = 1024 * 1024
MAX_CUES = 10_000
MAX_CUE_CHARS = 2_000
MAX_MS = 100 * 3600 * 1000 - 1  # 99:59:59.999: the longest time both formats write in two hour digits

MESSAGES = {
    'too_large': N_('the file is larger than {max_kib} KiB'),
    'not_utf8': N_('the file is not UTF-8 text; save it as UTF-8 and upload it again'),
    'control_character': N_('the text holds a control character (U+{codepoint})'),
    'not_a_transcript': N_('this is neither a WebVTT nor an SRT file (no WEBVTT header and no time ranges)'),
    'bad_header': N_('a WebVTT file must start with the line "WEBVTT"'),
    'expected_timing': N_('expected a time range such as "{example}", found "{text}"'),
    'bad_timestamp': N_('"{value}" is not a valid time; write it as {pattern}'),
    'time_too_large': N_('"{value}" is later than 99:59:59.999'),
    'end_not_after_start': N_('the cue must end after it starts ({start} --> {end})'),
    'missing_blank_line': N_('a time range inside cue text; separate cues with an empty line'),
    'cue_too_long': N_('the cue text is longer than {max_chars} characters'),
    'too_many_cues': N_('the transcript has more than {max_cues} cues'),
    'no_cues': N_('the transcript has no cues with text'),
    # Notices: the file was accepted, but the author should know what changed.
    'sorted': N_('the cues were not in time order; they have been sorted'),
    'empty_cue_dropped': N_('a cue without text was left out'),
}
_FORMATS = {
    'vtt': {'pattern': 'hh:mm:ss.mmm', 'example': '00:01:02.500 --> 00:01:05.000'},
    'srt': {'pattern': 'hh:mm:ss,mmm', 'example': '00:01:02,500 --> 00:01:05,000'},
}

# Only CR, LF and CRLF end a line: str.splitlines() would also split on form feeds, U+2028…
# and give the author wrong line numbers.
_NEWLINE = re.compile(r'\r\n|\r|\n')
# C0 and C1 controls except TAB: never meaningful in a caption, often a sign of a binary upload;
# lone surrogates (possible in a str upload) could not be written back as UTF-8.
_CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]')  # and lone surrogates
_VTT_TIME = re.compile(r'(?:([0-9]{2,}):)?([0-5][0-9]):([0-5][0-9])\.([0-9]{3})')
_SRT_TIME = re.compile(r'([0-9]{1,3}):([0-5][0-9]):([0-5][0-9])[,.]([0-9]{3})')
_VOICE = re.compile(r'<v(?:\.[^\s<>]*)?[ \t]+([^<>\n]*)>')
# A tag starts with a letter or a digit (inline timestamps); "a < b" stays text.
_TAG = re.compile(r'</?(?:[A-Za-z][^<>\n]*|[0-9][0-9:.]*)>')
_ASS_OVERRIDE = re.compile(r'\{\\[^{}\n]*\}')  # {\an8} and friends in SRT files from subtitle editors
_SKIPPED_VTT_BLOCKS = re.compile(r'(?:NOTE|STYLE|REGION)(?:[ \t]|\Z)')


class TranscriptError(TranslatableError):
    """A refused upload; `line` is 1-based in the uploaded file (None for whole-file problems)."""

    messages = MESSAGES

class TranscriptNotice(TranscriptError):
    """Something the parser repaired (same shape as an error, but returned, never raised)."""


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str  # plain text, lines joined with "\n"; escape it where it is shown
    speaker: str = ''

    def to_dict(self):
        return {'start_ms': self.start_ms, 'end_ms': self.end_ms, 'text': self.text, 'speaker': self.speaker}


@dataclass(frozen=True)
class Transcript:
    cues: tuple
    format: str  # the uploaded format: 'vtt' or 'srt'
    notices: tuple = ()


def parse_transcript(data, *, filename='', fmt=None):
    """Read an upload (bytes or str) into a Transcript; raise TranscriptError on the first problem.

    `fmt` forces 'vtt' or 'srt'; otherwise the WEBVTT header (or a .vtt name) decides.
    """
    if fmt not in (None, 'vtt', 'srt'):
        raise ValueError(f'unknown transcript format {fmt!r}')
    lines = _NEWLINE.split(_decode(data))
    _refuse_controls(lines)
    fmt = fmt or _detect(lines, filename)
    notices = []
    cues = (_parse_vtt if fmt == 'vtt' else _parse_srt)(lines, notices)
    if not cues:
        raise TranscriptError('no_cues')
    if len(cues) > MAX_CUES:
        raise TranscriptError('too_many_cues', {'max_cues': MAX_CUES})
    out_of_order = next((line for (prev, _), (cue, line) in zip(cues, cues[1:]) if cue.start_ms < prev.start_ms), None)
    if out_of_order is not None:
        notices.append(TranscriptNotice('sorted', line=out_of_order))
        cues = sorted(cues, key=lambda pair: (pair[0].start_ms, pair[0].end_ms))  # stable: ties keep file order
    return Transcript(tuple(cue for cue, _ in cues), fmt, tuple(notices))


def _decode(data):
    if isinstance(data, str):
        if len(data.encode('utf-8', 'surrogatepass')) > MAX_BYTES:
            raise TranscriptError('too_large', {'max_kib': MAX_BYTES // 1024})
        return data.removeprefix('\ufeff')
    if len(data) > MAX_BYTES:
        raise TranscriptError('too_large', {'max_kib': MAX_BYTES // 1024})
    data = bytes(data).removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as error:
        raise TranscriptError('not_utf8', line=data[:error.start].count(b'\n') + 1) from error


def _refuse_controls(lines):
    for number, line in enumerate(lines, 1):
        found = _CONTROL.search(line)
        if found:
            raise TranscriptError('control_character', {'codepoint': f'{ord(found.group()):04X}'}, number)


def _detect(lines, filename):
    if lines[0].startswith('WEBVTT') or filename.lower().endswith('.vtt'):  # "WEBVTTX" → a clear header error
        return 'vtt'
    if any('-->' in line for line in lines):
        return 'srt'
    raise TranscriptError('not_a_transcript')


def _is_vtt_header(line):
    return line == 'WEBVTT' or line.startswith(('WEBVTT ', 'WEBVTT\t'))


def _blocks(lines, first):
    """(line number, lines) for each run of non-blank lines; whitespace-only lines separate too."""
    block, start = [], None
    for number, line in enumerate(lines[first:], first + 1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _parse_vtt(lines, notices):
    if not _is_vtt_header(lines[0]):
        raise TranscriptError('bad_header', line=1)
    cues = []
    for number, block in _blocks(lines, 1):
        if number == 2 and '-->' not in ''.join(block):
            continue  # header metadata written straight under WEBVTT ("Kind: captions")
        if _SKIPPED_VTT_BLOCKS.match(block[0]):
            continue
        timing = 1 if '-->' not in block[0] and len(block) > 1 else 0  # an identifier line first
        _add_cue(cues, notices, block, number, timing, 'vtt')
    return cues


def _parse_srt(lines, notices):
    cues = []
    for number, block in _blocks(lines, 0):
        timing = 1 if block[0].strip().isascii() and block[0].strip().isdigit() else 0  # the cue number
        _add_cue(cues, notices, block, number, timing, 'srt')
    return cues


def _add_cue(cues, notices, block, number, timing, fmt):
    if timing >= len(block) or '-->' not in block[timing]:
        where = min(timing, len(block) - 1)
        raise TranscriptError('expected_timing', {'example': _FORMATS[fmt]['example'], 'text': _short(block[where])},
                              number + where)
    line = number + timing
    start_text, _, rest = block[timing].partition('-->')
    end_text = (rest.split() or [''])[0]
    start, end = _time(start_text.strip(), fmt, line), _time(end_text, fmt, line)
    if end <= start:
        raise TranscriptError('end_not_after_start', {'start': start_text.strip(), 'end': end_text}, line)
    for offset, text_line in enumerate(block[timing + 1:], 1):
        if '-->' in text_line:
            raise TranscriptError('missing_blank_line', line=line + offset)
    speaker, text = _plain(block[timing + 1:], fmt)
    if not text:
        notices.append(TranscriptNotice('empty_cue_dropped', line=line))
        return
    if len(text) + len(speaker) > MAX_CUE_CHARS:
        raise TranscriptError('cue_too_long', {'max_chars': MAX_CUE_CHARS}, line)
    cues.append((Cue(start, end, text, speaker), line))


def _time(text, fmt, line):
    found = (_VTT_TIME if fmt == 'vtt' else _SRT_TIME).fullmatch(text)
    if not found:
        raise TranscriptError('bad_timestamp', {'value': _short(text), 'pattern': _FORMATS[fmt]['pattern']}, line)
    hours, minutes, seconds, millis = (int(part or 0) for part in found.groups())
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    if total > MAX_MS:
        raise TranscriptError('time_too_large', {'value': _short(text)}, line)
    return total


def _plain(lines, fmt):
    """(speaker, plain text) of cue text lines: tags removed, VTT entities decoded."""
    raw = '\n'.join(lines)
    voice = _VOICE.search(raw)
    speaker = voice.group(1) if voice else ''
    text = _TAG.sub('', raw)
    if fmt == 'srt':
        text = _ASS_OVERRIDE.sub('', text)
    else:  # entities are part of WebVTT; an SRT "&amp;" is what the author typed
        text, speaker = html.unescape(text), html.unescape(speaker)
    text = _CONTROL.sub('', text.replace('\r', ''))  # "&#7;" must not smuggle a control back in
    speaker = ' '.join(_CONTROL.sub('', speaker).split())
    return speaker, '\n'.join(line.strip() for line in text.split('\n') if line.strip())


def _short(text, limit=60):
    return text if len(text) <= limit else text[:limit - 1] + '…'


# --- writing ------------------------------------------------------------------------------
def to_vtt(cues):
    """A canonical WebVTT file for `cues` (what the <track> element and downloads serve)."""
    out = ['WEBVTT', '']
    for cue in cues:
        lines = [_escape(line.strip()) for line in cue.text.split('\n') if line.strip()]
        if cue.speaker:
            lines[0] = f'<v {_escape(cue.speaker)}>{lines[0]}'
        out += [f'{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}', *lines, '']
    return '\n'.join(out)


def format_time(ms, separator='.'):
    """hh:mm:ss.mmm (WebVTT); separator=',' gives the SRT form."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f'{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}'


def _escape(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def plain_text(cues):
    """The transcript as reading text (transcript-only mode, downloads): a speaker's name is
    written once when the speaker changes."""
    out, speaker = [], None
    for cue in cues:
        if cue.speaker and cue.speaker != speaker:
            out.append(f'{cue.speaker}:')
        speaker = cue.speaker or speaker
        out.append(cue.text)
    return '\n'.join(out)
