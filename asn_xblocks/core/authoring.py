"""What every block's Studio side shares: unit-page messages and the author preview.

A block's Studio mixin supplies `stored_report()`: {'problems': [{'severity', 'code',
'message', …}], …} for its stored content, messages already in the author's language, with
the code 'bad_shape' when the content cannot be read at all.
"""
from xblock.core import XBlockMixin
from xblock.validation import ValidationMessage

from .rendering import fragment


class AuthoringMixin(XBlockMixin):
    """`validate()` from the stored content's problems, and the author preview built around them."""

    studio_css = ()  # the block's Studio style sheets ('public/<block>/studio.css')

    def validate(self):
        """Studio's messages on the unit page: one per error or warning of the stored content."""
        validation = super().validate()
        for problem in self.stored_report()['problems']:
            kind = ValidationMessage.ERROR if problem['severity'] == 'error' else ValidationMessage.WARNING
            validation.add(ValidationMessage(kind, problem['message']))
        return validation

    def author_preview(self, summary_html, context=None):
        """The authors' summary above the learner's view; the summary alone when the content cannot be read."""
        if any(p['code'] == 'bad_shape' for p in self.stored_report()['problems']):
            return fragment(self, summary_html, css=self.studio_css)
        frag = self.student_view(context)
        frag.content = summary_html + frag.content
        for uri in self.studio_css:
            frag.add_css_url(self.runtime.local_resource_url(self, uri))
        return frag
