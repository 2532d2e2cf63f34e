// The Salesforce ticket panel: keeps itself current by polling with ETags
// (Crossview answers 304 until a webhook or expiry changes the list), and
// applies filters, pages and refreshes in place. The token came with the
// signed Canvas load; it travels in a header, never a cookie.
(function () {
  'use strict';
  var root = document.getElementById('cv-tv');
  if (!root) { return; }
  var token = root.getAttribute('data-token');
  var panelURL = root.getAttribute('data-panel-url');
  var pollMs = Number(root.getAttribute('data-poll-ms')) || 2000;
  var etag = null;
  var page = 1;
  var pending = null; // a filter to save with the next request
  var inflight = false;
  var timer = null;

  function formQuery() {
    var form = root.querySelector('[data-testid="filters"]');
    var q = new URLSearchParams();
    if (!form) { return q; }
    Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"]:checked'), function (el) {
      q.append(el.name, el.value);
    });
    return q;
  }

  function load(opts) {
    opts = opts || {};
    if (inflight && !opts.force) { return; }
    inflight = true;
    var q = new URLSearchParams();
    if (pending) {
      pending.forEach(function (v, k) { q.append(k, v); });
      q.set('f', '1');
    }
    q.set('page', String(page));
    if (opts.refresh) { q.set('refresh', '1'); }
    var headers = { 'X-Crossview-Token': token };
    if (etag && !opts.force && !pending) { headers['If-None-Match'] = etag; }
    var sentFilter = pending;
    fetch(panelURL + '?' + q.toString(), { headers: headers, credentials: 'omit', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 304) { return null; }
        var tag = res.headers.get('ETag');
        return res.text().then(function (html) {
          if (res.ok) { etag = tag; } else { etag = null; }
          return html;
        });
      })
      .then(function (html) {
        if (sentFilter === pending) { pending = null; }
        if (html !== null) { swap(html); }
      })
      .catch(function () { /* keep showing what we have; the next poll retries */ })
      .then(function () { inflight = false; });
  }

  function swap(html) {
    var active = document.activeElement;
    var key = active && active.name ? active.name + '=' + active.value : null;
    root.innerHTML = html;
    // Keep keyboard focus on the same filter box after a redraw.
    if (key) {
      var parts = key.split('=');
      var again = root.querySelector('input[name="' + parts[0] + '"][value="' + parts[1] + '"]');
      if (again) { again.focus(); }
    }
  }

  root.addEventListener('change', function (e) {
    if (e.target && e.target.type === 'checkbox') {
      pending = formQuery();
      page = 1;
      load({ force: true });
    }
  });
  root.addEventListener('click', function (e) {
    var el = e.target.closest && e.target.closest('[data-action],[data-page]');
    if (!el) { return; }
    if (el.getAttribute('data-action') === 'refresh') {
      load({ force: true, refresh: true });
    } else if (el.getAttribute('data-action') === 'clear-filters') {
      pending = new URLSearchParams();
      page = 1;
      load({ force: true });
    } else if (el.hasAttribute('data-page')) {
      page = Number(el.getAttribute('data-page')) || 1;
      load({ force: true });
    }
  });

  function schedule() {
    clearInterval(timer);
    timer = setInterval(function () {
      if (!document.hidden) { load(); }
    }, pollMs);
  }
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) { load(); }
  });
  schedule();
})();
