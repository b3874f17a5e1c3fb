/* Expert session, staff panel: the report on demand (funnel, watched distribution, attendance,
   reflections) and the staff grade of each reflection. Only staff get this file; the handlers
   check staff again on the server. Learners' text goes in through textContent only. */
function AsnExpertSessionStaff(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var STEPS = {
    started: _('Started'), watched_25: _('Watched 25%'), watched_50: _('Watched 50%'), watched_75: _('Watched 75%'),
    watched_100: _('Watched 100%'), reflected: _('Submitted a reflection'), attended: _('Joined live'),
    completed: _('Completed')
  };
  var panel = el('section', {'class': 'asn-panel asn-es-staff', 'aria-label': _('Staff report')});
  var heading = panel.appendChild(el('h3', {tabindex: '-1'}, _('Staff report')));
  var show = panel.appendChild(el('button', {type: 'button', 'class': 'asn-button asn-secondary'}, _('Show the staff report')));
  panel.appendChild(el('a', {href: runtime.handlerUrl(element, 'export_csv'), 'class': 'asn-es-csv'}, _('Download CSV')));
  var out = panel.appendChild(el('div', {'data-es-staff-out': ''}));
  (root.querySelector('.asn-expert-session') || root).appendChild(panel);

  function table(caption, headers, rows) {
    var node = el('table');
    node.appendChild(el('caption', {}, caption));
    var head = el('tr');
    headers.forEach(function (name) { head.appendChild(el('th', {scope: 'col'}, name)); });
    node.appendChild(el('thead')).appendChild(head);
    var body = node.appendChild(el('tbody'));
    rows.forEach(function (cells) {
      var row = body.appendChild(el('tr'));
      cells.forEach(function (cell, index) {
        if (cell instanceof window.Node) { row.appendChild(el('td')).appendChild(cell); } else {
          row.appendChild(index === 0 ? el('th', {scope: 'row'}, cell) : el('td', {}, cell));
        }
      });
    });
    return node;
  }

  function gradeForm(item) {
    var form = el('div', {'class': 'asn-es-grade'});
    var id = 'asn-es-grade-' + Math.random().toString(36).slice(2, 9);
    form.appendChild(el('label', {'for': id}, t.interpolate(_('Points for {user} (0–{max})'), {user: item.user, max: args.staff.max_points})));
    var input = form.appendChild(el('input', {id: id, type: 'number', min: '0', max: String(args.staff.max_points), step: 'any'}));
    if (item.points !== null && item.points !== undefined) { input.value = item.points; }
    var save = form.appendChild(el('button', {type: 'button', 'class': 'asn-button asn-secondary'}, _('Save grade')));
    var status = form.appendChild(el('span', {'class': 'asn-muted', role: 'status'}));
    save.addEventListener('click', function () {
      status.textContent = '';
      api.post(runtime, element, 'staff_grade', {user_id: item.user_id, points: Number(input.value)}).then(function (result) {
        status.textContent = result.ok ? t.interpolate(_('Saved: {points} points.'), {points: result.data.points})
          : (result.data.error || _('Something went wrong. Please try again.'));
      });
    });
    return form;
  }

  function render(report) {
    out.textContent = '';
    if (!report.ledger_available) { out.appendChild(el('p', {'class': 'asn-notice'}, _('The result ledger is not installed: there is nothing to report.'))); }
    out.appendChild(table(_('Completion funnel'), [_('Step'), _('Learners')],
      report.funnel.map(function (row) { return [STEPS[row.step] || row.step, String(row.learners)]; })));
    out.appendChild(table(_('Watched share of the recording'), [_('Watched'), _('Learners')],
      report.watched.map(function (band) {
        return [band.from === band.to ? band.from + '%' : band.from + '–' + band.to + '%', String(band.learners)];
      })));
    out.appendChild(table(_('Live attendance'), [_('Learner'), _('Joined at (UTC)')],
      report.attendance.map(function (row) { return [row.user, row.joined_at]; })));
    var headers = [_('Learner'), _('Reflection'), _('Submitted at (UTC)')];
    if (args.staff.graded) { headers.push(_('Staff grade')); }
    out.appendChild(table(_('Reflections'), headers, report.reflections.map(function (item) {
      var cells = [item.user, item.text, item.submitted_at];
      if (args.staff.graded) { cells.push(gradeForm(item)); }
      return cells;
    })));
  }

  show.addEventListener('click', function () {
    api.post(runtime, element, 'staff_report', {}).then(function (result) {
      if (!result.ok) { out.textContent = result.data.error || _('Something went wrong. Please try again.'); return; }
      render(result.data);
      heading.focus();
    });
  });
}
