// The backfill bars on a connection's admin page (ticket sync's, and one
// per object for data sync): while a backfill runs, each bar asks
// Crossview for its numbers every 1.5 seconds and updates the bar, the
// counts, the rate and the ETA in place. Without JavaScript the page shows
// the numbers as of its load.
(function () {
  'use strict';

  function watch(box) {
    var url = box.getAttribute('data-progress-url');
    var bar = box.querySelector('progress');
    var state = box.querySelector('[data-role="state"]');

    function set(field, value) {
      var el = box.querySelector('[data-field="' + field + '"]');
      if (el) { el.textContent = String(value); }
    }

    function showError(msg) {
      var el = box.querySelector('[data-role="error"]');
      if (!el) {
        el = document.createElement('p');
        el.className = 'cv-problem';
        el.setAttribute('role', 'alert');
        el.setAttribute('data-role', 'error');
        el.setAttribute('data-testid', box.getAttribute('data-error-testid') || 'backfill-error');
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
          if (state) { state.textContent = p.label; }
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
  }

  var boxes = document.querySelectorAll('[data-progress-url]');
  for (var i = 0; i < boxes.length; i++) { watch(boxes[i]); }
})();
