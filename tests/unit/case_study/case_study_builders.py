"""Small scenarios for the case-study tests, written in the JSON format authors use."""
from asn_xblocks.case_study.model import Scenario


def text(indonesian, english=None):
    return {'id': indonesian, **({'en': english} if english is not None else {})}


def choice(choice_id, target, points=0, **extra):
    return {'id': choice_id, 'label': text(f'Pilihan {choice_id}', f'Choice {choice_id}'), 'target': target,
            'points': points, **extra}


def situation(node_id, *choices, **extra):
    return {'id': node_id, 'kind': 'situation', 'title': text(f'Judul {node_id}', f'Title {node_id}'),
            'text': text(f'Situasi {node_id}', f'Situation {node_id}'), **extra, 'choices': list(choices)}


def event(node_id, *outcomes):
    return {'id': node_id, 'kind': 'event', 'title': text(f'Kejadian {node_id}'), 'text': text(f'Teks {node_id}'),
            'outcomes': [{'target': target, 'weight': weight} for target, weight in outcomes]}


def route(node_id, *routes):
    """routes: (when or None, target) pairs."""
    return {'id': node_id, 'kind': 'route',
            'routes': [{'target': target, **({'when': when} if when else {})} for when, target in routes]}


def ending(node_id, rating='good'):
    return {'id': node_id, 'kind': 'ending', 'title': text(f'Akhir {node_id}'), 'text': text(f'Penutup {node_id}'),
            'rating': rating}


def counter(name, initial=0, low=0, high=10):
    return {'name': name, 'kind': 'counter', 'initial': initial, 'min': low, 'max': high}


def flag(name, initial=False):
    return {'name': name, 'kind': 'flag', 'initial': initial}


def scenario_dict(*nodes, start=None, variables=(), **settings):
    return {'format': 1, 'id': 'uji', 'title': text('Uji', 'Test'), 'start': start or nodes[0]['id'],
            'feedback_mode': settings.pop('feedback_mode', 'immediate'),
            'allow_undo': settings.pop('allow_undo', True), 'allow_restart': settings.pop('allow_restart', True),
            'variables': list(variables), 'nodes': list(nodes), **settings}


def build(*nodes, **kwargs) -> Scenario:
    return Scenario.from_dict(scenario_dict(*nodes, **kwargs))


def two_step(**kwargs) -> Scenario:
    """n1 (a:10 -> n2, b:0 -> n2) ; n2 (c:5 -> end, d:1 -> end)."""
    return build(
        situation('n1', choice('a', 'n2', 10, feedback=text('Bagus', 'Good')), choice('b', 'n2', 0)),
        situation('n2', choice('c', 'end', 5), choice('d', 'end', 1)),
        ending('end'), **kwargs)
