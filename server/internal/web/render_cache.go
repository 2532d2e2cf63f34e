package web

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/sidebar"
)

// renderCache keeps rendered panels by a fingerprint of everything they
// show, so a panel is rendered once per version of its data rather than on
// every request. Bounded; dropping all of it on overflow is cheap.
type renderCache struct {
	mu  sync.Mutex
	max int
	m   map[string][]byte
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, m: make(map[string][]byte, max)}
}

func (r *renderCache) get(key string) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.m[key]
	return b, ok
}

func (r *renderCache) put(key string, b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) >= r.max {
		clear(r.m)
	}
	r.m[key] = b
}

// sidebarFingerprint names the exact HTML a panel renders to: the data is
// identified by when it was fetched, and the "fetched … ago" wording is part
// of it, so the text never goes stale.
func sidebarFingerprint(p sidebar.Panel, now time.Time) string {
	var b strings.Builder
	b.WriteString(p.Tenant)
	b.WriteByte(0)
	b.WriteString(strconv.FormatInt(p.TicketID, 10))
	b.WriteByte(0)
	b.WriteString(p.Requester.Name)
	b.WriteByte(0)
	b.WriteString(p.Requester.Email)
	if p.NoConnections {
		b.WriteString("\x00none")
	}
	for _, s := range p.Sections {
		c := s.Connection
		b.WriteString("\x01" + c.ID + "\x00" + c.Name + "\x00" + c.OrgName + "\x00" + c.OrgID + "\x00" + string(c.Environment) + "\x00")
		b.WriteString(strconv.FormatInt(s.Data.FetchedAt.UnixNano(), 10))
		b.WriteByte(0)
		if !s.Data.FetchedAt.IsZero() {
			b.WriteString(ago(now.Sub(s.Data.FetchedAt)))
		}
		if pr := s.Problem; pr != nil {
			b.WriteString("\x00" + pr.Code + "\x00" + pr.Message + "\x00" + strconv.FormatBool(pr.Stale))
		}
	}
	return b.String()
}
