"""XBlocks for training Indonesian civil servants (ASN) on Open edX."""

__version__ = '0.1.0'
