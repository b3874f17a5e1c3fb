/* Case-study player: renders the one step the server sends, posts the learner's move, and
   keeps focus and announcements where a keyboard or screen-reader user expects them.
   All text goes in through textContent, so nothing a learner or author wrote runs as HTML. */
function AsnCaseStudy(runtime, element, args) {
  'use strict';
  var root = window.AsnXBlocksApi.rootOf(element);
  var api = window.AsnXBlocksApi;
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var stage = root.querySelector('[data-cs-stage]');
  var controls = root.querySelector('[data-cs-controls]');
  var errorBox = root.querySelector('[data-asn-error]');
  var state = args.state;
  var busy = false;
  var timer = null;

  var el = window.AsnXBlocksApi.el;

  function paragraphs(parent, text) {
    String(text || '').split(/\n\s*\n/).forEach(function (part) {
      if (part.trim()) { parent.appendChild(el('p', {}, part.trim())); }
    });
  }

  function button(label, onClick, secondary) {
    var node = el('button', {type: 'button', 'class': 'asn-button' + (secondary ? ' asn-secondary' : '')}, label);
    node.addEventListener('click', onClick);
    return node;
  }

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  /* A move inside an attempt cannot change the attempt counters, so the server leaves them out. */
  function keepCounters(next) {
    if (!('attempts_remaining' in next)) {
      next.attempts_used = state.attempts_used;
      next.attempts_remaining = state.attempts_remaining;
    }
    return next;
  }

  function send(handler, data) {
    if (busy) { return; }
    busy = true;
    showError('');
    api.post(runtime, element, handler, data).then(function (result) {
      busy = false;
      if (result.ok) {
        state = keepCounters(result.data);
        render(true);
      } else if (result.data.code === 'stale_step') {
        showError(result.data.error);
        api.post(runtime, element, 'load', {}).then(function (fresh) {
          if (fresh.ok) { state = fresh.data; render(true); }
        });
      } else {
        showError(result.data.error || _('Something went wrong. Please try again.'));
      }
    });
  }

  function renderFeedback() {
    if (!state.feedback || !state.feedback.text) { return null; }
    var box = el('div', {'class': 'asn-panel asn-feedback'});
    /* h3 like the step title after it: the block's title is the h2 above (an h4 here skipped a level). */
    box.appendChild(el('h3', {'class': 'asn-cs-feedback-title'}, state.feedback.timed_out ? _('Time is up') : _('What happened')));
    paragraphs(box, state.feedback.text);
    return box;
  }

  function renderTimer(view) {
    if (view.seconds_remaining === null || view.seconds_remaining === undefined) { return null; }
    var left = Math.ceil(view.seconds_remaining);
    var clock = el('p', {'class': 'asn-cs-timer', role: 'timer', 'aria-live': 'off'});
    function tick() {
      clock.textContent = t.interpolate(_('Time left: {seconds} seconds'), {seconds: Math.max(left, 0)});
      if (left === 30 || left === 10) { api.announce(root, clock.textContent); }
      if (left <= 0) {
        window.clearInterval(timer);
        send('time_up', {step: state.step});
      }
      left -= 1;
    }
    tick();
    timer = window.setInterval(tick, 1000);
    return clock;
  }

  /* Privacy first: nothing is loaded from the video host until the learner presses the poster
     button; only then is the player (an iframe on the embed URL the server built, or <video>
     for a file) put in its place, and focus moves into it. */
  function renderVideo(video) {
    var box = el('div', {'class': 'asn-cs-video'});
    var title = video.title || _('Video');
    var host = {youtube: 'YouTube', vimeo: 'Vimeo'}[video.provider];
    var poster = el('button', {type: 'button', 'class': 'asn-cs-video-poster'});
    poster.appendChild(el('span', {'class': 'asn-cs-video-play', 'aria-hidden': 'true'}, '\u25B6'));
    poster.appendChild(el('span', {}, t.interpolate(_('Play video: {title}'), {title: title})));
    box.appendChild(poster);
    if (host) {
      AsnCaseStudy.videoNotes = (AsnCaseStudy.videoNotes || 0) + 1;
      var noteId = 'asn-cs-video-note-' + AsnCaseStudy.videoNotes;
      box.appendChild(el('p', {id: noteId, 'class': 'asn-muted asn-cs-video-note'}, t.interpolate(
        _('The video is played from {host}; nothing is loaded from {host} until you press play.'), {host: host})));
      poster.setAttribute('aria-describedby', noteId);
    }
    poster.addEventListener('click', function () {
      var player = video.provider === 'html5'
        ? el('video', {src: video.embed_url, controls: '', preload: 'metadata', 'aria-label': title},
          _('Your browser cannot play this video.'))
        : el('iframe', {src: video.embed_url, title: title, allow: 'fullscreen', allowfullscreen: '',
          referrerpolicy: 'strict-origin-when-cross-origin',
          sandbox: 'allow-scripts allow-same-origin allow-presentation'});
      player.className = 'asn-cs-video-player';
      box.textContent = '';
      box.appendChild(player);
      player.focus();
    });
    return box;
  }

  function renderSituation(view) {
    var timerNode = renderTimer(view);
    if (timerNode) { stage.appendChild(timerNode); }
    paragraphs(stage, view.text);
    if (view.image) {
      stage.appendChild(el('img', {src: view.image.url, alt: view.image.alt || '', 'class': 'asn-cs-image'}));
    }
    if (view.video) { stage.appendChild(renderVideo(view.video)); }
    var group = el('div', {role: 'group', 'aria-label': _('Your choices'), 'class': 'asn-cs-choices'});
    view.choices.forEach(function (choice) {
      group.appendChild(button(choice.label, function () {
        send('choose', {step: state.step, choice: choice.id});
      }, true));
    });
    stage.appendChild(group);
  }

  function renderEvent(view) {
    stage.appendChild(el('p', {'class': 'asn-cs-event-label'}, _('Unexpected situation')));
    paragraphs(stage, view.text);
    stage.appendChild(button(_('Continue'), function () { send('proceed', {step: state.step}); }));
  }

  function renderDebrief(review) {
    var box = el('section', {'class': 'asn-cs-debrief', 'aria-label': _('Debrief')});
    box.appendChild(el('h4', {}, _('Your score')));
    box.appendChild(el('p', {'class': 'asn-cs-score'},
      t.interpolate(_('{score} of {max} points'), {score: review.score, max: review.max_score})));
    box.appendChild(el('h4', {}, _('Your decisions beside the expert path')));
    var table = el('table');
    var head = el('tr');
    [_('Step'), _('Your choice'), _('Expert choice'), _('Points')].forEach(function (name) {
      head.appendChild(el('th', {scope: 'col'}, name));
    });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    review.decisions.forEach(function (decision) {
      var row = el('tr');
      row.appendChild(el('th', {scope: 'row'}, decision.title));
      var mine = el('td');
      mine.appendChild(el('p', {}, decision.timed_out ? _('No answer in time') : decision.choice && decision.choice.label));
      if (decision.choice && decision.choice.feedback) { mine.appendChild(el('p', {'class': 'asn-muted'}, decision.choice.feedback)); }
      if (decision.timeout_feedback) { mine.appendChild(el('p', {'class': 'asn-muted'}, decision.timeout_feedback)); }
      row.appendChild(mine);
      var expert = el('td');
      if (decision.followed_expert) {
        expert.appendChild(el('p', {}, _('Same as yours')));
      } else if (decision.expert) {
        expert.appendChild(el('p', {}, decision.expert.label));
        if (decision.expert.feedback) { expert.appendChild(el('p', {'class': 'asn-muted'}, decision.expert.feedback)); }
      }
      row.appendChild(expert);
      row.appendChild(el('td', {}, String(decision.points)));
      body.appendChild(row);
    });
    box.appendChild(table);
    if (review.competencies.length) {
      box.appendChild(el('h4', {}, _('Competency profile')));
      var list = el('ul', {'class': 'asn-cs-competencies'});
      review.competencies.forEach(function (item) {
        var percent = item.possible ? Math.round(100 * item.earned / item.possible) : 0;
        list.appendChild(el('li', {}, t.interpolate(_('{code} {label}: {earned} of {possible} points ({percent}%)'), {
          code: item.code, label: item.label, earned: item.earned, possible: item.possible, percent: percent})));
      });
      box.appendChild(list);
    }
    return box;
  }

  function renderEnding(view) {
    paragraphs(stage, view.text);
    if (state.debrief) { stage.appendChild(renderDebrief(state.debrief)); }
  }

  function renderControls() {
    controls.textContent = '';
    if (!state.view) {
      controls.appendChild(button(_('Start the case study'), function () { send('begin', {}); }));
      return;
    }
    if (state.can_undo) {
      controls.appendChild(button(_('Go back one step'), function () { send('go_back', {step: state.step}); }, true));
    }
    if (state.can_restart) {
      controls.appendChild(button(_('Start over'), function () { send('begin', {}); }, true));
    }
    if (state.can_retry) {
      controls.appendChild(button(_('Try again'), function () { send('begin', {}); }));
    }
    if (state.attempts_remaining !== null && state.attempts_remaining !== undefined) {
      controls.appendChild(el('p', {'class': 'asn-muted'},
        t.interpolate(_('Attempts left: {count}'), {count: state.attempts_remaining})));
    }
  }

  function render(moveFocus) {
    var intro = root.querySelector('.asn-cs-intro');
    if (intro && state.view && moveFocus) { intro.open = false; }
    if (timer) { window.clearInterval(timer); timer = null; }
    stage.textContent = '';
    var view = state.view;
    var feedback = renderFeedback();
    if (feedback) { stage.appendChild(feedback); }
    if (view) {
      var heading = el('h3', {'class': 'asn-cs-step-title', tabindex: '-1'}, view.title);
      stage.appendChild(heading);
      if (view.kind === 'situation') { renderSituation(view); }
      if (view.kind === 'event') { renderEvent(view); }
      if (view.kind === 'ending') { renderEnding(view); }
      if (moveFocus) { (feedback || heading).setAttribute('tabindex', '-1'); (feedback || heading).focus(); }
      api.announce(root, (state.feedback && state.feedback.text ? state.feedback.text + ' ' : '') + view.title);
    }
    renderControls();
  }

  render(false);
  if (args.staff && typeof window.AsnCaseStudyStaff === 'function') { window.AsnCaseStudyStaff(runtime, element, args); }
}
