"""The item bank as a spreadsheet: one row per item, for bulk authoring.

Columns (the header row names them; order is free, unknown columns are refused):

    id, type, competencies, difficulty, points, scoring, reverse,
    stem_id, stem_en, option_1_id, option_1_en, … option_8_id, option_8_en, correct,
    explanation_id, explanation_en, scale_min, scale_max, scale_labels_id, scale_labels_en

`competencies` are codes separated by spaces; options are numbered 1–8 and get the ids 1–8;
`correct` lists the numbers of the correct options (`2` or `1 3`); a Likert item's scale
labels are separated by `|`. Cells that a spreadsheet would run as a formula are written
with a leading apostrophe (core/csv_export.py) and read back without it. Per-option feedback and the bank's title stay in the JSON and
OLX forms: importing a CSV replaces the items and keeps the bank's title and instructions.
Reading goes through the model's own readers, so a CSV bank obeys every rule a JSON bank does.
"""
from __future__ import annotations

import csv
import io
from itertools import zip_longest

from ..core.csv_export import FORMULA_TRIGGERS, safe_cell
from ..core.i18n import N_
from .model import LIKERT, MAX_OPTIONS, Bank, BankFormatError, Item

OPTION_COLUMNS = tuple(f'option_{n}_{lang}' for n in range(1, MAX_OPTIONS + 1) for lang in ('id', 'en'))
COLUMNS = ('id', 'type', 'competencies', 'difficulty', 'points', 'scoring', 'reverse', 'stem_id', 'stem_en',
           *OPTION_COLUMNS, 'correct', 'explanation_id', 'explanation_en',
           'scale_min', 'scale_max', 'scale_labels_id', 'scale_labels_en')
MAX_ROWS = 2000

MESSAGES = {
    'empty': N_('The CSV file has no header row.'),
    'unknown_column': N_('The CSV column "{column}" is not part of the bank format.'),
    'missing_column': N_('The CSV file needs a "{column}" column.'),
    'too_many_rows': N_('The CSV file has more than {maximum} items.'),
    'bad_row': N_('Row {row}: {problem}'),
}


class BankCsvError(ValueError):
    """A CSV that cannot become items; `code` and `params` make the author's message."""

    def __init__(self, code, **params):
        self.code, self.params = code, params
        super().__init__(MESSAGES[code].format(**params))


def unprotected(text: str) -> str:
    """A cell as the author wrote it: the apostrophe our exports put before a formula goes again."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def _texts(row, name):
    texts = {lang: row.get(f'{name}_{lang}', '').strip() for lang in ('id', 'en')}
    return {lang: text for lang, text in texts.items() if text} or None


def _number(text):
    text = text.strip()
    if not text:
        return None
    value = float(text.replace(',', '.'))
    return int(value) if value.is_integer() else value


def _item(row: dict) -> dict:
    data = {'id': row['id'].strip(), 'type': row['type'].strip(), 'stem': _texts(row, 'stem') or {},
            'competencies': row.get('competencies', '').split()}
    for name in ('difficulty', 'scoring'):
        if row.get(name, '').strip():
            data[name] = row[name].strip()
    if row.get('points', '').strip():
        data['points'] = _number(row['points'])
    if row.get('reverse', '').strip():
        data['reverse'] = row['reverse'].strip().lower() in ('1', 'true', 'ya', 'yes')
    if data['type'] == LIKERT:
        ids, ens = ([text.strip() for text in row.get(f'scale_labels_{lang}', '').split('|')] for lang in ('id', 'en'))
        data['scale'] = {'min': _number(row.get('scale_min', '')), 'max': _number(row.get('scale_max', '')),
                         'labels': [{'id': label, **({'en': english} if english else {})}
                                    for label, english in zip_longest(ids, ens, fillvalue='') if label or english]}
    else:
        correct = set(row.get('correct', '').replace(',', ' ').split())
        data['options'] = [{'id': str(n), 'text': _texts(row, f'option_{n}'), 'correct': str(n) in correct}
                           for n in range(1, MAX_OPTIONS + 1) if _texts(row, f'option_{n}')]
    explanation = _texts(row, 'explanation')
    if explanation:
        data['explanation'] = explanation
    return Item.from_dict(data).to_dict()


def read_items(text: str) -> list[dict]:
    """The items of a CSV bank (canonical item dicts); BankCsvError names the row at fault."""
    reader = csv.DictReader(io.StringIO(text.lstrip('\ufeff')))
    if not reader.fieldnames:
        raise BankCsvError('empty')
    for column in reader.fieldnames:
        if column not in COLUMNS:
            raise BankCsvError('unknown_column', column=column)
    for column in ('id', 'type', 'stem_id'):
        if column not in reader.fieldnames:
            raise BankCsvError('missing_column', column=column)
    items = []
    for number, row in enumerate(reader, start=2):
        if len(items) == MAX_ROWS:
            raise BankCsvError('too_many_rows', maximum=MAX_ROWS)
        if not any((value or '').strip() for value in row.values() if isinstance(value, str)):
            continue
        try:
            items.append(_item({key: unprotected(value or '') for key, value in row.items() if key is not None}))
        except (BankFormatError, ValueError, TypeError) as error:
            raise BankCsvError('bad_row', row=number, problem=str(error)) from error
    return items


def replace_items(bank: dict, text: str) -> dict:
    """`bank` with its items replaced by those of the CSV `text` (title and instructions kept)."""
    return Bank.from_dict({**bank, 'items': read_items(text)}).to_dict()


def write_csv(bank: dict) -> str:
    """The bank's items as CSV text (options renumbered 1–8; per-option feedback is not written)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator='\r\n')
    writer.writeheader()
    for item in Bank.from_dict(bank).to_dict()['items']:
        row = {'id': item['id'], 'type': item['type'], 'competencies': ' '.join(item['competencies']),
               'difficulty': item.get('difficulty', ''), 'points': item.get('points', ''),
               'scoring': item.get('scoring', ''), 'reverse': item.get('reverse', '')}
        for lang in ('id', 'en'):
            row[f'stem_{lang}'] = item['stem'].get(lang, '')
            row[f'explanation_{lang}'] = item.get('explanation', {}).get(lang, '')
        for n, option in enumerate(item.get('options', ()), start=1):
            for lang in ('id', 'en'):
                row[f'option_{n}_{lang}'] = option['text'].get(lang, '')
        row['correct'] = ' '.join(str(n) for n, option in enumerate(item.get('options', ()), start=1)
                                  if option['correct'])
        if 'scale' in item:
            row.update(scale_min=item['scale']['min'], scale_max=item['scale']['max'],
                       scale_labels_id='|'.join(label.get('id', '') for label in item['scale']['labels']),
                       scale_labels_en='|'.join(label.get('en', '') for label in item['scale']['labels']))
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return buffer.getvalue()
