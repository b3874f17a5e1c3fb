"""Completion reporting: one place that publishes completion, clamped and never backwards."""
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.fields import Float, Scope


class CompletionMixin(CompletableXBlockMixin):
    """Custom completion as a fraction that only grows.

    Blocks call `report_completion(fraction)` when the learner makes progress; the LMS's
    completion service records it. Repeating the same fraction publishes nothing.
    """

    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    completion_reported = Float(default=0.0, scope=Scope.user_state)

    def report_completion(self, fraction):
        """Publish `fraction` (0..1) if it is more than was reported before; return what stands."""
        fraction = min(max(float(fraction), 0.0), 1.0)
        if fraction > self.completion_reported:
            self.completion_reported = fraction
            self.emit_completion(fraction)
        return self.completion_reported

    @property
    def is_complete(self):
        """Whether the learner has fully completed the block."""
        return self.completion_reported >= 1.0
