"""Authoring an expert session in Studio: the editor, its handlers, the preview and validate().

The video look-up (oEmbed) runs only here, in handlers only an author may call, when a session
is saved or the author asks for it; what it learns is stored in fields, so a learner's page view
never fetches anything. A failed look-up is remembered for a while (`oembed.CachedLookup`).
"""
import json

from xblock.core import XBlock, XBlockMixin
from xblock.validation import ValidationMessage

from ..core import video_urls
from ..core.handlers import HandlerError, fields, json_handler
from ..core.i18n import N_, current_locale, gettext_for
from ..core.rendering import fragment, render_template
from ..core.users import can_author
from . import authoring, live, oembed, transcripts
from .model import STAKEHOLDERS

STUDIO_MAX_BODY_BYTES = 256 * 1024
TRANSCRIPT_MAX_BODY_BYTES = transcripts.MAX_BYTES * 2 + 4096  # JSON escaping may double the text
LOOKUP = oembed.CachedLookup()

LIVE_SCHEMA = {'anyOf': [
    {'type': 'object', 'maxProperties': 0},
    fields(start={'type': 'string', 'maxLength': 32}, timezone={'type': 'string', 'maxLength': 64},
           duration_minutes={'type': 'integer'}, platform={'type': 'string', 'maxLength': 32},
           join_url={'type': 'string', 'maxLength': 2048}, join_before_minutes={'type': 'integer'},
           recording_url={'type': 'string', 'maxLength': 2048}),
]}
SAVE_SCHEMA = fields(
    display_name={'type': 'string', 'maxLength': 255}, session={'type': 'object'},
    video_url={'type': 'string', 'maxLength': 2048},
    duration_seconds={'type': 'integer', 'minimum': 0, 'maximum': oembed.DURATION_MAX}, live=LIVE_SCHEMA,
    watch_percent={'type': 'integer', 'minimum': 0, 'maximum': 100},
    require_reflection={'type': 'boolean'}, require_attendance={'type': 'boolean'},
    reflection_enabled={'type': 'boolean'}, reflection_graded={'type': 'boolean'},
    reflection_max_points={'type': 'integer', 'minimum': 1, 'maximum': 100},
    reflection_min_chars={'type': 'integer', 'minimum': 0, 'maximum': 5000},
    reflection_max_chars={'type': 'integer', 'minimum': 1, 'maximum': 20000},
    weight={'type': 'number', 'minimum': 0, 'maximum': 100},
)
LOOKUP_SCHEMA = fields(video_url={'type': 'string', 'maxLength': 2048})
TRANSCRIPT_SCHEMA = fields(lang={'type': 'string', 'pattern': '^[a-z]{2,3}$'},
                           filename={'type': 'string', 'maxLength': 255},
                           text={'type': 'string', 'maxLength': TRANSCRIPT_MAX_BODY_BYTES})
MESSAGES = {
    'not_saved': N_('The session was not saved: fix the problems listed below first.'),
    'lookup_failed': N_('The video could not be checked: {problem}'),
    'transcript_refused': N_('The transcript was not accepted: {problem}'),
    'not_a_provider_video': N_('Only YouTube and Vimeo videos can be looked up; enter the length of a video '
                               'file yourself.'),
}
RULE_FIELDS = ('watch_percent', 'require_reflection', 'require_attendance', 'reflection_enabled',
               'reflection_graded', 'reflection_max_points', 'reflection_min_chars', 'reflection_max_chars')


def video_fields(info):
    """What the block stores from a look-up (never provider HTML)."""
    return {'provider': info.provider, 'video_id': info.video_id, 'title': info.title,
            'thumbnail_url': info.thumbnail_url, 'duration_seconds': info.duration_seconds,
            'author_name': info.author_name}


@XBlock.wants('studio_user_permissions')
class StudioMixin(XBlockMixin):
    """studio_view, author_view, validate and the editor's handlers."""

    def problem_json(self, problem):
        _ = gettext_for(self)
        return {'field': problem.field, 'severity': problem.severity, 'code': problem.code,
                'message': problem.message(_)}

    def stored_problems(self):
        """Problems of what is stored (validate(), the preview): no network, no look-up."""
        session, found = authoring.session_problems(self.session)
        found += authoring.video_problems(self.video_url)
        if self.video_url and self.rule.watch_percent and not self.duration:
            found.append(authoring.Problem('duration_needed', 'duration_seconds'))
        values = {name: getattr(self, name) for name in RULE_FIELDS}
        found += authoring.rule_problems(values, bool(self.video_url), bool(self.live))
        return found + authoring.timing_problems(session, self.duration)

    # --- views ---------------------------------------------------------------------------
    def live_form(self):
        session = self.live_session
        if session is None:
            return {}
        return {**session.to_dict(), 'start': live.to_local(session.start, session.timezone).strftime('%Y-%m-%dT%H:%M')}

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The editor: settings and rules in a form, the content as JSON, the video look-up, transcripts."""
        html = render_template(self, __name__, 'studio_edit.html', {
            'locale': current_locale(self), 'uid': self.dom_id(), 'display_name': self.display_name,
            'video_url': self.video_url, 'duration_seconds': self.duration_seconds or '',
            'session_json': json.dumps(self.session, indent=2, ensure_ascii=False),
            'live': self.live_form(), 'platforms': live.PLATFORMS, 'stakeholders': STAKEHOLDERS,
            'weight': f'{self.weight:g}', 'transcript_langs': sorted(self.transcripts),
            **{name: getattr(self, name) for name in RULE_FIELDS},
        })
        return fragment(self, html, css=('public/expert_session/studio.css',),
                        js=('public/expert_session/studio.js',), init='AsnExpertSessionStudio',
                        init_args={'video': self.video, 'problems': [self.problem_json(p) for p in self.stored_problems()]})

    def author_view(self, context=None):
        """The learner's view under the list of problems an author should fix."""
        frag = self.student_view(context)
        problems = [self.problem_json(p) for p in self.stored_problems()]
        summary = render_template(self, __name__, 'studio_summary.html', {'problems': problems})
        frag.content = summary + frag.content
        return frag

    def validate(self):
        validation = super().validate()
        for problem in self.stored_problems():
            kind = ValidationMessage.ERROR if problem.severity == 'error' else ValidationMessage.WARNING
            validation.add(ValidationMessage(kind, problem.message(gettext_for(self))))
        return validation

    # --- handlers ------------------------------------------------------------------------
    def look_up(self, url):
        """oEmbed for a YouTube or Vimeo address; None for a file; HandlerError when it fails."""
        if video_urls.parse_video_url(url).provider == 'html5':
            return None
        try:
            return LOOKUP(url)
        except oembed.OEmbedError as error:
            raise HandlerError(MESSAGES['lookup_failed'], extra={'problems': [{
                'field': 'video_url', 'severity': 'error', 'code': error.code,
                'message': error.translated(gettext_for(self))}]},
                problem=error.translated(gettext_for(self))) from error

    @json_handler(LOOKUP_SCHEMA, permission=can_author)
    def studio_lookup(self, data, suffix=''):  # pylint: disable=unused-argument
        """Check a video address with its provider without saving anything."""
        if authoring.video_problems(data['video_url']) or not data['video_url']:
            raise HandlerError(authoring.MESSAGES['bad_video_url'])
        info = self.look_up(data['video_url'])
        if info is None:
            raise HandlerError(MESSAGES['not_a_provider_video'])
        return {'video': video_fields(info)}

    @json_handler(SAVE_SCHEMA, max_body_bytes=STUDIO_MAX_BODY_BYTES, permission=can_author)
    def studio_save(self, data, suffix=''):  # pylint: disable=unused-argument
        """Store everything, or nothing when anything is wrong (every problem listed at once)."""
        session, found = authoring.session_problems(data['session'])
        found += authoring.video_problems(data['video_url'])
        schedule, live_found = authoring.live_from_form(data['live'])
        found += live_found
        found += authoring.rule_problems(data, bool(data['video_url']), bool(data['live']))
        if not data['display_name'].strip():
            found.append(authoring.Problem('blank_name', 'display_name'))
        video = self.video if data['video_url'] == self.video_url else {}
        if not found and data['video_url'] and not video:
            info = self.look_up(data['video_url'])
            video = video_fields(info) if info else {}
        duration = video.get('duration_seconds') or data['duration_seconds']
        if data['video_url'] and data['watch_percent'] and not duration:
            found.append(authoring.Problem('duration_needed', 'duration_seconds'))
        errors = [p for p in found if p.severity == 'error']
        if errors:
            raise HandlerError(MESSAGES['not_saved'], extra={'problems': [self.problem_json(p) for p in errors]})
        self.store(data, session, video, schedule)
        return {'problems': [self.problem_json(p) for p in authoring.timing_problems(session, self.duration)],
                'video': self.video}

    def store(self, data, session, video, schedule):
        previous = self.live_session
        self.display_name = data['display_name'].strip()
        self.session = session.to_dict()
        self.video_url, self.video, self.duration_seconds = data['video_url'], video, data['duration_seconds']
        if schedule is not None and previous is not None and (schedule.start, schedule.end) != (
                previous.start, previous.end):
            self.live_sequence += 1  # calendar programs update the entry instead of adding one
        self.live = schedule.to_dict() if schedule else {}
        self.weight = float(data['weight'])
        for name in RULE_FIELDS:
            setattr(self, name, data[name])

    @json_handler(TRANSCRIPT_SCHEMA, max_body_bytes=TRANSCRIPT_MAX_BODY_BYTES, permission=can_author)
    def studio_transcript(self, data, suffix=''):  # pylint: disable=unused-argument
        """Validate and store an uploaded WebVTT or SRT file for one language ('' text removes it)."""
        _ = gettext_for(self)
        if not data['text']:
            self.transcripts = {k: v for k, v in self.transcripts.items() if k != data['lang']}
            return {'languages': sorted(self.transcripts), 'notices': []}
        try:
            parsed = transcripts.parse_transcript(data['text'], filename=data['filename'])
        except transcripts.TranscriptError as error:
            raise HandlerError(MESSAGES['transcript_refused'], problem=error.translated(_)) from error
        self.transcripts = {**self.transcripts, data['lang']: [cue.to_dict() for cue in parsed.cues]}
        return {'languages': sorted(self.transcripts), 'cues': len(parsed.cues),
                'notices': [notice.translated(_) for notice in parsed.notices]}

