"""Small item-bank builders shared by the assessment tests (this module holds no tests)."""
import json
from importlib.resources import files

SECRET = 'rahasia-blok-uji-0123456789abcdef'


def text(indonesian, english=None):
    return {'id': indonesian, **({'en': english} if english is not None else {})}


def option(option_id, correct=False, feedback=None):
    out = {'id': option_id, 'text': text(f'Pilihan {option_id}', f'Option {option_id}'), 'correct': correct}
    if feedback:
        out['feedback'] = text(feedback)
    return out


def single(item_id, codes=('M.01',), key='a', options='abcd', points=1, difficulty='sedang'):
    return {'id': item_id, 'type': 'single', 'stem': text(f'Soal {item_id}', f'Question {item_id}'),
            'competencies': list(codes), 'difficulty': difficulty, 'points': points,
            'options': [option(o, o == key) for o in options]}


def multiple(item_id, correct='ab', options='abcd', scoring='per_option', codes=('M.02',), points=1):
    return {'id': item_id, 'type': 'multiple', 'stem': text(f'Soal {item_id}'), 'competencies': list(codes),
            'difficulty': 'sulit', 'points': points, 'scoring': scoring,
            'options': [option(o, o in correct) for o in options]}


def likert(item_id, codes=('M.05',), reverse=False, low=1, high=5):
    return {'id': item_id, 'type': 'likert', 'stem': text(f'Seberapa yakin {item_id}?'), 'competencies': list(codes),
            'scale': {'min': low, 'max': high, 'labels': [text(f'Skala {v}') for v in range(low, high + 1)]},
            'reverse': reverse}


def bank_dict(*items, bank_id='bank-uji'):
    return {'format': 1, 'id': bank_id, 'title': text('Tes Awal', 'Pre-test'), 'items': list(items)}


def demo_bank_dict():
    path = files('asn_xblocks.assessment') / 'data' / 'demo_bank.json'
    return json.loads(path.read_text(encoding='utf-8'))


def big_bank_dict(per_code=4, codes=('M.01', 'M.02', 'M.03')):
    """`per_code` single-choice items for each code, ids like M.01-1, plus two Likert items."""
    items = [single(f'{code}-{n}', (code,)) for code in codes for n in range(1, per_code + 1)]
    return bank_dict(*items, likert('s1'), likert('s2', reverse=True))
