"""Workbench settings for asn-xblocks: the SDK's settings plus our app, languages and services.

Used by `make run` (SQLite) and by the integration and browser tests; `ASN_TEST_DB=mysql`
points the same settings at the MariaDB server the project's machines run, and
`ASN_TEST_DB=postgres` at their PostgreSQL server.
"""
import os
import pathlib

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, WORKBENCH

VAR_DIR = pathlib.Path(os.environ.get('ASN_VAR_DIR', 'var')).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

if os.environ.get('ASN_TEST_DB') == 'mysql':
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.mysql',
            'NAME': os.environ.get('ASN_MYSQL_DB', 'test'),
            'USER': os.environ.get('ASN_MYSQL_USER', 'root'),
            'PASSWORD': os.environ.get('ASN_MYSQL_PASSWORD', ''),
            'HOST': os.environ.get('ASN_MYSQL_HOST', '127.0.0.1'),
            'PORT': os.environ.get('ASN_MYSQL_PORT', '3306'),
            'OPTIONS': {'charset': 'utf8mb4'},
            'TEST': {'NAME': os.environ.get('ASN_MYSQL_TEST_DB', 'test_asn_xblocks'), 'CHARSET': 'utf8mb4'},
        }
    }
elif os.environ.get('ASN_TEST_DB') == 'postgres':
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.postgresql',
            'NAME': os.environ.get('ASN_POSTGRES_DB', 'test'),
            'USER': os.environ.get('ASN_POSTGRES_USER', 'postgres'),
            'PASSWORD': os.environ.get('ASN_POSTGRES_PASSWORD', ''),
            'HOST': os.environ.get('ASN_POSTGRES_HOST', '127.0.0.1'),
            'PORT': os.environ.get('ASN_POSTGRES_PORT', '5432'),
            'TEST': {'NAME': os.environ.get('ASN_POSTGRES_TEST_DB', 'test_asn_xblocks')},
        }
    }
else:
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.sqlite3',
            'NAME': str(VAR_DIR / 'workbench.db'),
        }
    }

INSTALLED_APPS = [*INSTALLED_APPS, 'asn_xblocks.core.ledger']

# Only our blocks are listed on the workbench's front page.
EXCLUDED_XBLOCKS = {
    'allscopes_demo', 'attempts_scoreboard_demo', 'equality_demo', 'filethumbs', 'helloworld_demo',
    'html_demo', 'problem_demo', 'sidebar_demo', 'slider_demo', 'textinput_demo', 'thumbs',
    'view_counter_demo',
}

# Bahasa Indonesia is the first language; `?lang=en` switches to English for the session.
LANGUAGE_CODE = 'id'
LANGUAGES = [('id', 'Bahasa Indonesia'), ('en', 'English')]
TIME_ZONE = 'Asia/Jakarta'
MIDDLEWARE = [*MIDDLEWARE, 'asn_xblocks.devsite.middleware.LanguageSwitchMiddleware']

# LMS-like services: a user service with Open edX's opt_attrs (staff, anonymous id) and an
# i18n service that reads our bundled catalogs the way the LMS does.
WORKBENCH = {
    **WORKBENCH,
    'services': {
        **WORKBENCH['services'],
        'user': 'asn_xblocks.devsite.services.DevUserService',
        'i18n': 'asn_xblocks.devsite.services.BundledI18nService',
    },
}

XBLOCK_SETTINGS = {}

LOGGING['handlers']['logfile']['filename'] = str(VAR_DIR / 'workbench.log')  # noqa: F405
