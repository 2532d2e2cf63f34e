package salesforce

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// createRelated links every ticket to its Contact (or Lead) and Account,
// creating the missing ones where matching says so: Accounts first, then
// Contacts (which refer to them), each with one Collections call per 200
// records. A ticket whose record could not be created gets that error.
// The creation locks are held until the new ids are cached.
func (s *CaseSink) createRelated(ctx context.Context, conn crossview.Connection, ds map[string]*ObjectDescribe, ts []*manyTicket, out []crossview.CaseWritten) error {
	relateAll := func() {
		for _, t := range ts {
			if out[t.i].Err == nil {
				t.rel = s.relate(conn, ds, t.w.Ticket)
			}
		}
	}
	relateAll()
	var lockKeys []string
	for _, t := range ts {
		lockKeys = append(lockKeys, t.rel.creates()...)
	}
	if len(lockKeys) == 0 {
		return nil
	}
	defer s.creating.lock(dedupeExact(lockKeys)...)()
	relateAll() // another writer may have created some meanwhile

	create := func(object string, pick func(related) (string, map[string]any)) error {
		var keys []string
		bodies := map[string]map[string]any{}
		for _, t := range ts {
			if out[t.i].Err != nil {
				continue
			}
			if key, body := pick(t.rel); body != nil {
				if _, seen := bodies[key]; !seen {
					keys = append(keys, key)
					bodies[key] = body
				}
			}
		}
		failed := map[string]error{}
		for start := 0; start < len(keys); start += maxCollection {
			chunk := keys[start:min(start+maxCollection, len(keys))]
			recs := make([]map[string]any, len(chunk))
			for j, key := range chunk {
				rec := cloneBody(bodies[key])
				if ref, _ := rec["AccountId"].(string); strings.HasPrefix(ref, "@") {
					delete(rec, "AccountId") // its Account failed; the ticket fails with it
				}
				rec["attributes"] = map[string]any{"type": object}
				recs[j] = rec
			}
			results, err := s.collection(ctx, conn, http.MethodPost, "/composite/sobjects", recs)
			if err != nil {
				return err
			}
			for j, r := range results {
				if r.Success {
					acct, _ := recs[j]["AccountId"].(string)
					s.ids.set(chunk[j], foundRecord{ID: r.ID, AccountID: acct}, s.opts.FoundTTL)
				} else {
					failed[chunk[j]] = r.err("new " + object)
				}
			}
		}
		for _, t := range ts {
			if key, body := pick(t.rel); body != nil && failed[key] != nil && out[t.i].Err == nil {
				out[t.i].Err = failed[key]
			}
		}
		relateAll()
		return nil
	}
	if err := create(crossview.ObjectAccount, func(r related) (string, map[string]any) { return r.accountKey, r.newAccount }); err != nil {
		return err
	}
	return create(requesterObject(conn.TicketSync), func(r related) (string, map[string]any) { return r.personKey, r.newPerson })
}

func dedupeExact(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}
