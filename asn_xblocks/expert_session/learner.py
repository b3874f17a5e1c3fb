"""What a learner sees and does: the session page, watched time, reflection, joining live.

Every handler checks its input before changing a field, so a refused request (HTTP 400 with a
message in the learner's language) changes nothing. Credit is computed on the server only:
watched intervals are merged and rate-checked (`watching`), the join link is handed out only
inside the join window (`live`), and nothing a learner sends can publish a grade.
"""
import hashlib
from dataclasses import replace
from datetime import datetime, timezone

from django.conf import settings
from webob import Response

from ..core import video_urls
from ..core.events import track
from ..core.handlers import HandlerError, download_handler, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.ledger import api as ledger
from ..core.rendering import fragment, render_template
from ..core.sanitize import sanitize_html
from ..core.users import current_user
from . import grading, live, progress, records, transcripts, watching

INTERVAL = {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'number'}}
PROGRESS_SCHEMA = fields(intervals={'type': 'array', 'maxItems': watching.MAX_INTERVALS_PER_REPORT,
                                    'items': INTERVAL})
REFLECT_SCHEMA = fields(text={'type': 'string', 'maxLength': 20000})
PROVIDER_HOSTS = {'youtube': 'YouTube', 'vimeo': 'Vimeo'}

MESSAGES = {
    'no_user': N_('You need to be signed in to do this.'),
    'no_video': N_('This session has no recording to watch.'),
    'reflection_off': N_('This session does not ask for a reflection.'),
    'already_reflected': N_('You have already submitted your reflection.'),
    'too_short': N_('Your reflection is too short: write at least {min} characters.'),
    'too_long': N_('Your reflection is too long: at most {max} characters.'),
    'not_open': N_('The live session cannot be joined now. The join link opens {minutes} minutes before '
                   'the start and closes at the end.'),
    'no_live': N_('This session has no live part.'),
    'no_transcript': N_('There is no transcript in this language.'),
}
STAKEHOLDER_LABELS = {
    'akademisi': N_('Academic'), 'praktisi': N_('Practitioner'), 'oms': N_('Civil-society organisation'),
    'pemerintah': N_('Government'), 'swasta': N_('Private sector'),
}
LIVE_STATES = {
    live.SCHEDULED: N_('Scheduled'), live.OPEN_TO_JOIN: N_('Open to join'), live.LIVE: N_('Live now'),
    live.ENDED: N_('Ended'), live.RECORDING_AVAILABLE: N_('Recording available'),
}


def now():
    """The server clock (aware, UTC); tests replace it."""
    return datetime.now(timezone.utc)


def points(value):
    """7.0 → 7, 7.25 → 7.25: how a score reads on the page."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def clock_label(seconds):
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f'{hours}:{minutes:02d}:{secs:02d}' if hours else f'{minutes}:{secs:02d}'


class LearnerMixin:
    """student_view, student_view_data and the learner's handlers."""

    tracking_events = frozenset({'asn.expert_session.video.progressed', 'asn.expert_session.reflection.submitted',
                                 'asn.expert_session.live.joined', 'asn.expert_session.reflection.graded'})

    # --- what the page shows --------------------------------------------------------------
    def player(self):
        """Provider, the embed address we build (never provider HTML), title and duration; or None."""
        ref = self.video_ref
        if ref is None:
            return None
        title = (self.video or {}).get('title') or self.model.title.get(current_locale(self))
        return {'provider': ref.provider, 'embed_url': video_urls.embed_url(ref, self.video_url),
                'title': title, 'duration': self.duration, 'host': PROVIDER_HOSTS.get(ref.provider, ''),
                'thumbnail': (self.video or {}).get('thumbnail_url', '')}

    def live_view(self, moment=None):
        """The live part for the page: state, times (UTC; the browser shows them in the learner's zone)."""
        session = self.live_session
        if session is None:
            return None
        _ = gettext_for(self)
        moment = moment or now()
        state = live.state_at(session, moment)
        upcoming = live.next_change(session, moment)
        return {
            'state': state, 'state_label': _(LIVE_STATES[state]),
            'start': session.start.isoformat(), 'end': session.end.isoformat(),
            'join_opens': session.join_opens.isoformat(), 'next_change': upcoming.isoformat() if upcoming else None,
            'timezone': session.timezone,
            'organiser_time': live.to_local(session.start, session.timezone).strftime('%Y-%m-%d %H:%M'),
            'platform': live.PLATFORM_NAMES[session.platform] if session.platform != 'other' else '',
            'join_before_minutes': session.join_before_minutes, 'can_join': live.may_join(session, moment),
            'recording_url': session.recording_url if state == live.RECORDING_AVAILABLE else '',
            'attended': self.record.attended,
        }

    def reflection_view(self):
        if not self.reflection_enabled:
            return None
        submitted = bool(self.record.reflection)
        score = self.learner_score_fraction() if self.reflection_graded and submitted else None
        return {'submitted': submitted, 'min': self.reflection_min_chars,
                'max': self.reflection_max_chars, 'graded': self.reflection_graded,
                'score': None if score is None else points(score * self.reflection_max_points),
                'max_points': self.reflection_max_points}

    def progress_view(self):
        """What a heartbeat can change: the watched share and the completion."""
        record = self.record
        return {'watched_percent': round(100 * record.watch.fraction(self.duration), 1),
                'completion': round(record.completion, 4)}

    def learner_state(self):
        """What the page's script starts with and the reflect, join and live_state handlers answer."""
        return {**self.progress_view(), 'watch_percent_needed': self.rule.watch_percent,
                'reflection': self.reflection_view(), 'live': self.live_view()}

    def expert_cards(self, locale):
        _ = gettext_for(self)
        return [{'name': expert.name, 'title': expert.title.get(locale) if expert.title else '',
                 'organisation': expert.organisation, 'stakeholder': _(STAKEHOLDER_LABELS[expert.stakeholder]),
                 'bio': sanitize_html(expert.bio.get(locale)) if expert.bio else '', 'photo_url': expert.photo_url,
                 'affiliations': expert.affiliations.get(locale) if expert.affiliations else ''}
                for expert in self.model.experts]

    def student_view(self, context=None):
        _ = gettext_for(self)
        locale = current_locale(self)
        state, player = self.learner_state(), self.player()
        staff_panel = self.staff_fragment_context()
        html = render_template(self, __name__, 'expert_session.html', {
            **self.content_context(locale), 'locale': locale, 'uid': self.dom_id(), 'player': player,
            'calendar_url': self.runtime.handler_url(self, 'calendar') if self.live else '',
            'live': state['live'], 'reflection': state['reflection'], 'reflection_text': self.record.reflection,
            'ledger_notice': _(ledger.UNAVAILABLE_NOTICE) if staff_panel and not ledger.is_available() else '',
        })
        return fragment(self, html, css=('public/expert_session/expert_session.css',
                                         *(staff_panel['css'] if staff_panel else ())),
                        js=('public/expert_session/player.js', 'public/expert_session/expert_session.js',
                            *(staff_panel['js'] if staff_panel else ())),
                        init='AsnExpertSession',
                        init_args={'state': state, 'player': player,
                                   'staff': staff_panel['init_args'] if staff_panel else None})

    def content_context(self, locale):
        """The authored part of the page in the learner's language (the same for every learner)."""
        model = self.model
        lang = locale if locale in self.transcripts else next(iter(self.transcripts), '')
        cues = self.cues(lang) if lang else []
        return {
            'title': model.title.get(locale),
            'summary': sanitize_html(model.summary.get(locale)) if model.summary else '',
            'experts': self.expert_cards(locale),
            'moments': [(item.text.get(locale), item.at, clock_label(item.at) if item.at is not None else '')
                        for item in model.takeaways],
            'chapters': [(item.text.get(locale), item.at or 0, clock_label(item.at or 0)) for item in model.chapters],
            'prompts': [prompt.get(locale) for prompt in model.prompts],
            'resources': [(resource.title.get(locale), resource.url) for resource in model.resources],
            'jp': model.learning_hours(self.duration), 'rubric': model.rubric.get(locale) if model.rubric else '',
            'cues': [(f'{cue.start_ms / 1000:g}', clock_label(cue.start_ms / 1000), cue.speaker, cue.text) for cue in cues],
            'transcript_lang': lang,
            'tracks': [(code, self.runtime.handler_url(self, 'transcript', code)) for code in sorted(self.transcripts)],
        }

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app (cached per course, not per learner): never the join link or a state."""
        locale = current_locale(self)
        session = self.live_session
        return {
            'display_name': self.display_name, 'title': self.model.title.get(locale),
            'video': self.player(), 'transcript_languages': sorted(self.transcripts),
            'live': None if session is None else {
                'start': session.start.isoformat(), 'end': session.end.isoformat(), 'timezone': session.timezone,
                'join_before_minutes': session.join_before_minutes, 'recording_url': session.recording_url},
            'experts': [{'name': e.name, 'stakeholder': e.stakeholder, 'organisation': e.organisation}
                        for e in self.model.experts],
            'learning_hours': self.model.learning_hours(self.duration),
        }

    def dom_id(self):
        """A page-unique prefix for element ids (two sessions may share a unit)."""
        return 'asn-es-' + hashlib.sha256(str(self.scope_ids.usage_id).encode()).hexdigest()[:12]

    # --- handlers -------------------------------------------------------------------------
    def signed_in(self):
        user = current_user(self)
        if user is None:
            raise HandlerError(MESSAGES['no_user'], status=403)
        return user

    @json_handler(PROGRESS_SCHEMA)
    def progress(self, data, suffix=''):
        """Merge the intervals the player reports (checked against duration and playback speed).

        The heartbeat of every watching learner: it reads only what credit needs, saves one
        field and writes to the ledger only when the learner starts or passes a milestone.
        """
        user = self.signed_in()
        duration = self.duration
        if self.video_ref is None or not duration:
            raise HandlerError(MESSAGES['no_video'])
        before = self.record.watch
        try:
            after = watching.record_report(before, data['intervals'], duration_seconds=duration, now=now().timestamp())
        except watching.WatchError as error:
            raise HandlerError(error.template, **error.params) from error
        self.record = replace(self.record, watch=after)
        if not before.intervals:  # the first report starts the learner
            ledger.record_start(self, user.user_id, user.anonymous_id)
        self.note_watched(user, 100 * before.fraction(duration), 100 * after.fraction(duration))
        self.update_completion(user)
        return self.progress_view()

    def note_watched(self, user, before_percent, after_percent):
        """Record and announce the watched quartiles this report passed (none: nothing written)."""
        if records.passed(before_percent, after_percent):
            reached = [q for q in records.QUARTILES if q <= after_percent]
            records.record_milestones(self, user.user_id, records.WATCHED, reached)
            track(self, 'asn.expert_session.video.progressed', {'percent': max(reached)})

    @json_handler(REFLECT_SCHEMA)
    def reflect(self, data, suffix=''):
        """Submit the reflection once; it is stored as the learner's submission for staff grading."""
        user = self.signed_in()
        text = data['text'].strip()
        if not self.reflection_enabled:
            raise HandlerError(MESSAGES['reflection_off'])
        if self.record.reflection:
            raise HandlerError(MESSAGES['already_reflected'])
        if len(text) < max(self.reflection_min_chars, 1):
            raise HandlerError(MESSAGES['too_short'], min=max(self.reflection_min_chars, 1))
        if len(text) > self.reflection_max_chars:
            raise HandlerError(MESSAGES['too_long'], max=self.reflection_max_chars)
        scores = grading.backend()
        uuid = scores.create_submission(grading.student_item(self, user.anonymous_id), {'text': text})
        _row, created = records.record_reflection(self, user, text, uuid)
        if not created:
            raise HandlerError(MESSAGES['already_reflected'])
        self.record = replace(self.record, reflection=text)
        ledger.record_start(self, user.user_id, user.anonymous_id)
        track(self, 'asn.expert_session.reflection.submitted', {'length': len(text)})
        self.update_completion(user)
        return self.learner_state()

    @json_handler(fields())
    def join(self, data, suffix=''):
        """The meeting link, only inside the join window; the first join counts as attendance."""
        user = self.signed_in()
        session = self.live_session
        if session is None:
            raise HandlerError(MESSAGES['no_live'])
        if not live.may_join(session, now()):
            raise HandlerError(MESSAGES['not_open'], minutes=session.join_before_minutes)
        self.record = replace(self.record, attended=True)
        records.record_attendance(self, user)
        ledger.record_start(self, user.user_id, user.anonymous_id)
        track(self, 'asn.expert_session.live.joined', {'state': live.state_at(session, now())})
        self.update_completion(user)
        return {**self.learner_state(), 'url': session.join_url}

    @json_handler(fields())
    def live_state(self, data, suffix=''):
        """The page's state again when the live session changes state (the countdown reached it)."""
        return self.learner_state()

    @download_handler()
    def calendar(self, request, suffix=''):  # pylint: disable=unused-argument
        """The live session as an .ics file: a stable UID, SEQUENCE bumped on every reschedule."""
        session = self.live_session
        if session is None:
            raise HandlerError(MESSAGES['no_live'], status=404)
        _ = gettext_for(self)
        body = live.ics(session, str(self.scope_ids.usage_id), self.live_sequence,
                        title=self.model.title.get(current_locale(self)), page_url=self.course_page_url(),
                        gettext=_)
        response = Response(body, content_type='text/calendar', charset='utf-8')
        response.content_disposition = 'attachment; filename="sesi-narasumber.ics"'
        response.cache_control.no_store = True
        return response

    @download_handler()
    def transcript(self, request, suffix=''):  # pylint: disable=unused-argument
        """A transcript as WebVTT (the <track> of the HTML5 player; downloads)."""
        if suffix not in self.transcripts:
            raise HandlerError(MESSAGES['no_transcript'], status=404)
        response = Response(transcripts.to_vtt(self.cues(suffix)), content_type='text/vtt', charset='utf-8')
        response.cache_control.no_store = True
        return response

    def course_page_url(self):
        """The LMS page of this block (what the calendar entry links to), '' outside an https LMS."""
        root = getattr(settings, 'LMS_ROOT_URL', '') or ''
        course = getattr(self.scope_ids.usage_id, 'course_key', None)
        if not root.startswith('https://') or course is None:
            return ''
        return f'{root.rstrip("/")}/courses/{course}/jump_to/{self.scope_ids.usage_id}'

    # --- credit ---------------------------------------------------------------------------
    def learner_score_fraction(self):
        user = current_user(self)
        if user is None:
            return None
        return grading.backend().score_of(grading.student_item(self, user.anonymous_id))

    def update_completion(self, user):
        """Report completion by the author's rule (only ever upwards); note the first full one."""
        record, rule = self.record, self.rule
        fraction = progress.completion(
            rule, watched_fraction=record.watch.fraction(self.duration), reflected=bool(record.reflection),
            attended=record.attended, recording_available=rule.attendance and self.recording_available)
        if record.completion < 1.0 <= self.report_completion(fraction):
            records.record_milestones(self, user.user_id, records.COMPLETED, [100])
