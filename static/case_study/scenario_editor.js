/* The case-study scenario as a form: scenario settings, a node list and one node's form.

   AsnScenarioEditor({container, textarea, t, uid, competencies, announce}) edits the very object
   the JSON textarea holds: every change in the form is written back into the textarea at once,
   and typing in the textarea re-reads it into the form (while it is not valid JSON the form is
   hidden and says why). The form only touches the keys it shows, so anything else survives.
   Author text goes into the page through textContent and value only.

   Every control carries data-ed-key (e.g. "choice.0.target"); structural changes re-render and
   put focus back on the same key, and Check's problems are located through these keys. */
(function () {
  'use strict';

  var KINDS = ['situation', 'event', 'route', 'ending'];
  var RATINGS = ['good', 'fair', 'poor'];
  var TECHNICAL = '__technical__';
  var hasOwn = Object.prototype.hasOwnProperty;

  function isObject(value) { return value !== null && typeof value === 'object' && !Array.isArray(value); }
  function list(owner, key) { return isObject(owner) && Array.isArray(owner[key]) ? owner[key] : []; }
  /* owner[key] as an array to change, created when missing (rendering itself never changes data). */
  function arr(owner, key) {
    if (!Array.isArray(owner[key])) { owner[key] = []; }
    return owner[key];
  }
  var OPTIONAL_LISTS = ['variants', 'competencies'];
  function textOf(value, lang) { return isObject(value) && typeof value[lang] === 'string' ? value[lang] : ''; }
  function str(value) { return value === undefined || value === null ? '' : String(value); }

  /* Set one language of a localized text. Indonesian stays as a key of a required text (so
     Check can say it is missing); an empty English is dropped; an optional text left with no
     language at all is removed. Other languages an author wrote in the JSON are kept. */
  function setText(owner, key, lang, value, required) {
    var merged = {};
    var current = isObject(owner[key]) ? owner[key] : {};
    Object.keys(current).forEach(function (name) { merged[name] = current[name]; });
    merged[lang] = value;
    var next = {};
    ['id', 'en'].concat(Object.keys(merged).filter(function (n) { return n !== 'id' && n !== 'en'; }))
      .forEach(function (name) {
        if (hasOwn.call(merged, name) && (merged[name] !== '' || (required && name === 'id'))) { next[name] = merged[name]; }
      });
    if (required && !hasOwn.call(next, 'id')) { next = Object.assign({id: ''}, next); }
    if (Object.keys(next).length) { owner[key] = next; } else { delete owner[key]; }
  }

  function toNumber(value, fallback) {
    var number = parseFloat(value);
    return isFinite(number) ? number : fallback;
  }

  function freeId(taken, prefix, start) {
    for (var n = start; ; n++) {
      if (taken.indexOf(prefix + n) < 0) { return prefix + n; }
    }
  }

  window.AsnScenarioEditor = function (options) {
    var el = window.AsnXBlocksApi.el;
    var t = options.t;
    var _ = t.gettext;
    var container = options.container;
    var textarea = options.textarea;
    var catalogue = options.competencies || [];
    var scenario = null;
    var selected = 0;
    var confirming = false;
    var settingsOpen = false;

    var KIND_LABELS = {situation: _('Situation'), event: _('Unexpected event'), route: _('Route'), ending: _('Ending')};
    var RATING_LABELS = {good: _('Good'), fair: _('Fair'), poor: _('Poor')};

    var status = el('p', {'class': 'asn-cs-ed-status asn-notice asn-panel', hidden: ''});
    var main = el('div', {'class': 'asn-cs-ed-main'});
    container.appendChild(status);
    container.appendChild(main);

    /* Enter in a one-line field commits it (as leaving it does) instead of saving the whole form. */
    main.addEventListener('keydown', function (event) {
      var target = event.target;
      if (event.key === 'Enter' && target.tagName === 'INPUT' && target.type !== 'checkbox') {
        event.preventDefault();
        target.dispatchEvent(new Event('change', {bubbles: true}));
      }
    });


    function idFor(key) { return options.uid + '-ed-' + key.replace(/[^A-Za-z0-9_-]/g, '-'); }
    function fmt(message, values) { return t.interpolate(message, values); }
    function nodes() { return list(scenario, 'nodes'); }
    function nodeIds() { return nodes().map(function (n) { return isObject(n) ? str(n.id) : ''; }); }
    function current() { return nodes()[selected]; }

    function write() { textarea.value = JSON.stringify(scenario, null, 2); }

    // --- controls -------------------------------------------------------------------------------
    function button(key, text, onClick, extraClass) {
      var node = el('button', {type: 'button', 'class': 'asn-button asn-secondary ' + (extraClass || ''),
                               'data-ed-key': key}, text);
      node.addEventListener('click', function () {
        if (node.getAttribute('aria-disabled') !== 'true') { onClick(); }
      });
      return node;
    }

    /* A labelled control in a .asn-cs-field; `help` becomes its description. */
    function field(key, label, control, help) {
      var wrap = el('div', {'class': 'asn-cs-field'});
      control.id = idFor(key);
      control.setAttribute('data-ed-key', key);
      wrap.appendChild(el('label', {'for': control.id}, label));
      wrap.appendChild(control);
      if (help) {
        wrap.appendChild(el('p', {id: control.id + '-help', 'class': 'asn-cs-help'}, help));
        control.setAttribute('aria-describedby', control.id + '-help');
      }
      return wrap;
    }

    function input(key, label, value, onInput, opts) {
      opts = opts || {};
      var control = el(opts.multiline ? 'textarea' : 'input', opts.multiline
        ? {rows: String(opts.rows || 2)} : {type: opts.type || 'text'});
      ['min', 'max', 'step', 'inputmode'].forEach(function (name) {
        if (opts[name] !== undefined) { control.setAttribute(name, String(opts[name])); }
      });
      control.value = str(value);
      control.addEventListener('input', function () { onInput(control.value); write(); });
      if (opts.onChange) { control.addEventListener('change', function () { opts.onChange(control.value); }); }
      return field(key, label, control, opts.help);
    }

    function number(key, label, value, onInput, opts) {
      opts = opts || {};
      opts.type = 'number';
      if (opts.step === undefined) { opts.step = 'any'; }
      return input(key, label, value, onInput, opts);
    }

    function select(key, label, choices, value, onChange, help) {
      var control = el('select');
      choices.forEach(function (choice) {
        var option = el('option', {value: choice.value}, choice.label);
        option.selected = choice.value === value;
        control.appendChild(option);
      });
      control.addEventListener('change', function () { onChange(control.value); write(); });
      return field(key, label, control, help);
    }

    function checkbox(key, label, checked, onChange) {
      var wrap = el('div', {'class': 'asn-cs-field asn-cs-check'});
      var control = el('input', {type: 'checkbox', id: idFor(key), 'data-ed-key': key});
      control.checked = !!checked;
      control.addEventListener('change', function () { onChange(control.checked); write(); });
      wrap.appendChild(control);
      wrap.appendChild(el('label', {'for': control.id}, label));
      return wrap;
    }

    /* The Indonesian and English halves of a localized text, side by side. */
    function bilingual(key, labels, owner, prop, required, rows) {
      var pair = el('div', {'class': 'asn-cs-ed-pair'});
      pair.appendChild(input(key + '.id', labels[0], textOf(owner[prop], 'id'), function (value) {
        setText(owner, prop, 'id', value, required);
        if (owner === current() && prop === 'title') { renderList(); }
      }, {multiline: true, rows: rows}));
      pair.appendChild(input(key + '.en', labels[1], textOf(owner[prop], 'en'), function (value) {
        setText(owner, prop, 'en', value, required);
      }, {multiline: true, rows: rows}));
      return pair;
    }

    function targetSelect(key, label, value, onChange, empty) {
      var ids = nodeIds();
      var choices = [{value: '', label: empty}];
      nodes().forEach(function (node) {
        if (isObject(node) && str(node.id)) { choices.push({value: str(node.id), label: nodeName(node)}); }
      });
      if (value && ids.indexOf(value) < 0) {
        choices.push({value: value, label: fmt(_('{node} (does not exist)'), {node: value})});
      }
      return select(key, label, choices, str(value), onChange);
    }

    /* Up, Down and Remove for item `index` of owner[prop]; `after(key)` re-renders and refocuses.
       An optional list left empty is removed, so the JSON keeps its canonical form. */
    function itemTools(prefix, owner, prop, index, removeLabel, after) {
      var items = owner[prop];
      var tools = el('div', {'class': 'asn-cs-ed-tools', role: 'group'});
      var up = button(prefix + '.up', _('Move up'), function () {
        items.splice(index - 1, 0, items.splice(index, 1)[0]);
        write();
        after(prefix.replace(/\.\d+$/, '.' + (index - 1)) + '.up', _('Moved up.'));
      });
      var down = button(prefix + '.down', _('Move down'), function () {
        items.splice(index + 1, 0, items.splice(index, 1)[0]);
        write();
        after(prefix.replace(/\.\d+$/, '.' + (index + 1)) + '.down', _('Moved down.'));
      });
      if (index === 0) { up.setAttribute('aria-disabled', 'true'); }
      if (index === items.length - 1) { down.setAttribute('aria-disabled', 'true'); }
      var remove = button(prefix + '.remove', removeLabel, function () {
        items.splice(index, 1);
        if (!items.length && OPTIONAL_LISTS.indexOf(prop) >= 0) { delete owner[prop]; }
        write();
        var next = items.length ? prefix.replace(/\.\d+$/, '.' + Math.min(index, items.length - 1)) + '.remove' : null;
        after(next, _('Removed.'));
      });
      tools.appendChild(up);
      tools.appendChild(down);
      tools.appendChild(remove);
      return tools;
    }

    function nodeName(node) {
      var title = textOf(node.title, 'id') || textOf(node.title, 'en');
      return str(node.id) + (title ? ' — ' + title : '');
    }

    // --- the scenario settings ------------------------------------------------------------------
    function renderSettings() {
      var box = el('details', {'class': 'asn-cs-ed-settings'});
      box.open = settingsOpen;
      box.addEventListener('toggle', function () { settingsOpen = box.open; });
      box.appendChild(el('summary', {'data-ed-key': 'sc.summary'}, _('Scenario settings: title, start, feedback, variables')));
      var body = el('div', {'class': 'asn-cs-ed-group'});
      body.appendChild(input('sc.id', _('Scenario id'), scenario.id, function (v) { scenario.id = v; },
        {help: _('A short name without spaces; used for the exported file and in reports.')}));
      body.appendChild(bilingual('sc.title', [_('Scenario title (Indonesian)'), _('Scenario title (English, optional)')],
        scenario, 'title', true));
      body.appendChild(bilingual('sc.intro', [_('Introduction (Indonesian)'), _('Introduction (English, optional)')],
        scenario, 'introduction', false, 4));
      body.appendChild(targetSelect('sc.start', _('Start node'), str(scenario.start),
        function (v) { scenario.start = v; renderList(); }, _('(choose a node)')));
      body.appendChild(select('sc.feedback_mode', _('When learners see the feedback'), [
        {value: 'immediate', label: _('Right after each choice')},
        {value: 'debrief', label: _('In the debrief at the end')}
      ], scenario.feedback_mode || 'immediate', function (v) { scenario.feedback_mode = v; }));
      body.appendChild(checkbox('sc.allow_undo', _('Learners may undo their last choice'), scenario.allow_undo,
        function (v) { scenario.allow_undo = v; }));
      body.appendChild(checkbox('sc.allow_restart', _('Learners may start the scenario again'),
        scenario.allow_restart !== false, function (v) { scenario.allow_restart = v; }));
      body.appendChild(renderVariables());
      box.appendChild(body);
      return box;
    }

    function renderVariables() {
      var variables = list(scenario, 'variables');
      var group = el('fieldset', {'class': 'asn-cs-ed-items'});
      group.appendChild(el('legend', {}, _('Variables')));
      group.appendChild(el('p', {'class': 'asn-cs-help'},
        _('A flag is true or false; a counter is a whole number kept between its minimum and maximum.')));
      variables.forEach(function (variable, i) {
        if (!isObject(variable)) { return; }
        var row = el('fieldset', {'class': 'asn-cs-ed-item asn-cs-ed-row'});
        row.appendChild(el('legend', {}, fmt(_('Variable {number}'), {number: i + 1})));
        var key = 'var.' + i;
        row.appendChild(input(key + '.name', _('Name'), variable.name, function (v) { variable.name = v.trim(); }));
        row.appendChild(select(key + '.kind', _('Kind'), [{value: 'flag', label: _('Flag (true/false)')},
          {value: 'counter', label: _('Counter (number)')}], variable.kind, function (v) {
          variable.kind = v;
          if (v === 'flag') {
            delete variable.min; delete variable.max; variable.initial = false;
          } else {
            variable.initial = 0; variable.min = 0; variable.max = 10;
          }
          rerender(key + '.kind');
        }));
        if (variable.kind === 'flag') {
          row.appendChild(select(key + '.initial', _('Initial value'), [{value: 'false', label: _('false')},
            {value: 'true', label: _('true')}], String(variable.initial === true),
            function (v) { variable.initial = v === 'true'; }));
        } else {
          [['initial', _('Initial value')], ['min', _('Minimum')], ['max', _('Maximum')]].forEach(function (pair) {
            row.appendChild(number(key + '.' + pair[0], pair[1], variable[pair[0]], function (v) {
              if (v === '') { delete variable[pair[0]]; } else { variable[pair[0]] = Math.round(toNumber(v, 0)); }
            }, {step: 1}));
          });
        }
        row.appendChild(itemTools(key, scenario, 'variables', i, _('Remove variable'), rerender));
        group.appendChild(row);
      });
      group.appendChild(button('var.add', _('Add variable'), function () {
        var names = variables.map(function (v) { return isObject(v) ? v.name : ''; });
        variables = arr(scenario, 'variables');
        variables.push({name: freeId(names, 'variabel_', variables.length + 1), kind: 'flag', initial: false});
        write();
        rerender('var.' + (variables.length - 1) + '.name', _('Variable added.'));
      }));
      return group;
    }

    // --- the node list --------------------------------------------------------------------------
    var listBox = el('ol', {'class': 'asn-cs-node-list'});

    function renderList() {
      listBox.textContent = '';
      nodes().forEach(function (node, i) {
        node = isObject(node) ? node : {};
        var item = el('li');
        var pick = el('button', {type: 'button', 'class': 'asn-cs-node-pick', 'data-ed-key': 'list.' + i,
                                 tabindex: i === selected ? '0' : '-1'});
        if (i === selected) { pick.setAttribute('aria-current', 'true'); }
        pick.appendChild(el('span', {'class': 'asn-cs-node-id'}, str(node.id) || _('(no id)')));
        pick.appendChild(el('span', {'class': 'asn-cs-node-kind'}, ' · ' + (KIND_LABELS[node.kind] || str(node.kind))));
        if (str(node.id) && node.id === scenario.start) {
          pick.appendChild(el('span', {'class': 'asn-cs-node-start'}, ' · ' + _('start')));
        }
        var title = node.kind === 'route' ? '' : (textOf(node.title, 'id') || textOf(node.title, 'en'));
        pick.appendChild(el('span', {'class': 'asn-cs-node-title'}, title || (node.kind === 'route' ? '' : _('(no title)'))));
        pick.addEventListener('click', function () { choose(i, 'list.' + i); });
        item.appendChild(pick);
        listBox.appendChild(item);
      });
    }

    /* One tab stop for the whole list: arrow keys, Home and End move between its nodes. */
    listBox.addEventListener('keydown', function (event) {
      var picks = Array.prototype.slice.call(listBox.querySelectorAll('.asn-cs-node-pick'));
      var at = picks.indexOf(document.activeElement);
      var to = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: picks.length - 1}[event.key];
      if (at < 0 || to === undefined || !picks[to]) { return; }
      event.preventDefault();
      picks.forEach(function (pick, i) { pick.setAttribute('tabindex', i === to ? '0' : '-1'); });
      picks[to].focus();
    });

    function choose(index, focusKey) {
      selected = index;
      confirming = false;
      rerender(focusKey);
    }

    function renderNodeNav() {
      var nav = el('section', {'class': 'asn-cs-ed-nav', 'aria-labelledby': idFor('nodes-title')});
      nav.appendChild(el('h4', {id: idFor('nodes-title')}, _('Nodes')));
      nav.appendChild(el('p', {'class': 'asn-cs-help', id: idFor('nodes-help')},
        _('Choose a node to edit it. Arrow keys move through the list.')));
      listBox.setAttribute('aria-describedby', idFor('nodes-help'));
      nav.appendChild(listBox);
      renderList();
      var adder = el('div', {'class': 'asn-cs-ed-add'});
      var kind = 'situation';
      adder.appendChild(select('tool.kind', _('Kind of the new node'), KINDS.map(function (k) {
        return {value: k, label: KIND_LABELS[k]};
      }), kind, function (v) { kind = v; }));
      adder.appendChild(button('tool.add', _('Add node'), function () { addNode(kind); }));
      nav.appendChild(adder);
      return nav;
    }

    function addNode(kind) {
      var ids = nodeIds();
      var id = freeId(ids, {situation: 'n', event: 'e', route: 'r', ending: 'end-'}[kind], nodes().length + 1);
      var node = {id: id, kind: kind};
      if (kind !== 'route') { node.title = {id: ''}; node.text = {id: ''}; }
      if (kind === 'situation') { node.choices = []; }
      if (kind === 'event') { node.outcomes = []; }
      if (kind === 'route') { node.routes = []; }
      if (kind === 'ending') { node.rating = 'good'; }
      arr(scenario, 'nodes');
      var at = scenario.nodes.length ? selected + 1 : 0;
      scenario.nodes.splice(at, 0, node);
      write();
      selected = at;
      confirming = false;
      rerender(kind === 'route' ? 'node.id' : 'node.title.id',
        fmt(_('Node "{node}" ({kind}) added.'), {node: id, kind: KIND_LABELS[kind]}));
    }

    /* Every link into node `id` from another node (and the start), as readable phrases. */
    function incoming(id) {
      var found = [];
      if (scenario.start === id) { found.push(_('the start of the scenario')); }
      nodes().forEach(function (node) {
        if (!isObject(node) || node.id === id) { return; }
        list(node, 'choices').forEach(function (choice) {
          if (isObject(choice) && choice.target === id) {
            found.push(fmt(_('node "{node}", choice "{choice}"'), {node: node.id, choice: str(choice.id)}));
          }
        });
        if (isObject(node.timeout) && node.timeout.target === id) {
          found.push(fmt(_('node "{node}", timeout'), {node: node.id}));
        }
        list(node, 'outcomes').forEach(function (outcome, i) {
          if (isObject(outcome) && outcome.target === id) {
            found.push(fmt(_('node "{node}", event outcome {number}'), {node: node.id, number: i + 1}));
          }
        });
        list(node, 'routes').forEach(function (route, i) {
          if (isObject(route) && route.target === id) {
            found.push(fmt(_('node "{node}", route {number}'), {node: node.id, number: i + 1}));
          }
        });
      });
      return found;
    }

    /* Rename node references (start and every link) from `from` to `to`. */
    function renameLinks(from, to) {
      var count = 0;
      function fix(owner) {
        if (isObject(owner) && owner.target === from) { owner.target = to; count++; }
      }
      if (scenario.start === from) { scenario.start = to; count++; }
      nodes().forEach(function (node) {
        if (!isObject(node)) { return; }
        list(node, 'choices').forEach(fix);
        fix(node.timeout);
        list(node, 'outcomes').forEach(fix);
        list(node, 'routes').forEach(fix);
      });
      return count;
    }

    // --- the node form ---------------------------------------------------------------------------
    function renderNodeForm() {
      var node = current();
      var panel = el('section', {'class': 'asn-cs-ed-node', 'aria-labelledby': idFor('node-heading')});
      if (!isObject(node)) {
        panel.appendChild(el('h4', {id: idFor('node-heading'), tabindex: '-1', 'data-ed-key': 'node.heading'},
          _('No node yet')));
        panel.appendChild(el('p', {}, _('Add a node with the button beside the list.')));
        return panel;
      }
      panel.appendChild(el('h4', {id: idFor('node-heading'), tabindex: '-1', 'data-ed-key': 'node.heading'},
        fmt(_('{kind} "{node}"'), {kind: KIND_LABELS[node.kind] || str(node.kind), node: str(node.id)})));
      var tools = el('div', {'class': 'asn-cs-ed-tools', role: 'group', 'aria-label': _('This node')});
      var up = button('node.up', _('Move node up'), function () { moveNode(-1); });
      var down = button('node.down', _('Move node down'), function () { moveNode(1); });
      if (selected === 0) { up.setAttribute('aria-disabled', 'true'); }
      if (selected === nodes().length - 1) { down.setAttribute('aria-disabled', 'true'); }
      tools.appendChild(up);
      tools.appendChild(down);
      tools.appendChild(button('node.remove', _('Remove node'), function () { confirming = true; rerender('confirm.no'); }));
      panel.appendChild(tools);
      if (confirming) { panel.appendChild(renderConfirm(node)); }

      panel.appendChild(input('node.id', _('Node id'), node.id, function () {}, {
        help: _('Renaming a node also changes every link to it.'),
        onChange: function (value) {
          var from = str(node.id);
          var to = value.trim();
          if (to === from) { return; }
          node.id = to;
          var count = from ? renameLinks(from, to) : 0;
          write();
          rerender('node.id', fmt(t.ngettext('Node renamed; {count} link updated.',
            'Node renamed; {count} links updated.', count), {count: count}));
        }
      }));
      if (node.kind !== 'route' && KIND_LABELS[node.kind]) {
        panel.appendChild(bilingual('node.title', [_('Title (Indonesian)'), _('Title (English, optional)')], node, 'title', true));
        panel.appendChild(bilingual('node.text', [_('Text (Indonesian)'), _('Text (English, optional)')], node, 'text', true, 5));
      }
      if (node.kind === 'situation') { renderSituation(panel, node); }
      if (node.kind === 'event') { panel.appendChild(renderOutcomes(node)); }
      if (node.kind === 'route') { panel.appendChild(renderRoutes(node)); }
      if (node.kind === 'ending') {
        panel.appendChild(select('rating', _('Rating of this ending'), RATINGS.map(function (r) {
          return {value: r, label: RATING_LABELS[r]};
        }), str(node.rating), function (v) { node.rating = v; }, _('Used by the reports: how well the learner did.')));
      }
      if (!KIND_LABELS[node.kind]) {
        panel.appendChild(el('p', {'class': 'asn-notice asn-panel'},
          _('This node has an unknown kind; edit it in the JSON.')));
      }
      return panel;
    }

    function renderConfirm(node) {
      var links = incoming(str(node.id));
      var box = el('div', {'class': 'asn-cs-ed-confirm asn-panel asn-notice', role: 'group',
                           'aria-labelledby': idFor('confirm-text')});
      box.appendChild(el('p', {id: idFor('confirm-text')}, links.length
        ? fmt(_('Remove node "{node}"? These links lead to it and will lead nowhere until you change them:'),
              {node: str(node.id)})
        : fmt(_('Remove node "{node}"? No other node links to it.'), {node: str(node.id)})));
      if (links.length) {
        var items = el('ul');
        links.forEach(function (link) { items.appendChild(el('li', {}, link)); });
        box.appendChild(items);
      }
      box.appendChild(button('confirm.yes', _('Yes, remove the node'), function () {
        var id = str(node.id);
        scenario.nodes.splice(selected, 1);
        write();
        selected = Math.max(0, Math.min(selected, scenario.nodes.length - 1));
        confirming = false;
        rerender(scenario.nodes.length ? 'list.' + selected : 'tool.add', fmt(_('Node "{node}" removed.'), {node: id}));
      }));
      box.appendChild(button('confirm.no', _('Keep the node'), function () { confirming = false; rerender('node.remove'); }));
      return box;
    }

    function moveNode(step) {
      var to = selected + step;
      scenario.nodes.splice(to, 0, scenario.nodes.splice(selected, 1)[0]);
      write();
      selected = to;
      rerender(step < 0 ? 'node.up' : 'node.down',
        fmt(_('Node moved to position {position} of {total}.'), {position: to + 1, total: scenario.nodes.length}));
    }

    function itemsBox(legend, help) {
      var group = el('fieldset', {'class': 'asn-cs-ed-items'});
      group.appendChild(el('legend', {}, legend));
      if (help) { group.appendChild(el('p', {'class': 'asn-cs-help'}, help)); }
      return group;
    }

    function renderSituation(panel, node) {
      var variants = itemsBox(_('Variants of the text'),
        _('Shown instead of the text when their condition holds; the first that holds wins.'));
      list(node, 'variants').forEach(function (variant, i) {
        if (!isObject(variant)) { return; }
        var key = 'variant.' + i;
        var row = el('fieldset', {'class': 'asn-cs-ed-item'});
        row.appendChild(el('legend', {}, fmt(_('Variant {number}'), {number: i + 1})));
        row.appendChild(input(key + '.when', _('Condition'), variant.when, function (v) { variant.when = v; },
          {help: _('For example: citizen_patience <= 1')}));
        row.appendChild(bilingual(key + '.text', [_('Text (Indonesian)'), _('Text (English, optional)')], variant, 'text', true, 3));
        row.appendChild(itemTools(key, node, 'variants', i, _('Remove variant'), rerender));
        variants.appendChild(row);
      });
      variants.appendChild(button('variant.add', _('Add variant'), function () {
        arr(node, 'variants').push({when: '', text: {id: ''}});
        write();
        rerender('variant.' + (node.variants.length - 1) + '.when', _('Variant added.'));
      }));
      panel.appendChild(variants);

      var image = itemsBox(_('Image (optional)'));
      var img = isObject(node.image) ? node.image : {};
      function syncImage() {  // no address and no alt text: no image
        if (!str(img.url) && !isObject(img.alt)) { delete node.image; delete img.url; return; }
        if (typeof img.url !== 'string') { img.url = ''; }
        if (!isObject(img.alt)) { img.alt = {id: ''}; }
        node.image = img;
      }
      image.appendChild(input('image.url', _('Image address'), img.url, function (v) { img.url = v.trim(); syncImage(); },
        {type: 'url', help: _('Starts with https://')}));
      image.appendChild(bilingual('image.alt', [_('Alternative text (Indonesian)'), _('Alternative text (English, optional)')],
        img, 'alt', false));
      image.addEventListener('input', function (event) {
        if (/^image\.alt\./.test(event.target.getAttribute('data-ed-key'))) { syncImage(); write(); }
      });
      panel.appendChild(image);

      var timing = itemsBox(_('Time limit (optional)'));
      timing.appendChild(number('time_limit', _('Time limit in seconds'), node.time_limit, function (v) {
        if (v === '') { delete node.time_limit; } else { node.time_limit = toNumber(v, 0); }
      }, {min: 1, help: _('Leave empty for no time limit.')}));
      var timeout = isObject(node.timeout) ? node.timeout : null;
      timing.appendChild(targetSelect('timeout.target', _('When time runs out, go to'), timeout ? str(timeout.target) : '',
        function (v) {
          if (!v) { delete node.timeout; } else if (timeout) { timeout.target = v; } else {
            node.timeout = {target: v, points: 0};
          }
          write();
          rerender('timeout.target');
        }, _('(no timeout route)')));
      if (timeout) {
        timing.appendChild(number('timeout.points', _('Points when time runs out'), timeout.points,
          function (v) { timeout.points = toNumber(v, 0); }));
        timing.appendChild(bilingual('timeout.feedback', [_('Feedback when time runs out (Indonesian)'),
          _('Feedback when time runs out (English, optional)')], timeout, 'feedback', false, 2));
      }
      panel.appendChild(timing);
      panel.appendChild(renderChoices(node));
    }

    function renderChoices(node) {
      var choices = list(node, 'choices');
      var group = itemsBox(_('Choices'), _('Give 2 to 6 choices.'));
      choices.forEach(function (choice, i) {
        if (!isObject(choice)) { return; }
        var key = 'choice.' + i;
        var box = el('fieldset', {'class': 'asn-cs-ed-item asn-cs-ed-choice'});
        box.appendChild(el('legend', {}, fmt(_('Choice "{choice}"'), {choice: str(choice.id)})));
        box.appendChild(input(key + '.id', _('Choice id'), choice.id, function () {}, {
          onChange: function (v) { choice.id = v.trim(); write(); rerender(key + '.id'); }
        }));
        box.appendChild(bilingual(key + '.label', [_('Label (Indonesian)'), _('Label (English, optional)')], choice, 'label', true));
        var row = el('div', {'class': 'asn-cs-ed-pair'});
        row.appendChild(targetSelect(key + '.target', _('Leads to'), str(choice.target),
          function (v) { choice.target = v; }, _('(choose a node)')));
        row.appendChild(number(key + '.points', _('Points'), choice.points, function (v) { choice.points = toNumber(v, 0); }));
        box.appendChild(row);
        box.appendChild(renderCompetencies(choice, key));
        box.appendChild(bilingual(key + '.feedback', [_('Feedback (Indonesian)'), _('Feedback (English, optional)')],
          choice, 'feedback', false, 3));
        box.appendChild(input(key + '.when', _('Show only when'), choice.when, function (v) {
          if (v.trim()) { choice.when = v; } else { delete choice.when; }
        }, {help: _('A condition such as "documents_checked and score >= 50"; leave empty to always show the choice.')}));
        box.appendChild(input(key + '.effects', _('Effects'), choice.effects, function (v) {
          if (v.trim()) { choice.effects = v; } else { delete choice.effects; }
        }, {help: _('Changes to variables, such as "citizen_patience -= 1; escalated = true".')}));
        box.appendChild(itemTools(key, node, 'choices', i, _('Remove choice'), rerender));
        group.appendChild(box);
      });
      group.appendChild(button('choice.add', _('Add choice'), function () {
        var ids = choices.map(function (c) { return isObject(c) ? str(c.id) : ''; });
        var id = 'abcdefghijklmnopqrstuvwxyz'.split('').filter(function (c) { return ids.indexOf(c) < 0; })[0] ||
          freeId(ids, 'c', choices.length + 1);
        choices = arr(node, 'choices');
        choices.push({id: id, label: {id: ''}, target: '', points: 0});
        write();
        rerender('choice.' + (choices.length - 1) + '.label.id', fmt(_('Choice "{choice}" added.'), {choice: id}));
      }));
      return group;
    }

    function renderCompetencies(choice, key) {
      var items = list(choice, 'competencies');
      var group = itemsBox(_('Competencies'), _('Points this choice gives toward competencies of the catalogue.'));
      var codes = catalogue.map(function (c) { return {value: c.code, label: c.code + ' — ' + c.label}; })
        .concat([{value: TECHNICAL, label: _('Technical competency (T.…)')}]);
      items.forEach(function (item, j) {
        if (!isObject(item)) { return; }
        var ckey = key + '.comp.' + j;
        var row = el('fieldset', {'class': 'asn-cs-ed-item asn-cs-ed-row'});
        row.appendChild(el('legend', {}, fmt(_('Competency {number}'), {number: j + 1})));
        var technical = /^T\./.test(str(item.code));
        row.appendChild(select(ckey + '.code', _('Competency'), codes, technical ? TECHNICAL : str(item.code), function (v) {
          item.code = v === TECHNICAL ? 'T.' : v;
          write();
          rerender(v === TECHNICAL ? ckey + '.technical' : ckey + '.code');
        }));
        if (technical) {
          row.appendChild(input(ckey + '.technical', _('Technical code'), item.code, function (v) { item.code = v.trim(); },
            {help: _('"T." then capital letters, digits or _, e.g. T.PENGADAAN_BARANG')}));
        }
        row.appendChild(number(ckey + '.points', _('Points'), item.points, function (v) { item.points = toNumber(v, 0); }));
        row.appendChild(select(ckey + '.level', _('Level'), [{value: '', label: _('(no level)')}].concat(
          [1, 2, 3, 4, 5].map(function (n) { return {value: String(n), label: String(n)}; })),
        item.level === undefined ? '' : String(item.level), function (v) {
          if (v) { item.level = parseInt(v, 10); } else { delete item.level; }
        }));
        row.appendChild(itemTools(ckey, choice, 'competencies', j, _('Remove competency'), rerender));
        group.appendChild(row);
      });
      group.appendChild(button(key + '.comp.add', _('Add competency'), function () {
        items = arr(choice, 'competencies');
        items.push({code: catalogue.length ? catalogue[0].code : 'T.', points: toNumber(choice.points, 0)});
        write();
        rerender(key + '.comp.' + (items.length - 1) + '.code', _('Competency added.'));
      }));
      return group;
    }

    function renderOutcomes(node) {
      var outcomes = list(node, 'outcomes');
      var group = itemsBox(_('Outcomes'), _('One outcome is drawn at random; a higher weight makes it more likely.'));
      outcomes.forEach(function (outcome, i) {
        if (!isObject(outcome)) { return; }
        var key = 'outcome.' + i;
        var row = el('fieldset', {'class': 'asn-cs-ed-item asn-cs-ed-row'});
        row.appendChild(el('legend', {}, fmt(_('Outcome {number}'), {number: i + 1})));
        row.appendChild(targetSelect(key + '.target', _('Leads to'), str(outcome.target),
          function (v) { outcome.target = v; }, _('(choose a node)')));
        row.appendChild(number(key + '.weight', _('Weight'), outcome.weight, function (v) { outcome.weight = toNumber(v, 0); },
          {min: 0}));
        row.appendChild(itemTools(key, node, 'outcomes', i, _('Remove outcome'), rerender));
        group.appendChild(row);
      });
      group.appendChild(button('outcome.add', _('Add outcome'), function () {
        outcomes = arr(node, 'outcomes');
        outcomes.push({target: '', weight: 1});
        write();
        rerender('outcome.' + (outcomes.length - 1) + '.target', _('Outcome added.'));
      }));
      return group;
    }

    function renderRoutes(node) {
      var routes = list(node, 'routes');
      var group = itemsBox(_('Routes'), _('The first route whose condition holds is followed. ' +
        'Leave the condition of the last route empty: it is taken when no other holds.'));
      routes.forEach(function (route, i) {
        if (!isObject(route)) { return; }
        var key = 'route.' + i;
        var row = el('fieldset', {'class': 'asn-cs-ed-item asn-cs-ed-row'});
        row.appendChild(el('legend', {}, fmt(_('Route {number}'), {number: i + 1})));
        row.appendChild(input(key + '.when', _('Condition'), route.when, function (v) {
          if (v.trim()) { route.when = v; } else { delete route.when; }
        }));
        row.appendChild(targetSelect(key + '.target', _('Leads to'), str(route.target),
          function (v) { route.target = v; }, _('(choose a node)')));
        row.appendChild(itemTools(key, node, 'routes', i, _('Remove route'), rerender));
        group.appendChild(row);
      });
      group.appendChild(button('route.add', _('Add route'), function () {
        routes = arr(node, 'routes');
        routes.push({target: ''});
        write();
        rerender('route.' + (routes.length - 1) + '.when', _('Route added.'));
      }));
      return group;
    }

    // --- rendering and focus ---------------------------------------------------------------------
    function render() {
      main.textContent = '';
      if (!scenario) { return; }
      selected = Math.max(0, Math.min(selected, nodes().length - 1));
      main.appendChild(renderSettings());
      var columns = el('div', {'class': 'asn-cs-ed-columns'});
      columns.appendChild(renderNodeNav());
      columns.appendChild(renderNodeForm());
      main.appendChild(columns);
    }

    function focusKey(key) {
      var target = key && main.querySelector('[data-ed-key="' + key + '"]');
      if (!target) { return false; }
      var details = target.closest('details');
      if (details && !details.open && target.tagName !== 'SUMMARY') { details.open = true; settingsOpen = true; }
      target.focus();
      return true;
    }

    /* Re-render everything, then focus `key` (or the control that had focus) and announce. */
    function rerender(key, message) {
      var active = document.activeElement;
      var keep = active && main.contains(active) ? active.getAttribute('data-ed-key') : null;
      render();
      focusKey(key || keep) || (key && focusKey(keep));
      if (message) { options.announce(message); }
    }

    /* Read the textarea; while it is not a JSON object the form is hidden and says why. */
    function reload() {
      var value;
      try {
        value = JSON.parse(textarea.value);
      } catch (error) {
        return pause(fmt(_('The JSON below cannot be read ({detail}); the form is back once it is valid.'),
          {detail: error.message}));
      }
      if (!isObject(value)) { return pause(_('The scenario must be a JSON object; the form is back once it is.')); }
      scenario = value;
      status.hidden = true;
      main.hidden = false;
      render();
    }

    function pause(message) {
      scenario = null;
      status.textContent = message;
      status.hidden = false;
      main.hidden = true;
      main.textContent = '';
    }

    // --- problems from Check and Save -----------------------------------------------------------
    function firstKey(candidates) {
      for (var i = 0; i < candidates.length; i++) {
        if (candidates[i][0]) { return candidates[i][1]; }
      }
      return null;
    }

    function mentions(problem, text) { return !!text && str(problem.message).indexOf(text) >= 0; }

    /* Where a problem is: {node: index or -1 for the settings, key}, or null. */
    function locate(problem) {
      if (!scenario) { return null; }
      var code = problem.code;
      if (!problem.node_id) {
        if (code === 'unknown_start') { return {node: -1, key: 'sc.start'}; }
        if (code === 'missing_indonesian') {
          return {node: -1, key: textOf(scenario.title, 'id').trim() ? 'sc.intro.id' : 'sc.title.id'};
        }
        if (code === 'duplicate_id') {
          var names = list(scenario, 'variables').map(function (v) { return isObject(v) ? v.name : ''; });
          var twice = names.filter(function (n, i) { return names.indexOf(n) !== i; })[0];
          return twice !== undefined ? {node: -1, key: 'var.' + names.lastIndexOf(twice) + '.name'} : null;
        }
        return null;
      }
      var index = nodeIds().indexOf(problem.node_id);
      if (index < 0) { return null; }
      var node = nodes()[index];
      var choices = list(node, 'choices');
      var c = problem.choice_id ? choices.map(function (ch) { return isObject(ch) ? ch.id : null; })
        .indexOf(problem.choice_id) : -1;
      var choice = choices[c];
      var ck = 'choice.' + c;
      var ids = nodeIds();
      var missing = function (target) { return ids.indexOf(target) < 0; };
      var links = [[isObject(node.timeout) && missing(node.timeout.target), 'timeout.target']];
      list(node, 'outcomes').forEach(function (o, i) { links.push([missing(o.target), 'outcome.' + i + '.target']); });
      list(node, 'routes').forEach(function (r, i) { links.push([missing(r.target), 'route.' + i + '.target']); });
      var conditions = [];
      list(node, 'variants').forEach(function (v, i) { conditions.push([mentions(problem, v.when), 'variant.' + i + '.when']); });
      list(node, 'routes').forEach(function (r, i) { conditions.push([mentions(problem, r.when), 'route.' + i + '.when']); });
      var key = {
        duplicate_id: c >= 0 ? ck + '.id' : 'node.id',
        missing_indonesian: c >= 0
          ? (textOf(choice.label, 'id').trim() ? ck + '.feedback.id' : ck + '.label.id')
          : firstKey([[!textOf(node.title, 'id').trim(), 'node.title.id'], [!textOf(node.text, 'id').trim(), 'node.text.id']]
            .concat(list(node, 'variants').map(function (v, i) { return [!textOf(v.text, 'id').trim(), 'variant.' + i + '.text.id']; }))
            .concat([[isObject(node.image), 'image.alt.id'], [isObject(node.timeout), 'timeout.feedback.id']])),
        unknown_target: c >= 0 ? ck + '.target' : firstKey(links),
        no_choices: 'choice.add',
        too_few_choices: 'choice.add',
        too_many_choices: 'choice.' + (choices.length - 1) + '.remove',
        time_limit_without_timeout: 'timeout.target',
        timeout_without_time_limit: 'time_limit',
        no_routes: 'route.add',
        route_last_conditional: 'route.' + (list(node, 'routes').length - 1) + '.when',
        no_outcomes: 'outcome.add',
        event_weight: firstKey(list(node, 'outcomes').map(function (o, i) {
          return [!(toNumber(o.weight, 0) > 0), 'outcome.' + i + '.weight'];
        })),
        condition_syntax: c >= 0 ? ck + '.when' : firstKey(conditions),
        undefined_variable: c >= 0 ? (mentions(problem, choice.when) ? ck + '.when' : ck + '.effects') : firstKey(conditions),
        effect_syntax: ck + '.effects',
        effect_type: ck + '.effects'
      }[code];
      if (!key || (c < 0 && /^choice\.-1/.test(key))) { key = c >= 0 ? ck + '.label.id' : 'node.id'; }
      return {node: index, key: key};
    }

    return {
      reload: reload,
      canLocate: function (problem) { return locate(problem) !== null; },
      /* Open the node (or the settings) a problem is about and focus the field at fault. */
      show: function (problem) {
        var place = locate(problem);
        if (!place) { return; }
        if (place.node >= 0) { selected = place.node; confirming = false; } else { settingsOpen = true; }
        render();
        focusKey(place.key) || focusKey('node.id') || focusKey('node.heading');
      }
    };
  };
}());
