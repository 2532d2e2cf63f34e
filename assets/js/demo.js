// The sandbox's stand-in for the Zendesk agent workspace: it POSTs the
// signed token into the app iframe exactly as Zendesk does for a signed-URL
// location, then answers the ZAF SDK's postMessage protocol (handshake,
// get, invoke resize) the way the parent Zendesk frame would.
(function () {
  'use strict';
  var frame = document.getElementById('zaf-sidebar');
  var form = document.getElementById('zaf-launch');
  if (!frame || !form) { return; }
  var appGuid = frame.getAttribute('data-app-guid');
  var ticketId = Number(frame.getAttribute('data-ticket-id'));
  var values = {
    'ticket.id': ticketId,
    'ticket.requester.email': frame.getAttribute('data-requester-email'),
    'ticket.requester.name': frame.getAttribute('data-requester-name'),
    'currentUser.locale': 'en-US'
  };

  var action = form.getAttribute('data-action');
  form.action = action + (action.indexOf('?') >= 0 ? '&' : '?') + 'origin=' + encodeURIComponent(window.location.origin);

  function send(msg) {
    // Only the iframe's own origin may read what we send.
    frame.contentWindow.postMessage(JSON.stringify(msg), window.location.origin);
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== window.location.origin) { return; }
    var data;
    try { data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch (e) { return; }
    if (!data || data.appGuid !== appGuid) { return; }

    if (data.key === 'iframe.handshake') {
      send({ key: 'zaf.app.registered', message: {
        context: { product: 'support', location: 'ticket_sidebar', instanceGuid: appGuid, account: { subdomain: 'sandbox' } },
        metadata: { appId: 1, installationId: 1, name: 'Crossview', settings: { title: 'Crossview' } }
      } });
      return;
    }
    if (data.request === 'get') {
      var paths = Array.isArray(data.params) ? data.params : [data.params];
      var result = { errors: {} };
      paths.forEach(function (p) {
        if (Object.prototype.hasOwnProperty.call(values, p)) { result[p] = values[p]; }
        else { result.errors[p] = { name: 'NotFound', message: 'No such path', path: p }; }
      });
      send({ id: data.id, result: result });
      return;
    }
    if (data.request === 'invoke') {
      var resize = data.params && data.params.resize;
      if (resize && resize[0] && resize[0].height) {
        frame.style.height = resize[0].height;
      }
      send({ id: data.id, result: {} });
    }
  });

  form.submit();
})();
