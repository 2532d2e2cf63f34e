// The Zendesk ticket sidebar: ask Zendesk (through the ZAF SDK) which ticket
// is open, exchange the shell's own token for one bound to that ticket
// (Crossview checks the agent may see it), fetch its panel, and keep it
// current: re-fetch while the sidebar is visible and when the app is
// shown again, with the ETag so an unchanged panel costs a 304. Only the
// Refresh button forces a refresh (which Crossview may hold off for a
// short cooldown); a periodic re-fetch never does.
(function () {
  'use strict';
  var root = document.getElementById('cv-root');
  if (!root) { return; }
  var shellToken = root.getAttribute('data-token');
  var panelURL = root.getAttribute('data-panel-url');
  var bindURL = root.getAttribute('data-bind-url');
  var pollMs = Number(root.getAttribute('data-poll-ms')) || 30000;
  var forceFirst = root.getAttribute('data-force-refresh') === '1';
  var bound = null; // { ticket: '42', token: '...' }
  var etag = null;

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

  // Refused is an answer Crossview gave instead of a panel; its body is an
  // HTML fragment that says why.
  function Refused(status, html) { this.status = status; this.html = html; }

  function bind(ticket) {
    return fetch(bindURL, {
      method: 'POST',
      headers: { 'X-Crossview-Token': shellToken, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ticket_id=' + encodeURIComponent(ticket),
      credentials: 'omit', cache: 'no-store'
    }).then(function (res) {
      if (!res.ok) {
        return res.text().then(function (html) { throw new Refused(res.status, html); });
      }
      return res.json().then(function (j) {
        bound = { ticket: ticket, token: j.token };
        etag = null;
        return bound;
      });
    });
  }

  function fetchPanel(b, opts, rebound) {
    var headers = { 'X-Crossview-Token': b.token };
    if (etag && !opts.refresh) { headers['If-None-Match'] = etag; }
    var url = panelURL + '?ticket_id=' + encodeURIComponent(b.ticket) + (opts.refresh ? '&refresh=1' : '');
    return fetch(url, { headers: headers, credentials: 'omit', cache: 'no-store' }).then(function (res) {
      if (res.status === 304) { return; }
      // A bound token lives a few minutes: bind again (which checks the
      // agent's access again) and retry once.
      if ((res.status === 401 || res.status === 403) && !rebound) {
        bound = null;
        return bind(b.ticket).then(function (nb) { return fetchPanel(nb, opts, true); });
      }
      return res.text().then(function (html) {
        if (!res.ok) { etag = null; throw new Refused(res.status, html); }
        etag = res.headers.get('ETag');
        show(html);
      });
    });
  }

  var busy = false;
  var stopped = false; // the shell's own token expired: only a reload helps
  function load(opts) {
    if (busy || (stopped && opts.background)) { return; }
    busy = true;
    if (!opts.background) { root.setAttribute('aria-busy', 'true'); }
    client.get('ticket.id').then(function (data) {
      var id = data && data['ticket.id'];
      if (!id) { throw new Error('Zendesk did not say which ticket is open.'); }
      id = String(id);
      return bound && bound.ticket === id ? bound : bind(id);
    }).then(function (b) {
      return fetchPanel(b, opts, false);
    }).catch(function (err) {
      if (err instanceof Refused) {
        if (err.status === 401) { stopped = true; }
        // A background re-fetch keeps showing what is there.
        if (!opts.background || !root.querySelector('[data-testid="panel"]')) { show(err.html); }
        return;
      }
      if (!opts.background) {
        problem('Crossview could not load', err && err.message ? err.message : String(err));
      }
    }).then(function () {
      busy = false;
      root.removeAttribute('aria-busy');
    });
  }

  root.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-action="refresh"]');
    if (btn) { e.preventDefault(); load({ refresh: true }); }
  });
  function visible() { return document.visibilityState === 'visible'; }
  setInterval(function () { if (visible()) { load({ background: true }); } }, pollMs);
  document.addEventListener('visibilitychange', function () { if (visible()) { load({ background: true }); } });
  client.on('app.activated', function () { load({ background: true }); });
  client.on('ticket.requester.id.changed', function () { load({}); });
  client.on('ticket.requester.email.changed', function () { load({}); });
  load({ refresh: forceFirst });
})();
