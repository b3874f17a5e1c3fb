/* Shared browser helpers for asn blocks: JSON calls to handlers and accessible announcements. */
(function () {
  'use strict';

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : '';
  }

  /* POST `data` as JSON to the block's handler; resolves to {ok, status, data}. Network
     failures resolve too (status 0), so every caller shows a message instead of hanging. */
  function post(runtime, element, handler, data) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': cookie('csrftoken')},
      body: JSON.stringify(data || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {ok: response.ok, status: response.status, data: body};
      });
    }, function () {
      return {ok: false, status: 0, data: {}};
    });
  }

  /* Put `message` in the block's live region so screen readers announce it. */
  function announce(root, message) {
    var region = root.querySelector('[data-asn-live]');
    if (!region) { return; }
    region.textContent = '';
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  /* A new element with attributes and text. Text always goes in through textContent, so
     nothing an author or learner wrote is ever parsed as HTML. */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* A data table with a caption (and an optional note under it): `headers` name the columns,
     each row's first cell is its row header; cells are text. */
  function table(className, caption, note, headers, rows) {
    var node = el('table', {'class': className});
    var cap = node.appendChild(el('caption', {}, caption));
    if (note) { cap.appendChild(el('span', {'class': 'asn-table-note'}, note)); }
    var head = el('tr');
    headers.forEach(function (name) { head.appendChild(el('th', {scope: 'col'}, name)); });
    node.appendChild(el('thead')).appendChild(head);
    var body = node.appendChild(el('tbody'));
    rows.forEach(function (cells) {
      var row = el('tr');
      cells.forEach(function (cell, index) {
        row.appendChild(index === 0 ? el('th', {scope: 'row'}, cell) : el('td', {}, cell));
      });
      body.appendChild(row);
    });
    return node;
  }

  /* Tell Studio (or the authoring MFE) about a save, an error or a cancel; a runtime without
     `notify` (the LMS, a bare workbench page) is left alone. */
  function notify(runtime, name, data) {
    if (runtime && typeof runtime.notify === 'function') { runtime.notify(name, data); }
  }

  /* A block's root element, whether the runtime passes a DOM node or a jQuery object. */
  function rootOf(element) {
    return element && element.jquery ? element[0] : element;
  }

  window.AsnXBlocksApi = {post: post, announce: announce, rootOf: rootOf, el: el, table: table, notify: notify};
}());
