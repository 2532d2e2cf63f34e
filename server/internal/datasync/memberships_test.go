package datasync

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// A secondary membership Zendesk refuses (here: the other Account is
// outside the Accounts' filter, so it has no organization) is said in the
// sync log, not only in the server's log.
func TestARefusedMembershipIsInTheSyncLog(t *testing.T) {
	w := newWorld(t)
	w.org.EnableContactsToMultipleAccounts()
	globex := w.insert("Account", map[string]any{"Name": "Globex"})
	hooli := w.insert("Account", map[string]any{"Name": "Hooli"})
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "AccountId": globex})
	w.insert("AccountContactRelation", map[string]any{"AccountId": hooli, "ContactId": ann})
	c := w.current()
	c.DataSync.Memberships = "all"
	f, err := crossview.ParseFilter("Name = 'Globex'")
	if err != nil {
		t.Fatal(err)
	}
	c.DataSync.Accounts.Filter = f
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureAccountSync)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	if u, ok := w.user(ann); !ok || u.OrganizationID == 0 {
		t.Fatalf("Ann is not in Globex's organization: %+v", u)
	}
	if log := w.logged(w.current()); !strings.Contains(log, "membership of the organization of Account "+hooli) {
		t.Errorf("the refused membership is not in the sync log:\n%s", log)
	}
}
