"""CSV exports that spreadsheet programs open safely.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel and LibreOffice (CSV injection). Text cells like that get a leading apostrophe; real
numbers stay numbers so staff can still compute with them.
"""
import csv
import re
import io
import numbers

from webob import Response

FORMULA_TRIGGERS = ('=', '+', '-', '@', '\t', '\r')


def safe_cell(value):
    """The value as it should appear in a CSV cell."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, numbers.Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_text(header, rows):
    """The whole CSV document (UTF-8 with BOM so Excel reads Indonesian text right)."""
    buffer = io.StringIO()
    buffer.write('\ufeff')
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(filename, header, rows):
    """A download response for a handler."""
    response = Response(csv_text(header, rows).encode('utf-8'), content_type='text/csv', charset='utf-8')
    response.content_disposition = f'attachment; filename="{filename}"'
    response.cache_control.no_store = True
    return response


def iso_time(value):
    """A datetime as ISO 8601 (the ledger stores UTC), '' when missing."""
    return value.isoformat() if hasattr(value, 'isoformat') else (value or '')


def file_slug(text, fallback):
    """`text` reduced to letters, digits, `_` and `-` for a download's file name."""
    return re.sub(r'[^A-Za-z0-9_-]+', '-', str(text)).strip('-') or fallback
