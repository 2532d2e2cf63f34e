package salesforce_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// The data sync core reads Salesforce through a DataSource.
var _ datasync.Source = (*salesforce.DataSource)(nil)

// orgClock is the emulated org's clock, which the test moves.
type orgClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *orgClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *orgClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// dsFixture is an org whose clock the test sets, and a DataSource.
type dsFixture struct {
	*fixture
	clock *orgClock
	src   *salesforce.DataSource
	ctx   context.Context
}

// dsT0 is when the fixture's org clock starts.
var dsT0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func newDSFixture(tb testing.TB, opts salesforcetest.Options) *dsFixture {
	tb.Helper()
	clock := &orgClock{t: dsT0}
	opts.Now = clock.Now
	f := newOrgFixture(tb, opts, salesforcetest.OrgSpec{Name: "Acme", DailyAPILimit: 100000})
	f.conn.Username, f.conn.UserID = f.admin.Username, f.admin.ID
	return &dsFixture{fixture: f, clock: clock, src: salesforce.NewDataSource(f.client, salesforce.DataSourceOptions{}), ctx: context.Background()}
}

// calls returns the org's charged calls by kind since the last look.
func (f *dsFixture) callsSince(before map[string]int) map[string]int {
	now := f.org.Stats().Calls
	out := map[string]int{}
	for k, v := range now {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

// ids lists records' ids in order.
func ids(recs []crossview.SFRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// at is a SystemModstamp second after dsT0.
func at(seconds int) time.Time { return dsT0.Add(time.Duration(seconds) * time.Second) }
