/* Expert session, learner side: the privacy-first player with watched-time reports, the
   interactive transcript, the live session in the learner's own time zone with a join button
   inside the window, and the reflection. Every text goes in through textContent. */
function AsnExpertSession(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var state = args.state;
  var errorBox = root.querySelector('[data-asn-error]');
  var tracker = new window.AsnExpertPlayer.Tracker();
  var seek = null;
  var sending = false;
  var HEARTBEAT_MS = 15000;

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function percent(value) { return Math.round(value * 10) / 10; }

  function renderProgress() {
    var watched = root.querySelector('[data-es-watched]');
    if (watched && args.player) {
      watched.textContent = state.watch_percent_needed
        ? t.interpolate(_('You have watched {percent}% of the recording (needed: {needed}%).'),
          {percent: percent(state.watched_percent), needed: state.watch_percent_needed})
        : t.interpolate(_('You have watched {percent}% of the recording.'), {percent: percent(state.watched_percent)});
    }
    root.querySelector('[data-es-progress]').textContent =
      t.interpolate(_('Your progress in this session: {percent}%'), {percent: Math.round(state.completion * 100)});
  }

  /* --- watched time ---------------------------------------------------------------------- */
  function report() {
    if (sending) { return; }
    var intervals = tracker.take();
    if (!intervals.length) { return; }
    sending = true;
    api.post(runtime, element, 'progress', {intervals: intervals}).then(function (result) {
      sending = false;
      if (result.ok) {
        var before = state.completion;
        state.watched_percent = result.data.watched_percent; // a heartbeat answers only what it changes
        state.completion = result.data.completion;
        renderProgress();
        if (state.completion >= 1 && before < 1) { api.announce(root, _('You have completed this session.')); }
      } else {
        tracker.putBack(intervals); // a heartbeat refused now is accepted with the next one
      }
    });
  }

  function followTranscript(seconds) {
    var cues = root.querySelectorAll('[data-es-cue]');
    var current = null;
    cues.forEach(function (cue) { if (Number(cue.getAttribute('data-es-cue')) <= seconds) { current = cue; } });
    cues.forEach(function (cue) {
      if (cue === current) { cue.setAttribute('aria-current', 'true'); } else { cue.removeAttribute('aria-current'); }
    });
  }

  function setUpPlayer() {
    var box = root.querySelector('[data-es-player]');
    if (!box || !args.player) { return; }
    var info = args.player;
    var poster = el('button', {type: 'button', 'class': 'asn-es-poster'});
    poster.appendChild(el('span', {'class': 'asn-es-play', 'aria-hidden': 'true'}, '\u25B6'));
    poster.appendChild(el('span', {}, t.interpolate(_('Play video: {title}'), {title: info.title})));
    box.appendChild(poster);
    if (info.host) {
      var note = el('p', {id: 'asn-es-note-' + Math.random().toString(36).slice(2, 9), 'class': 'asn-muted asn-es-note'},
        t.interpolate(_('The video is played from {host}; nothing is loaded from {host} until you press play.'), {host: info.host}));
      box.appendChild(note);
      poster.setAttribute('aria-describedby', note.id);
    }
    var transcriptOnly = root.querySelector('.asn-es-transcript h3');
    if (transcriptOnly) {
      var reader = el('button', {type: 'button', 'class': 'asn-button asn-secondary asn-es-transcript-only'},
        _('Read the transcript instead'));
      reader.addEventListener('click', function () {
        transcriptOnly.setAttribute('tabindex', '-1');
        transcriptOnly.focus();
      });
      box.appendChild(reader);
    }
    poster.addEventListener('click', function () {
      var tracks = Array.prototype.map.call(root.querySelectorAll('[data-es-track]'), function (node) {
        return {lang: node.getAttribute('data-lang'), src: node.getAttribute('data-src')};
      });
      seek = window.AsnExpertPlayer.load(box, info, {
        time: function (seconds) { tracker.sample(seconds); followTranscript(seconds); },
        stopped: report
      }, tracks);
      window.setInterval(report, HEARTBEAT_MS);
      document.addEventListener('visibilitychange', function () { if (document.hidden) { report(); } });
    });
  }

  function setUpSeeking() {
    root.querySelectorAll('[data-es-seek], [data-es-cue]').forEach(function (button) {
      button.addEventListener('click', function () {
        var seconds = Number(button.getAttribute('data-es-seek') || button.getAttribute('data-es-cue'));
        if (seek) {
          seek(seconds);
        } else {
          var poster = root.querySelector('.asn-es-poster');
          api.announce(root, _('Start the video first with the play button.'));
          if (poster) { poster.focus(); }
        }
      });
    });
  }

  /* --- live session ---------------------------------------------------------------------- */
  function localTime(iso) {
    return new Date(iso).toLocaleString(args.locale, {dateStyle: 'full', timeStyle: 'short'});
  }

  function duration(ms) {
    var minutes = Math.max(0, Math.ceil(ms / 60000));
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
    return t.interpolate(_('{days} d {hours} h {minutes} min'), {days: days, hours: hours, minutes: minutes % 60});
  }

  function renderLive() {
    var box = root.querySelector('[data-es-live]');
    if (!box || !state.live) { return; }
    var live = state.live;
    box.querySelector('[data-es-live-state]').textContent = live.state_label;
    box.querySelectorAll('[data-es-local-time]').forEach(function (node) {
      node.textContent = localTime(node.getAttribute('datetime'));
    });
    var actions = box.querySelector('[data-es-live-actions]');
    actions.textContent = '';
    if (live.can_join) {
      var join = el('button', {type: 'button', 'class': 'asn-button asn-es-join'}, _('Join the live session'));
      join.addEventListener('click', joinLive);
      actions.appendChild(join);
    }
    if (live.recording_url) {
      actions.appendChild(el('a', {href: live.recording_url, rel: 'noopener noreferrer', target: '_blank'},
        _('Watch the recording')));
    }
    if (live.attended) { actions.appendChild(el('p', {'class': 'asn-es-attended'}, _('Your attendance has been recorded.'))); }
    tick();
  }

  function tick() {
    var countdown = root.querySelector('[data-es-countdown]');
    if (!countdown || !state.live) { return; }
    var live = state.live;
    var now = Date.now();
    if (now < Date.parse(live.join_opens)) {
      countdown.textContent = t.interpolate(_('The join button opens in {time}.'), {time: duration(Date.parse(live.join_opens) - now)});
    } else if (now < Date.parse(live.start)) {
      countdown.textContent = t.interpolate(_('Starts in {time}.'), {time: duration(Date.parse(live.start) - now)});
    } else if (now < Date.parse(live.end)) {
      countdown.textContent = t.interpolate(_('Ends in {time}.'), {time: duration(Date.parse(live.end) - now)});
    } else {
      countdown.textContent = '';
    }
    if (live.next_change && now >= Date.parse(live.next_change)) { refreshLive(); }
  }

  function refreshLive() {
    state.live.next_change = null; // one refresh per change
    api.post(runtime, element, 'live_state', {}).then(function (result) {
      if (result.ok) {
        state = result.data;
        renderLive();
        api.announce(root, state.live.state_label);
      }
    });
  }

  function joinLive() {
    showError('');
    api.post(runtime, element, 'join', {}).then(function (result) {
      if (!result.ok) { showError(result.data.error || _('Something went wrong. Please try again.')); return; }
      var url = result.data.url;
      state = result.data;
      renderLive();
      renderProgress();
      var actions = root.querySelector('[data-es-live-actions]');
      var link = el('a', {href: url, rel: 'noopener noreferrer', target: '_blank', 'class': 'asn-button asn-es-meeting'},
        _('Open the meeting'));
      actions.insertBefore(link, actions.firstChild);
      link.focus();
      api.announce(root, _('The meeting link is ready.'));
    });
  }

  /* --- reflection ------------------------------------------------------------------------ */
  function setUpReflection() {
    var box = root.querySelector('[data-es-reflection]');
    var text = box && box.querySelector('[data-es-text]');
    if (!text) { return; }
    var count = box.querySelector('[data-es-count]');
    var limits = state.reflection;
    function counted() {
      count.textContent = t.interpolate(_('{count} of at most {max} characters'), {count: text.value.trim().length, max: limits.max});
    }
    text.addEventListener('input', counted);
    counted();
    box.querySelector('[data-es-submit]').addEventListener('click', function () {
      showError('');
      api.post(runtime, element, 'reflect', {text: text.value}).then(function (result) {
        if (!result.ok) { showError(result.data.error || _('Something went wrong. Please try again.')); return; }
        var submitted = text.value.trim();
        state = result.data;
        var body = box.querySelector('[data-es-reflection-body]');
        body.textContent = '';
        body.appendChild(el('p', {}, _('You submitted this reflection:')));
        body.appendChild(el('blockquote', {'class': 'asn-es-my-reflection'}, submitted));
        if (state.reflection.graded) { box.querySelector('[data-es-score]').textContent = _('Waiting for a staff grade.'); }
        var heading = box.querySelector('h3');
        heading.setAttribute('tabindex', '-1');
        heading.focus();
        api.announce(root, _('Thank you: your reflection has been submitted.'));
        renderProgress();
      });
    });
  }

  setUpPlayer();
  setUpSeeking();
  setUpReflection();
  renderLive();
  renderProgress();
  if (state.live) { window.setInterval(tick, 1000); }
  if (args.staff && typeof window.AsnExpertSessionStaff === 'function') { window.AsnExpertSessionStaff(runtime, element, args); }
}
