"""Coded errors: English until translated, translated with the reader's gettext, lines named."""
import pytest

from asn_xblocks.core.errors import LINE, TranslatableError
from asn_xblocks.core.i18n import bundled_catalog


class UploadError(TranslatableError):
    messages = {'too_big': 'the file is larger than {max_kib} KiB'}


def test_the_message_is_the_template_filled_in():
    error = UploadError('too_big', {'max_kib': 1024})
    assert str(error) == error.message == 'the file is larger than 1024 KiB'
    assert (error.code, error.params, error.line) == ('too_big', {'max_kib': 1024}, None)


def test_translation_happens_before_the_values_are_filled_in():
    error = UploadError('too_big', {'max_kib': 1}, line=7)
    catalog = {'the file is larger than {max_kib} KiB': 'berkas lebih besar dari {max_kib} KiB',
               LINE: 'Baris {line}: {problem}'}
    assert error.translated(lambda text: catalog.get(text, text)) == 'Baris 7: berkas lebih besar dari 1 KiB'


def test_the_line_prefix_has_an_indonesian_translation():
    assert bundled_catalog('id').gettext(LINE) != LINE


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadError('teapot')
