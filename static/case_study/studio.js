/* Case-study editor in Studio: settings plus the scenario as a form (scenario_editor.js) and as
   JSON, both on the same object, checked and saved on the server.

   The Studio contract (also what the course-authoring MFE listens for to close its iframe):
   runtime.notify('save', {state: 'start', message}) before the request, then {state: 'end'}
   when it succeeded, or runtime.notify('error', {title, message}); Cancel notifies 'cancel'.
   Problems and author text go into the page through textContent only. */
function AsnCaseStudyStudio(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var form = root.querySelector('[data-cs-form]');
  var textarea = root.querySelector('[data-cs-scenario]');
  var fileInput = root.querySelector('[data-cs-file]');
  var scores = root.querySelector('[data-cs-scores]');
  var list = root.querySelector('[data-cs-problems]');
  var reportTitle = root.querySelector('[data-cs-report-title]');
  var saveButton = root.querySelector('[data-cs-save]');
  var checkButton = root.querySelector('[data-cs-check]');
  var busy = false;
  var editorBox = root.querySelector('[data-cs-editor]');
  var editor = window.AsnScenarioEditor({
    container: root.querySelector('[data-cs-editor-body]'),
    textarea: textarea,
    t: t,
    uid: editorBox.getAttribute('data-uid'),
    competencies: args.competencies || [],
    announce: function (message) { api.announce(root, message); }
  });

  var el = window.AsnXBlocksApi.el;

  function number(value) {
    return Number(value).toLocaleString(args.locale, {maximumFractionDigits: 2});
  }

  function scoreText(report) {
    var hasErrors = (report.problems || []).some(function (p) { return p.severity === 'error'; });
    if (report.min_score !== null && report.min_score !== undefined &&
        report.max_score !== null && report.max_score !== undefined) {
      return t.interpolate(_('Achievable score: from {low} to {high} points.'),
        {low: number(report.min_score), high: number(report.max_score)});
    }
    if (report.max_score !== null && report.max_score !== undefined) {
      return t.interpolate(_('Highest achievable score: {high} points.'), {high: number(report.max_score)});
    }
    return hasErrors ? _('The achievable score is calculated once the scenario has no errors.')
      : _('The achievable score cannot be calculated for this scenario.');
  }

  function where(problem) {
    if (!problem.node_id) { return _('Whole scenario'); }
    return t.interpolate(_('Node "{node}"'), {node: problem.node_id});
  }

  /* Problems grouped by node, in the order the server found them. */
  function renderProblems(problems) {
    list.textContent = '';
    var groups = [];
    var byNode = {};
    problems.forEach(function (problem) {
      var key = problem.node_id || '';
      if (!Object.prototype.hasOwnProperty.call(byNode, key)) {
        byNode[key] = {label: where(problem), items: []};
        groups.push(byNode[key]);
      }
      byNode[key].items.push(problem);
    });
    groups.forEach(function (group) {
      var item = el('li', {'class': 'asn-cs-problem-group'});
      item.appendChild(el('span', {'class': 'asn-cs-where'}, group.label));
      var inner = el('ul');
      group.items.forEach(function (problem) {
        var error = problem.severity === 'error';
        var line = el('li', {'class': 'asn-cs-problem ' + (error ? 'asn-cs-error' : 'asn-cs-warning')});
        line.appendChild(el('strong', {}, (error ? _('Error') : _('Warning')) + ': '));
        if (problem.choice_id) {
          line.appendChild(el('span', {'class': 'asn-cs-choice'},
            t.interpolate(_('choice "{choice}"'), {choice: problem.choice_id}) + ' — '));
        }
        if (editor.canLocate(problem)) {
          // A problem the form can show: a link-like button that opens the node and focuses the field.
          var go = el('button', {type: 'button', 'class': 'asn-cs-problem-link'}, problem.message);
          go.addEventListener('click', function () { editor.show(problem); });
          line.appendChild(go);
        } else {
          line.appendChild(document.createTextNode(problem.message));
        }
        inner.appendChild(line);
      });
      item.appendChild(inner);
      list.appendChild(item);
    });
  }

  function summary(problems) {
    var errors = problems.filter(function (p) { return p.severity === 'error'; }).length;
    var warnings = problems.length - errors;
    if (!problems.length) { return _('No problems found.'); }
    return t.interpolate(t.ngettext('{count} error', '{count} errors', errors), {count: errors}) + ', ' +
      t.interpolate(t.ngettext('{count} warning', '{count} warnings', warnings), {count: warnings}) + '.';
  }

  /* Show a report ({problems, min_score, max_score}) and announce its gist. */
  function showReport(report, lead) {
    var problems = report.problems || [];
    scores.textContent = scoreText(report);
    renderProblems(problems);
    if (!problems.length) { list.appendChild(el('li', {'class': 'asn-cs-ok'}, _('No problems found.'))); }
    api.announce(root, (lead ? lead + ' ' : '') + summary(problems));
  }

  function showLocalError(message) {
    showReport({problems: [{severity: 'error', node_id: null, choice_id: null, message: message}],
                min_score: null, max_score: null});
  }

  function readScenario() {
    var value;
    try {
      value = JSON.parse(textarea.value);
    } catch (error) {
      return {error: t.interpolate(_('The scenario is not valid JSON: {detail}'), {detail: error.message})};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return {error: _('The scenario must be a JSON object.')};
    }
    return {value: value};
  }

  function setBusy(value) {
    busy = value;
    saveButton.disabled = value;
    checkButton.disabled = value;
  }

  function failureReport(result) {
    if (result.data && result.data.problems) { return result.data; }
    var message = (result.data && result.data.error) || _('Something went wrong. Please try again.');
    return {problems: [{severity: 'error', node_id: null, choice_id: null, message: message}],
            min_score: null, max_score: null};
  }

  function check() {
    if (busy) { return; }
    var scenario = readScenario();
    if (scenario.error) { showLocalError(scenario.error); return; }
    setBusy(true);
    scores.textContent = _('Checking…');
    api.post(runtime, element, 'studio_check', {scenario: scenario.value}).then(function (result) {
      setBusy(false);
      showReport(result.ok ? result.data : failureReport(result));
    });
  }

  function settings() {
    return {
      display_name: root.querySelector('[data-cs-field="display_name"]').value,
      weight: parseFloat(root.querySelector('[data-cs-field="weight"]').value),
      grading_policy: root.querySelector('[data-cs-field="grading_policy"]').value,
      max_attempts: parseFloat(root.querySelector('[data-cs-field="max_attempts"]').value)
    };
  }

  function refuse(message, report) {
    showReport(report);
    reportTitle.focus();
    api.notify(runtime, 'error', {title: _('The case study was not saved'), message: message});
  }

  function save(event) {
    event.preventDefault();
    if (busy) { return; }
    var scenario = readScenario();
    if (scenario.error) {
      refuse(scenario.error, {problems: [{severity: 'error', node_id: null, choice_id: null,
                                          message: scenario.error}], min_score: null, max_score: null});
      return;
    }
    var payload = settings();
    payload.scenario = scenario.value;
    setBusy(true);
    api.notify(runtime, 'save', {state: 'start', message: _('Saving…')});
    api.post(runtime, element, 'studio_save', payload).then(function (result) {
      setBusy(false);
      if (result.ok) {
        showReport(result.data, _('Saved.'));
        api.notify(runtime, 'save', {state: 'end'});
      } else {
        var report = failureReport(result);
        refuse((result.data && result.data.error) || report.problems[0].message, report);
      }
    });
  }

  function importFile() {
    var file = fileInput.files && fileInput.files[0];
    if (!file) { return; }
    if (file.size > args.max_bytes) {
      showLocalError(t.interpolate(_('The file "{name}" is too large for a scenario.'), {name: file.name}));
      fileInput.value = '';
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      textarea.value = String(reader.result);
      editor.reload();
      fileInput.value = '';
      api.announce(root, t.interpolate(_('The file "{name}" is now in the editor; checking it.'), {name: file.name}));
      check();
    };
    reader.onerror = function () {
      showLocalError(t.interpolate(_('The file "{name}" could not be read.'), {name: file.name}));
      fileInput.value = '';
    };
    reader.readAsText(file, 'utf-8');
  }

  function exportFile() {
    var scenario = readScenario();
    if (scenario.error) { showLocalError(scenario.error); return; }
    var id = typeof scenario.value.id === 'string' ? scenario.value.id.replace(/[^A-Za-z0-9_-]+/g, '-') : '';
    var name = (id || 'scenario') + '.json';
    var blob = new Blob([JSON.stringify(scenario.value, null, 2) + '\n'], {type: 'application/json'});
    var link = el('a', {href: URL.createObjectURL(blob), download: name, hidden: ''});
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    api.announce(root, t.interpolate(_('The scenario was downloaded as {file}.'), {file: name}));
  }

  form.addEventListener('submit', save);
  checkButton.addEventListener('click', check);
  root.querySelector('[data-cs-cancel]').addEventListener('click', function () { api.notify(runtime, 'cancel', {}); });
  root.querySelector('[data-cs-import]').addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', importFile);
  textarea.addEventListener('input', editor.reload);
  root.querySelector('[data-cs-export]').addEventListener('click', exportFile);

  editor.reload();
  scores.textContent = scoreText(args.report);
  renderProblems(args.report.problems || []);
  if (!(args.report.problems || []).length) { list.appendChild(el('li', {'class': 'asn-cs-ok'}, _('No problems found.'))); }
}
