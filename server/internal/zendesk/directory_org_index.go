package zendesk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// orgIndex finds an account's organizations by name, domain name and
// custom field value: the match criteria after the external id, which
// Zendesk cannot look up many at a time. It is read whole (100 a call)
// and then kept current with what the Directory writes, for CacheTTL.
type orgIndex struct {
	read time.Time

	mu       sync.Mutex
	byID     map[int64]dirOrg
	byName   map[string]int64
	byDomain map[string][]int64
	byField  map[string][]int64 // key + "\x00" + canon(value)
}

func newOrgIndex(read time.Time) *orgIndex {
	return &orgIndex{read: read, byID: map[int64]dirOrg{}, byName: map[string]int64{},
		byDomain: map[string][]int64{}, byField: map[string][]int64{}}
}

// orgIndexFor returns the account's index, read again once CacheTTL has
// passed.
func (d *Directory) orgIndexFor(ctx context.Context, sub string, cred Credentials) (*orgIndex, error) {
	d.mu.Lock()
	x := d.orgs[sub]
	d.mu.Unlock()
	if x != nil && d.c.now().Sub(x.read) < d.o.CacheTTL {
		return x, nil
	}
	all, err := listAll[dirOrg](ctx, d, sub, cred, "/api/v2/organizations.json?page%5Bsize%5D=100", "organizations")
	if err != nil {
		return nil, err
	}
	x = newOrgIndex(d.c.now())
	for _, o := range all {
		x.put(o)
	}
	d.mu.Lock()
	d.orgs[sub] = x
	d.mu.Unlock()
	return x, nil
}

// cachedOrgIndex is the account's index if one is held, to keep current.
func (d *Directory) cachedOrgIndex(sub string) *orgIndex {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.orgs[sub]
}

// put adds or replaces an organization.
func (x *orgIndex) put(o dirOrg) {
	if x == nil {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.byID[o.ID]; ok {
		x.drop(old)
	}
	x.byID[o.ID] = o
	x.byName[lower(o.Name)] = o.ID
	for _, dn := range o.DomainNames {
		x.byDomain[lower(dn)] = append(x.byDomain[lower(dn)], o.ID)
	}
	for k, v := range o.OrganizationFields {
		if c := canon(v); c != "" {
			x.byField[k+"\x00"+c] = append(x.byField[k+"\x00"+c], o.ID)
		}
	}
}

// drop removes an organization's keys. Callers hold x.mu.
func (x *orgIndex) drop(o dirOrg) {
	if x.byName[lower(o.Name)] == o.ID {
		delete(x.byName, lower(o.Name))
	}
	without := func(ids []int64) []int64 {
		return slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == o.ID })
	}
	for _, dn := range o.DomainNames {
		x.byDomain[lower(dn)] = without(x.byDomain[lower(dn)])
	}
	for k, v := range o.OrganizationFields {
		key := k + "\x00" + canon(v)
		x.byField[key] = without(x.byField[key])
	}
	delete(x.byID, o.ID)
}

// match finds w's organization by its Match criteria in order: the first
// that names exactly one organization not claimed by another Account (no
// external id, or w's) wins. If none does but one named several, problem
// says so: Crossview does not guess.
func (x *orgIndex) match(w crossview.OrgWrite) (o dirOrg, found bool, problem string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, m := range w.Match {
		var ids []int64
		switch {
		case m == "name":
			if id, ok := x.byName[lower(w.Name)]; ok && strings.TrimSpace(w.Name) != "" {
				ids = []int64{id}
			}
		case m == "domain":
			for _, dn := range w.DomainNames {
				ids = append(ids, x.byDomain[lower(dn)]...)
			}
		case strings.HasPrefix(m, "field:"):
			key := strings.TrimPrefix(m, "field:")
			if c := canon(w.Fields[key]); c != "" {
				ids = x.byField[key+"\x00"+c]
			}
		}
		var free []dirOrg
		for _, id := range ids {
			if c := x.byID[id]; (c.ExternalID == "" || strings.EqualFold(c.ExternalID, w.ExternalID)) &&
				!slices.ContainsFunc(free, func(f dirOrg) bool { return f.ID == id }) {
				free = append(free, c)
			}
		}
		switch {
		case len(free) == 1:
			return free[0], true, ""
		case len(free) > 1 && problem == "":
			problem = fmt.Sprintf("%d Zendesk organizations match by %s and none has external id %s; Crossview will not guess which one is this Account.",
				len(free), m, w.ExternalID)
		}
	}
	return dirOrg{}, false, problem
}

// needsIndex reports whether a Match list has criteria past the external id.
func needsIndex(match []string) bool {
	return slices.ContainsFunc(match, func(m string) bool { return m != "external_id" })
}
