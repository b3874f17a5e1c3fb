"""Errors shown to authors and learners: a stable code, parameters, and an English template
that is translated only when shown, in the language of whoever reads it."""
from .i18n import N_

LINE = N_('Line {line}: {problem}')


class TranslatableError(ValueError):
    """`messages` (set by each subclass) maps codes to N_ templates; `line` is 1-based in an
    uploaded file, or None. `translated(gettext)` gives the message in the reader's language."""

    messages = {}

    def __init__(self, code, params=None, line=None):
        if code not in self.messages:
            raise ValueError(f'{type(self).__name__} has no message for {code!r}')
        self.code, self.params, self.line = code, dict(params or {}), line
        super().__init__(self.translated())

    @property
    def template(self):
        return self.messages[self.code]

    @property
    def message(self):
        return self.translated()

    def translated(self, gettext=lambda text: text):
        problem = gettext(self.template).format(**self.params)
        return problem if self.line is None else gettext(LINE).format(line=self.line, problem=problem)
