"""Deterministic large case-study scenarios for the analysis benchmark (`--analysis` in run.py).

The issue's bar is "validate and compute the score range of a 5,000-node generated scenario in
under 100 ms", so the generated content has the shape authors actually write, only bigger:
chapters ("babak") of situations with 2–4 choices whose branches fold back into one closing
situation, an unexpected event now and then, a timed situation with a timeout, flags that
choices set and that later variants, choice conditions and routes read, and a final route that
picks the ending by flag and by score. Every edge points forward (a DAG), as in the bundled
scenarios. A bigger scenario has more storylines side by side, not a longer one: chapters
sit in about LAYERS layers and each chapter leads to two of the next layer, so a play-through
makes some 40–60 decisions at any size (`deep=True` chains every chapter instead, a path of
hundreds of decisions: a stress case, reported separately). A seed and a node count fix the
output, so runs compare like with like.

    python -m benchmarks.scenario_generator 5000 > big.json        # write one to look at

Flags: `dokumen_diperiksa` and `warga_kecewa` are set by every choice of a chapter opening
and read by choices a few steps later (their values only matter inside the chapter);
`pelanggaran_integritas` is set in a few chapters and read by the final route;
`janji_berlebihan` is set but only read by variant texts. `variables=False` gives the same
shape with no variables at all (and no breach ending).
"""
from __future__ import annotations

import json
import random
import sys

ENDINGS = ('end-breach', 'end-good', 'end-fair', 'end-poor')
FLAGS = ('dokumen_diperiksa', 'warga_kecewa', 'pelanggaran_integritas', 'janji_berlebihan')
TAIL = 1 + len(ENDINGS)  # the final route and the endings (one fewer without variables)
LAYERS = 12  # chapters on any play-through: storylines run side by side, not one after another


def _text(indonesian: str, english: str) -> dict:
    return {'id': indonesian, 'en': english}


class _Builder:
    def __init__(self, seed: int, variables: bool):
        self.rng = random.Random(seed)
        self.variables = variables
        self.nodes: list[dict] = []

    def situation(self, node_id, choices, variants=(), timed_to=None):
        node = {'id': node_id, 'kind': 'situation',
                'title': _text(f'Situasi {node_id}', f'Situation {node_id}'),
                'text': _text(f'Warga datang ke loket ({node_id}). Apa yang Anda lakukan?',
                              f'A citizen comes to the counter ({node_id}). What do you do?')}
        if variants and self.variables:
            node['variants'] = [{'when': when, 'text': _text(f'Varian {node_id}: {when}', f'Variant {node_id}: {when}')}
                                for when in variants]
        if timed_to:
            node['time_limit'] = 90
            node['timeout'] = {'target': timed_to, 'points': 0,
                               'feedback': _text('Waktu habis.', 'Time is up.')}
        node['choices'] = choices
        self.nodes.append(node)

    def choice(self, index, target, points=None, when=None, effects=None):
        out = {'id': f'c{index}', 'label': _text(f'Pilihan {index}', f'Choice {index}'), 'target': target,
               'points': self.rng.choice((0, 1, 2, 3, 5, 10)) if points is None else points}
        if index == 0:
            out['competencies'] = [{'code': 'M.05', 'points': out['points'], 'level': 2}]
            out['feedback'] = _text('Tepat: layanan sesuai standar.', 'Right: service to standard.')
        if when and self.variables:
            out['when'] = when
        if effects and self.variables:
            out['effects'] = effects
        return out

    def choices(self, targets, extra=()):
        """2–4 plain choices spread over `targets`, then `extra` (already built) choices."""
        count = self.rng.randint(2, 4) - len(extra)
        made = [self.choice(i, targets[i % len(targets)]) for i in range(max(count, 0))]
        return made + [{**c, 'id': f'c{len(made) + i}'} for i, c in enumerate(extra)]

    def chapter(self, number: int, size: int, following: list[str]) -> None:
        """One chapter of exactly `size` (>= 1) nodes, leading on to the two `following` nodes."""
        p = f'b{number}-'
        if size < 6:  # a short remainder: a plain chain
            ids = [f'{p}s{i}' for i in range(size)]
            for i in range(size):
                self.situation(ids[i], self.choices(ids[i + 1:i + 2] or following))
            return
        has_event = self.rng.random() < 0.5
        middle = [f'{p}m{i}' for i in range(size - 3 if has_event else size - 2)]
        opening, event, close = f'{p}open', f'{p}ev', f'{p}close'
        half = (len(middle) + 1) // 2
        first, second = middle[:half], middle[half:] or [close]
        # Every opening choice sets both chapter flags, so their earlier values never matter.
        settings = (('true', 'false'), ('false', 'true'), ('false', 'false'))[:self.rng.randint(2, 3)]
        self.situation(opening, [self.choice(i, first[min(i, 1) % len(first)],
                                             effects=f'dokumen_diperiksa = {a}; warga_kecewa = {b}')
                                 for i, (a, b) in enumerate(settings)], variants=['warga_kecewa'])
        for index, node_id in enumerate(first):
            targets = [second[index % len(second)], second[(index + 1) % len(second)]]
            extra = ()
            if index == 0 and len(first) > 1:  # an upset citizen can be calmed down first
                extra = (self.choice(7, first[1], 5, when='warga_kecewa'),)
            if index + 1 < len(first):
                targets.insert(0, first[index + 1])
            else:  # the branch's last step: what was checked at the opening decides what is offered
                extra = (self.choice(8, close, 10, when='dokumen_diperiksa'),
                         self.choice(9, close, 0, when='not dokumen_diperiksa', effects='janji_berlebihan = true'))
            if has_event and index == 0:
                targets.insert(0, event)
            self.situation(node_id, self.choices(list(dict.fromkeys(targets)), extra), variants=['janji_berlebihan'])
        if has_event:
            self.nodes.append({'id': event, 'kind': 'event', 'title': _text('Kejadian tak terduga', 'Unexpected'),
                               'text': _text('Sistem antrean mati.', 'The queue system is down.'),
                               'outcomes': [{'target': second[0], 'weight': 3}, {'target': close, 'weight': 1}]})
        for index, node_id in enumerate(middle[half:]):
            later = middle[half + index + 1:half + index + 3]
            timed = close if index == 0 and number % 3 == 0 else None
            self.situation(node_id, self.choices(later + [close]), timed_to=timed)
        breach = 'pelanggaran_integritas = true' if number % 7 == 3 else None
        self.situation(close, [self.choice(0, following[0], 10),
                               self.choice(1, following[1], 2),
                               self.choice(2, following[1], 0, effects=breach)], variants=['dokumen_diperiksa'])

    def score_range(self, start: str) -> tuple[float, float]:
        """Fewest and most points from `start`, conditions ignored (the graph is a DAG)."""
        by_id = {n['id']: n for n in self.nodes}
        low, high = {}, {}
        for node in reversed(self.nodes):  # every edge points to a node appended later (a DAG)
            moves = [(c['points'], c['target']) for c in node.get('choices', ())]
            moves += [(0, o['target']) for o in node.get('outcomes', ())]
            if 'timeout' in node:
                moves.append((0, node['timeout']['target']))
            moves = [(pts, t) for pts, t in moves if t in by_id and t in low]
            low[node['id']] = min((pts + low[t] for pts, t in moves), default=0)
            high[node['id']] = max((pts + high[t] for pts, t in moves), default=0)
        return low[start], high[start]

    def finish(self, first: str) -> dict:
        routes = [{'target': 'end-good'}, {'target': 'end-fair'}, {'target': 'end-poor'}]
        if self.variables:
            routes.insert(0, {'when': 'pelanggaran_integritas', 'target': 'end-breach'})
        self.nodes.append({'id': 'r-final', 'kind': 'route', 'routes': routes})
        for ending, rating in zip(ENDINGS, ('poor', 'good', 'fair', 'poor')):
            if ending == 'end-breach' and not self.variables:
                continue
            self.nodes.append({'id': ending, 'kind': 'ending', 'title': _text(f'Akhir {ending}', f'End {ending}'),
                               'text': _text('Terima kasih.', 'Thank you.'), 'rating': rating})
        low, high = self.score_range(first)
        routes[-3]['when'] = f'score >= {int(low + 0.7 * (high - low))}'
        routes[-2]['when'] = f'score >= {int(low + 0.4 * (high - low))}'
        variables = [{'name': name, 'kind': 'flag', 'initial': False} for name in FLAGS] if self.variables else []
        return {'format': 1, 'id': f'generated-{len(self.nodes)}', 'title': _text('Skenario besar', 'Large scenario'),
                'introduction': _text('Skenario uji yang dibangkitkan.', 'A generated test scenario.'),
                'start': first, 'feedback_mode': 'immediate', 'allow_undo': False, 'allow_restart': True,
                'variables': variables, 'nodes': self.nodes}


def _layers(count: int) -> list[int]:
    """How many chapters side by side in each layer: 1, 2, 4… up to the width that spreads
    `count` chapters over about LAYERS layers (the last layer takes what is left)."""
    width, sizes = max(1, round(count / (LAYERS - 2))), []
    while sum(sizes) < count:
        sizes.append(min(2 ** len(sizes), width, count - sum(sizes), 2 * sizes[-1] if sizes else 1))
    return sizes


def generate(nodes: int = 5000, seed: int = 0, variables: bool = True, deep: bool = False) -> dict:
    """A scenario dict (docs/scenario-format.md) with exactly `nodes` nodes (at least 7)."""
    if nodes < TAIL + 2:
        raise ValueError(f'a generated scenario needs at least {TAIL + 2} nodes')
    builder = _Builder(seed, variables)
    remaining, sizes = nodes - TAIL + (not variables), []
    while remaining > 0:  # plan the chapter sizes first, so each chapter knows where it leads
        size = remaining if remaining < 20 else builder.rng.randint(8, 14)
        sizes.append(size)
        remaining -= size
    starts = [f'b{number}-open' if size >= 6 else f'b{number}-s0' for number, size in enumerate(sizes)]
    layers, number = [1] * len(sizes) if deep else _layers(len(sizes)), 0
    for layer, width in enumerate(layers):  # each chapter's close leads to two of the next layer
        following = starts[number + width:number + width + layers[layer + 1]] if layer + 1 < len(layers) \
            else ['r-final']
        for j in range(width):
            builder.chapter(number + j, sizes[number + j],
                            [following[2 * j % len(following)], following[(2 * j + 1) % len(following)]])
        number += width
    return builder.finish(starts[0])


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    json.dump(generate(int(args[0]) if args else 5000), sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
