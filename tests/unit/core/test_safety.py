"""Author HTML sanitising and formula-safe CSV exports."""
import csv
import io

from hypothesis import given, strategies as st

from asn_xblocks.core.csv_export import csv_response, csv_text, safe_cell
from asn_xblocks.core.sanitize import sanitize_html


def test_scripts_handlers_and_javascript_urls_are_removed():
    dirty = ('<p onclick="steal()">Halo <script>alert(1)</script>'
             '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)">'
             '<iframe src="https://evil.example"></iframe><style>p{}</style></p>')
    clean = sanitize_html(dirty)
    for needle in ('script', 'onclick', 'javascript:', 'onerror', 'iframe', 'style'):
        assert needle not in clean
    assert 'Halo' in clean


def test_formatting_and_safe_links_survive_with_noopener():
    clean = sanitize_html('<p><strong>Penting</strong> <a href="https://lapor.go.id">LAPOR!</a></p>')
    assert '<strong>Penting</strong>' in clean
    assert 'href="https://lapor.go.id"' in clean
    assert 'rel="noopener noreferrer"' in clean


def test_empty_and_none_give_empty_text():
    assert sanitize_html(None) == ''
    assert sanitize_html('') == ''


@given(st.text())
def test_sanitised_text_never_contains_a_script_tag(text):
    assert '<script' not in sanitize_html(text + '<script>x</script>').lower()


def test_formula_triggers_are_neutralised_but_numbers_stay_numbers():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for trigger in '+-@\t\r':
        assert safe_cell(trigger + 'x').startswith("'")
    assert safe_cell(-3) == -3
    assert safe_cell(2.5) == 2.5
    assert safe_cell(None) == ''
    assert safe_cell(True) == 'true'
    assert safe_cell('Pelayanan Publik') == 'Pelayanan Publik'


@given(st.lists(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)), min_size=1, max_size=4),
                max_size=5))
def test_no_exported_text_cell_starts_a_formula(rows):
    document = csv_text(['a', 'b', 'c', 'd'], rows)
    parsed = list(csv.reader(io.StringIO(document.lstrip('\ufeff'))))
    for row, original in zip(parsed[1:], rows):
        for cell, value in zip(row, original):
            if isinstance(value, str):
                assert not cell.startswith(('=', '+', '-', '@', '\t', '\r'))


def test_csv_response_is_a_download_with_a_bom_for_spreadsheet_programs():
    response = csv_response('laporan.csv', ['nama'], [['Sri']])
    assert response.content_type == 'text/csv'
    assert 'attachment; filename="laporan.csv"' == response.content_disposition
    assert response.body.decode('utf-8').startswith('\ufeffnama\r\nSri')
