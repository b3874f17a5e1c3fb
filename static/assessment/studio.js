/* Assessment editor in Studio: settings plus the item bank as JSON, CSV/JSON import and export,
   checked and saved on the server.

   Studio contract: runtime.notify('save', {state: 'start', message}) before the request, then
   {state: 'end'} when it succeeded, or runtime.notify('error', {title, message}); Cancel
   notifies 'cancel'. Problems and author text go into the page through textContent only. */
function AsnAssessmentStudio(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var form = root.querySelector('[data-as-form]');
  var textarea = root.querySelector('[data-as-bank]');
  var fileInput = root.querySelector('[data-as-file]');
  var counts = root.querySelector('[data-as-counts]');
  var list = root.querySelector('[data-as-problems]');
  var reportTitle = root.querySelector('[data-as-report-title]');
  var busy = false;

  function field(name) { return root.querySelector('[data-as-field="' + name + '"]'); }

  function showReport(report, message) {
    list.textContent = '';
    var c = report.counts || {};
    counts.textContent = c.items === undefined ? '' : t.interpolate(
      _('{items} items ({single} single choice, {multiple} multiple response, {likert} self-assessment) for {competencies} competencies.'),
      {items: c.items, single: c.single || 0, multiple: c.multiple || 0, likert: c.likert || 0, competencies: c.competencies});
    var problems = report.problems || [];
    if (message) { list.appendChild(el('li', {'class': 'asn-as-error'}, message)); }
    problems.forEach(function (problem) {
      var label = problem.severity === 'error' ? _('Error') : _('Warning');
      list.appendChild(el('li', {'class': 'asn-as-' + problem.severity}, label + ': ' + problem.message));
    });
    if (!problems.length && !message) { list.appendChild(el('li', {'class': 'asn-as-ok'}, _('No problems found.'))); }
  }

  function bank() {
    try {
      return JSON.parse(textarea.value);
    } catch (error) {
      showReport({}, _('The item bank is not valid JSON.'));
      reportTitle.focus();
      return null;
    }
  }

  function call(handler, data, onOk) {
    if (busy) { return; }
    busy = true;
    api.post(runtime, element, handler, data).then(function (result) {
      busy = false;
      if (result.ok) {
        onOk(result.data);
        return;
      }
      showReport(result.data.problems ? result.data : {}, result.data.problems ? '' : (result.data.error || _('Something went wrong. Please try again.')));
      if (handler === 'studio_save') {
        api.notify(runtime, 'error', {title: _('The test was not saved'), message: result.data.error || ''});
      }
      api.announce(root, result.data.error || '');
      reportTitle.focus();
    });
  }

  function check() {
    var data = bank();
    if (data) {
      call('studio_check', {bank: data}, function (report) {
        showReport(report);
        api.announce(root, _('Check finished.'));
      });
    }
  }

  function download(name, type, text) {
    var link = el('a', {href: URL.createObjectURL(new Blob([text], {type: type})), download: name});
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function exportBank(kind) {
    var data = bank();
    if (!data) { return; }
    var name = (data.id || 'bank') + (kind === 'csv' ? '.csv' : '.json');
    if (kind === 'json') {
      download(name, 'application/json', JSON.stringify(data, null, 2));
      return;
    }
    call('studio_export_csv', {bank: data}, function (result) { download(name, 'text/csv', '\ufeff' + result.csv); });
  }

  function importFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result);
      if (/\.json$/i.test(file.name)) {
        textarea.value = text;
        check();
        return;
      }
      var data = bank();
      if (data) {
        call('studio_import_csv', {bank: data, csv: text}, function (result) {
          textarea.value = JSON.stringify(result.bank, null, 2);
          showReport(result);
          api.announce(root, _('The items were replaced from the CSV file. Save to keep them.'));
        });
      }
    };
    reader.readAsText(file);
  }

  function save(event) {
    event.preventDefault();
    var data = bank();
    if (!data) { return; }
    var body = {bank: data};
    ['display_name', 'phase', 'pairing_key', 'grading_policy', 'show_answers', 'opens_at', 'closes_at'].forEach(function (name) {
      body[name] = field(name).value;
    });
    ['weight', 'max_attempts', 'items_per_competency'].forEach(function (name) { body[name] = Number(field(name).value); });
    ['require_pre', 'show_comparison', 'ask_confidence'].forEach(function (name) { body[name] = field(name).checked; });
    api.notify(runtime, 'save', {state: 'start', message: _('Saving…')});
    call('studio_save', body, function (report) {
      showReport(report);
      api.notify(runtime, 'save', {state: 'end'});
      api.announce(root, _('Saved.'));
    });
  }

  form.addEventListener('submit', save);
  root.querySelector('[data-as-check]').addEventListener('click', check);
  root.querySelector('[data-as-import]').addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    if (fileInput.files.length) { importFile(fileInput.files[0]); }
    fileInput.value = '';
  });
  Array.prototype.forEach.call(root.querySelectorAll('[data-as-export]'), function (node) {
    node.addEventListener('click', function () { exportBank(node.getAttribute('data-as-export')); });
  });
  root.querySelector('[data-as-cancel]').addEventListener('click', function () { api.notify(runtime, 'cancel', {}); });
  showReport(args.report || {});
}
