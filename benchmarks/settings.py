"""Benchmark settings: the project's workbench settings, as a production LMS would run them.

`benchmarks.run` points ASN_VAR_DIR (SQLite) or ASN_MYSQL_DB (ASN_TEST_DB=mysql) at a throwaway
database before importing this module. DEBUG is off so that Django neither records every SQL
query nor renders templates in debug mode; the floor is measured under the same settings.
"""
from asn_xblocks.devsite.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from asn_xblocks.devsite.settings import TEMPLATES

DEBUG = False
TEMPLATES = [{**engine, 'OPTIONS': {**engine.get('OPTIONS', {}), 'debug': False}} for engine in TEMPLATES]
