// The Zendesk ticket sidebar: ask Zendesk (through the ZAF SDK) which ticket
// is open, fetch its panel from Crossview with the short-lived token the
// shell page carries, and keep the iframe sized to the content.
(function () {
  'use strict';
  var root = document.getElementById('cv-root');
  if (!root) { return; }
  var token = root.getAttribute('data-token');
  var panelURL = root.getAttribute('data-panel-url');
  var forceFirst = root.getAttribute('data-force-refresh') === '1';

  function show(html) {
    root.innerHTML = html;
    resize();
  }
  function problem(title, message) {
    var box = document.createElement('div');
    box.className = 'cv-problem cv-problem--page';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'error');
    var t = document.createElement('strong');
    t.textContent = title;
    var p = document.createElement('p');
    p.textContent = message;
    box.appendChild(t);
    box.appendChild(p);
    root.innerHTML = '';
    root.appendChild(box);
    resize();
  }

  var client = window.ZAFClient && window.ZAFClient.init();
  if (!client) {
    problem('Open this page from Zendesk', 'Crossview\'s sidebar runs inside the Zendesk ticket sidebar.');
    return;
  }
  function resize() {
    var h = Math.max(document.documentElement.scrollHeight, 80);
    client.invoke('resize', { width: '100%', height: h + 'px' });
  }

  var busy = false;
  function load(refresh) {
    if (busy) { return; }
    busy = true;
    root.setAttribute('aria-busy', 'true');
    client.get('ticket.id').then(function (data) {
      var id = data && data['ticket.id'];
      if (!id) { throw new Error('Zendesk did not say which ticket is open.'); }
      var url = panelURL + '?ticket_id=' + encodeURIComponent(id) + (refresh ? '&refresh=1' : '');
      return fetch(url, { headers: { 'X-Crossview-Token': token }, credentials: 'omit', cache: 'no-store' });
    }).then(function (res) {
      return res.text().then(function (body) { show(body); });
    }).catch(function (err) {
      problem('Crossview could not load', err && err.message ? err.message : String(err));
    }).then(function () {
      busy = false;
      root.removeAttribute('aria-busy');
    });
  }

  root.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-action="refresh"]');
    if (btn) { e.preventDefault(); load(true); }
  });
  client.on('ticket.requester.email.changed', function () { load(false); });
  load(forceFirst);
})();
