package datasync

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// A Contact whose email changes to that of a Lead's user is refused by
// Zendesk (the email is another user's): the Lead, whose Zendesk user it
// is, keeps the claim and goes on syncing.
func TestRefusedContactLeavesTheLeadItsEmail(t *testing.T) {
	w := newWorld(t)
	w.leadsToo()
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test"})
	lead := w.insert("Lead", map[string]any{"LastName": "Bell", "Company": "X", "Email": "bob@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	w.clock.Advance(time.Minute)
	w.update("Contact", con, map[string]any{"Email": "bob@acme.test"})
	w.clock.Advance(time.Minute)
	w.poll()
	if errs, _ := w.svc.Errors(w.ctx, w.current()); len(errs) != 1 || errs[0].ID != con {
		t.Fatalf("setup: Zendesk did not refuse the Contact only: %+v", errs)
	}
	w.clock.Advance(time.Minute)
	w.update("Lead", lead, map[string]any{"LastName": "Bell-Changed"})
	w.clock.Advance(time.Minute)
	w.poll()
	u, ok := w.user(lead)
	if !ok || u.Name != "Bell-Changed" {
		t.Errorf("the Lead owning bob@'s Zendesk user no longer syncs: user %+v (found %v)\nlog:\n%s", u, ok, w.logged(w.current()))
	}
}

// Org A (priority 0) has a Contact Zendesk refuses (invalid phone): it
// claims nothing, so org B's Contact with the email makes the user.
func TestRefusedRecordDoesNotBlockAnotherOrgsEmail(t *testing.T) {
	w := newWorld(t)
	c := w.current()
	c.DataSync.Accounts.On = false
	c.DataSync.Contacts.Mappings = append(c.DataSync.Contacts.Mappings, crossview.DataMapping{Salesforce: "Phone", Zendesk: "phone"})
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "Phone": "call me maybe"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	errs, _ := w.svc.Errors(w.ctx, w.current())
	if len(errs) == 0 {
		t.Fatalf("setup: Zendesk did not refuse the Contact")
	}
	globex := w.addOrg("Globex", 5)
	other, err := globex.org.Insert("Contact", map[string]any{"LastName": "Smith", "Email": "ann@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	w.enableOn(globex)
	if _, ok := w.user(other); !ok {
		log := w.logged(globex.conn)
		t.Errorf("no Zendesk user has ann@ (A's Contact was refused: %s), yet Globex's Contact %s was skipped:\n%s", errs[0].Error, other, strings.TrimSpace(log))
	}
}
