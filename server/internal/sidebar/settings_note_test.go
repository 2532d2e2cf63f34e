package sidebar_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
)

// An org refusing the sidebar's query over its settings shows agents only
// a short note; why it refused goes to the log.
func TestSettingsRefusalShowsAgentsANote(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true)}}
	c := newCRM()
	c.fail["conn_1"] = crossview.Errorf(crossview.EINVALID,
		"\nSELECT Id, Bogus__c FROM Contact WHERE Email = 'pat.o''brien@example.com'\n ^\nERROR at Row:1:Column:12\nNo such column 'Bogus__c' on entity 'Contact'.")
	var log bytes.Buffer
	s := sidebar.New(sidebar.Options{
		Tenants: w, Requesters: &requesters{}, CRM: c,
		Loader: cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(100, time.Now), Now: time.Now}),
		Logger: slog.New(slog.NewTextHandler(&log, nil)), Now: time.Now,
	})
	p, err := s.Build(context.Background(), principal, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	prob := p.Sections[0].Problem
	if prob == nil || prob.Message != sidebar.SettingsNote {
		t.Fatalf("the agent sees %+v, want only the note", prob)
	}
	if !strings.Contains(log.String(), "Bogus__c") || !strings.Contains(log.String(), "conn_1") {
		t.Errorf("the log does not say why: %s", log.String())
	}
}
