"""The demo session (Bahasa Indonesia with English) and the workbench's pages: recorded, and live.

The live page is scheduled relative to when the workbench loads its scenarios, so that its join
window is always ahead of a visitor (the join button then appears on time).
"""
import functools
import importlib.resources
import json
from datetime import datetime, timedelta, timezone

from ..core.olx import parse_olx_string
from .olx import workbench_olx

DEMO_VIDEO = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ'  # an illustration; any public video will do
DEMO_DURATION = 50  # seconds of the demo transcript


@functools.lru_cache(maxsize=None)
def _data(name):
    return importlib.resources.files(__package__).joinpath('data', name).read_text(encoding='utf-8')


def demo_session():
    """A fresh copy of the demo content (callers may change it)."""
    return json.loads(_data('sesi_lapor.json'))


def demo_transcript():
    """The demo's Indonesian WebVTT, kept as the <transcript> element OLX exports."""
    return parse_olx_string(_data('sesi_lapor_transcript.xml')).text


def workbench_scenarios():
    start = (datetime.now(timezone.utc) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    recorded = workbench_olx({'display_name': 'Sesi Narasumber', 'video_url': DEMO_VIDEO,
                              'duration_seconds': DEMO_DURATION, 'watch_percent': 80, 'require_reflection': True,
                              'reflection_graded': True, 'reflection_min_chars': 20},
                             demo_session(), demo_transcript())
    live = workbench_olx({'display_name': 'Sesi Narasumber (langsung)', 'watch_percent': 0,
                          'require_attendance': True, 'reflection_min_chars': 20},
                         demo_session(), demo_transcript(),
                         {'start': start.isoformat().replace('+00:00', 'Z'), 'timezone': 'Asia/Jakarta',
                          'duration_minutes': 90, 'platform': 'zoom', 'join_before_minutes': 45,
                          'join_url': 'https://us02web.zoom.us/j/81234567890'})
    return [('Sesi narasumber: rekaman', recorded), ('Sesi narasumber: sesi langsung', live)]
