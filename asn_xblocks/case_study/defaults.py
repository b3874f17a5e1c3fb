"""The two default scenarios (Bahasa Indonesia with English) and the workbench's demo pages."""
import functools
import importlib.resources
import json

from .olx import workbench_olx

DEFAULT_SCENARIOS = ('sampah_sekolah', 'katering_bu_sari')


@functools.lru_cache(maxsize=None)
def _load(name):
    text = importlib.resources.files(__package__).joinpath('data', f'{name}.json').read_text(encoding='utf-8')
    return json.loads(text)


def scenario_data(name):
    """A fresh copy of a bundled scenario (callers may change it)."""
    return json.loads(json.dumps(_load(name)))


def default_scenario():
    """The content a new case-study block starts with."""
    return scenario_data(DEFAULT_SCENARIOS[0])


def workbench_scenarios():
    """One workbench page per default scenario, titled in Indonesian."""
    pages = []
    for name in DEFAULT_SCENARIOS:
        data = scenario_data(name)
        title = data['title']['id']
        pages.append((f'Studi kasus: {title}', workbench_olx(data, title)))
    return pages
