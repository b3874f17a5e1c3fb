"""Benchmark-only XBlocks: the runtime's floor, registered as temporary plugins (never shipped).

`bench_floor` has a no-op `XBlock.json_handler` and a one-line student_view: the cheapest page
and handler request the workbench can serve, which every real block is compared against.
`bench_floor_state` adds the smallest stateful step: one `Scope.user_state` field read and
written, i.e. what any handler that remembers something pays the runtime's key-value store.
`bench_floor_ledger` adds what a graded submission must also do: record one attempt in the
result ledger (an INSERT in a transaction) beside the state field.
`bench_floor_asn` does nothing either, but through the project's own `core.handlers.json_handler`
(size/JSON/schema checks, translated errors), so the table shows what that decorator costs.
"""
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Integer, Scope

from asn_xblocks.core.handlers import json_handler
from asn_xblocks.core.ledger import api as ledger
from asn_xblocks.core.users import current_user

FLOOR_TYPE = 'bench_floor'
FLOOR_ASN_TYPE = 'bench_floor_asn'
FLOOR_STATE_TYPE = 'bench_floor_state'
FLOOR_LEDGER_TYPE = 'bench_floor_ledger'


class FloorBlock(XBlock):
    """Does nothing, as cheaply as the runtime allows."""

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment('<p>floor</p>')

    @XBlock.json_handler
    def noop(self, data, suffix=''):  # pylint: disable=unused-argument
        return {}

    @staticmethod
    def workbench_scenarios():
        return [('Benchmark floor', f'<{FLOOR_TYPE}/>')]


class StateFloorBlock(XBlock):
    """Counts its calls: one user_state field, read and saved."""

    count = Integer(default=0, scope=Scope.user_state)

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment('<p>floor</p>')

    @XBlock.json_handler
    def touch(self, data, suffix=''):  # pylint: disable=unused-argument
        self.count += 1
        return {'count': self.count}

    @staticmethod
    def workbench_scenarios():
        return [('Benchmark floor (one user_state field)', f'<{FLOOR_STATE_TYPE}/>')]


@XBlock.wants('user')
class LedgerFloorBlock(StateFloorBlock):
    """One user_state field read and saved, and one attempt recorded in the result ledger."""

    @XBlock.json_handler
    def submit(self, data, suffix=''):  # pylint: disable=unused-argument
        self.count += 1
        user = current_user(self)
        ledger.record_attempt(self, ledger.Submission(
            user_id=user.user_id, anonymous_user_id=user.anonymous_id, attempt_number=self.count,
            score=1.0, max_score=1.0, answers={}))
        return {'count': self.count}

    @staticmethod
    def workbench_scenarios():
        return [('Benchmark floor (state and a ledger attempt)', f'<{FLOOR_LEDGER_TYPE}/>')]


@XBlock.wants('user')
@XBlock.needs('i18n')
class AsnFloorBlock(XBlock):
    """Does nothing, behind the project's JSON handler decorator."""

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment('<p>floor</p>')

    @json_handler({'type': 'object', 'additionalProperties': False})
    def noop(self, data, suffix=''):  # pylint: disable=unused-argument
        return {}

    @staticmethod
    def workbench_scenarios():
        return [('Benchmark floor (asn json_handler)', f'<{FLOOR_ASN_TYPE}/>')]


TEMP_PLUGINS = ((FloorBlock, FLOOR_TYPE), (StateFloorBlock, FLOOR_STATE_TYPE), (LedgerFloorBlock, FLOOR_LEDGER_TYPE),
                (AsnFloorBlock, FLOOR_ASN_TYPE))
