"""The message catalog tooling (asn_xblocks.devsite.messages) and the JS runtime (static/core/i18n.js).

Each test builds a small checkout in tmp_path (a Python module, a Django template, a JS file)
so that a broken extractor, merge, compiler or check fails here rather than in front of
learners. One test checks the real repository: it fails when code changed strings and
`make messages` was not run, or an Indonesian translation is missing.
"""
import gettext
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from asn_xblocks.devsite import messages

REPO = Path(__file__).resolve().parents[2]
NODE = shutil.which('node')

PY_SOURCE = '''\
from django.utils.translation import gettext as _, ngettext, pgettext

TITLE = _("Training evaluation")
# Translators: {name} is the learner's full name.
GREETING = _("Hello, {name}")
MONTH = pgettext("month name", "May")


def responses(n):
    return ngettext("%(count)s response", "%(count)s responses", n)
'''
TEMPLATE = '''\
{% load i18n %}
{# Translators: the button that sends the survey #}
<button>{% trans "Send" %}</button>
<p>{% translate "50% done" %}</p>
<p>{% blocktrans with name=user.name %}Welcome, {{ name }}!{% endblocktrans %}</p>
<p>{% blocktrans count counter=items|length %}One item{% plural %}{{ counter }} items{% endblocktrans %}</p>
<p>{% blocktranslate trimmed %}
  Thank you for
  taking part.
{% endblocktranslate %}</p>
'''
JS_SOURCE = '''\
(function () {
    var t = window.AsnXBlocksI18N.translator('id');
    t.gettext('Submit answer');
    t.ngettext('{count} question left', '{count} questions left', 3);
    t.gettext('Hello, %(name)s');
}());
'''
ID_TRANSLATIONS = {
    'text': {
        'Training evaluation': 'Evaluasi pelatihan',
        'Hello, {name}': 'Halo, {name}',
        ('May', 'month name'): 'Mei',
        '%(count)s response': ('%(count)s tanggapan',),
        'Send': 'Kirim',
        '50%% done': '50%% selesai',
        'Welcome, %(name)s!': 'Selamat datang, %(name)s!',
        'One item': ('%(counter)s butir',),
        'Thank you for taking part.': 'Terima kasih atas partisipasi Anda.',
    },
    'textjs': {
        'Submit answer': 'Kirim jawaban',
        '{count} question left': ('{count} pertanyaan tersisa',),
        'Hello, %(name)s': 'Halo, %(name)s',
    },
}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding='utf-8')


def load(tree, locale, domain):
    with open(tree.po(locale, domain), 'rb') as handle:
        return read_po(handle, locale=locale)


def save(tree, locale, domain, catalog):
    with open(tree.po(locale, domain), 'wb') as handle:
        write_po(handle, catalog, sort_output=True)


def translate(tree, domain, mapping, locale='id'):
    catalog = load(tree, locale, domain)
    for key, value in mapping.items():
        msgid, context = key if isinstance(key, tuple) else (key, None)
        message = catalog.get(msgid, context=context)
        message.string = value
        message.flags.discard('fuzzy')
    save(tree, locale, domain, catalog)


@pytest.fixture
def tree(tmp_path):
    write(tmp_path / 'asn_xblocks' / 'survey' / 'block.py', PY_SOURCE)
    write(tmp_path / 'asn_xblocks' / 'survey' / 'templates' / 'survey.html', TEMPLATE)
    write(tmp_path / 'static' / 'survey' / 'survey.js', JS_SOURCE)
    # The runtime itself must add nothing to the catalog.
    write(tmp_path / 'static' / 'core' / 'i18n.js', (REPO / 'static' / 'core' / 'i18n.js').read_text())
    (tmp_path / 'locale').mkdir()
    (tmp_path / 'static' / 'i18n').symlink_to('../locale')
    return messages.Tree(tmp_path)


@pytest.fixture
def translated(tree):
    """The tree after extract, an Indonesian translator's work, and compile."""
    messages.extract(tree)
    for domain, mapping in ID_TRANSLATIONS.items():
        translate(tree, domain, mapping)
    messages.compile_catalogs(tree)
    return tree


def msgids(catalog):
    return {(m.id, m.context) for m in list(catalog)[1:]}


def test_extract_finds_python_template_and_js_strings(tree):
    templates = messages.extract_sources(tree)
    assert msgids(templates['text']) == {
        ('Training evaluation', None), ('Hello, {name}', None), ('May', 'month name'),
        (('%(count)s response', '%(count)s responses'), None),
        ('Send', None), ('50%% done', None), ('Welcome, %(name)s!', None),
        (('One item', '%(counter)s items'), None), ('Thank you for taking part.', None),
    }
    assert msgids(templates['textjs']) == {
        ('Submit answer', None), (('{count} question left', '{count} questions left'), None),
        ('Hello, %(name)s', None),
    }
    assert templates['text'].get('Send').auto_comments == ['the button that sends the survey']
    assert templates['text'].get('Hello, {name}').auto_comments == ["{name} is the learner's full name."]


DJANGO_RENDER = '''
import gettext, sys
import django
from django.conf import settings
settings.configure(USE_I18N=True, LANGUAGE_CODE='id', INSTALLED_APPS=[],
                   TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates'}])
django.setup()
from django.template import Context, Engine
from django.utils.translation import trans_real
trans_real._active.value = gettext.translation('text', sys.argv[1], ['id'])
engine = Engine(libraries={'i18n': 'django.templatetags.i18n'})
template = engine.from_string(open(sys.argv[2], encoding='utf-8').read())
print(template.render(Context({'user': {'name': 'Sari'}, 'items': [1, 2, 3]})))
'''


def test_template_msgids_are_the_ones_django_looks_up(translated):
    """Rendered by Django itself with our text.mo: a msgid built differently stays English."""
    html = subprocess.run(
        [sys.executable, '-c', DJANGO_RENDER, str(translated.locale),
         str(translated.package / 'survey' / 'templates' / 'survey.html')],
        capture_output=True, text=True, check=True).stdout
    for expected in ('Kirim', '50% selesai', 'Selamat datang, Sari!', '3 butir',
                     'Terima kasih atas partisipasi Anda.'):
        assert expected in html


def test_extract_writes_sorted_catalogs_with_plural_forms(tree):
    written = messages.extract(tree)
    assert sorted(written) == sorted(path for _l, _d, path in tree.catalogs())
    for locale, domain, _path in tree.catalogs():
        catalog = load(tree, locale, domain)
        assert catalog.plural_forms == messages.PLURAL_FORMS[locale]
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in list(catalog)[1:]]
        assert ids == sorted(ids)
    english = load(tree, 'en', 'text')
    assert english.get('Send').string == 'Send'
    assert tuple(english.get('One item').string) == ('One item', '%(counter)s items')
    assert load(tree, 'id', 'text').get('Send').string == ''
    assert messages.extract(tree) == []  # nothing changes on a second run


def test_extract_keeps_translations_and_drops_obsolete_ones(translated):
    source = translated.package / 'survey' / 'block.py'
    source.write_text(PY_SOURCE.replace('"Training evaluation"', '"Pre-test"'))
    messages.extract(translated)
    catalog = load(translated, 'id', 'text')
    assert catalog.get('Hello, {name}').string == 'Halo, {name}'
    assert catalog.get('Pre-test').string == ''
    assert catalog.get('Training evaluation') is None
    assert 'Training evaluation' not in translated.po('id', 'text').read_text()


def test_changed_msgid_is_fuzzy_in_id_and_follows_the_source_in_en(translated):
    translate(translated, 'text', {'Send': 'Send now'}, locale='en')  # a deliberate English edit
    source = translated.package / 'survey' / 'block.py'
    source.write_text(PY_SOURCE.replace('"Training evaluation"', '"Training evaluations"')
                      .replace('"%(count)s responses"', '"%(count)s replies"'))
    messages.extract(translated)
    indonesian = load(translated, 'id', 'text').get('Training evaluations')
    assert indonesian.fuzzy and indonesian.string == 'Evaluasi pelatihan'
    english = load(translated, 'en', 'text')
    assert english.get('Training evaluations').string == 'Training evaluations'
    assert not english.get('Training evaluations').fuzzy
    assert tuple(english.get('%(count)s response').string) == ('%(count)s response', '%(count)s replies')
    assert english.get('Send').string == 'Send now'
    messages.compile_catalogs(translated)
    assert messages.check(translated) == [
        "locale/id/LC_MESSAGES/text.po: fuzzy translation to review: 'Training evaluations'"]
    # A fuzzy guess never reaches learners: they see the English source until it is reviewed.
    assert gettext.translation('text', translated.locale, ['id']).gettext('Training evaluations') == \
        'Training evaluations'


def test_compiled_mo_translates_with_gettext(translated):
    indonesian = gettext.translation('text', translated.locale, ['id'])
    assert indonesian.gettext('Training evaluation') == 'Evaluasi pelatihan'
    assert indonesian.pgettext('month name', 'May') == 'Mei'
    assert indonesian.ngettext('%(count)s response', '%(count)s responses', 1) == '%(count)s tanggapan'
    assert indonesian.ngettext('%(count)s response', '%(count)s responses', 7) == '%(count)s tanggapan'
    english = gettext.translation('text', translated.locale, ['en'])
    assert english.ngettext('%(count)s response', '%(count)s responses', 7) == '%(count)s responses'
    assert english.gettext('Send') == 'Send'


def test_textjs_registers_the_catalog_deterministically(translated):
    path = translated.locale / 'id' / 'LC_MESSAGES' / 'textjs.js'
    text = path.read_text(encoding='utf-8')
    assert text.startswith('// Generated by')
    match = re.fullmatch(r'.*\nwindow\.AsnXBlocksI18N\.register\((".*?"), (\{.*\}), (".*?")\);\n', text, re.S)
    locale, catalog, plural = (json.loads(part) for part in match.groups())
    assert (locale, plural) == ('id', '0')
    assert catalog == {'Submit answer': 'Kirim jawaban', 'Hello, %(name)s': 'Halo, %(name)s',
                       '{count} question left': ['{count} pertanyaan tersisa']}
    assert 'register("en"' in (translated.locale / 'en' / 'LC_MESSAGES' / 'textjs.js').read_text()
    assert messages.compile_catalogs(translated) == []  # same bytes again: no timestamps


def test_check_passes_on_a_complete_tree(translated):
    assert messages.check(translated) == []
    assert messages.main(['check', '--root', str(translated.root)]) == 0


def test_check_reports_stale_and_missing_compiled_files(translated, capsys):
    translate(translated, 'text', {'Send': 'Kirimkan'})
    (translated.locale / 'en' / 'LC_MESSAGES' / 'textjs.js').unlink()
    problems = messages.check(translated)
    assert 'locale/id/LC_MESSAGES/text.mo: out of date; run compile' in problems
    assert 'locale/en/LC_MESSAGES/textjs.js: missing; run compile' in problems
    assert messages.main(['check', '--root', str(translated.root)]) == 1
    assert 'text.mo: out of date' in capsys.readouterr().err
    messages.compile_catalogs(translated)
    assert messages.check(translated) == []


def test_check_reports_code_changes_then_missing_indonesian_translation(translated):
    source = translated.package / 'survey' / 'block.py'
    source.write_text(PY_SOURCE + 'HINT = _("Post-test")\n')
    assert messages.check(translated) == [
        f'locale/{locale}/LC_MESSAGES/text.po: not in catalog, run extract: {"Post-test"!r}'
        for locale in messages.LOCALES]
    messages.extract(translated)
    messages.compile_catalogs(translated)
    assert messages.check(translated) == [
        "locale/id/LC_MESSAGES/text.po: missing translation: 'Post-test'"]


def test_check_reports_placeholder_mismatch_and_fuzzy(translated):
    translate(translated, 'text', {'Hello, {name}': 'Halo, {nama}',
                                   'One item': ('%(count)s butir',)})
    catalog = load(translated, 'id', 'textjs')
    catalog.get('Submit answer').flags.add('fuzzy')
    save(translated, 'id', 'textjs', catalog)
    messages.compile_catalogs(translated)
    assert sorted(messages.check(translated)) == [
        "locale/id/LC_MESSAGES/text.po: placeholders differ from msgid: 'Hello, {name}'",
        "locale/id/LC_MESSAGES/text.po: placeholders differ from msgid: 'One item'",
        "locale/id/LC_MESSAGES/textjs.po: fuzzy translation to review: 'Submit answer'",
    ]


def test_repository_catalogs_are_complete_and_compiled():
    problems = messages.check()
    assert not problems, ('Message catalogs are out of date. Translate in locale/id, then run '
                          '`make messages`:\n' + '\n'.join(problems))


NODE_SCRIPT = textwrap.dedent('''
    const vm = require('vm');
    const fs = require('fs');
    const [runtime, ...catalogs] = process.argv.slice(2);
    const context = vm.createContext({});
    context.window = context;
    const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), context, {filename: file});
    run(runtime);
    const I18N = context.AsnXBlocksI18N;
    const early = I18N.translator('id');  // made before its catalog arrives
    catalogs.forEach(run);
    run(runtime);  // a second block on the page loads the runtime again
    const out = {early: early.gettext('Submit answer')};
    for (const locale of ['id', 'en', 'id-ID', 'fr']) {
        const t = I18N.translator(locale);
        const left = (n) => t.interpolate(t.ngettext('{count} question left', '{count} questions left', n), {count: n});
        out[locale] = {submit: t.gettext('Submit answer'), unknown: t.gettext('Not in any catalog'),
                       one: left(1), many: left(5), hello: t.interpolate(t.gettext('Hello, %(name)s'), {name: 'Sari'})};
    }
    out.keepsUnknownNames = I18N.interpolate('{a} %(b)s {c} %(d)s', {a: 1, b: 'x'});
    try { I18N.register('xx', {}, 'n > 1 ? alert(1) : 0'); out.badPlural = 'accepted'; }
    catch (error) { out.badPlural = error.message; }
    console.log(JSON.stringify(out));
''')


@pytest.mark.skipif(NODE is None, reason='node is not installed; the JS i18n runtime test needs it')
def test_js_runtime_translates_with_compiled_catalogs(translated, tmp_path):
    script = tmp_path / 'run_i18n.js'
    script.write_text(NODE_SCRIPT)
    compiled = [str(translated.locale / locale / 'LC_MESSAGES' / 'textjs.js') for locale in ('id', 'en')]
    result = subprocess.run([NODE, str(script), str(REPO / 'static' / 'core' / 'i18n.js'), *compiled],
                            capture_output=True, text=True, check=True, timeout=30)
    out = json.loads(result.stdout)
    indonesian = {'submit': 'Kirim jawaban', 'unknown': 'Not in any catalog', 'one': '1 pertanyaan tersisa',
                  'many': '5 pertanyaan tersisa', 'hello': 'Halo, Sari'}
    english = {'submit': 'Submit answer', 'unknown': 'Not in any catalog', 'one': '1 question left',
               'many': '5 questions left', 'hello': 'Hello, Sari'}
    assert out['id'] == indonesian
    assert out['id-ID'] == indonesian
    assert out['en'] == english
    assert out['fr'] == english  # no catalog at all: the English source
    assert out['early'] == 'Kirim jawaban'
    assert out['keepsUnknownNames'] == '1 x {c} %(d)s'
    assert 'unsupported plural expression' in out['badPlural']
