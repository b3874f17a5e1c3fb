/**
 * AsnXBlocksI18N: the JavaScript half of asn-xblocks translations.
 *
 * Why our own runtime: the LMS builds JavaScript catalogs only for XBlocks in
 * openedx-translations, so we bundle ours. `python -m asn_xblocks.devsite.messages compile`
 * turns locale/<locale>/LC_MESSAGES/textjs.po into textjs.js (served as
 * public/i18n/<locale>/LC_MESSAGES/textjs.js), which calls register() below with plain data.
 * Each block asks for a translator in its own language instead of using a page-wide
 * `gettext`, so two blocks (or the LMS's own catalog) never overwrite each other.
 *
 *   var t = AsnXBlocksI18N.translator('id');
 *   t.interpolate(t.ngettext('{count} question', '{count} questions', n), {count: n});
 *
 * msgids are the English source: a locale with no catalog at all, or a string missing from
 * one, shows the English text rather than nothing.
 */
(function (root) {
    'use strict';

    // Every block fragment on a page loads this file; the first copy keeps the catalogs.
    if (root.AsnXBlocksI18N) {
        return;
    }

    var catalogs = {};
    var hasOwn = Object.prototype.hasOwnProperty;

    // Plural rules are recognised, never evaluated: a catalog is data, not code. These are the
    // rules of our locales (id: one form; en: singular when n is 1).
    var PLURAL_RULES = {
        '0': function () { return 0; },
        'n!=1': function (n) { return n !== 1 ? 1 : 0; },
        '(n!=1)': function (n) { return n !== 1 ? 1 : 0; }
    };

    function has(object, key) {
        return object !== null && typeof object === 'object' && hasOwn.call(object, key);
    }

    function pluralRule(expression) {
        var key = String(expression).replace(/\s+/g, '').replace(/^plural=/, '').replace(/;$/, '');
        if (!has(PLURAL_RULES, key)) {
            throw new Error('AsnXBlocksI18N: unsupported plural expression "' + expression + '"');
        }
        return PLURAL_RULES[key];
    }

    // 'pt-br', 'pt_BR' -> ['pt_BR', 'pt']; 'id' -> ['id']: Django's to_locale() names first.
    function localeNames(locale) {
        var parts = String(locale || '').split(/[-_]/);
        var language = parts[0].toLowerCase();
        var names = [];
        if (parts.length > 1) {
            var region = parts.slice(1).join('_');
            names.push(language + '_' + (region.length === 2 ? region.toUpperCase() : region));
        }
        names.push(language);
        return names;
    }

    function findCatalog(locale) {
        var names = localeNames(locale);
        for (var i = 0; i < names.length; i++) {
            if (has(catalogs, names[i])) {
                return catalogs[names[i]];
            }
        }
        return null;
    }

    function register(locale, messages, pluralExpression) {
        if (messages === null || typeof messages !== 'object') {
            throw new TypeError('AsnXBlocksI18N: the catalog for "' + locale + '" is not an object');
        }
        catalogs[localeNames(locale)[0]] = {messages: messages, plural: pluralRule(pluralExpression)};
    }

    // Named placeholders only, as in the Python strings: %(name)s and {name}. An unknown name
    // stays visible rather than turning into "undefined".
    function interpolate(format, values) {
        return String(format).replace(/%\((\w+)\)s|\{(\w+)\}/g, function (match, percent, brace) {
            var name = percent || brace;
            return has(values, name) ? String(values[name]) : match;
        });
    }

    function translator(locale) {
        // Looked up on each call, so a catalog that loads after the block started still counts.
        function entry(msgid) {
            var catalog = findCatalog(locale);
            return catalog && has(catalog.messages, msgid) ? catalog.messages[msgid] : undefined;
        }

        function gettext(msgid) {
            var found = entry(msgid);
            if (Array.isArray(found)) {
                found = found[0];
            }
            return typeof found === 'string' && found !== '' ? found : msgid;
        }

        function ngettext(singular, plural, n) {
            var catalog = findCatalog(locale);
            var forms = entry(singular);
            if (catalog && Array.isArray(forms)) {
                var form = forms[catalog.plural(n)];
                if (typeof form === 'string' && form !== '') {
                    return form;
                }
            }
            return n === 1 ? singular : plural;
        }

        return {locale: locale, gettext: gettext, ngettext: ngettext, interpolate: interpolate};
    }

    root.AsnXBlocksI18N = {
        register: register,
        translator: translator,
        interpolate: interpolate,
        hasCatalog: function (locale) { return findCatalog(locale) !== null; }
    };
}(typeof window !== 'undefined' ? window : this));
