"""Field types shared by the blocks."""
from xblock.fields import Dict


class ContentDict(Dict):
    """A Dict that the block only ever replaces whole, never edits in place.

    XBlock deep-copies a mutable field on its first read in every request, to find edits in
    place when it saves; for authored content (a scenario, transcripts) that copy costs more
    than the request's own work.
    """

    MUTABLE = False
