package datasync

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// listCounter counts the entries each table's List returns.
type listCounter struct {
	ticketsync.Records
	mu     sync.Mutex
	listed map[string]int
}

func (l *listCounter) List(ctx context.Context, p, table string) ([][]byte, error) {
	out, err := l.Records.List(ctx, p, table)
	l.mu.Lock()
	l.listed[table] += len(out)
	l.mu.Unlock()
	return out, err
}

// A Contact's delete frees its email reading its own claims only, not
// every claim of the tenant, and another Contact then takes the email.
func TestDeleteFreesItsEmailReadingOnlyItsOwnClaims(t *testing.T) {
	w := newWorld(t)
	var ids []string
	for i := range 30 {
		ids = append(ids, w.insert("Contact", map[string]any{"LastName": fmt.Sprint("P", i), "Email": fmt.Sprintf("p%d@acme.test", i)}))
	}
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	lc := &listCounter{Records: w.svc.o.Records, listed: map[string]int{}}
	w.svc.o.Records = lc
	if err := w.org.Delete("Contact", ids[0]); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	if n := lc.listed[tableOwners]; n != 0 {
		t.Errorf("one delete read %d claims of other records", n)
	}
	if log := w.logged(w.current()); !strings.Contains(log, "1 email(s) freed") {
		t.Errorf("the delete freed no email:\n%s", log)
	}
}

// A deleted Contact's remembered Accounts go with it whatever the delete
// rule, so the links table never keeps records that are gone.
func TestDeleteForgetsTheContactsAccountsWhateverTheRule(t *testing.T) {
	w := newWorld(t)
	acct := w.insert("Account", map[string]any{"Name": "Globex"})
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "AccountId": acct})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureAccountSync)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	c := w.current()
	if n, err := w.svc.o.Records.Count(w.ctx, c.Tenant, tableLinks+c.ID); err != nil || n != 1 {
		t.Fatalf("setup: links kept %d (%v)", n, err)
	}
	if err := w.org.Delete("Contact", con); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	if n, err := w.svc.o.Records.Count(w.ctx, c.Tenant, tableLinks+c.ID); err != nil || n != 0 {
		t.Errorf("the deleted Contact's Accounts are still kept (%d entries, %v)", n, err)
	}
}

// A Contact's claim lapses once the org stops syncing Contacts (Leads
// still on): the Lead with the email then writes the user.
func TestClaimOfAnObjectTurnedOffLapses(t *testing.T) {
	w := newWorld(t)
	w.leadsToo()
	w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test"})
	lead := w.insert("Lead", map[string]any{"LastName": "Bell", "Company": "X", "Email": "ann@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	c := w.current()
	c.DataSync.Contacts.On = false
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	w.update("Lead", lead, map[string]any{"LastName": "Bell-Changed"})
	w.clock.Advance(time.Minute)
	w.poll()
	if u, ok := w.user(lead); !ok || u.Name != "Bell-Changed" {
		t.Errorf("the Lead does not write the user after Contacts were turned off: %+v (found %v)\nlog:\n%s", u, ok, w.logged(w.current()))
	}
}
