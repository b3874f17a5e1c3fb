/* Training evaluation, Studio editor: sends the form to `studio_save` and lists every problem it
   returns; tells the authoring page through runtime.notify when it saved or cancelled. */
function AsnEvaluationStudio(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var errorBox = root.querySelector('[data-asn-error]');

  function field(name) { return root.querySelector('[name="' + name + '"]'); }

  function showProblems(problems) {
    var list = root.querySelector('[data-ev-problems]');
    list.textContent = '';
    (problems || []).forEach(function (problem) { list.appendChild(el('li', {'class': 'asn-error'}, problem)); });
  }

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function save() {
    var questions;
    try { questions = JSON.parse(field('questions').value); } catch (error) {
      showError(_('The survey items are not valid JSON.'));
      return;
    }
    showError('');
    api.notify(runtime, 'save', {state: 'start', message: _('Saving')});
    api.post(runtime, element, 'studio_save', {
      display_name: field('display_name').value, survey: field('survey').value,
      methods: Array.prototype.filter.call(root.querySelectorAll('[name="methods"]'), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; }),
      show_dashboard: field('show_dashboard').checked,
      follow_up_days: field('follow_up_days').value === '' ? 0 : parseInt(field('follow_up_days').value, 10),
      course_name: field('course_name').value, organiser: field('organiser').value,
      jp_hours: field('jp_hours').value === '' ? 0 : Number(field('jp_hours').value),
      start_date: field('start_date').value, end_date: field('end_date').value,
      certificate_number: field('certificate_number').value, questions: questions
    }).then(function (result) {
      showProblems(result.data.problems);
      if (result.ok) {
        api.announce(root, _('Saved.'));
        api.notify(runtime, 'save', {state: 'end'});
      } else {
        showError(result.data.error || _('Could not save.'));
        api.notify(runtime, 'error', {title: _('Could not save.'), message: result.data.error || ''});
      }
    });
  }

  showProblems(args.problems);
  root.querySelector('[data-ev-save]').addEventListener('click', save);
  root.querySelector('[data-ev-cancel]').addEventListener('click', function () { api.notify(runtime, 'cancel', {}); });
}
