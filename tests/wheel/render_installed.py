"""Runs INSIDE the fresh virtual environment the wheel was installed into (not under pytest).

    <venv>/bin/python -I render_installed.py <config.json> {base,blocks}

`config.json` (written by test_wheel.py):
    checkout       the source checkout, which this interpreter must not be reading
    var_dir        where the devsite's SQLite database and log go (ASN_VAR_DIR)
    blocks         {entry-point name: "module:Class"} that setup.py declares
    expected_text  {entry-point name: [Indonesian phrases its first workbench scenario shows]}

`base`   the installed package imports from site-packages, the ledger app loads and migrates,
         the bundled catalogs and public files are found in the installed package.
`blocks` `base`, then every installed asn block's first workbench scenario renders in
         Indonesian and every `/resource/<block_type>/public/…` file it links to is served.

Only the standard library and what the wheel installed are used. A failed check raises
AssertionError (non-zero exit, traceback on stderr); the last stdout line is a JSON summary.
"""
import html
import importlib.metadata
import json
import os
import pathlib
import re
import sys
import sysconfig
import time

RESOURCE_URL = re.compile(r'''(?:src|href)=(["'])(/resource/[^"'\s>]+)\1''')
SHARED_FILES = ('public/core/asn.css', 'public/core/i18n.js', 'public/core/api.js')


def js_catalog(locale):
    return f'public/i18n/{locale}/LC_MESSAGES/textjs.js'


def log(message):
    print(f'[render_installed] {message}', flush=True)


def check_isolation(config):
    """The package and its dependencies come from this venv, never from the checkout."""
    import asn_xblocks  # pylint: disable=import-outside-toplevel

    site_packages = pathlib.Path(sysconfig.get_paths()['purelib']).resolve()
    package = pathlib.Path(asn_xblocks.__file__).resolve()
    checkout = pathlib.Path(config['checkout']).resolve()
    assert package.is_relative_to(site_packages), f'asn_xblocks imported from {package}, not {site_packages}'
    assert pathlib.Path(sys.prefix).resolve() != pathlib.Path(sys.base_prefix).resolve(), 'not running in a venv'
    leaks = [p for p in sys.path if p and pathlib.Path(p).resolve().is_relative_to(checkout)]
    assert not leaks, f'the checkout is on sys.path: {leaks}'
    for public, real in (('public', 'static'), ('translations', 'locale')):
        path = package.parent / public
        assert path.is_dir() and not path.is_symlink(), f'{path} should be a real folder (a copy of {real}/)'
    log(f'asn_xblocks {asn_xblocks.__version__} from {package.parent}')
    return str(package.parent)


def setup_django(config):
    os.environ['DJANGO_SETTINGS_MODULE'] = 'asn_xblocks.devsite.settings'
    os.environ['ASN_VAR_DIR'] = config['var_dir']
    os.environ.pop('ASN_TEST_DB', None)
    import django  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    django.setup()
    started = time.perf_counter()
    call_command('migrate', run_syncdb=True, verbosity=0, interactive=False)
    log(f'migrate --run-syncdb: {time.perf_counter() - started:.1f}s')


def check_ledger():
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    app = apps.get_app_config('asn_xblocks')
    assert app.name == 'asn_xblocks.core.ledger', app.name
    tables = set(connection.introspection.table_names())
    models = list(app.get_models())
    assert models, 'the ledger app has no models'
    missing = [m._meta.db_table for m in models if m._meta.db_table not in tables]  # pylint: disable=protected-access
    assert not missing, f'ledger tables not created by migrate: {missing}'
    from django.db.migrations.recorder import MigrationRecorder  # pylint: disable=import-outside-toplevel
    applied = {name for label, name in MigrationRecorder(connection).applied_migrations() if label == 'asn_xblocks'}
    assert '0001_initial' in applied, f'ledger migrations applied: {sorted(applied)}'

    plugin_apps = {}
    for group in ('lms.djangoapp', 'cms.djangoapp'):
        found = {ep.name: ep for ep in importlib.metadata.entry_points(group=group)
                 if ep.value.startswith('asn_xblocks')}
        assert set(found) == {'asn_xblocks'}, f'{group} entry points: {sorted(found)}'
        config_class = found['asn_xblocks'].load()
        assert config_class.name == 'asn_xblocks.core.ledger', config_class
        plugin_apps[group] = found['asn_xblocks'].value
    tables = sorted(m._meta.db_table for m in models)  # pylint: disable=protected-access
    log(f'ledger tables {tables}; plugin apps {plugin_apps}')


def check_bundled_files():
    """Catalogs through the LMS's path, public files through ResourcesMixin, no block needed."""
    import gettext  # pylint: disable=import-outside-toplevel
    import importlib.resources  # pylint: disable=import-outside-toplevel

    from asn_xblocks.core.i18n import bundled_catalog  # pylint: disable=import-outside-toplevel
    from asn_xblocks.core.rendering import ResourcesMixin  # pylint: disable=import-outside-toplevel

    catalog = bundled_catalog('id')
    assert isinstance(catalog, gettext.GNUTranslations), 'translations/id/LC_MESSAGES/text.mo was not found'
    root = importlib.resources.files('asn_xblocks')
    served = []
    for uri in (*SHARED_FILES, js_catalog('id'), js_catalog('en')):
        expected = root.joinpath(uri).read_bytes()
        with ResourcesMixin.open_local_resource(uri) as handle:
            content = handle.read()
        assert content and content == expected, f'{uri}: served {len(content)} bytes'
        served.append(uri)
    log(f'bundled catalog id: {type(catalog).__name__}; ResourcesMixin serves {served}')


def installed_blocks():
    return {ep.name: ep.value for ep in importlib.metadata.entry_points(group='xblock.v1')
            if ep.value.startswith('asn_xblocks')}


def fetch(path, **params):
    from django.test import Client  # pylint: disable=import-outside-toplevel

    return Client().get(path, params)  # a fresh client: no language cookie carried over


def check_block(block_type, phrases, package_root):
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel

    scenario_id = f'{block_type}.0'
    assert scenario_id in get_scenarios(), (
        f'{block_type} has no workbench scenario (workbench_scenarios()); scenarios: {sorted(get_scenarios())}')
    result = {'scenario': scenario_id, 'resources': {}}
    for locale in ('id', 'en'):
        url = f'/scenario/{scenario_id}/'
        response = fetch(url, lang=locale)
        assert response.status_code == 200, f'{url}?lang={locale}: {response.status_code}'
        page = response.content.decode('utf-8')
        if locale == 'id':
            missing = [phrase for phrase in phrases if phrase not in page]
            assert not missing, f'{url}: Indonesian text missing: {missing}'
        prefix = f'/resource/{block_type}/'
        linked = sorted({html.unescape(u) for _quote, u in RESOURCE_URL.findall(page) if u.startswith(prefix)})
        uris = [u[len(prefix):] for u in linked]
        needed = [*SHARED_FILES, js_catalog(locale)]
        absent = [uri for uri in needed if uri not in uris]
        assert not absent, f'{url}?lang={locale}: fragment does not link {absent}; it links {uris}'
        for resource_url, uri in zip(linked, uris):
            assert uri.startswith('public/'), f'{resource_url}: not under public/'
            served = fetch(resource_url)
            assert served.status_code == 200, f'{resource_url}: {served.status_code}'
            content = served.content
            assert content, f'{resource_url}: empty'
            on_disk = pathlib.Path(package_root, uri).read_bytes()
            assert content == on_disk, f'{resource_url}: served bytes differ from the installed file'
            result['resources'][uri] = len(content)
        result[f'page_{locale}_bytes'] = len(page)
    return result


def main():
    config = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding='utf-8'))
    phase = sys.argv[2]
    summary = {'phase': phase}
    started = time.perf_counter()
    package_root = check_isolation(config)
    summary['package'] = package_root
    setup_django(config)
    check_ledger()
    check_bundled_files()
    blocks = installed_blocks()
    summary['blocks'] = blocks
    assert blocks == config['blocks'], (
        f'installed asn xblock.v1 entry points {blocks} differ from setup.py BLOCKS {config["blocks"]}')
    if phase == 'blocks':
        assert blocks, 'no asn block is registered (setup.py BLOCKS is empty): nothing to render'
        unnamed = sorted(set(blocks) - set(config['expected_text']))
        assert not unnamed, (
            f'blocks {unnamed} have no expected Indonesian phrase: '
            'add them to EXPECTED_ID_TEXT in tests/wheel/test_wheel.py')
        summary['rendered'] = {}
        for block_type in sorted(blocks):
            summary['rendered'][block_type] = check_block(block_type, config['expected_text'][block_type], package_root)
            log(f'{block_type}: rendered, {len(summary["rendered"][block_type]["resources"])} resources served')
    summary['seconds'] = round(time.perf_counter() - started, 2)
    print(json.dumps(summary, sort_keys=True))


if __name__ == '__main__':
    main()
