/* Case-study staff panel: loads the instructors' report on demand and shows it as accessible
   tables, with an SVG bar chart beside each situation's choice table. Only course staff get
   this file (the handlers check staff again on the server). Every text goes in through
   textContent, so nothing an author or learner wrote runs as HTML.

   Started by AsnCaseStudy: AsnCaseStudyStaff(runtime, element, {locale: …, staff: {…}}). */
function AsnCaseStudyStaff(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var ngettext = t.ngettext;
  var SVG = 'http://www.w3.org/2000/svg';
  var RATINGS = {good: _('Good'), fair: _('Fair'), poor: _('Poor')};
  var uid = 'asn-cs-staff-' + Math.random().toString(36).slice(2, 10);
  var busy = false;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function number(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString(args.locale);
  }

  function learners(count) {
    return t.interpolate(ngettext('{count} learner', '{count} learners', count), {count: count});
  }

  /* "12 learners · latest attempt of each learner": where each figure's numbers come from. */
  function basisNote(figure) {
    var basis = figure.basis === 'latest_attempt' ? _('latest attempt of each learner') : _('all attempts');
    return learners(figure.learners) + ' · ' + basis;
  }

  /* A data table: `headers` are column names, each row's first cell is its row header. */
  function table(caption, note, headers, rows) {
    var node = el('table', {'class': 'asn-cs-staff-table'});
    var cap = node.appendChild(el('caption', {}, caption));
    if (note) { cap.appendChild(el('span', {'class': 'asn-cs-staff-note'}, note)); }
    var head = el('tr');
    headers.forEach(function (name) { head.appendChild(el('th', {scope: 'col'}, name)); });
    node.appendChild(el('thead')).appendChild(head);
    var body = node.appendChild(el('tbody'));
    rows.forEach(function (cells) {
      var row = el('tr');
      cells.forEach(function (cell, index) {
        row.appendChild(index === 0 ? el('th', {scope: 'row'}, cell) : el('td', {}, cell));
      });
      body.appendChild(row);
    });
    return node;
  }

  /* Horizontal bars, one per row; hidden from screen readers because the table beside it
     carries the same numbers. */
  function barChart(items) {
    var barHeight = 22, gap = 8, labelWidth = 90, chartWidth = 220, valueWidth = 40;
    var height = items.length * (barHeight + gap) + gap;
    var max = Math.max.apply(null, items.map(function (item) { return item.value; }).concat([1]));
    var chart = svg('svg', {'class': 'asn-cs-staff-chart', width: labelWidth + chartWidth + valueWidth,
      height: height, viewBox: '0 0 ' + (labelWidth + chartWidth + valueWidth) + ' ' + height,
      'aria-hidden': 'true', focusable: 'false'});
    items.forEach(function (item, index) {
      var y = gap + index * (barHeight + gap);
      var width = Math.round(chartWidth * item.value / max);
      chart.appendChild(svg('text', {x: labelWidth - 6, y: y + barHeight / 2, 'text-anchor': 'end',
        'dominant-baseline': 'middle', 'class': 'asn-cs-staff-chart-label'}, item.label));
      chart.appendChild(svg('rect', {x: labelWidth, y: y, width: Math.max(width, item.value ? 2 : 0),
        height: barHeight, rx: 2, 'class': 'asn-cs-staff-bar'}));
      chart.appendChild(svg('text', {x: labelWidth + width + 6, y: y + barHeight / 2,
        'dominant-baseline': 'middle', 'class': 'asn-cs-staff-chart-label'}, number(item.value)));
    });
    return chart;
  }

  function share(count, total) {
    return total ? number(Math.round(1000 * count / total) / 10) + '%' : '–';
  }

  function renderSummary(out, report) {
    var summary = report.summary;
    out.appendChild(el('p', {'class': 'asn-muted'}, t.interpolate(_('Computed at {time}.'), {
      time: new Date(report.computed_at).toLocaleString(args.locale)})));
    out.appendChild(table(_('Summary'), basisNote(summary), [_('Figure'), _('Value')], [
      [_('Learners who finished'), number(summary.learners)],
      [_('Attempts'), number(summary.attempts)],
      [_('Attempts per learner'), number(summary.attempts_per_learner)]
    ]));
  }

  function renderScores(out, scores) {
    out.appendChild(table(_('Scores (percent of the maximum)'), basisNote(scores), [_('Figure'), _('Value')], [
      [_('Mean'), number(scores.mean)], [_('Median'), number(scores.median)]]));
    out.appendChild(table(_('Score distribution'), basisNote(scores), [_('Score band'), _('Learners')],
      scores.bands.map(function (band) {
        return [t.interpolate(_('{from}–{to}%'), {from: band.from, to: band.to}), number(band.count)];
      })));
  }

  function renderEndings(out, endings, ratings) {
    out.appendChild(table(_('Endings reached'), basisNote(endings),
      [_('Ending'), _('Rating'), _('Learners (latest attempt)'), _('All attempts')],
      endings.rows.map(function (row) {
        return [row.title, RATINGS[row.rating] || '–', number(row.learners), number(row.attempts)];
      })));
    out.appendChild(table(_('Endings by rating'), basisNote(ratings),
      [_('Rating'), _('Learners (latest attempt)'), _('All attempts')],
      ratings.rows.map(function (row) {
        return [RATINGS[row.rating] || row.rating, number(row.learners), number(row.attempts)];
      })));
  }

  function renderChoices(out, choices) {
    out.appendChild(el('h4', {}, _('Choices at each situation')));
    out.appendChild(el('p', {'class': 'asn-muted'}, basisNote(choices)));
    choices.situations.forEach(function (situation) {
      var items = situation.choices.map(function (choice) {
        return {id: choice.choice_id, label: choice.label, value: choice.learners};
      });
      if (situation.timed_out) {
        items.push({id: '–', label: _('No answer in time'), value: situation.timed_out});
      }
      var figure = el('div', {'class': 'asn-cs-staff-figure'});
      figure.appendChild(table(situation.title, learners(situation.learners),
        [_('Choice'), _('Learners'), _('Share')],
        items.map(function (item) {
          return [item.label, number(item.value), share(item.value, situation.learners)];
        })));
      figure.appendChild(barChart(items.map(function (item) { return {label: item.id, value: item.value}; })));
      out.appendChild(figure);
    });
  }

  function renderPoorPaths(out, paths) {
    if (!paths.rows.length) {
      out.appendChild(el('h4', {}, _('Most common paths to a poor ending')));
      out.appendChild(el('p', {}, _('No attempt has ended poorly.')));
      return;
    }
    out.appendChild(table(_('Most common paths to a poor ending'), basisNote(paths),
      [_('Path (situation:choice)'), _('Ending'), _('Learners')],
      paths.rows.map(function (row) {
        return [row.path.join(' → '), row.ending_title, number(row.learners)];
      })));
  }

  function renderCompetencies(out, competencies) {
    if (!competencies.rows.length) { return; }
    out.appendChild(table(_('Average per competency'), basisNote(competencies),
      [_('Competency'), _('Average (%)'), _('Learners')],
      competencies.rows.map(function (row) {
        return [row.code + ' ' + row.label, number(row.average_percent), number(row.learners)];
      })));
  }

  function render(out, report) {
    out.textContent = '';
    var heading = out.appendChild(el('h4', {tabindex: '-1'}, _('Report')));
    if (!report.ledger_available) {
      out.appendChild(el('p', {'class': 'asn-notice'},
        _('The result ledger is not installed, so there is no data.')));
    }
    renderSummary(out, report);
    if (report.summary.learners) {
      renderScores(out, report.scores);
      renderEndings(out, report.endings, report.ratings);
      renderChoices(out, report.choices);
      renderPoorPaths(out, report.poor_paths);
      renderCompetencies(out, report.competencies);
    } else {
      out.appendChild(el('p', {}, _('No learner has finished this case study yet.')));
    }
    heading.focus();
  }

  var panel = el('section', {'class': 'asn-panel asn-cs-staff', 'aria-labelledby': uid});
  panel.appendChild(el('h3', {id: uid}, _('Instructor report')));
  panel.appendChild(el('p', {'class': 'asn-muted'}, _('Only course staff see this panel.')));
  var actions = panel.appendChild(el('div', {'class': 'asn-cs-staff-actions'}));
  var load = actions.appendChild(el('button', {type: 'button', 'class': 'asn-button'}, _('View report')));
  actions.appendChild(el('a', {href: runtime.handlerUrl(element, 'export_csv'), download: '',
    'class': 'asn-button asn-secondary'}, _('Download all attempts (CSV)')));
  var errorBox = panel.appendChild(el('p', {'class': 'asn-error', role: 'alert', hidden: 'hidden'}));
  var out = panel.appendChild(el('div', {'class': 'asn-cs-staff-report'}));
  root.appendChild(panel);

  load.addEventListener('click', function () {
    if (busy) { return; }
    busy = true;
    load.setAttribute('aria-busy', 'true');
    errorBox.hidden = true;
    api.announce(root, _('Loading…'));
    api.post(runtime, element, 'staff_report', {}).then(function (result) {
      busy = false;
      load.removeAttribute('aria-busy');
      if (!result.ok) {
        errorBox.textContent = (result.data && result.data.error) || _('Something went wrong. Please try again.');
        errorBox.hidden = false;
        return;
      }
      load.textContent = _('Refresh report');
      render(out, result.data);
      api.announce(root, _('Report loaded.'));
    });
  });
}
