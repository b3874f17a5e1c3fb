/* Pre/post assessment: shows the learner's own form, saves answers as they go, submits them.

   The server sends only stems, option texts and opaque option ids until its show-answer
   policy allows more; scoring happens there. Every text goes in through textContent. */
function AsnAssessment(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var stage = root.querySelector('[data-as-stage]');
  var errorBox = root.querySelector('[data-asn-error]');
  var uid = 'asn-as-' + Math.random().toString(36).slice(2, 10);
  var state = args.state;
  var busy = false;
  var saveTimer = null;
  var CONFIDENCE = [
    [1, _('Guessing')], [2, _('Not very sure')], [3, _('Fairly sure')], [4, _('Very sure')]
  ];

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function button(label, onClick, secondary) {
    var node = el('button', {type: 'button', 'class': 'asn-button' + (secondary ? ' asn-secondary' : '')}, label);
    node.addEventListener('click', onClick);
    return node;
  }

  function percent(value) {
    if (value === null || value === undefined) { return '—'; }
    return Number(value).toLocaleString(args.locale, {maximumFractionDigits: 1}) + '%';
  }

  function when(iso) {
    return new Date(iso).toLocaleString(args.locale, {dateStyle: 'full', timeStyle: 'short'});
  }

  /* --- answers as the page holds them ---------------------------------------------------- */
  function collect() {
    var answers = {};
    var confidence = {};
    (state.form ? state.form.items : []).forEach(function (item) {
      var box = stage.querySelector('[data-item="' + item.item_id + '"]');
      if (!box) { return; }
      var checked = Array.prototype.slice.call(box.querySelectorAll('input[data-answer]:checked'));
      if (item.type === 'likert') {
        if (checked.length) { answers[item.item_id] = Number(checked[0].value); }
      } else if (checked.length) {
        answers[item.item_id] = checked.map(function (input) { return input.value; });
      }
      var sure = box.querySelector('input[data-confidence]:checked');
      if (sure) { confidence[item.item_id] = Number(sure.value); }
    });
    return {attempt: state.attempt, answers: answers, confidence: confidence};
  }

  function progress() {
    var total = state.form.items.length;
    var done = Object.keys(collect().answers).length;
    var node = stage.querySelector('[data-as-progress]');
    if (node) {
      node.textContent = t.interpolate(_('{done} of {total} questions answered'), {done: done, total: total});
    }
  }

  function scheduleSave() {
    progress();
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(function () {
      api.post(runtime, element, 'save_answers', collect()).then(function (result) {
        var note = stage.querySelector('[data-as-saved]');
        if (!note) { return; }
        note.textContent = result.ok ? _('Your answers are saved.') : (result.data.error || _('Could not save your answers.'));
      });
    }, 700);
  }

  /* --- the form ----------------------------------------------------------------------------- */
  function choiceInput(type, name, value, label, checked, data) {
    var id = name + '-' + String(value).replace(/[^A-Za-z0-9_-]/g, '');
    var row = el('div', {'class': 'asn-as-option'});
    var input = el('input', {type: type, id: id, name: name, value: value});
    input.setAttribute(data, '');
    input.checked = !!checked;
    input.addEventListener('change', scheduleSave);
    row.appendChild(input);
    row.appendChild(el('label', {'for': id}, label));
    return row;
  }

  function itemBox(item) {
    var box = el('fieldset', {'class': 'asn-as-item', 'data-item': item.item_id});
    var legend = el('legend');
    legend.appendChild(el('span', {'class': 'asn-as-number'}, t.interpolate(_('Question {number}'), {number: item.number})));
    legend.appendChild(el('span', {'class': 'asn-as-stem'}, item.stem));
    box.appendChild(legend);
    var name = uid + '-' + item.item_id;
    if (item.type === 'likert') {
      var scale = el('div', {'class': 'asn-as-scale'});
      item.scale.forEach(function (point) {
        scale.appendChild(choiceInput('radio', name, point.value, point.value + ' — ' + point.label,
          item.value === point.value, 'data-answer'));
      });
      box.appendChild(scale);
      return box;
    }
    if (item.type === 'multiple') {
      box.appendChild(el('p', {'class': 'asn-muted'}, _('Choose every answer that applies.')));
    }
    item.options.forEach(function (option) {
      box.appendChild(choiceInput(item.type === 'multiple' ? 'checkbox' : 'radio', name, option.id, option.text,
        item.selected.indexOf(option.id) >= 0, 'data-answer'));
    });
    if (state.ask_confidence) {
      var group = el('fieldset', {'class': 'asn-as-confidence'});
      group.appendChild(el('legend', {}, _('How sure are you?')));
      CONFIDENCE.forEach(function (level) {
        group.appendChild(choiceInput('radio', name + '-sure', level[0], level[1],
          state.confidence[item.item_id] === level[0], 'data-confidence'));
      });
      box.appendChild(group);
    }
    return box;
  }

  function renderForm() {
    var form = el('form', {'class': 'asn-as-form', novalidate: ''});
    form.appendChild(el('p', {'class': 'asn-as-progress', 'data-as-progress': ''}));
    state.form.items.forEach(function (item) { form.appendChild(itemBox(item)); });
    var actions = el('div', {'class': 'asn-as-actions'});
    actions.appendChild(el('button', {type: 'submit', 'class': 'asn-button'}, _('Submit answers')));
    actions.appendChild(el('span', {'class': 'asn-muted', 'data-as-saved': '', 'aria-live': 'polite'}));
    form.appendChild(actions);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submit();
    });
    stage.appendChild(form);
    progress();
  }

  /* --- the result ----------------------------------------------------------------------------- */
  function renderReview(review) {
    var list = el('ol', {'class': 'asn-as-review'});
    review.items.forEach(function (item) {
      var entry = el('li', {'class': 'asn-as-review-item'});
      entry.appendChild(el('p', {'class': 'asn-as-stem'}, item.stem));
      if (item.type === 'likert') {
        entry.appendChild(el('p', {}, t.interpolate(_('Your rating: {value}'), {value: item.value})));
      } else {
        var options = el('ul');
        item.options.forEach(function (option) {
          var chosen = item.selected.indexOf(option.id) >= 0;
          var marks = [];
          if (chosen) { marks.push(_('your answer')); }
          if (option.correct) { marks.push(_('correct')); }
          var line = el('li', {'class': option.correct ? 'asn-as-correct' : (chosen ? 'asn-as-wrong' : '')},
            option.text + (marks.length ? ' (' + marks.join(', ') + ')' : ''));
          if (chosen && option.feedback) { line.appendChild(el('span', {'class': 'asn-as-feedback'}, ' — ' + option.feedback)); }
          options.appendChild(line);
        });
        entry.appendChild(options);
      }
      if (item.explanation) { entry.appendChild(el('p', {'class': 'asn-as-explanation'}, item.explanation)); }
      list.appendChild(entry);
    });
    return list;
  }

  function renderResult(result) {
    var box = el('section', {'class': 'asn-panel asn-as-result', 'aria-labelledby': uid + '-result'});
    box.appendChild(el('h3', {id: uid + '-result'}, _('Your result')));
    box.appendChild(el('p', {'class': 'asn-as-score', 'data-as-score': ''},
      t.interpolate(_('Score of attempt {attempt}: {percent}'), {attempt: result.attempt, percent: percent(result.percent)})));
    if (result.comparison) {
      if (result.comparison.pre_percent !== null && result.comparison.pre_percent !== undefined) {
        box.appendChild(el('p', {}, t.interpolate(_('Your pre-test score: {percent}'), {percent: percent(result.comparison.pre_percent)})));
      }
      box.appendChild(api.table('asn-table', _('Your score per competency'), '', [_('Competency'), _('Pre-test'), _('Post-test')],
        result.comparison.competencies.map(function (row) {
          return [row.code + ' ' + row.label, percent(row.pre), percent(row.post)];
        })));
    }
    if (result.review) {
      box.appendChild(el('h4', {}, _('Answers and explanations')));
      box.appendChild(renderReview(result.review));
    }
    stage.appendChild(box);
  }

  /* --- states ------------------------------------------------------------------------------- */
  var NOTES = {
    needs_pre: function () { return _('Take the pre-test first: this post-test opens after it.'); },
    not_open: function () { return t.interpolate(_('This test opens on {date}.'), {date: when(state.opens_at)}); },
    closed: function () { return _('This test is closed.'); },
    no_attempts: function () { return _('You have used all your attempts.'); }
  };

  function render(moveFocus) {
    stage.textContent = '';
    if (state.status === 'in_progress') {
      renderForm();
    } else {
      if (NOTES[state.status]) { stage.appendChild(el('p', {'class': 'asn-panel asn-notice'}, NOTES[state.status]())); }
      if (state.result) { renderResult(state.result); }
      if (state.status === 'ready') {
        if (state.closes_at) {
          stage.appendChild(el('p', {'class': 'asn-muted'}, t.interpolate(_('Open until {date}.'), {date: when(state.closes_at)})));
        }
        stage.appendChild(button(state.result ? _('Try again') : _('Start the test'), function () { send('start', {}); }));
      }
    }
    if (moveFocus) { stage.focus(); }
  }

  function send(handler, data) {
    if (busy) { return; }
    busy = true;
    showError('');
    api.post(runtime, element, handler, data).then(function (result) {
      busy = false;
      if (result.ok) {
        state = result.data;
        render(true);
        api.announce(root, handler === 'submit' ? _('Your answers have been submitted.') : _('The test has started.'));
        return;
      }
      showError(result.data.error || _('Something went wrong. Please try again.'));
      if (result.data.code === 'stale_attempt' || result.data.state) {
        api.post(runtime, element, 'load', {}).then(function (fresh) {
          if (fresh.ok) { state = fresh.data; render(false); }
        });
      } else if (result.data.code === 'unanswered') {
        var first = stage.querySelector('[data-item] input');
        var missing = stage.querySelectorAll('[data-item]');
        Array.prototype.some.call(missing, function (box) {
          if (box.querySelector('input[data-answer]:checked')) { return false; }
          first = box.querySelector('input');
          return true;
        });
        if (first) { first.focus(); }
      }
    });
  }

  function submit() {
    window.clearTimeout(saveTimer);
    send('submit', collect());
  }

  render(false);
  if (args.staff && typeof window.AsnAssessmentStaff === 'function') { window.AsnAssessmentStaff(runtime, element, args); }
}
