"""The expert session as readable OLX: the only module of the block that knows XML.

    <asn_expert_session display_name="…" video_url="https://…" watch_percent="80" …>
      <session jp="1.5">
        <title><text lang="id">…</text><text lang="en">…</text></title>
        <summary>…</summary>                                  (author HTML, as text)
        <expert name="…" stakeholder="akademisi" organisation="…" photo_url="https://…">
          <title>…</title><bio>…</bio><affiliations>…</affiliations>
        </expert>
        <takeaway at="125"><text lang="id">…</text></takeaway>
        <chapter at="0"><text lang="id">…</text></chapter>
        <prompt><text lang="id">…</text></prompt>
        <resource url="https://…"><title>…</title></resource>
        <rubric>…</rubric>
      </session>
      <video provider="vimeo" video_id="…" title="…" thumbnail_url="…" duration_seconds="…" author_name="…"/>
      <live start="2026-12-03T02:00:00Z" timezone="Asia/Jakarta" duration_minutes="90" platform="zoom"
            join_before_minutes="15" recording_url="" sequence="0"/>
      <transcript lang="id">WEBVTT …</transcript>
    </asn_expert_session>

The live join link is never exported (a `join_url` attribute is read, for hand-written OLX): a
course export travels by e-mail and into repositories, and a copied course must not send
learners to the original meeting; authors add the link again.
Values are checked by the same readers as Studio's (model, live, transcripts).
"""
from lxml import etree

from ..core.i18n import N_
from ..core.json_shape import ContentFormatError
from ..core.olx import (
    UNKNOWN_ATTRIBUTE, UNKNOWN_ELEMENT, OlxError, Schema, child_elements, element, integer, number, write_localized,
    write_texts,
)
from . import live as live_model
from . import transcripts
from .model import Session

INVALID_CONTENT = N_('invalid session: {problem}')
BAD_SETTING = N_('bad value "{value}" for the setting "{name}"')
BAD_TRANSCRIPT = N_('invalid transcript ({lang}): {problem}')

SETTINGS = ('display_name', 'video_url', 'duration_seconds', 'weight', 'watch_percent', 'require_reflection',
            'require_attendance', 'reflection_enabled', 'reflection_graded', 'reflection_max_points',
            'reflection_min_chars', 'reflection_max_chars')
RUNTIME_ATTRIBUTES = ('xblock-family', 'url_name')
VIDEO_ATTRIBUTES = ('provider', 'video_id', 'title', 'thumbnail_url', 'duration_seconds', 'author_name')
LIVE_ATTRIBUTES = ('start', 'timezone', 'duration_minutes', 'platform', 'join_before_minutes', 'recording_url')
LOCALIZED = ('title', 'summary', 'bio', 'affiliations', 'prompt', 'rubric')
SCHEMA = Schema({
    'asn_expert_session': ((), SETTINGS + RUNTIME_ATTRIBUTES, ('session', 'video', 'live', 'transcript')),
    'session': ((), ('jp',), ('title', 'summary', 'expert', 'takeaway', 'chapter', 'prompt', 'resource', 'rubric')),
    'expert': (('name', 'stakeholder'), ('organisation', 'photo_url'), ('title', 'bio', 'affiliations')),
    'takeaway': ((), ('at',), ('text',)),
    'chapter': ((), ('at',), ('text',)),
    'resource': (('url',), (), ('title',)),
    'video': ((), VIDEO_ATTRIBUTES, ()),
    'live': (('start',), LIVE_ATTRIBUTES[1:] + ('sequence', 'join_url'), ()),
}, LOCALIZED)


# --- writing ------------------------------------------------------------------------------
def session_element(parent, data):
    node = element(parent, 'session', data, ('jp',))
    write_localized(node, 'title', data['title'])
    write_localized(node, 'summary', data.get('summary'))
    for expert in data.get('experts', ()):
        child = element(node, 'expert', expert, ('name', 'stakeholder', 'organisation', 'photo_url'))
        for key in ('title', 'bio', 'affiliations'):
            write_localized(child, key, expert.get(key))
    for tag, key in (('takeaway', 'takeaways'), ('chapter', 'chapters')):
        for item in data.get(key, ()):
            write_texts(element(node, tag, item, ('at',)), item['text'])
    for prompt in data.get('prompts', ()):
        write_localized(node, 'prompt', prompt)
    for resource in data.get('resources', ()):
        write_localized(element(node, 'resource', resource, ('url',)), 'title', resource['title'])
    write_localized(node, 'rubric', data.get('rubric'))


def write_block(block, node):
    """Fill `node` (the runtime's element for the block) with its settings and content."""
    node.tag = 'asn_expert_session'
    for name in SETTINGS:
        node.set(name, block.fields[name].to_string(getattr(block, name)))
    session_element(node, Session.from_dict(block.session).to_dict())
    if block.video:
        element(node, 'video', block.video, VIDEO_ATTRIBUTES)
    if block.live:
        element(node, 'live', {**block.live, 'sequence': block.live_sequence}, LIVE_ATTRIBUTES + ('sequence',))
    for lang in sorted(block.transcripts):
        etree.SubElement(node, 'transcript', lang=lang).text = transcripts.to_vtt(block.cues(lang))


# --- reading ------------------------------------------------------------------------------
def read_block(node, field_types):
    """{field name: value} from an <asn_expert_session> element; OlxError with the line at fault."""
    children = SCHEMA.checked(node)
    values = {}
    for name in SETTINGS:
        raw = node.get(name)
        if raw is not None:
            try:
                values[name] = field_types[name].from_string(raw)
            except (ValueError, TypeError) as error:
                raise OlxError(BAD_SETTING, node.sourceline, value=raw[:40], name=name) from error
    session = SCHEMA.one(node, children, 'session')
    values['session'] = read_session(session)
    video = SCHEMA.one(node, children, 'video', required=False)
    if video is not None:
        SCHEMA.leaf(video)
        values['video'] = {**{k: video.get(k) for k in VIDEO_ATTRIBUTES if video.get(k) is not None},
                           'duration_seconds': integer(video, 'duration_seconds')}
    schedule = SCHEMA.one(node, children, 'live', required=False)
    if schedule is not None:
        values['live'], values['live_sequence'] = read_live(schedule)
    values['transcripts'] = {}
    for child in children:
        if child.tag == 'transcript':
            values['transcripts'][child.get('lang')] = read_transcript(child)
    return values


def read_session(node):
    children = SCHEMA.checked(node)
    data = {'title': SCHEMA.localized(SCHEMA.one(node, children, 'title'))}
    for key in ('summary', 'rubric'):
        found = SCHEMA.one(node, children, key, required=False)
        if found is not None:
            data[key] = SCHEMA.localized(found)
    experts, takeaways, chapters, prompts, resources = [], [], [], [], []
    for child in children:
        if child.tag == 'expert':
            experts.append(read_expert(child))
        elif child.tag in ('takeaway', 'chapter'):
            item = {'text': SCHEMA.texts(child, SCHEMA.checked(child))}
            if child.get('at') is not None:
                item['at'] = integer(child, 'at')
            (takeaways if child.tag == 'takeaway' else chapters).append(item)
        elif child.tag == 'prompt':
            prompts.append(SCHEMA.localized(child))
        elif child.tag == 'resource':
            resources.append({'url': child.get('url'),
                              'title': SCHEMA.localized(SCHEMA.one(child, SCHEMA.checked(child), 'title'))})
    for key, items in (('experts', experts), ('takeaways', takeaways), ('chapters', chapters),
                       ('prompts', prompts), ('resources', resources)):
        if items:
            data[key] = items
    if node.get('jp') is not None:
        data['jp'] = number(node, 'jp')
    try:
        return Session.from_dict(data).to_dict()
    except ContentFormatError as error:
        raise OlxError(INVALID_CONTENT, node.sourceline, problem=str(error)) from error


def read_expert(node):
    children = SCHEMA.checked(node)
    expert = {key: node.get(key) for key in ('name', 'stakeholder', 'organisation', 'photo_url')
              if node.get(key) is not None}
    for key in ('title', 'bio', 'affiliations'):
        found = SCHEMA.one(node, children, key, required=False)
        if found is not None:
            expert[key] = SCHEMA.localized(found)
    return expert


def read_live(node):
    SCHEMA.leaf(node)
    data = {key: node.get(key) for key in LIVE_ATTRIBUTES + ('join_url',) if node.get(key) is not None}
    for key in ('duration_minutes', 'join_before_minutes'):
        if key in data:
            data[key] = integer(node, key)
    try:
        session = live_model.validated(live_model.LiveSession.from_dict(data))
    except (live_model.LiveSessionError, TypeError) as error:
        raise OlxError(INVALID_CONTENT, node.sourceline, problem=str(error)) from error
    return session.to_dict(), integer(node, 'sequence', 0)


def read_transcript(node):
    """A <transcript lang> element's WebVTT text (the one element whose text is content)."""
    for name in node.attrib:
        if name != 'lang':
            raise OlxError(UNKNOWN_ATTRIBUTE, node.sourceline, tag=node.tag, name=name)
    if child_elements(node):
        raise OlxError(UNKNOWN_ELEMENT, node.sourceline, tag=child_elements(node)[0].tag, parent=node.tag)
    try:
        parsed = transcripts.parse_transcript(node.text or '', fmt='vtt')
    except transcripts.TranscriptError as error:
        raise OlxError(BAD_TRANSCRIPT, node.sourceline, lang=node.get('lang'), problem=str(error)) from error
    return [cue.to_dict() for cue in parsed.cues]


class ExpertSessionOlxMixin:
    """parse_xml / add_xml_to_node through this module."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build the block from its element (the runtime hands us parsed, untrusted XML)."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in read_block(node, cls.fields).items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node):
        write_block(self, node)



def workbench_olx(settings, session, transcript_vtt='', schedule=None):
    """OLX for a workbench page: `settings` as root attributes, `session` content, an optional
    Indonesian transcript (WebVTT text) and live schedule (attributes of <live>)."""
    root = etree.Element('asn_expert_session', {name: str(value).lower() if isinstance(value, bool) else str(value)
                                                for name, value in settings.items()})
    session_element(root, Session.from_dict(session).to_dict())
    if schedule:
        etree.SubElement(root, 'live', {key: str(value) for key, value in schedule.items()})
    if transcript_vtt:
        etree.SubElement(root, 'transcript', lang='id').text = transcript_vtt
    return etree.tostring(root, encoding='unicode', pretty_print=True)
