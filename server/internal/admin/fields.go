package admin

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// describeTTL is how long a describe answer serves saves: an admin's run
// of edits costs one describe. A save the cached describe would refuse is
// checked again afresh, and health checks always describe afresh.
const describeTTL = time.Minute

// describeCacheCap bounds the cache; it is emptied when full.
const describeCacheCap = 2000

// describeCache keeps recent describes per connection and object. A nil
// entry marks an object the org lacks or hides from the user.
type describeCache struct {
	mu sync.Mutex
	m  map[string]describeEntry
}

type describeEntry struct {
	at time.Time
	d  *salesforce.ObjectDescribe
}

func newDescribeCache() *describeCache { return &describeCache{m: map[string]describeEntry{}} }

func (dc *describeCache) get(key string, now time.Time) (*salesforce.ObjectDescribe, bool) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	e, ok := dc.m[key]
	if !ok || now.Sub(e.at) >= describeTTL {
		return nil, false
	}
	return e.d, true
}

func (dc *describeCache) put(key string, d *salesforce.ObjectDescribe, now time.Time) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if len(dc.m) >= describeCacheCap {
		clear(dc.m)
	}
	dc.m[key] = describeEntry{at: now, d: d}
}

// describe returns the describes of objects for a connection, asking
// Salesforce (in one call) only for those not cached, or for all of them
// when fresh is set.
func (s *Service) describe(ctx context.Context, c crossview.Connection, objects []string, fresh bool) (map[string]*salesforce.ObjectDescribe, error) {
	now := s.o.Now()
	out := map[string]*salesforce.ObjectDescribe{}
	var ask []string
	for _, obj := range objects {
		if d, ok := s.describes.get(c.ID+"/"+obj, now); ok && !fresh {
			out[obj] = d
		} else {
			ask = append(ask, obj)
		}
	}
	if len(ask) == 0 {
		return out, nil
	}
	got, err := s.o.SF.Describe(ctx, c, ask...)
	if err != nil {
		return nil, err
	}
	for _, obj := range ask {
		d := got[obj] // nil when the org lacks the object
		s.describes.put(c.ID+"/"+obj, d, now)
		out[obj] = d
	}
	return out, nil
}

// checkFields compares sidebar settings with the org's describe and
// returns an EINVALID error naming every field the org lacks or that
// cannot be used where it is. A failed describe is returned as is.
func (s *Service) checkFields(ctx context.Context, c crossview.Connection, set crossview.SidebarSettings, fresh bool) error {
	objects := []string{crossview.ObjectContact, crossview.ObjectLead}
	for _, obj := range []string{crossview.ObjectAccount, crossview.ObjectOpportunity, crossview.ObjectCase} {
		if len(set.Fields[obj]) > 0 {
			objects = append(objects, obj)
		}
	}
	ds, err := s.describe(ctx, c, objects, fresh)
	if err != nil {
		return err
	}
	// Owner.Name needs the describe of the object Owner points at.
	if parents := parentObjects(set, ds); len(parents) > 0 {
		more, err := s.describe(ctx, c, parents, fresh)
		if err != nil {
			return err
		}
		for k, v := range more {
			ds[k] = v
		}
	}
	if problems := fieldProblems(set, ds); len(problems) > 0 {
		if !fresh {
			// The field may have been added in Setup since the describe
			// was cached: ask again before refusing.
			return s.checkFields(ctx, c, set, true)
		}
		return crossview.Errorf(crossview.EINVALID, "%s Fields the connected Salesforce user cannot see count as missing.", strings.Join(problems, " "))
	}
	return nil
}

// parentObjects lists the objects that relationship fields point at and
// that were not described yet.
func parentObjects(set crossview.SidebarSettings, ds map[string]*salesforce.ObjectDescribe) []string {
	seen := map[string]bool{}
	var out []string
	for obj, fields := range set.Fields {
		d := ds[obj]
		if d == nil {
			continue
		}
		for _, f := range fields {
			head, _, nested := strings.Cut(f, ".")
			if !nested {
				continue
			}
			if rel, ok := d.Relationship(head); ok && len(rel.ReferenceTo) == 1 {
				if t := rel.ReferenceTo[0]; !seen[t] {
					if _, done := ds[t]; !done {
						seen[t] = true
						out = append(out, t)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// isText reports whether a requester's email can be compared with a
// field of describe type t.
func isText(t string) bool {
	switch t {
	case "string", "email", "textarea", "picklist", "combobox", "phone", "url", "encryptedstring":
		return true
	}
	return false
}

// fieldProblems words each setting the describes refute, in the order
// the settings form lists them.
func fieldProblems(set crossview.SidebarSettings, ds map[string]*salesforce.ObjectDescribe) []string {
	var out []string
	for _, m := range []struct{ obj, field string }{{crossview.ObjectContact, set.ContactMatchField}, {crossview.ObjectLead, set.LeadMatchField}} {
		d := ds[m.obj]
		if d == nil {
			out = append(out, fmt.Sprintf("The connected Salesforce user cannot see %s records.", m.obj))
			continue
		}
		f, ok := d.Field(m.field)
		switch {
		case !ok:
			out = append(out, missingField(d, m.field, " (the "+m.obj+" match field)"))
		case !f.Filterable:
			out = append(out, fmt.Sprintf("%s.%s cannot be filtered on (a %s field), so it cannot be the %s match field.", m.obj, f.Name, typeName(f.Type), m.obj))
		case !isText(f.Type):
			out = append(out, fmt.Sprintf("%s.%s is a %s field; the %s match field must hold text such as an email address.", m.obj, f.Name, typeName(f.Type), m.obj))
		}
	}
	for _, obj := range []string{crossview.ObjectContact, crossview.ObjectLead, crossview.ObjectAccount, crossview.ObjectOpportunity, crossview.ObjectCase} {
		d := ds[obj]
		if d == nil {
			if len(set.Fields[obj]) > 0 && obj != crossview.ObjectContact && obj != crossview.ObjectLead {
				out = append(out, fmt.Sprintf("The connected Salesforce user cannot see %s records.", obj))
			}
			continue
		}
		for _, name := range set.Fields[obj] {
			if p := shownFieldProblem(d, name, ds); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// shownFieldProblem checks one field the sidebar shows, following one
// relationship (Owner.Name).
func shownFieldProblem(d *salesforce.ObjectDescribe, name string, ds map[string]*salesforce.ObjectDescribe) string {
	head, tail, nested := strings.Cut(name, ".")
	if !nested {
		if _, ok := d.Field(name); !ok {
			return missingField(d, name, "")
		}
		return ""
	}
	rel, ok := d.Relationship(head)
	if !ok {
		return fmt.Sprintf("%s has no relationship %s (in %s).", d.Name, head, name)
	}
	if len(rel.ReferenceTo) != 1 {
		return "" // polymorphic (Owner → User or Group): Salesforce checks it at query time
	}
	parent := ds[rel.ReferenceTo[0]]
	if parent == nil {
		return fmt.Sprintf("The connected Salesforce user cannot see %s records (in %s.%s).", rel.ReferenceTo[0], d.Name, name)
	}
	if _, ok := parent.Field(tail); !ok {
		return missingField(parent, tail, fmt.Sprintf(" (in %s.%s)", d.Name, name))
	}
	return ""
}

// missingField says an object has no such field (where adds context),
// suggesting the closest name when one is a likely misspelling.
func missingField(d *salesforce.ObjectDescribe, name, where string) string {
	msg := fmt.Sprintf("%s has no field %s%s", d.Name, name, where)
	if s := closest(d, name); s != "" {
		return msg + " — did you mean " + s + "?"
	}
	return msg + "."
}

// closest finds the field name nearest to name, within a couple of edits.
func closest(d *salesforce.ObjectDescribe, name string) string {
	want := strings.ToLower(name)
	best, bestDist := "", 3
	if len(want) <= 4 {
		bestDist = 2
	}
	for _, f := range d.Fields {
		if dist := editDistance(want, strings.ToLower(f.Name), bestDist); dist < bestDist {
			best, bestDist = f.Name, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or limit when it
// is at least limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// typeName words a describe type for people.
func typeName(t string) string {
	switch t {
	case "textarea":
		return "long text area"
	case "datetime":
		return "date/time"
	case "int", "double":
		return "number"
	}
	return t
}
