"""Packaging for asn-xblocks: XBlocks for training Indonesian civil servants (ASN)."""
import pathlib
import re

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).parent
VERSION = re.search(r"__version__ = '([^']+)'", (HERE / 'asn_xblocks' / '__init__.py').read_text()).group(1)

# One entry per block type; a block is listed here when it lands.
BLOCKS = [
    'asn_assessment = asn_xblocks.assessment.block:AssessmentBlock',
    'asn_case_study = asn_xblocks.case_study.block:CaseStudyBlock',
    'asn_evaluation = asn_xblocks.evaluation.block:EvaluationBlock',
    'asn_expert_session = asn_xblocks.expert_session.block:ExpertSessionBlock',
]

setup(
    name='asn-xblocks',
    version=VERSION,
    description='Open edX XBlocks for civil-service (ASN) training: case studies, expert sessions, '
                'pre/post competency assessments and training evaluation.',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='AGPL-3.0',
    python_requires='>=3.11',
    packages=find_packages(include=['asn_xblocks', 'asn_xblocks.*']),
    # `public` and `translations` are links to the top-level static/ and locale/ folders in a
    # checkout; setuptools follows them, so a wheel carries real copies at the places the LMS
    # reads (a block's public_dir and <package>/translations).
    package_data={
        'asn_xblocks': [
            'public/**/*',
            'translations/**/*',
            '**/templates/**/*.html',
            'core/data/*.json',
            '**/data/*.json',
            '**/data/*.xml',
        ],
    },
    include_package_data=False,
    install_requires=[
        'XBlock>=5.0,<7',
        'Django>=4.2,<6',
        'lxml>=5',
        'requests>=2.31',
        'nh3>=0.2.17',
        'jsonschema>=4.20',
        'numpy>=1.26',
        'scipy>=1.11',
        'icalendar>=6',
        'tzdata',
        'setuptools<82',
    ],
    extras_require={
        'workbench': ['xblock-sdk>=0.12'],
    },
    entry_points={
        'xblock.v1': BLOCKS,
        'lms.djangoapp': ['asn_xblocks = asn_xblocks.core.ledger.apps:LedgerConfig'],
        'cms.djangoapp': ['asn_xblocks = asn_xblocks.core.ledger.apps:LedgerConfig'],
    },
    classifiers=[
        'Framework :: Django',
        'Framework :: Django :: 4.2',
        'Framework :: Django :: 5.2',
        'Programming Language :: Python :: 3.11',
        'Programming Language :: Python :: 3.12',
        'Natural Language :: Indonesian',
        'Natural Language :: English',
    ],
)
