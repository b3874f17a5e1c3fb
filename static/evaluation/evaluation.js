/* Training evaluation survey: collects the ratings of the server-rendered form and sends them once.

   The server checks every answer and answers 400 with a message in the learner's language;
   the message goes to the alert region and focus to the first unanswered statement. */
function AsnEvaluation(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var form = root.querySelector('[data-ev-form]');
  var errorBox = root.querySelector('[data-asn-error]');
  var busy = false;
  if (!form) { return; }

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function collect() {
    var answers = {};
    Array.prototype.forEach.call(root.querySelectorAll('[data-ev-item]'), function (box) {
      var chosen = box.querySelector('input:checked');
      if (chosen) { answers[box.getAttribute('data-ev-item')] = Number(chosen.value); }
    });
    Array.prototype.forEach.call(root.querySelectorAll('[data-ev-number]'), function (input) {
      if (input.value.trim() !== '') { answers[input.getAttribute('data-ev-number')] = Number(input.value); }
    });
    var comment = root.querySelector('[data-ev-comment]');
    return {answers: answers, comment: comment ? comment.value : ''};
  }

  function firstUnanswered() {
    return Array.prototype.filter.call(root.querySelectorAll('[data-ev-item]'), function (box) {
      return !box.querySelector('input:checked');
    })[0];
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) { return; }
    var missing = firstUnanswered();
    if (missing) {
      showError(_('Please answer every statement before you send the survey.'));
      missing.querySelector('input').focus();
      return;
    }
    busy = true;
    showError('');
    api.post(runtime, element, 'submit', collect()).then(function (result) {
      busy = false;
      if (!result.ok) {
        showError(result.data.error || _('The survey could not be sent. Please try again.'));
        return;
      }
      form.hidden = true;
      var done = root.querySelector('[data-ev-done]');
      done.hidden = false;
      done.focus();
      api.announce(root, _('Thank you: your answers are recorded anonymously.'));
    });
  });
}
