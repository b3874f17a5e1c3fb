"""Reading the user service, reporting completion, and serving public files."""
import pytest
from xblock.exceptions import DisallowedFileError
from xblock.reference.user_service import UserService, XBlockUser

from asn_xblocks.core import users
from asn_xblocks.core.users import current_user, is_staff

from .doubles import CoreDemoBlock, FakeUserService, make_block


class WorkbenchLikeUserService(UserService):
    """Sets only the workbench's key, as the XBlock SDK does."""

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs[users.WORKBENCH_USER_ID] = 'student_1'
        return user


def test_lms_attributes_are_read():
    user = current_user(make_block(user=FakeUserService(user_id='7', staff=True)))
    assert (user.user_id, user.anonymous_id, user.is_staff) == ('7', 'anon-7', True)


def test_a_runtime_with_only_the_workbench_key_gives_a_learner_who_is_not_staff():
    block = make_block(user=WorkbenchLikeUserService())
    assert current_user(block).user_id == 'student_1'
    assert not is_staff(block)


def test_learner_role_is_not_staff():
    assert not is_staff(make_block(user=FakeUserService(role='student')))


def completion_events(block):
    return [c.args[2] for c in block.runtime.publish.call_args_list if c.args[1] == 'completion']


def test_completion_only_grows_and_is_clamped():
    block = make_block()
    block.report_completion(0.4)
    block.report_completion(0.2)
    block.report_completion(0.4)
    block.report_completion(3)
    assert completion_events(block) == [{'completion': 0.4}, {'completion': 1.0}]
    assert block.is_complete


def test_no_deprecated_progress_events():
    block = make_block()
    block.report_completion(1)
    assert all(call.args[1] != 'progress' for call in block.runtime.publish.call_args_list)


def test_public_files_are_served_from_the_top_level_static_folder():
    with CoreDemoBlock.open_local_resource('public/core/i18n.js') as handle:
        assert b'AsnXBlocksI18N' in handle.read()


@pytest.mark.parametrize('uri', [
    'public/../setup.py', 'public/core/../../setup.py', 'templates/x.html', 'public/.hidden.js',
    'public/core/asn.py', '/etc/passwd', 'public/i18n/id/LC_MESSAGES/text.mo',
])
def test_anything_else_is_refused(uri):
    with pytest.raises(DisallowedFileError):
        CoreDemoBlock.open_local_resource(uri)
