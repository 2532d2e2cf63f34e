package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

// testConcurrentPutConnection has 20 goroutines, spread over two Stores on
// one backend (two replicas), create connections and move one shared
// connection between two orgs, while readers look connections up by org.
// Afterwards every lookup must agree with the records.
func testConcurrentPutConnection(t *testing.T, e *env) {
	ctx := context.Background()
	mustPutTenants(t, e.store, "acme")
	sharedOrgs := [2]string{orgN(100), orgN(101)}
	mustPutConnection(t, e.store, connectionFixture("acme", "conn_shared", sharedOrgs[0]))
	replicas := [2]crossview.Store{e.store, e.open(e.keys)}

	start := make(chan struct{})
	errs := make(chan error, 64)
	var writers sync.WaitGroup
	for i := range 20 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			<-start
			var c crossview.Connection
			if i < 10 {
				c = connectionFixture("acme", fmt.Sprintf("conn_%d", i), orgN(i))
			} else {
				c = connectionFixture("acme", "conn_shared", sharedOrgs[i%2])
				c.Name = fmt.Sprintf("shared-%d", i)
			}
			if err := replicas[i%2].PutConnection(ctx, c); err != nil {
				errs <- fmt.Errorf("writer %d: %w", i, err)
			}
		}()
	}
	done := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			<-start
			for {
				for _, org := range sharedOrgs {
					got, err := replicas[r].ConnectionsByOrg(ctx, org)
					if err != nil {
						errs <- fmt.Errorf("reader %d: %w", r, err)
						return
					}
					for _, c := range got {
						if c.OrgID != org {
							errs <- fmt.Errorf("reader %d: ConnectionsByOrg(%s) returned %s, which is on %s", r, org, c.ID, c.OrgID)
							return
						}
					}
				}
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}
	close(start)
	writers.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	all, err := e.store.Connections(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 11 {
		t.Fatalf("Connections after concurrent puts = %v; want conn_0..conn_9 and conn_shared", ids(all))
	}
	for i := range 10 {
		id, org := fmt.Sprintf("conn_%d", i), orgN(i)
		if c, err := e.store.Connection(ctx, id); err != nil || c.OrgID != org {
			t.Errorf("Connection(%s) = %s, %v; want it on %s", id, c.OrgID, err, org)
		}
		if got, err := e.store.ConnectionsByOrg(ctx, org); err != nil || len(got) != 1 || got[0].ID != id {
			t.Errorf("ConnectionsByOrg(%s) = %v, %v; want only %s", org, ids(got), err, id)
		}
	}
	shared, err := e.store.Connection(ctx, "conn_shared")
	if err != nil {
		t.Fatal(err)
	}
	here, other := sharedOrgs[0], sharedOrgs[1]
	if shared.OrgID == other {
		here, other = other, here
	}
	if got, err := e.store.ConnectionsByOrg(ctx, here); err != nil || len(got) != 1 || got[0].Name != shared.Name {
		t.Errorf("ConnectionsByOrg(%s) = %v, %v; want conn_shared as last written (%s)", here, ids(got), err, shared.Name)
	}
	if got, err := e.store.ConnectionsByOrg(ctx, other); err != nil || len(got) != 0 {
		t.Errorf("ConnectionsByOrg(%s) = %v, %v; conn_shared is on %s now", other, ids(got), err, here)
	}
	for _, c := range all {
		if c.ID == "conn_shared" && c.Name != shared.Name {
			t.Errorf("Connections and Connection disagree on conn_shared: %q vs %q", c.Name, shared.Name)
		}
	}
}

func testPing(t *testing.T, e *env) {
	if err := e.store.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
