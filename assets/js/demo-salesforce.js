// The sandbox's stand-in for a Lightning record page: it POSTs the signed
// Canvas request into the iframe, as Salesforce does, and changes tickets
// in the emulated Zendesk without reloading, so the panel's own live
// updates are what the viewer sees.
(function () {
  'use strict';
  var launch = document.getElementById('sf-launch');
  var frame = document.getElementById('sf-canvas');
  // After a failure switch, press the panel's own Refresh once it loads, as
  // a rep would, so the change shows now rather than when the cache's
  // freshness runs out.
  if (frame && frame.hasAttribute('data-refresh')) {
    frame.addEventListener('load', function () {
      var doc = frame.contentDocument;
      var refresh = doc && doc.querySelector('[data-action="refresh"]');
      if (refresh) { refresh.click(); }
    }, { once: true });
  }
  if (launch) { launch.submit(); }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.matches || !form.matches('[data-testid="change-ticket"]')) { return; }
    e.preventDefault();
    var button = form.querySelector('button');
    button.disabled = true;
    fetch(form.action, {
      method: 'POST',
      headers: { 'X-Demo-Fetch': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: 'same-origin'
    }).then(function (res) {
      button.textContent = res.ok ? 'Changed in Zendesk' : 'Refused (' + res.status + ')';
      var comment = form.querySelector('[name="comment"]');
      if (res.ok && comment) { comment.value = ''; }
    }).catch(function () {
      button.textContent = 'Failed';
    }).then(function () {
      setTimeout(function () { button.disabled = false; button.textContent = 'Change in Zendesk'; }, 1500);
    });
  });
})();
