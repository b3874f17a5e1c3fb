"""The dashboard data (dashboard.build) as the page shows it: translated labels, numbers as text in
the reader's language, a chart beside every table. The template only loops over what this returns.
"""
from ..core.competencies import standard_catalogue
from ..core.i18n import N_
from ..expert_session.learner import STAKEHOLDER_LABELS
from . import charts, privacy
from .model import GROUPS, KINDS, LIKERT_MAX, METHOD_PREFIX, METHOD_STATEMENT, METHODS

BLOCK_LABELS = {('asn_assessment', 'pre'): N_('Pre-test'), ('asn_assessment', 'post'): N_('Post-test'),
                ('asn_case_study', ''): METHODS['case_study'], ('asn_expert_session', ''): N_('Expert session')}
TEXT = {
    'block': N_('Block'), 'started': N_('Started'), 'finished': N_('Finished'),
    'funnel': N_('Participation: learners who finished each part of the course'),
    'competency': N_('Competency'), 'learners': N_('Learners'), 'mean_percent': N_('Mean score (%)'),
    'overall': N_('Overall'), 'pre': N_('Pre-test mean (%)'), 'post': N_('Post-test mean (%)'),
    'class_gain': N_('Class gain ⟨g⟩'), 'gain_chart': N_('Learning gain ⟨g⟩ × 100 ({key})'),
    'case_chart': N_('Case-study score per competency (%)'), 'stakeholder': N_('Stakeholder type'),
    'experts': N_('Experts heard'), 'stakeholder_chart': N_('Experts heard by stakeholder type'),
    'statement': N_('Statement'), 'respondents': N_('Respondents'), 'mean': N_('Mean (1–5)'),
    'distribution': N_('Answers 1/2/3/4/5'), 'survey_chart': N_('{kind}: mean rating (1–5)'),
    'hidden': N_('hidden (fewer than {n})'), 'method': N_('Method'),
    'gain_in': N_('Gain g, took part (n)'), 'gain_out': N_('Gain g, did not (n)'),
    'reaction_in': N_('Reaction, took part (n)'), 'reaction_out': N_('Reaction, did not (n)'),
    'rating': N_('Rating of the method (n)'), 'method_chart': N_('Mean gain g × 100 of learners who took part'),
    'before': N_('Before (1–5)'), 'after': N_('After (1–5)'), 'change': N_('Change'),
    'number': N_('Reported number'), 'number_mean': N_('Mean'),
}


def number(value, locale, digits=1):
    """A figure as text in the reader's convention (Indonesian: decimal comma); '—' for none."""
    if value is None:
        return '—'
    text = f'{value:.{digits}f}'
    return text.replace('.', ',') if locale == 'id' else text


def with_n(value, n, locale, digits=2):
    return f'{number(value, locale, digits)} ({n})'


class Presenter:
    """Turns one dashboard dict into the template's context, in one language."""

    def __init__(self, data, questions, gettext, locale, render=str):
        self.data, self.questions, self._, self.locale, self.render = data, questions, gettext, locale, render
        self.catalogue = standard_catalogue()
        self.texts = {item.id: item.text.get(locale) for item in questions.items}
        self.groups = {item.id: item.group for item in questions.items}

    def chart(self, *args, **kwargs):
        """A bar chart with its HTML (`render` draws the SVG and the table)."""
        made = charts.bar_chart(*args, **kwargs)
        made.html = self.render(made)
        return made

    def hidden(self):
        return self._(TEXT['hidden']).format(n=self.data['min_group'])

    def item_label(self, item_id):
        if item_id.startswith(METHOD_PREFIX) and item_id[len(METHOD_PREFIX):] in METHODS:
            return self._(METHOD_STATEMENT).format(method=self._(METHODS[item_id[len(METHOD_PREFIX):]]))
        return self.texts.get(item_id, item_id)

    def block_label(self, row):
        if row['block_type'] == 'asn_evaluation':
            return self._(KINDS.get(row['phase'], row['phase']))
        return self._(BLOCK_LABELS.get((row['block_type'], row['phase']), row['block_type']))

    def funnel(self):
        _ = self._
        rows = self.data['funnel']
        labels = [self.block_label(row) for row in rows]
        return self.chart('funnel', _(TEXT['funnel']), (_(TEXT['block']), _(TEXT['started']), _(TEXT['finished'])),
                                [(label, row['finished'], str(row['finished'])) for label, row in zip(labels, rows)],
                                max([row['started'] for row in rows] + [1]),
                                rows=[(label, str(row['started']), str(row['finished']))
                                      for label, row in zip(labels, rows)])

    def gains(self):
        _ = self._
        out = []
        for pair in self.data['pre_post']:
            entries = [(_(TEXT['overall']), pair['gains'])] + [
                (f'{code} {self.catalogue.label_of(code, self.locale)}', gains)
                for code, gains in sorted(pair['competencies'].items())]
            bars, rows = [], []
            for label, gains in entries:
                gain = gains['class_gain']['value']
                bars.append((label, None if gain is None else 100 * gain, number(gain, self.locale, 2)))
                rows.append((label, str(gains['n_matched']), number(gains['pre']['mean'], self.locale),
                             number(gains['post']['mean'], self.locale), number(gain, self.locale, 2)))
            out.append(self.chart(f'gain-{len(out)}', _(TEXT['gain_chart']).format(key=pair['pairing_key']),
                                        (_(TEXT['competency']), _(TEXT['learners']), _(TEXT['pre']), _(TEXT['post']),
                                         _(TEXT['class_gain'])), bars, 100, rows))
        return out

    def case_study(self):
        _ = self._
        entries = [(f'{code} {self.catalogue.label_of(code, self.locale)}', figure)
                   for code, figure in self.data['case_study'].items()]
        return self.chart('case-study', _(TEXT['case_chart']),
                                (_(TEXT['competency']), _(TEXT['learners']), _(TEXT['mean_percent'])),
                                [(label, f['mean'], number(f['mean'], self.locale)) for label, f in entries], 100,
                                [(label, str(f['n']), number(f['mean'], self.locale)) for label, f in entries])

    def stakeholders(self):
        _ = self._
        counts = self.data['expert_sessions']['stakeholders']
        entries = [(_(STAKEHOLDER_LABELS.get(kind, kind)), count) for kind, count in counts.items()]
        return self.chart('stakeholders', _(TEXT['stakeholder_chart']), (_(TEXT['stakeholder']), _(TEXT['experts'])),
                                [(label, count, str(count)) for label, count in entries], 1)

    def methods(self):
        _ = self._
        rows, bars = [], []
        for entry in self.data['methods']:
            label = _(METHODS[entry['method']])
            cells = [label]
            for part in (entry['gain']['took_part'], entry['gain']['did_not'], entry['reaction']['took_part'],
                         entry['reaction']['did_not'], entry['rating']):
                cells.append(self.hidden() if part['suppressed'] else with_n(part['mean'], part['n'], self.locale))
            rows.append(cells)
            gain = entry['gain']['took_part']['mean']
            bars.append((label, None if gain is None else 100 * gain, number(gain, self.locale, 2)))
        headers = [_(TEXT[key]) for key in ('method', 'gain_in', 'gain_out', 'reaction_in', 'reaction_out', 'rating')]
        chart = self.chart('methods', _(TEXT['method_chart']), headers, bars, 100, rows)
        caution = any(part['caution'] for entry in self.data['methods']
                      for part in (*entry['gain'].values(), *entry['reaction'].values()))
        return chart, caution

    def survey(self, kind):
        _ = self._
        results = self.data['surveys'][kind]
        likert, numbers = [], []
        for item_id, figure in results['items'].items():
            label = self.item_label(item_id)
            mean = self.hidden() if figure['suppressed'] else number(figure['mean'], self.locale, 2)
            if self.groups.get(item_id) == 'number':
                numbers.append((label, str(figure['n']), mean))
                continue
            spread = self.hidden() if figure['suppressed'] else '/'.join(map(str, figure['distribution']))
            likert.append(((label, figure['mean'], mean), (label, str(figure['n']), mean, spread)))
        chart = self.chart(f'survey-{kind}', _(TEXT['survey_chart']).format(kind=_(KINDS[kind])),
                                 [_(TEXT[key]) for key in ('statement', 'respondents', 'mean', 'distribution')],
                                 [bar for bar, _row in likert], LIKERT_MAX, [row for _bar, row in likert])
        return {'kind': kind, 'name': _(KINDS[kind]), 'respondents': results['respondents'],
                'suppressed': results['suppressed'], 'chart': chart, 'numbers': numbers,
                'comments': results['comments']}

    def confidence(self):
        rows = []
        for item_id, change in self.data['confidence_change'].items():
            group = _group_name(self._, self.groups.get(item_id))
            label = f'{group}: {self.item_label(item_id)}' if group else self.item_label(item_id)
            if change['suppressed']:
                rows.append((label, str(change['n']), self.hidden(), self.hidden(), self.hidden()))
            else:
                rows.append((label, str(change['n']), number(change['before'], self.locale, 2),
                             number(change['after'], self.locale, 2), number(change['change'], self.locale, 2)))
        return rows

    def context(self):
        _ = self._
        method_chart, caution = self.methods()
        experts = self.data['expert_sessions']
        return {
            'learners': self.data['learners'], 'computed_at': self.data['computed_at'][:16].replace('T', ' '),
            'funnel': self.funnel(), 'gains': self.gains(), 'case_study': self.case_study(),
            'experts': experts, 'stakeholders': self.stakeholders(), 'methods': method_chart,
            'method_caution': caution, 'caution_n': privacy.CAUTION_GROUP,
            'surveys': [self.survey(kind) for kind in self.data['surveys']],
            'confidence': self.confidence(), 'min_group': self.data['min_group'],
            'confidence_headers': [_(TEXT[key]) for key in ('statement', 'respondents', 'before', 'after', 'change')],
            'number_headers': [_(TEXT[key]) for key in ('number', 'respondents', 'number_mean')],
        }


def _group_name(gettext, group):
    return gettext(GROUPS[group]) if group in GROUPS else ''
