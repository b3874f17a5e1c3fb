"""Who is asking: the current user's ids and staff status, read the way the LMS provides them.

The LMS user service puts everything in `opt_attrs`; other runtimes (the workbench, content
libraries) set only some keys, so every read uses `.get()` and missing means "not staff".
"""
from dataclasses import dataclass

USER_ID = 'edx-platform.user_id'
USERNAME = 'edx-platform.username'
ANONYMOUS_ID = 'edx-platform.anonymous_user_id'
IS_STAFF = 'edx-platform.user_is_staff'
ROLE = 'edx-platform.user_role'
WORKBENCH_USER_ID = 'xblock-workbench.user_id'
STAFF_ROLES = frozenset({'staff', 'instructor'})


@dataclass(frozen=True)
class CurrentUser:
    """The identity a handler acts for."""

    user_id: str
    anonymous_id: str
    username: str
    is_staff: bool


def current_user(block):
    """The current user of `block`'s runtime, or None where the runtime offers no user service."""
    service = block.runtime.service(block, 'user')
    user = service.get_current_user() if service else None
    if user is None:
        return None
    attrs = user.opt_attrs or {}
    user_id = attrs.get(USER_ID)
    if user_id is None:
        user_id = attrs.get(WORKBENCH_USER_ID)
    if user_id is None:
        return None
    user_id = str(user_id)
    role = attrs.get(ROLE)
    return CurrentUser(
        user_id=user_id,
        anonymous_id=str(attrs.get(ANONYMOUS_ID) or user_id),
        username=str(attrs.get(USERNAME) or user_id),
        is_staff=bool(attrs.get(IS_STAFF)) or role in STAFF_ROLES,
    )


def is_staff(block):
    """True only when the runtime says the current user is course staff."""
    user = current_user(block)
    return bool(user and user.is_staff)
