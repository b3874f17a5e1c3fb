"""The demo item bank (DOMAIN.md §3.5, Bahasa Indonesia with English) and the workbench's demo page."""
import functools
import importlib.resources
import json

from .olx import workbench_olx

PAIRING_KEY = 'pelayanan-publik-demo'


@functools.lru_cache(maxsize=None)
def _load():
    return importlib.resources.files(__package__).joinpath('data', 'demo_bank.json').read_text(encoding='utf-8')


def default_bank():
    """A fresh copy of the demo bank: the content a new assessment block starts with."""
    return json.loads(_load())


def workbench_scenarios():
    """A pre-test and its post-test on one page: the workbench treats a page as a course."""
    bank = default_bank()
    pre = {'display_name': 'Tes Awal', 'phase': 'pre', 'pairing_key': PAIRING_KEY}
    post = {'display_name': 'Tes Akhir', 'phase': 'post', 'pairing_key': PAIRING_KEY,
            'show_answers': 'after_submit', 'ask_confidence': True}
    return [(f'Asesmen kompetensi: {bank["title"]["id"]} (tes awal dan tes akhir)',
             workbench_olx([(pre, bank), (post, bank)]))]
