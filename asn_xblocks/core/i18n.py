"""Translations: Python text through the runtime's i18n service, with our bundled catalogs.

The LMS's i18n service already reads `asn_xblocks/translations/<locale>/LC_MESSAGES/text.mo`.
Runtimes without a real service (XBlock's NullI18nService, used by bare test runtimes) would
show English source strings; we fall back to the bundled Indonesian catalog instead, because
Indonesian is the default language of every learner-facing text.
"""
import functools
import gettext
import importlib.resources

from django.conf import settings
from django.utils import translation
from xblock.runtime import NullI18nService

DOMAIN = 'text'
JS_DOMAIN = 'textjs'
DEFAULT_LOCALE = 'id'
SUPPORTED_LOCALES = ('id', 'en')


def translations_dir():
    """Where the bundled catalogs live, in a checkout (a link to locale/) and in a wheel."""
    return importlib.resources.files('asn_xblocks') / 'translations'


@functools.lru_cache(maxsize=None)
def bundled_catalog(locale):
    """The bundled `text` catalog for `locale`; unknown locales get the Indonesian one."""
    language = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
    return gettext.translation(DOMAIN, localedir=str(translations_dir()), languages=[language], fallback=True)


def normalise_locale(language):
    """`id-ID`, `en_US`, `EN` → a locale we ship (`id` when we ship nothing closer)."""
    base = (language or '').replace('_', '-').split('-')[0].lower()
    return base if base in SUPPORTED_LOCALES else DEFAULT_LOCALE


def i18n_service(block):
    """The runtime's i18n service, or our bundled Indonesian catalog when it has none."""
    service = block.runtime.service(block, 'i18n')
    if service is None or type(service) is NullI18nService:  # pylint: disable=unidiomatic-typecheck
        return bundled_catalog(DEFAULT_LOCALE)
    return service


def current_locale(block):
    """The locale the current request is served in (one of SUPPORTED_LOCALES).

    The LMS activates the learner's language in Django for the request; runtimes with no real
    i18n service serve the default.
    """
    service = block.runtime.service(block, 'i18n')
    if service is None or type(service) is NullI18nService or not settings.configured:  # pylint: disable=unidiomatic-typecheck
        return DEFAULT_LOCALE
    return normalise_locale(translation.get_language())


def gettext_for(block):
    """`_` for a block: translate a source string into the current language."""
    return i18n_service(block).gettext


def ngettext_for(block):
    """`ngettext` for a block."""
    return i18n_service(block).ngettext


def N_(message):  # pylint: disable=invalid-name
    """Mark a string for extraction where it is translated later (at render time)."""
    return message
