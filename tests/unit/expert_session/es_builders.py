"""Expert-session blocks under XBlock's TestRuntime, for the unit tests."""
import json
from collections import namedtuple

from asn_xblocks.expert_session.block import ExpertSessionBlock
from asn_xblocks.expert_session.defaults import demo_session
from tests.unit.core.doubles import FakeUserService, make_block
from tests.unit.core.test_handlers import post

JOIN_URL = 'https://us02web.zoom.us/j/81234567890'
XBlockUserState = namedtuple('XBlockUserState', 'username block_key state updated scope')


class Block(ExpertSessionBlock):
    """The real block with the `location` the LMS's modulestore adds."""

    location = 'block-v1:ASN+ES+2026+type@asn_expert_session+block@t'


def new_block(user=None, **fields):
    values = {'session': demo_session(), 'video_url': 'https://www.youtube.com/watch?v=aqz-KE-bpKQ',
              'duration_seconds': 100, **fields}
    block = make_block(cls=Block, user=user or FakeUserService(), fields=values)
    block.runtime.handler_url = lambda blk, name, suffix='', *args, **kw: f'/handler/{name}/{suffix}'
    return block


def live_fields(start, **more):
    return {'start': start.isoformat().replace('+00:00', 'Z'), 'duration_minutes': 60, 'timezone': 'Asia/Jakarta', 'platform': 'zoom',
            'join_url': JOIN_URL, 'join_before_minutes': 15, 'recording_url': '', **more}


def call(block, handler, body):
    response = post(block, handler, body)
    return response.status_code, json.loads(response.body)


def events(block, name):
    return [c.args[2] for c in block.runtime.publish.call_args_list if c.args[1] == name]
