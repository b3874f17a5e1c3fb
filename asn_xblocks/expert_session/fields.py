"""The expert session's fields and what they mean, read once into the pure models.

Content (`session`, `transcripts`) is what an author writes; settings hold the video, the live
schedule and the rules; user_state holds only small per-learner records (watched intervals,
the reflection, a join flag). The live join link is a setting but never leaves the server
except through the `join` handler inside the window (not in OLX, student_view_data or .ics).
"""
import functools
import json

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Integer, Scope, String

from ..core.i18n import N_
from . import live as live_model
from .model import Session
from .progress import CompletionRule
from .transcripts import Cue
from .watching import WatchState

DEFAULT_MAX_POINTS = 10


@functools.lru_cache(maxsize=64)
def parse_session(serialised):
    """The Session of stored content (cached: content changes rarely, page views are many)."""
    return Session.from_dict(json.loads(serialised))


class ExpertSessionFields(XBlockMixin):
    """Fields, and the pure models built from them."""

    display_name = String(display_name=N_('Display name'), default='Sesi Narasumber', scope=Scope.settings)
    session = Dict(help=N_('Experts, summary, takeaways, chapters, prompts and resources.'),
                   default={'title': {'id': 'Sesi Narasumber', 'en': 'Expert session'}}, scope=Scope.content)
    transcripts = Dict(help=N_('Validated transcript cues per language.'), default={}, scope=Scope.content)
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

    watch = Dict(default={}, scope=Scope.user_state)
    reflection_text = String(default='', scope=Scope.user_state)
    attended = Boolean(default=False, scope=Scope.user_state)

    @property
    def model(self):
        return parse_session(json.dumps(self.session, sort_keys=True))

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
    def rule(self):
        return CompletionRule(self.watch_percent if self.video_url else 0, self.require_reflection,
                              self.require_attendance and bool(self.live))

    @property
    def watch_state(self):
        return WatchState.from_json(self.watch)

    def cues(self, lang):
        return [Cue(**cue) for cue in self.transcripts.get(lang, [])]
