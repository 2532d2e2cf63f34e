({
    init: function (cmp, event, helper) {
        helper.load(cmp);
    },

    handleRefresh: function (cmp, event, helper) {
        helper.reload(cmp);
    }
});
