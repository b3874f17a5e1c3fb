"""A small scored block built only from the shared core, to test the core in isolation."""
from unittest.mock import Mock

from xblock.core import XBlock
from xblock.field_data import DictFieldData
from xblock.fields import List, Scope, ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.test.tools import TestRuntime

from asn_xblocks.core import users
from asn_xblocks.core.completion import CompletionMixin
from asn_xblocks.core.handlers import HandlerError, json_handler
from asn_xblocks.core.rendering import ResourcesMixin
from asn_xblocks.core.scoring import ScoringMixin

ANSWER_SCHEMA = {
    'type': 'object',
    'properties': {'answer': {'type': 'integer', 'minimum': 0, 'maximum': 10}},
    'required': ['answer'],
    'additionalProperties': False,
}


@XBlock.wants('user')
@XBlock.needs('i18n')
class CoreDemoBlock(ScoringMixin, CompletionMixin, ResourcesMixin, XBlock):
    """Scores an integer answer against `key`: exactly right earns 10, each step away one less."""

    key = 7
    answers = List(scope=Scope.user_state)
    location = 'block-v1:ASN+T+1+type@core_demo+block@x'  # what rescore's error messages read

    def content_max_score(self):
        return 10.0

    def attempt_raw_scores(self):
        return [max(10 - abs(answer - self.key), 0) for answer in self.answers]

    @json_handler(ANSWER_SCHEMA)
    def submit(self, data, suffix=''):
        if not self.may_attempt():
            raise HandlerError('No attempts left.', status=400)
        self.answers = [*self.answers, data['answer']]
        self.record_attempt_score(self.attempt_raw_scores()[-1])
        self.report_completion(1.0)
        return {'score': self.get_score().raw_earned}

    @json_handler(staff_only=True)
    def staff_report(self, data, suffix=''):
        return {'ok': True}


class FakeUserService(UserService):
    """The LMS user service as far as the core reads it."""

    def __init__(self, user_id='42', staff=False, role=None):
        super().__init__()
        self.user = XBlockUser(is_current_user=True)
        self.user.opt_attrs.update({
            users.USER_ID: user_id,
            users.ANONYMOUS_ID: f'anon-{user_id}',
            users.IS_STAFF: staff,
        })
        if role:
            self.user.opt_attrs[users.ROLE] = role

    def get_current_user(self):
        return self.user


def make_block(cls=CoreDemoBlock, user=None, fields=None):
    """A block under XBlock's TestRuntime, with publish recorded in a Mock."""
    runtime = TestRuntime(services={'user': user or FakeUserService(), 'field-data': DictFieldData({})})
    runtime.publish = Mock()
    runtime.local_resource_url = lambda block, uri: f'/resource/{uri}'
    block = cls(runtime, scope_ids=ScopeIds('42', 'core_demo', 'def-1', 'usage-1'))
    for name, value in (fields or {}).items():
        setattr(block, name, value)
    return block
