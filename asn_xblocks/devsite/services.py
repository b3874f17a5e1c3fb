"""LMS-like services for the workbench, so blocks meet there what they meet in Open edX."""
import hashlib

from django.conf import settings
from django.utils import translation
from xblock.reference.user_service import UserService, XBlockUser

from asn_xblocks.core import users
from asn_xblocks.core.i18n import bundled_catalog, normalise_locale


class DevUserService(UserService):
    """The workbench user (`?student=<id>`) with the opt_attrs the LMS user service sets.

    Ids starting with `staff` are course staff, so staff views and staff-only handlers can be
    exercised in the workbench exactly as in the LMS.
    """

    runtime = None  # set by the workbench right after construction

    def __init__(self):
        super().__init__(user=None)

    def get_current_user(self):
        user_id = str(self.runtime.user_id)
        staff = user_id.startswith('staff')
        user = XBlockUser(is_current_user=True, emails=[f'{user_id}@example.com'], full_name=user_id)
        user.opt_attrs.update({
            users.WORKBENCH_USER_ID: user_id,
            users.USER_ID: user_id,
            users.USERNAME: user_id,
            users.ANONYMOUS_ID: anonymous_id(user_id),
            users.IS_STAFF: staff,
            users.ROLE: 'staff' if staff else 'student',
            'edx-platform.is_authenticated': True,
        })
        return user


def anonymous_id(user_id):
    """A stable opaque id per user, as the LMS's anonymous_user_id is."""
    return hashlib.sha256(f'{settings.SECRET_KEY}:{user_id}'.encode()).hexdigest()[:32]


class BundledI18nService:
    """Reads our bundled `text` catalogs for the active Django language, like the LMS does."""

    runtime = None

    def __getattr__(self, name):
        catalog = bundled_catalog(normalise_locale(translation.get_language()))
        if hasattr(catalog, name):
            return getattr(catalog, name)
        return getattr(translation, name)
