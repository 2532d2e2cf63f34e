// The ticket-sync backfill bar on a connection's admin page: while a
// backfill runs, it asks Crossview for the numbers every 1.5 seconds and
// updates the bar, the counts, the rate and the ETA in place. Without
// JavaScript the page shows the numbers as of its load.
(function () {
  'use strict';
  var box = document.querySelector('[data-testid="backfill"][data-progress-url]');
  if (!box) { return; }
  var url = box.getAttribute('data-progress-url');
  var bar = box.querySelector('[data-testid="backfill-bar"]');
  var state = box.querySelector('[data-testid="backfill-state"]');

  function set(field, value) {
    var el = box.querySelector('[data-field="' + field + '"]');
    if (el) { el.textContent = String(value); }
  }

  function showError(msg) {
    var el = box.querySelector('[data-testid="backfill-error"]');
    if (!el) {
      el = document.createElement('p');
      el.className = 'cv-problem';
      el.setAttribute('role', 'alert');
      el.setAttribute('data-testid', 'backfill-error');
      box.appendChild(el);
    }
    el.textContent = msg;
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + ' %';
        state.textContent = p.label;
        set('done', p.done);
        set('total', p.total);
        set('percent', p.percent);
        set('rate', p.rate);
        set('eta', p.eta);
        box.setAttribute('data-state', p.state);
        if (p.error) { showError(p.error); }
        if (p.live) { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); }); // a blip: try again, slower
  }
  setTimeout(poll, 1500);
})();
