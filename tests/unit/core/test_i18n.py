"""Translations: bundled catalogs, Indonesian by default, English on request."""
from django.utils import translation
from xblock.runtime import NullI18nService

from asn_xblocks.core.handlers import MESSAGES
from asn_xblocks.core.i18n import bundled_catalog, current_locale, gettext_for, normalise_locale
from asn_xblocks.devsite.services import BundledI18nService

from .doubles import make_block

SOURCE = MESSAGES['not_json']


def test_bundled_indonesian_catalog_translates_core_messages():
    assert bundled_catalog('id').gettext(SOURCE) != SOURCE
    assert bundled_catalog('en').gettext(SOURCE) == SOURCE


def test_unknown_locales_fall_back_to_indonesian():
    assert normalise_locale('id-ID') == 'id'
    assert normalise_locale('en_US') == 'en'
    assert normalise_locale('fr') == 'id'
    assert normalise_locale(None) == 'id'


def test_a_runtime_without_a_real_i18n_service_speaks_indonesian():
    block = make_block()
    assert type(block.runtime.service(block, 'i18n')) is NullI18nService  # pylint: disable=unidiomatic-typecheck
    assert current_locale(block) == 'id'
    assert gettext_for(block)(SOURCE) == bundled_catalog('id').gettext(SOURCE)


def test_the_devsite_service_follows_the_active_language_like_the_lms():
    service = BundledI18nService()
    with translation.override('en'):
        assert service.gettext(SOURCE) == SOURCE
    with translation.override('id'):
        assert service.gettext(SOURCE) == bundled_catalog('id').gettext(SOURCE)
