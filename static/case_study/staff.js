/* Case-study staff panel: loads the instructors' report on demand and shows it as accessible
   tables, with an SVG bar chart beside each situation's choice table and the scenario graph
   (laid out on the server, case_study/graph_layout.py) drawn with how many learners took each
   step, followed by the same data as a table. Only course staff get
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
  var KINDS = {situation: _('Situation'), event: _('Event'), route: _('Route'), ending: _('Ending')};
  var uid = 'asn-cs-staff-' + Math.random().toString(36).slice(2, 10);
  var busy = false;

  var el = window.AsnXBlocksApi.el;

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

  function table(caption, note, headers, rows) {
    return api.table('asn-cs-staff-table', caption, note, headers, rows);
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
      [_('Learners who started'), number(summary.started)],
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

  /* `text` cut to at most `size` characters, with an ellipsis when cut. */
  function shorten(text, size) {
    text = String(text);
    return text.length > size ? text.slice(0, size - 1).replace(/\s+$/, '') + '…' : text;
  }

  /* `text` in at most `count` lines of about `size` characters, broken at spaces. */
  function wrap(text, size, count) {
    var lines = [];
    var line = '';
    String(text).split(/\s+/).forEach(function (word) {
      if (!word) { return; }
      if (line && (line + ' ' + word).length > size) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + ' ' + word : word;
      }
    });
    if (line) { lines.push(line); }
    if (lines.length > count) {
      lines = lines.slice(0, count);
      lines[count - 1] = shorten(lines[count - 1] + ' …', size);
    }
    return lines.map(function (item) { return shorten(item, size); });
  }

  /* "Situation · n1", "Start · Situation · n1", "Ending · Good": what a node box says first. */
  function nodeKind(node) {
    var kind = KINDS[node.kind] || node.kind;
    var text = node.kind === 'ending' && RATINGS[node.rating] ? kind + ' · ' + RATINGS[node.rating]
      : kind + ' · ' + node.id;
    // Translators: marks the step a case study begins with, on the scenario graph (kept short).
    return node.start ? _('Entry') + ' · ' + text : text;
  }

  function nodeName(node) {
    return node.kind === 'route' ? t.interpolate(_('Route {id}'), {id: node.id}) : node.title;
  }

  /* What the edge is, in full (for the table). */
  function edgeName(edge) {
    if (edge.kind === 'choice') { return edge.choice_id + '. ' + edge.label; }
    if (edge.kind === 'timeout') { return _('No answer in time'); }
    if (edge.kind === 'outcome') {
      return t.interpolate(_('Event outcome {number} (weight {weight})'),
        {number: edge.index + 1, weight: number(edge.weight)});
    }
    return edge.condition ? t.interpolate(_('Route if {condition}'), {condition: edge.condition})
      : _('Route otherwise');
  }

  /* What the edge is, briefly, with its learners (on the drawing). */
  function edgeTag(edge) {
    var name;
    if (edge.kind === 'choice') {
      name = edge.choice_id;
    } else if (edge.kind === 'timeout') {
      name = _('time up');
    } else if (edge.kind === 'outcome') {
      name = t.interpolate(_('outcome {number}'), {number: edge.index + 1});
    } else {
      name = edge.condition ? shorten(edge.condition, 14) : _('otherwise');
    }
    return shorten(name, 16) + ': ' + number(edge.learners);
  }

  function graphNode(node, width, height) {
    var classes = 'asn-cs-graph-node asn-cs-graph-' + node.kind +
      (node.rating ? ' asn-cs-graph-' + node.rating : '') + (node.reachable ? '' : ' asn-cs-graph-unreachable');
    var group = svg('g', {'class': classes, 'data-node-id': node.id});
    group.appendChild(svg('title', {}, node.kind === 'route' ? nodeName(node) : node.title));
    var x = node.x, y = node.y;
    if (node.kind === 'route') {
      group.appendChild(svg('polygon', {'class': 'asn-cs-graph-shape', points: [
        [x + width / 2, y], [x + width, y + height / 2], [x + width / 2, y + height], [x, y + height / 2]
      ].map(function (point) { return point.join(','); }).join(' ')}));
    } else {
      group.appendChild(svg('rect', {'class': 'asn-cs-graph-shape', x: x, y: y, width: width, height: height,
        rx: node.kind === 'event' ? height / 2 : 4}));
    }
    if (node.kind === 'ending') {  /* a double outline: endings stand out without colour too */
      group.appendChild(svg('rect', {'class': 'asn-cs-graph-inner', x: x + 4, y: y + 4, width: width - 8,
        height: height - 8, rx: 2}));
    }
    var lines = [{text: nodeKind(node), cls: 'asn-cs-graph-kind'}];
    if (node.kind !== 'route') {
      wrap(node.title, 24, 2).forEach(function (line) { lines.push({text: line, cls: 'asn-cs-graph-title'}); });
    }
    if (!node.reachable) {
      lines.push({text: _('not reachable'), cls: 'asn-cs-graph-count'});
    } else if (node.learners !== null && node.learners !== undefined) {
      lines.push({text: learners(node.learners), cls: 'asn-cs-graph-count'});
    }
    var lineHeight = 15;
    var top = y + height / 2 - (lines.length - 1) * lineHeight / 2;
    lines.forEach(function (line, index) {
      group.appendChild(svg('text', {'class': line.cls, x: x + width / 2, y: top + index * lineHeight,
        'text-anchor': 'middle', 'dominant-baseline': 'middle'}, line.text));
    });
    return group;
  }

  /* The scenario graph: an SVG with a title and description (role="img"), scrolling sideways
     in a focusable region, then the table of every edge, which carries all the drawing says. */
  function renderGraph(out, graph) {
    if (!graph || !graph.nodes.length) { return; }
    var headingId = uid + '-graph';
    var titleId = uid + '-graph-title';
    var descId = uid + '-graph-desc';
    var arrowId = uid + '-arrow';
    var unusedArrowId = uid + '-arrow-unused';
    var byId = {};
    graph.nodes.forEach(function (node) { byId[node.id] = node; });
    var most = Math.max.apply(null, graph.edges.map(function (edge) { return edge.learners; }).concat([1]));

    out.appendChild(el('h4', {id: headingId}, _('Scenario graph')));
    out.appendChild(el('p', {'class': 'asn-muted'}, basisNote(graph) + ' · ' +
      _('Thicker lines were taken by more learners; dashed lines by none.')));
    var scroller = out.appendChild(el('div', {'class': 'asn-cs-graph-scroll', tabindex: '0', role: 'group',
      'aria-labelledby': headingId}));
    var chart = scroller.appendChild(svg('svg', {'class': 'asn-cs-graph', width: graph.width, height: graph.height,
      viewBox: '0 0 ' + graph.width + ' ' + graph.height, role: 'img', 'aria-labelledby': titleId + ' ' + descId,
      focusable: 'false'}));
    chart.appendChild(svg('title', {id: titleId}, _('Scenario graph with the learners who took each step')));
    chart.appendChild(svg('desc', {id: descId}, t.interpolate(
      _('{nodes} steps and {edges} connections. The table after the graph lists every connection with its learners.'),
      {nodes: graph.nodes.length, edges: graph.edges.length})));
    var defs = chart.appendChild(svg('defs'));
    [[arrowId, 'asn-cs-graph-arrow'], [unusedArrowId, 'asn-cs-graph-arrow asn-cs-graph-arrow-unused']]
      .forEach(function (pair) {
        var marker = defs.appendChild(svg('marker', {id: pair[0], viewBox: '0 0 10 10', refX: 10, refY: 5,
          markerWidth: 12, markerHeight: 12, markerUnits: 'userSpaceOnUse', orient: 'auto'}));
        marker.appendChild(svg('path', {d: 'M0,0 L10,5 L0,10 z', 'class': pair[1]}));
      });
    var edgeLayer = chart.appendChild(svg('g', {'class': 'asn-cs-graph-edges'}));
    var nodeLayer = chart.appendChild(svg('g', {'class': 'asn-cs-graph-nodes'}));
    var labelLayer = chart.appendChild(svg('g', {'class': 'asn-cs-graph-labels'}));
    graph.edges.forEach(function (edge) {
      var p = edge.path;
      var used = edge.learners > 0;
      edgeLayer.appendChild(svg('path', {
        'class': 'asn-cs-graph-edge' + (used ? '' : ' asn-cs-graph-edge-unused') + (edge.back ? ' asn-cs-graph-back' : ''),
        d: 'M' + p[0].join(',') + ' C' + p[1].join(',') + ' ' + p[2].join(',') + ' ' + p[3].join(','),
        'stroke-width': used ? Math.round((1.5 + 6.5 * edge.learners / most) * 10) / 10 : 1.25,
        'marker-end': 'url(#' + (used ? arrowId : unusedArrowId) + ')',
        'data-edge-id': edge.id, 'data-learners': edge.learners}));
      var tag = edgeTag(edge);
      var tagWidth = tag.length * 7 + 6;  /* about 7 units a character at 12px, bold */
      labelLayer.appendChild(svg('rect', {'class': 'asn-cs-graph-edge-label-back', x: edge.label_at[0] - tagWidth / 2,
        y: edge.label_at[1] - 8, width: tagWidth, height: 16, rx: 3}));
      labelLayer.appendChild(svg('text', {'class': 'asn-cs-graph-edge-label', x: edge.label_at[0], y: edge.label_at[1],
        'text-anchor': 'middle', 'dominant-baseline': 'middle'}, tag));
    });
    graph.nodes.forEach(function (node) {
      nodeLayer.appendChild(graphNode(node, graph.node_width, graph.node_height));
    });

    out.appendChild(table(_('Steps on the scenario graph'), basisNote(graph),
      [_('From'), _('Choice or route'), _('To'), _('Learners')],
      graph.edges.map(function (edge) {
        var to = nodeName(byId[edge.target]);
        return [nodeName(byId[edge.source]), edgeName(edge),
          edge.back ? t.interpolate(_('{step} (back to an earlier step)'), {step: to}) : to,
          number(edge.learners)];
      })));
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
      renderGraph(out, report.graph);
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
  /* Inside the block's own box (the template's .asn-case-study), where the shared colours,
     widths and this panel's styles apply; the runtime's wrapper is only a fallback. */
  (root.querySelector('.asn-case-study') || root).appendChild(panel);

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
