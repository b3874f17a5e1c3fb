"""Fragments carry the shared files, the learner's JS catalog and init args; events are allow-listed."""
import pytest
from django.utils import translation

from asn_xblocks.core.events import track
from asn_xblocks.core.rendering import fragment

from .doubles import make_block


def urls(frag, kind):
    return [r.data for r in frag.resources if r.kind == 'url' and r.mimetype == kind]


def test_shared_files_come_first_then_the_catalog_then_the_blocks_own():
    frag = fragment(make_block(), '<p>x</p>', css=('public/demo/demo.css',), js=('public/demo/demo.js',),
                    init='DemoInit', init_args={'a': 1})
    assert urls(frag, 'text/css') == ['/resource/public/core/asn.css', '/resource/public/demo/demo.css']
    assert urls(frag, 'application/javascript') == [
        '/resource/public/core/i18n.js', '/resource/public/core/api.js',
        '/resource/public/i18n/id/LC_MESSAGES/textjs.js', '/resource/public/demo/demo.js']
    assert frag.js_init_fn == 'DemoInit'
    assert frag.json_init_args == {'locale': 'id', 'a': 1}


def test_the_catalog_follows_the_learners_language_where_the_runtime_has_one():
    from asn_xblocks.devsite.services import BundledI18nService  # pylint: disable=import-outside-toplevel

    block = make_block()
    block.runtime._services['i18n'] = BundledI18nService()  # pylint: disable=protected-access
    with translation.override('en'):
        frag = fragment(block, '', init='DemoInit')
    assert '/resource/public/i18n/en/LC_MESSAGES/textjs.js' in urls(frag, 'application/javascript')
    assert frag.json_init_args['locale'] == 'en'


def test_only_allow_listed_tracking_events_are_published():
    block = make_block()
    type(block).tracking_events = frozenset({'asn.demo.done'})
    try:
        track(block, 'asn.demo.done', {'x': 1})
        with pytest.raises(ValueError):
            track(block, 'grade', {'value': 1, 'max_value': 1})
    finally:
        del type(block).tracking_events
    block.runtime.publish.assert_called_once_with(block, 'asn.demo.done', {'x': 1})
