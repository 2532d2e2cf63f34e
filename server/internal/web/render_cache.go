package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/server/internal/ticketview"
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
		if s.Reserve != nil {
			b.WriteString("\x00" + salesforceReserveNote(s.Reserve))
		}
	}
	if p.Held != nil {
		b.WriteString("\x02" + heldNote(p.Held, now))
	}
	return b.String()
}

// etagOf names a rendering by its fingerprint.
func etagOf(fingerprint string) string {
	sum := sha256.Sum256([]byte(fingerprint))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// ticketFingerprint names the exact HTML a ticket panel renders to,
// including every "… ago" text, so a cached rendering is never stale.
func ticketFingerprint(p ticketview.Panel, now time.Time) string {
	var b strings.Builder
	r := p.Record
	b.WriteString(r.OrgID + "\x00" + r.Object + "\x00" + r.ID + "\x00" + r.Name + "\x00" + strconv.FormatBool(r.ViewOnly) + "\x00" + strconv.FormatBool(p.NoAccounts))
	f := p.Filter
	for _, list := range [][]string{f.Statuses, f.Priorities, f.Types, f.Accounts} {
		b.WriteString("\x01" + strings.Join(list, ","))
	}
	b.WriteString("\x01" + strconv.Itoa(p.Page) + "/" + strconv.Itoa(p.Pages) + "/" + strconv.Itoa(p.Matching))
	for _, st := range crossview.TicketStatuses() {
		b.WriteString("," + strconv.Itoa(p.StatusCounts[st]))
	}
	b.WriteString("\x01" + ago(now.Sub(p.Newest)) + strconv.FormatInt(p.Newest.UnixNano(), 10))
	for _, s := range p.Sections {
		b.WriteString("\x02" + s.Tenant + ":" + strconv.Itoa(s.Count))
		if s.Problem != nil {
			b.WriteString(":" + s.Problem.Code + ":" + s.Problem.Message)
		}
		if s.Reserve != nil {
			b.WriteString(":" + zendeskReserveNote(s.Tenant, s.Reserve))
		}
	}
	if p.Held != nil {
		b.WriteString("\x04" + heldNote(p.Held, now))
	}
	for _, t := range p.Tickets {
		b.WriteString("\x03" + t.Tenant + "\x00" + strconv.FormatInt(t.ID, 10) + "\x00" + t.Subject + "\x00" + t.Status + "\x00" + t.Priority + "\x00" + t.Type +
			"\x00" + t.RequesterName + "\x00" + t.AssigneeName + "\x00" + t.URL + "\x00" + strconv.FormatInt(t.UpdatedAt.UnixNano(), 10) + "\x00" + ago(now.Sub(t.UpdatedAt)))
	}
	return b.String()
}

// buildCache maps a panel build's version to its ETag and HTML.
type buildCache struct {
	mu sync.Mutex
	m  map[string]builtRender
}

type builtRender struct {
	etag string
	html []byte
}

func newBuildCache() *buildCache { return &buildCache{m: map[string]builtRender{}} }

func (b *buildCache) get(version string) (string, []byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.m[version]
	return r.etag, r.html, ok
}

func (b *buildCache) put(version, etag string, html []byte) {
	if version == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.m) >= 5_000 {
		clear(b.m)
	}
	b.m[version] = builtRender{etag: etag, html: html}
}
