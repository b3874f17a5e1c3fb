"""The wheel, as the LMS gets it: built from a copy of the checkout, installed into a fresh venv.

In a checkout `asn_xblocks/public` and `asn_xblocks/translations` are links to the top-level
`static/` and `locale/` folders; the wheel must carry real copies there, because the LMS
serves a block's public files and reads its `text.mo` from inside the installed package.

The build runs on a copy of the checkout (without .venv, build/, *.egg-info, var/, caches), so
a stale `build/lib` can never leak into the wheel and the checkout is left untouched. The
installed package is then exercised by `render_installed.py`, run by the fresh venv's Python
with `-I`, a cleaned environment and a temporary working directory, so nothing of the checkout
is importable there.

Needs network access to the package index (pip's cache is reused). About 40 s.
"""
import configparser
import gettext
import io
import json
import os
import pathlib
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from unittest import mock

import pytest

pytestmark = pytest.mark.wheel

CHECKOUT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = 'asn_xblocks'
HELPER = pathlib.Path(__file__).with_name('render_installed.py')
LEDGER_APP = 'asn_xblocks.core.ledger.apps:LedgerConfig'
LOCALES = ('id', 'en')

# What each block's first workbench scenario (`/scenario/<entry point>.0/`) must show in
# Indonesian, the default language: text the block's own template renders (so the workbench's
# scenario listing cannot satisfy it), one phrase at least through the bundled text.mo.
# Every block in setup.py's BLOCKS needs an entry here.
EXPECTED_ID_TEXT = {
    'asn_assessment': [
        '<h2 class="asn-as-title">Tes Kompetensi Pelayanan Publik ASN',  # data/demo_bank.json
        'Tes ini memerlukan JavaScript.',  # {% trans %} in assessment.html
    ],
    'asn_case_study': [
        '<h2 class="asn-cs-title">Sampah Menumpuk di Samping Sekolah',  # data/sampah_sekolah.json
        'Studi kasus ini memerlukan JavaScript untuk dimainkan.',  # {% trans %} in case_study.html
    ],
    'asn_evaluation': ['<h2 class="asn-ev-title">Evaluasi Pelatihan', 'Kirim survei'],
    'asn_expert_session': ['<h2 class="asn-es-title">Mengelola Aduan Warga lewat SP4N-LAPOR!', 'Poin penting'],
}

# Left out of the copy the wheel is built from: environments, build output and caches.
COPY_IGNORE = {'.git', '.venv', 'build', 'dist', 'var', '__pycache__', '.pytest_cache', '.hypothesis',
               'node_modules', 'artifacts'}
SYMLINK = 0o120000
TIMINGS = {}


# ---- helpers -----------------------------------------------------------------------------------

def tail(text, limit=6000):
    text = text or ''
    return text if len(text) <= limit else f'…{text[-limit:]}'


def run(step, cmd, *, timeout, **kwargs):
    """Run `cmd` (check=True); on failure fail the test with its stdout and stderr."""
    started = time.perf_counter()
    problem = None
    try:
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.CalledProcessError as error:
        problem = f'failed with exit code {error.returncode}', error.stdout, error.stderr
    except subprocess.TimeoutExpired as error:
        problem = f'took more than {timeout}s', error.stdout, error.stderr
    if problem:
        what, stdout, stderr = (item.decode(errors='replace') if isinstance(item, bytes) else item for item in problem)
        pytest.fail(f'{step} {what}: {shlex.join(map(str, cmd))}\n'
                    f'--- stdout ---\n{tail(stdout)}\n--- stderr ---\n{tail(stderr)}', pytrace=False)
    TIMINGS[step] = time.perf_counter() - started
    print(f'\n[wheel] {step}: {TIMINGS[step]:.1f}s', flush=True)
    return proc


def setup_kwargs(source):
    """What setup.py passes to setup(), read by running it with setup() replaced."""
    with mock.patch('setuptools.setup') as fake_setup:
        runpy.run_path(str(source / 'setup.py'), run_name='__main__')
    assert fake_setup.call_count == 1
    return fake_setup.call_args.kwargs


def entry_point_map(lines):
    """['name = module:attr', …] → {name: 'module:attr'}."""
    pairs = (line.split('=', 1) for line in lines)
    return {name.strip(): value.strip() for name, value in pairs}


def clean_env(venv):
    """The environment minus anything that could point Python at the checkout or its venv."""
    dropped = ('PYTHON', 'DJANGO_', 'ASN_', 'PYTEST_', 'CONDA_')
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(dropped) and key not in {'VIRTUAL_ENV', 'PIP_REQUIRE_VIRTUALENV'}}
    ours = {str(pathlib.Path(sys.prefix) / 'bin'), str(CHECKOUT / '.venv' / 'bin')}
    path = [entry for entry in os.environ.get('PATH', '').split(os.pathsep) if entry and entry not in ours]
    env.update(PATH=os.pathsep.join([str(venv / 'bin'), *path]), VIRTUAL_ENV=str(venv),
               PYTHONNOUSERSITE='1', PYTHONDONTWRITEBYTECODE='1')
    return env


def expected_package_files(source):
    """{path in the wheel: path in the checkout} for everything the package must ship.

    Python modules, every file under `templates/` and `data/` folders, and — through the
    links — every file of `static/` (as public/) and `locale/` (as translations/). Hidden files
    and bytecode are never shipped.
    """
    root = source / PACKAGE
    expected = {}
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.') and d != '__pycache__')
        relative = pathlib.Path(folder).relative_to(root)
        for name in files:
            if name.startswith('.') or name.endswith(('.pyc', '.pyo')):
                continue
            rel = relative / name
            if (rel.parts[0] in ('public', 'translations') or {'templates', 'data'} & set(rel.parts[:-1])
                    or rel.suffix == '.py'):
                expected[f'{PACKAGE}/{rel.as_posix()}'] = pathlib.Path(folder, name)
    return expected


# ---- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope='module', autouse=True)
def report_timings():
    yield
    if TIMINGS:
        print('\n[wheel] timings: ' + ', '.join(f'{step} {seconds:.1f}s' for step, seconds in TIMINGS.items())
              + f'; total {sum(TIMINGS.values()):.1f}s')


@pytest.fixture(scope='module')
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp('wheel')


@pytest.fixture(scope='module')
def source(workdir):
    """A copy of the checkout without environments, build output and caches (links kept as links).

    The wheel is built from it and every comparison reads it, so edits made to the checkout
    while the test runs cannot make the two disagree.
    """
    source = workdir / 'src'
    started = time.perf_counter()
    shutil.copytree(CHECKOUT, source, symlinks=True, ignore=lambda _folder, names: [
        n for n in names if n in COPY_IGNORE or n.startswith('.venv') or n.endswith(('.egg-info', '.pyc'))])
    TIMINGS['copy checkout'] = time.perf_counter() - started
    for link, target in (('public', 'static'), ('translations', 'locale')):
        assert (source / PACKAGE / link).is_symlink(), f'{PACKAGE}/{link} should link to {target}/ in a checkout'
    return source


@pytest.fixture(scope='module')
def setup_py(source):
    return setup_kwargs(source)


@pytest.fixture(scope='module')
def wheel(workdir, source):
    """Build the wheel from the copy, with the interpreter running pytest."""
    dist = workdir / 'dist'
    env = {key: value for key, value in os.environ.items() if key not in {'PYTHONPATH', 'PYTHONHOME'}}
    run('build wheel', [sys.executable, '-m', 'build', '--wheel', '--outdir', str(dist), str(source)],
        cwd=source, env=env, timeout=300)
    wheels = sorted(dist.glob('*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope='module')
def wheel_zip(wheel):
    with zipfile.ZipFile(wheel) as archive:
        yield archive


@pytest.fixture(scope='module')
def dist_info(wheel_zip, setup_py):
    name = f"{setup_py['name'].replace('-', '_')}-{setup_py['version']}.dist-info"
    assert f'{name}/METADATA' in wheel_zip.namelist(), wheel_zip.namelist()
    return name


@pytest.fixture(scope='module')
def fresh_venv(workdir, wheel):
    """A new venv of the same Python with the wheel and its `workbench` extra installed."""
    venv, rundir = workdir / 'venv', workdir / 'run'
    rundir.mkdir()
    run('create venv', [sys.executable, '-m', 'venv', str(venv)], cwd=rundir, env=clean_env(venv), timeout=120)
    python = venv / 'bin' / 'python'
    # fs (under xblock-sdk) imports pkg_resources, which setuptools 82 removed.
    proc = run('pip install wheel[workbench]',
               [str(python), '-I', '-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off',
                f'{wheel}[workbench]', 'setuptools<82'],
               cwd=rundir, env=clean_env(venv), timeout=600)
    installed = [line for line in proc.stdout.splitlines() if line.startswith('Successfully installed')]
    print(f'[wheel] {installed[-1][:300] if installed else proc.stdout[-300:]}…')
    run('pip check', [str(python), '-I', '-m', 'pip', 'check'], cwd=rundir, env=clean_env(venv), timeout=120)
    return venv


@pytest.fixture(scope='module')
def run_installed(workdir, fresh_venv, setup_py):
    """Run render_installed.py in the fresh venv; return its JSON summary."""
    rundir = workdir / 'run'
    script = rundir / HELPER.name
    shutil.copyfile(HELPER, script)

    def run_phase(phase):
        config = rundir / f'config-{phase}.json'
        config.write_text(json.dumps({
            'checkout': str(CHECKOUT),
            'var_dir': str(rundir / f'var-{phase}'),
            'blocks': entry_point_map(setup_py['entry_points']['xblock.v1']),
            'expected_text': EXPECTED_ID_TEXT,
        }), encoding='utf-8')
        python = fresh_venv / 'bin' / 'python'
        proc = run(f'installed package: {phase}', [str(python), '-I', str(script), str(config), phase],
                   cwd=rundir, env=clean_env(fresh_venv), timeout=300)
        print(proc.stdout.rstrip())
        return json.loads(proc.stdout.strip().splitlines()[-1])

    return run_phase


# ---- the wheel's contents ------------------------------------------------------------------------

def test_the_wheel_ships_the_package_files_as_real_copies_and_nothing_else(wheel_zip, dist_info, source):
    infos = {info.filename: info for info in wheel_zip.infolist() if not info.is_dir()}
    links = [name for name, info in infos.items() if (info.external_attr >> 16) & 0o170000 == SYMLINK]
    assert not links, f'symbolic links in the wheel: {links}'

    outside = sorted(n for n in infos if not n.startswith((f'{PACKAGE}/', f'{dist_info}/')))
    assert not outside, f'files outside {PACKAGE}/ and {dist_info}/ (tests? benchmarks?): {outside}'
    junk = sorted(n for n in infos if '__pycache__' in n or n.endswith(('.pyc', '.pyo'))
                  or any(part.startswith('.') for part in n.split('/')))
    assert not junk, f'bytecode or hidden files in the wheel: {junk}'

    expected = expected_package_files(source)
    shipped = {n for n in infos if n.startswith(f'{PACKAGE}/')}
    missing, surprising = sorted(set(expected) - shipped), sorted(shipped - set(expected))
    assert not missing, f'files of the checkout the wheel lacks (setup.py package_data?): {missing}'
    assert not surprising, f'files in the wheel that are not in the checkout (stale build?): {surprising}'
    differing = [name for name, path in expected.items() if wheel_zip.read(name) != path.read_bytes()]
    assert not differing, f'files whose bytes differ from the checkout: {differing}'


def test_the_wheel_ships_public_files_catalogs_migrations_and_block_templates(wheel_zip, setup_py, source):
    names = set(wheel_zip.namelist())
    core_js = sorted(n for n in names if re.fullmatch(rf'{PACKAGE}/public/core/[^/]+\.js', n))
    assert core_js, 'no asn_xblocks/public/core/*.js in the wheel'
    for shared in ('public/core/asn.css', 'public/core/i18n.js', 'public/core/api.js'):
        assert f'{PACKAGE}/{shared}' in names
        assert wheel_zip.read(f'{PACKAGE}/{shared}').strip(), f'{shared} is empty'

    for locale in LOCALES:
        messages = f'{PACKAGE}/translations/{locale}/LC_MESSAGES'
        assert f'{messages}/text.mo' in names, f'{messages}/text.mo missing'
        catalog = gettext.GNUTranslations(io.BytesIO(wheel_zip.read(f'{messages}/text.mo')))
        assert catalog.info().get('language', locale).lower().startswith(locale), catalog.info()
        assert f'{PACKAGE}/public/i18n/{locale}/LC_MESSAGES/textjs.js' in names, f'{locale} JS catalog missing'
    # Every catalog source has its compiled form and the other way round: no .mo without a .po,
    # no .po that was never compiled.
    po_mismatch = []
    for name in names:
        match = re.fullmatch(rf'{PACKAGE}/translations/([^/]+)/LC_MESSAGES/([^/]+)\.(po|mo|js)', name)
        if not match:
            continue
        stem = name.rsplit('.', 1)[0]
        domain, kind = match.group(2), match.group(3)
        partners = {'po': ('.js',) if domain.endswith('js') else ('.mo',), 'mo': ('.po',), 'js': ('.po',)}[kind]
        po_mismatch += [f'{name} without {stem}{suffix}' for suffix in partners if f'{stem}{suffix}' not in names]
    assert not po_mismatch, po_mismatch

    ledger = f'{PACKAGE}/core/ledger/migrations'
    migrations = sorted(n for n in names if re.fullmatch(rf'{ledger}/\d{{4}}_\w+\.py', n))
    assert f'{ledger}/__init__.py' in names and f'{ledger}/0001_initial.py' in migrations, migrations
    checkout_migrations = sorted(p.name for p in (source / ledger).glob('[0-9][0-9][0-9][0-9]_*.py'))
    assert [m.rsplit('/', 1)[1] for m in migrations] == checkout_migrations

    for block_type, target in entry_point_map(setup_py['entry_points']['xblock.v1']).items():
        module = target.split(':')[0]
        assert f"{module.replace('.', '/')}.py" in names, f'{block_type}: module {module} not in the wheel'
        block_package = module.rsplit('.', 1)[0].replace('.', '/')
        templates = sorted(n for n in names if n.startswith(f'{block_package}/templates/') and n.endswith('.html'))
        assert templates, f'{block_type}: no {block_package}/templates/*.html in the wheel'


def test_the_wheel_declares_the_plugin_apps_every_block_and_the_workbench_extra(wheel_zip, dist_info, setup_py):
    parser = configparser.ConfigParser(delimiters=('=',), interpolation=None)
    parser.optionxform = str
    parser.read_string(wheel_zip.read(f'{dist_info}/entry_points.txt').decode('utf-8'))
    sections = {section: dict(parser[section]) for section in parser.sections()}
    assert sections.get('lms.djangoapp') == {'asn_xblocks': LEDGER_APP}, sections
    assert sections.get('cms.djangoapp') == {'asn_xblocks': LEDGER_APP}, sections
    declared = entry_point_map(setup_py['entry_points']['xblock.v1'])
    assert sections.get('xblock.v1', {}) == declared, (sections.get('xblock.v1'), declared)
    assert all(target.startswith(f'{PACKAGE}.') for target in declared.values()), declared

    metadata = wheel_zip.read(f'{dist_info}/METADATA').decode('utf-8')
    assert 'Provides-Extra: workbench' in metadata
    assert re.search(r'^Requires-Dist: xblock-sdk.*extra == "workbench"', metadata, re.MULTILINE), metadata


# ---- the installed wheel ---------------------------------------------------------------------------

def test_the_installed_wheel_imports_migrates_and_serves_its_bundled_files(run_installed, setup_py):
    summary = run_installed('base')
    assert summary['blocks'] == entry_point_map(setup_py['entry_points']['xblock.v1'])


def test_the_installed_wheel_renders_every_block_in_indonesian_with_its_files(run_installed, setup_py):
    declared = entry_point_map(setup_py['entry_points']['xblock.v1'])
    if not declared:
        pytest.fail('setup.py BLOCKS is empty: no asn block to render from the installed wheel', pytrace=False)
    summary = run_installed('blocks')
    assert set(summary['rendered']) == set(declared)
    for block_type, result in summary['rendered'].items():
        assert 'public/i18n/id/LC_MESSAGES/textjs.js' in result['resources'], (block_type, result)
