"""Views as Fragments: Django templates (autoescaped), our JS/CSS and the JS catalog.

Every asn block lives in a sub-package, but its browser files live once in the top-level
`static/` folder (shipped as `asn_xblocks/public`). `ResourcesMixin` serves them from there.
"""
import importlib.resources
import re

from web_fragments.fragment import Fragment
from xblock.exceptions import DisallowedFileError
from xblock.utils.resources import ResourceLoader

from .i18n import current_locale, i18n_service

PUBLIC_FILE = re.compile(r'public/(?:[A-Za-z0-9_-]+/)*[a-z0-9_.-]+\.(?:js|css|svg|png|jpg|webp|woff2)')
SHARED_CSS = ('public/core/asn.css',)
SHARED_JS = ('public/core/i18n.js', 'public/core/api.js')


class ResourcesMixin:
    """Serve `public/…` from the package root, where the top-level static/ folder is shipped."""

    @classmethod
    def open_local_resource(cls, uri):
        if isinstance(uri, bytes):
            uri = uri.decode('utf-8')
        if not PUBLIC_FILE.fullmatch(uri) or '/.' in uri:
            raise DisallowedFileError(f'Only public asn_xblocks files are served: {uri!r}')
        return importlib.resources.files('asn_xblocks').joinpath(uri).open('rb')


def render_template(block, package, template, context):
    """Render `<package>/templates/<template>` with autoescape and the block's translations."""
    return ResourceLoader(package).render_django_template(
        f'templates/{template}', context, i18n_service=i18n_service(block))


def js_catalog_uri(locale):
    """The bundled JS translations for `locale`."""
    return f'public/i18n/{locale}/LC_MESSAGES/textjs.js'


def fragment(block, html, *, css=(), js=(), init=None, init_args=None):
    """A Fragment with the shared files first, then the block's own, then its JS init call."""
    frag = Fragment(html)
    url = block.runtime.local_resource_url
    for uri in (*SHARED_CSS, *css):
        frag.add_css_url(url(block, uri))
    locale = current_locale(block)
    for uri in (*SHARED_JS, js_catalog_uri(locale), *js):
        frag.add_javascript_url(url(block, uri))
    if init:
        frag.initialize_js(init, {'locale': locale, **(init_args or {})})
    return frag
