"""Django app for the result ledger, also registered as an Open edX plugin app."""
from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Installs the ledger models into the LMS and Studio through the plugin entry points."""

    name = 'asn_xblocks.core.ledger'
    label = 'asn_xblocks'
    verbose_name = 'ASN XBlocks result ledger'
    default_auto_field = 'django.db.models.BigAutoField'

    # Open edX's plugin framework reads this; an empty config installs the app and its
    # migrations without URLs or settings of its own.
    plugin_app = {}
