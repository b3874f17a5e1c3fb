"""The expert session's fields and what they mean, read once into the pure models.

Content (`session`, `transcripts`) is what an author writes; settings hold the video, the live
schedule and the rules; user_state is one small per-learner record (`learner_record.py`). The
live join link is a setting but never leaves the server except through the `join` handler
inside the window (not in OLX, student_view_data or .ics).
"""
import functools
import json
from dataclasses import replace

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Integer, Scope, String

from ..core import video_urls
from ..core.content_fields import ContentDict
from ..core.i18n import N_
from . import live as live_model
from .learner_record import LearnerRecord
from .model import Session
from .progress import CompletionRule
from .transcripts import Cue

DEFAULT_MAX_POINTS = 10


@functools.lru_cache(maxsize=64)
def parse_session(serialised):
    """The Session of stored content (cached: content changes rarely, page views are many)."""
    return Session.from_dict(json.loads(serialised))


class ExpertSessionFields(XBlockMixin):
    """Fields, and the pure models built from them."""

    display_name = String(display_name=N_('Display name'), default='Sesi Narasumber', scope=Scope.settings)
    session = ContentDict(help=N_('Experts, summary, takeaways, chapters, prompts and resources.'),
                          default={'title': {'id': 'Sesi Narasumber', 'en': 'Expert session'}}, scope=Scope.content)
    transcripts = ContentDict(help=N_('Validated transcript cues per language.'), default={}, scope=Scope.content)
    video_url = String(default='', scope=Scope.settings)
    video = Dict(help=N_('What the provider said about the video when it was saved.'), default={},
                 scope=Scope.settings)
    duration_seconds = Integer(help=N_('The video length, when the provider does not say it.'), default=0,
                               scope=Scope.settings)
    live = Dict(help=N_('The live session, if there is one.'), default={}, scope=Scope.settings)
    live_sequence = Integer(default=0, scope=Scope.settings)
    watch_percent = Integer(default=80, scope=Scope.settings)
    require_reflection = Boolean(default=False, scope=Scope.settings)
    require_attendance = Boolean(default=False, scope=Scope.settings)
    reflection_enabled = Boolean(default=True, scope=Scope.settings)
    reflection_graded = Boolean(default=False, scope=Scope.settings)
    reflection_max_points = Integer(default=DEFAULT_MAX_POINTS, scope=Scope.settings)
    reflection_min_chars = Integer(default=50, scope=Scope.settings)
    reflection_max_chars = Integer(default=2000, scope=Scope.settings)

    learner_record = Dict(help=N_("The learner's watched time, reflection, attendance and completion."),
                          default={}, scope=Scope.user_state)

    def _parsed(self, name, value, parse):
        """parse(value), worked out again only when the field holds another value (they are
        replaced whole, never edited in place), so a request parses each field once."""
        cached = self.__dict__.get(name)
        if cached is None or cached[0] is not value:
            cached = self.__dict__[name] = (value, parse(value))
        return cached[1]

    @property
    def model(self):
        return self._parsed('_model', self.session, lambda content: parse_session(json.dumps(content, sort_keys=True)))

    @property
    def record(self):
        """This learner's LearnerRecord."""
        return self._parsed('_record', self.learner_record, LearnerRecord.from_json)

    @record.setter
    def record(self, record):
        self.learner_record = record.to_json()

    @property
    def completion_reported(self):
        """Kept in the learner's record (CompletionMixin reads and raises it), so that a heartbeat
        saves one field, not two."""
        return self.record.completion

    @completion_reported.setter
    def completion_reported(self, fraction):
        self.record = replace(self.record, completion=fraction)

    @property
    def duration(self):
        """Seconds of the recording: the provider's figure, else the author's; 0 when unknown."""
        return (self.video or {}).get('duration_seconds') or self.duration_seconds or 0

    @property
    def live_session(self):
        """The LiveSession, or None when the session is recorded only (or the stored one is bad)."""
        if not self.live:
            return None
        try:
            return live_model.LiveSession.from_dict(self.live)
        except (live_model.LiveSessionError, TypeError):
            return None

    @property
    def video_ref(self):
        """The parsed recording address, or None without a (usable) one."""
        if not self.video_url:
            return None
        try:
            return video_urls.parse_video_url(self.video_url)
        except video_urls.VideoUrlError:
            return None

    @property
    def recording_available(self):
        """A recording to make up a missed live session with (the live one read only without video)."""
        if self.video_url:
            return True
        session = self.live_session
        return bool(session and session.recording_url)

    @property
    def rule(self):
        return CompletionRule(self.watch_percent if self.video_url else 0, self.require_reflection,
                              self.require_attendance and bool(self.live))

    def cues(self, lang):
        return [Cue(**cue) for cue in self.transcripts.get(lang, [])]
