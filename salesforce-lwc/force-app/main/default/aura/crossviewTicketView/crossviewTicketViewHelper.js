({
    // Mirrors canvasParameters() of c/crossviewCanvasParams, which Aura cannot
    // import; force-app/test/auraWrapper.test.js fails if the two disagree.
    parametersFor: function (recordId, sObjectName, nonce) {
        var supported = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];
        var recordIdShape = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
        if (supported.indexOf(sObjectName) === -1) {
            return null;
        }
        if (typeof recordId !== 'string' || !recordIdShape.test(recordId)) {
            return null;
        }
        if (typeof nonce !== 'string' || nonce === '') {
            return null;
        }
        return JSON.stringify({ recordId: recordId, sObjectName: sObjectName, nonce: nonce });
    },

    // A fresh nonce per load makes every load a new signed request.
    newNonce: function () {
        return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    },

    load: function (cmp) {
        cmp.set('v.canvasParameters',
            this.parametersFor(cmp.get('v.recordId'), cmp.get('v.sObjectName'), this.newNonce()));
    },

    // Clearing the parameters first unmounts force:canvasApp (it sits in an
    // aura:if); setting them on the next tick mounts a new one, which POSTs a
    // new signed request to Crossview.
    reload: function (cmp) {
        var helper = this;
        cmp.set('v.canvasParameters', null);
        window.setTimeout($A.getCallback(function () {
            if (cmp.isValid()) {
                helper.load(cmp);
            }
        }), 0);
    }
});
