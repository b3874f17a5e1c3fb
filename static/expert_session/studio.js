/* Expert session, Studio editor: sends the form to `studio_save` (every problem comes back at
   once, next to nothing stored), checks a video with its provider on request, uploads
   transcripts, and tells the authoring page through runtime.notify when it saved or cancelled. */
function AsnExpertSessionStudio(runtime, element, args) {
  'use strict';
  var api = window.AsnXBlocksApi;
  var el = api.el;
  var root = api.rootOf(element);
  var t = window.AsnXBlocksI18N.translator(args.locale);
  var _ = t.gettext;
  var errorBox = root.querySelector('[data-asn-error]');

  function field(name) { return root.querySelector('[name="' + name + '"]'); }
  function number(name) { return field(name).value === '' ? 0 : Number(field(name).value); }
  function checked(name) { return field(name).checked; }

  function showProblems(problems) {
    var list = root.querySelector('[data-es-problems]');
    list.textContent = '';
    (problems || []).forEach(function (problem) {
      list.appendChild(el('li', {'class': problem.severity === 'error' ? 'asn-error' : 'asn-notice'}, problem.message));
    });
  }

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function describe(video) {
    var info = root.querySelector('[data-es-video-info]');
    info.textContent = video && video.provider ? t.interpolate(_('{provider}: "{title}", {seconds} s'), {
      provider: video.provider, title: video.title || '–', seconds: video.duration_seconds || '?'}) : '';
  }

  function live() {
    if (!checked('live_on')) { return {}; }
    return {start: field('live_start').value, timezone: field('live_timezone').value.trim(),
      duration_minutes: number('live_duration_minutes'), platform: field('live_platform').value,
      join_url: field('live_join_url').value.trim(), join_before_minutes: number('live_join_before_minutes'),
      recording_url: field('live_recording_url').value.trim()};
  }

  function save() {
    var session;
    try { session = JSON.parse(field('session').value); } catch (error) {
      showError(_('The content is not valid JSON.'));
      return;
    }
    showError('');
    api.notify(runtime, 'save', {state: 'start', message: _('Saving')});
    api.post(runtime, element, 'studio_save', {
      display_name: field('display_name').value, session: session, video_url: field('video_url').value.trim(),
      duration_seconds: number('duration_seconds'), live: live(), watch_percent: number('watch_percent'),
      require_reflection: checked('require_reflection'), require_attendance: checked('require_attendance'),
      reflection_enabled: checked('reflection_enabled'), reflection_graded: checked('reflection_graded'),
      reflection_max_points: number('reflection_max_points'), reflection_min_chars: number('reflection_min_chars'),
      reflection_max_chars: number('reflection_max_chars'), weight: number('weight')
    }).then(function (result) {
      showProblems(result.data.problems);
      if (result.ok) {
        describe(result.data.video);
        api.notify(runtime, 'save', {state: 'end'});
        api.announce(root, _('Saved.'));
      } else {
        showError(result.data.error || _('Something went wrong. Please try again.'));
        api.notify(runtime, 'error', {title: _('Not saved'), message: result.data.error || ''});
      }
    });
  }

  function lookup() {
    showError('');
    api.post(runtime, element, 'studio_lookup', {video_url: field('video_url').value.trim()}).then(function (result) {
      if (result.ok) { describe(result.data.video); api.announce(root, _('The video was found.')); } else {
        showError(result.data.error || _('Something went wrong. Please try again.'));
      }
    });
  }

  function transcript(text, filename) {
    showError('');
    api.post(runtime, element, 'studio_transcript', {lang: field('transcript_lang').value.trim(), filename: filename,
      text: text}).then(function (result) {
      if (!result.ok) { showError(result.data.error || _('Something went wrong. Please try again.')); return; }
      root.querySelector('[data-es-transcripts]').textContent = result.data.languages.join(', ');
      showProblems((result.data.notices || []).map(function (notice) { return {severity: 'warning', message: notice}; }));
      api.announce(root, _('Transcripts updated.'));
    });
  }

  field('transcript_file').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    file.text().then(function (text) { transcript(text, file.name); });
  });
  root.querySelector('[data-es-transcript-remove]').addEventListener('click', function () { transcript('', ''); });
  root.querySelector('[data-es-lookup]').addEventListener('click', lookup);
  root.querySelector('[data-es-save]').addEventListener('click', save);
  root.querySelector('[data-es-cancel]').addEventListener('click', function () { api.notify(runtime, 'cancel', {}); });
  describe(args.video);
  showProblems(args.problems);
}
