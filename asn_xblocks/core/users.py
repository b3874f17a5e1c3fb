"""Who is asking: the current user's ids and staff status, read the way the LMS provides them.

The LMS user service puts everything in `opt_attrs`; other runtimes (the workbench, content
libraries) set only some keys, so every read uses `.get()` and missing means "not staff".
"""
import re
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


USERNAME_CHUNK = 500
LMS_USER_ID = re.compile(r'[0-9]{1,18}')


def lms_usernames(user_ids):
    """{user id: username} for LMS (numeric) user ids, one query per USERNAME_CHUNK.

    The ledger stores the LMS user id; staff read usernames. Where there is no Django user
    table for those ids (the workbench's ids are names already), the mapping is empty.
    """
    numeric = sorted({int(user_id) for user_id in user_ids if LMS_USER_ID.fullmatch(user_id)})
    if not numeric:
        return {}
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    if not apps.is_installed('django.contrib.auth'):
        return {}
    user_model = get_user_model()
    names = {}
    for start in range(0, len(numeric), USERNAME_CHUNK):
        names.update((str(pk), username) for pk, username in user_model.objects.filter(
            pk__in=numeric[start:start + USERNAME_CHUNK]).values_list('pk', 'username'))
    return names


def can_author(block):
    """Course staff (LMS, workbench), or a Studio user with write access to the block's course.

    Studio's own handler runtime has no staff flag (its user service always says "student"),
    so there an author is whoever Studio's permission service lets write to the course. Blocks
    that use this declare `@XBlock.wants('studio_user_permissions')`.
    """
    if is_staff(block):
        return True
    permissions = block.runtime.service(block, 'studio_user_permissions')
    context = getattr(block.scope_ids.usage_id, 'context_key', None)
    return bool(permissions is not None and context is not None and permissions.can_write(context))
