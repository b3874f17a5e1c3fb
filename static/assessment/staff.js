/* Assessment staff panel: loads the pre/post report on demand and shows it as accessible
   tables: matched gains overall and per competency, the score distribution, the item analysis
   of each phase with its alerts, and links to the two CSV exports. Only course staff get this
   file (the handlers check staff again on the server). Every text goes in through textContent.

   Started by AsnAssessment: AsnAssessmentStaff(runtime, element, {locale: …, staff: {…}}). */
function AsnAssessmentStaff(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var ngettext = t.ngettext;
  var uid = 'asn-as-staff-' + Math.random().toString(36).slice(2, 10);
  var BANDS = {low: _('low'), medium: _('medium'), high: _('high')};
  var PHASES = {pre: _('Pre-test'), post: _('Post-test')};
  var busy = false;

  function number(value, digits) {
    if (value === null || value === undefined) { return '–'; }
    return Number(value).toLocaleString(args.locale, {maximumFractionDigits: digits === undefined ? 2 : digits});
  }

  function learners(count) {
    return t.interpolate(ngettext('{count} learner', '{count} learners', count), {count: count});
  }

  function table(caption, note, headers, rows) {
    return api.table('asn-as-staff-table', caption, note, headers, rows);
  }

  /* "0,42 (n = 12)": a figure with the number of learners behind it, or why it is missing. */
  function estimate(figure, digits) {
    if (!figure) { return '–'; }
    var value = figure.value !== undefined ? figure.value : figure.mean;
    if (value === null || value === undefined) { return '– (n = ' + figure.n + ')'; }
    return number(value, digits) + ' (n = ' + figure.n + ')';
  }

  function pValue(test) {
    if (!test || test.p_value === null || test.p_value === undefined) { return '–'; }
    return number(test.p_value, 4) + ' (n = ' + test.n + (test.method ? ', ' + test.method : '') + ')';
  }

  function gainRows(gains) {
    var rc = gains.reliable_change;
    return [
      [_('Matched learners (took both tests)'), number(gains.n_matched)],
      [_('Pre-test only / post-test only'), number(gains.n_pre_only) + ' / ' + number(gains.n_post_only)],
      [_('Mean pre-test score (%)'), estimate(gains.pre, 1)],
      [_('Mean post-test score (%)'), estimate(gains.post, 1)],
      [_('Mean raw gain (points)'), estimate(gains.raw_gain, 1)],
      [_('Class normalised gain ⟨g⟩ (Hake)'), estimate(gains.class_gain) +
        (gains.class_gain_band ? ' — ' + BANDS[gains.class_gain_band] : '')],
      [_('Mean of individual normalised gains'), estimate(gains.average_normalized_gain)],
      [_('Learners at the ceiling in the pre-test (left out of g)'), number(gains.n_ceiling)],
      [_('Mean normalised change ⟨c⟩ (Marx–Cummings)'), estimate(gains.normalized_change)],
      [_('Effect size d_z (paired)'), estimate(gains.effect_size_dz)],
      [_('Paired t-test, p'), pValue(gains.t_test)],
      [_('Wilcoxon signed-rank test, p'), pValue(gains.wilcoxon)],
      [_('Reliable change: improved / declined / unchanged'), rc.sem_pre === null ? '–' :
        [rc.n_improved, rc.n_declined, rc.n_unchanged].join(' / ') + ' (n = ' + rc.n + ')']
    ];
  }

  function competencyRows(report) {
    return Object.keys(report.competencies).sort().map(function (code) {
      var g = report.competencies[code];
      return [code + ' ' + (report.competency_labels[code] || ''), number(g.n_matched), estimate(g.pre, 1),
        estimate(g.post, 1), estimate(g.class_gain), estimate(g.effect_size_dz), pValue(g.t_test)];
    });
  }

  function distributionRows(distribution) {
    return distribution.pre.map(function (count, index) {
      return [number(distribution.edges[index], 0) + '–' + number(distribution.edges[index + 1], 0),
        number(count), number(distribution.post[index])];
    });
  }

  function renderPhase(out, phase, entry, report) {
    var name = PHASES[phase];
    out.appendChild(el('h5', {}, name));
    if (!entry.form) {
      out.appendChild(el('p', {}, _('Nobody has submitted this test yet.')));
      return;
    }
    var basis = t.interpolate(_('{count} of {total} learners: those who answered the same items (forms: {forms})'),
      {count: entry.form_learners, total: entry.learners, forms: entry.forms});
    var f = entry.form;
    out.appendChild(table(t.interpolate(_('{phase}: the whole test'), {phase: name}), basis, [_('Figure'), _('Value')], [
      [_('Mean (%)'), number(f.mean, 1)], [_('Median (%)'), number(f.median, 1)], [_('SD (%)'), number(f.sd, 1)],
      [_('Skewness'), number(f.skewness)], [_('Kurtosis'), number(f.kurtosis)],
      [_('Cronbach\'s α (KR-20)'), number(f.alpha)], [_('Error ratio (%)'), number(f.error_ratio, 1)],
      [_('Standard error of measurement (%)'), number(f.sem, 1)]
    ]));
    out.appendChild(table(t.interpolate(_('{phase}: items'), {phase: name}), basis,
      [_('Item'), _('Question'), _('Facility'), _('SD'), _('Discrimination index'), _('Discriminative efficiency'),
        _('Alpha if deleted')],
      entry.items.map(function (item) {
        var text = report.item_texts[item.item_id] || {};
        return [item.item_id, text.stem || '', number(item.facility), number(item.sd), number(item.discrimination_index, 1),
          number(item.discriminative_efficiency, 1), number(item.alpha_if_deleted)];
      })));
    if (entry.alerts.length) {
      var list = el('ul', {'class': 'asn-as-staff-alerts', 'aria-label': t.interpolate(_('{phase}: item alerts'), {phase: name})});
      entry.alerts.forEach(function (alert) { list.appendChild(el('li', {}, alert.item_id + ': ' + alert.message)); });
      out.appendChild(list);
    }
  }

  function render(out, report) {
    out.textContent = '';
    var heading = out.appendChild(el('h4', {tabindex: '-1'}, _('Pre-test and post-test report')));
    out.appendChild(el('p', {'class': 'asn-muted'}, t.interpolate(
      _('Pairing key “{key}”. Computed at {time} from {pre} pre-test and {post} post-test learners; {started} started this test.'),
      {key: report.pairing_key, time: new Date(report.computed_at).toLocaleString(args.locale),
        pre: report.phases.pre.learners, post: report.phases.post.learners, started: report.started})));
    ['pre', 'post'].forEach(function (phase) {
      if (report.stale_key[phase]) {
        out.appendChild(el('p', {'class': 'asn-panel asn-notice'}, t.interpolate(
          _('{phase}: {count} attempts were scored with an earlier answer key; the gradebook is rescored with the current key, this report shows the recorded scores.'),
          {phase: PHASES[phase], count: report.stale_key[phase]})));
      }
    });
    if (report.phases.post.repeated_items) {
      out.appendChild(el('p', {'class': 'asn-panel asn-notice'}, t.interpolate(
        _('{count} matched learners met pre-test items again in the post-test (the bank is too small for parallel forms, or every item is drawn): their gain partly measures memory.'),
        {count: report.phases.post.repeated_items})));
    }
    out.appendChild(table(_('Learning gain'), learners(report.gains.n_matched), [_('Figure'), _('Value')], gainRows(report.gains)));
    out.appendChild(table(_('Learning gain per competency'), _('Matched learners whose tests measured the competency'),
      [_('Competency'), _('Matched'), _('Pre-test (%)'), _('Post-test (%)'), _('⟨g⟩'), _('d_z'), _('p (t-test)')],
      competencyRows(report)));
    out.appendChild(table(_('Score distribution of matched learners'), learners(report.gains.n_matched),
      [_('Score band (%)'), _('Pre-test'), _('Post-test')], distributionRows(report.distribution)));
    out.appendChild(el('h4', {}, _('Item analysis')));
    renderPhase(out, 'pre', report.phases.pre, report);
    renderPhase(out, 'post', report.phases.post, report);
    heading.focus();
  }

  var panel = el('section', {'class': 'asn-panel asn-as-staff', 'aria-labelledby': uid + '-title'});
  panel.appendChild(el('h3', {id: uid + '-title'}, _('For staff')));
  var actions = panel.appendChild(el('div', {'class': 'asn-as-staff-actions'}));
  var show = actions.appendChild(el('button', {type: 'button', 'class': 'asn-button'}, _('Show the report')));
  (args.staff.exports || []).forEach(function (kind) {
    var label = kind === 'pairs' ? _('Download learners (CSV)') : _('Download item analysis (CSV)');
    actions.appendChild(el('a', {'class': 'asn-button asn-secondary', href: runtime.handlerUrl(element, 'export_csv', kind)}, label));
  });
  var out = panel.appendChild(el('div', {'class': 'asn-as-staff-report'}));
  show.addEventListener('click', function () {
    if (busy) { return; }
    busy = true;
    api.post(runtime, element, 'staff_report', {}).then(function (result) {
      busy = false;
      if (result.ok) {
        render(out, result.data);
        api.announce(root, _('The report is shown.'));
      } else {
        out.textContent = result.data.error || _('Something went wrong. Please try again.');
      }
    });
  });
  (root.querySelector('.asn-assessment') || root).appendChild(panel);
}
