package zendesktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// cursorMagic starts every cursor. Its base64 form is "++++", so every
// cursor holds '+': a client that forgets to URL-encode cursors fails at
// once, as it eventually would against Zendesk.
const cursorMagic = "\xfb\xef\xbe"

// cursor is the position a cursor points at: after or before the record
// with this sort key and id, in one list (scope) and one sort order.
type cursor struct {
	Scope string `json:"l"`
	Sort  string `json:"s"`
	Key   string `json:"k"`
	ID    int64  `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c) // a struct of strings and ints always marshals
	return base64.StdEncoding.EncodeToString(append([]byte(cursorMagic), b...))
}

func decodeCursor(s string) (cursor, bool) {
	raw, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || !bytes.HasPrefix(raw, []byte(cursorMagic)) {
		return cursor{}, false
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(raw[len(cursorMagic):]))
	dec.DisallowUnknownFields()
	if dec.Decode(&c) != nil {
		return cursor{}, false
	}
	return c, true
}

// ticketOrder is a cursor sort: a field and a direction.
type ticketOrder struct {
	name  string // as given in sort=, e.g. "-updated_at"
	field string
	desc  bool
}

func parseTicketOrder(s string) (ticketOrder, bool) {
	if s == "" {
		s = "id"
	}
	field, desc := strings.CutPrefix(s, "-")
	switch field {
	case "id", "created_at", "updated_at", "status":
		return ticketOrder{name: s, field: field, desc: desc}, true
	}
	return ticketOrder{}, false
}

// key is t's sort key; keys compare as strings.
func (o ticketOrder) key(t Ticket) string {
	switch o.field {
	case "created_at":
		return fmt.Sprintf("%020d", t.CreatedAt.Unix())
	case "updated_at":
		return fmt.Sprintf("%020d", t.UpdatedAt.Unix())
	case "status":
		return strconv.Itoa(statusRank(t.Status))
	}
	return ""
}

// cmpAt orders (key, id) pairs; ids break ties.
func (o ticketOrder) cmpAt(k1 string, id1 int64, k2 string, id2 int64) int {
	c := strings.Compare(k1, k2)
	if c == 0 {
		c = cmpInt(id1, id2)
	}
	if o.desc {
		return -c
	}
	return c
}

func (o ticketOrder) cmp(a, b Ticket) int { return o.cmpAt(o.key(a), a.ID, o.key(b), b.ID) }

// cursorPage answers a cursor-paginated ticket list: scope names the list,
// so a cursor from another list is refused.
func cursorPage(c *call, scope string, all []Ticket) (map[string]any, []Ticket, error) {
	q := c.r.URL.Query()
	size := 100
	if s := q.Get("page[size]"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return nil, nil, errPagination("page[size] must be an integer between 1 and 100")
		}
		size = n
	}
	order, ok := parseTicketOrder(q.Get("sort"))
	if !ok {
		return nil, nil, errPagination("sort is not valid")
	}
	after, before := q.Get("page[after]"), q.Get("page[before]")
	if after != "" && before != "" {
		return nil, nil, errPagination("page[after] and page[before] cannot be used together")
	}
	slices.SortFunc(all, order.cmp)
	var page []Ticket
	var hasMore bool
	switch {
	case after != "" || before != "":
		raw, name := after, "page[after]"
		if before != "" {
			raw, name = before, "page[before]"
		}
		at, ok := decodeCursor(raw)
		if !ok || at.Scope != scope || at.Sort != order.name {
			return nil, nil, errPagination(name + " is invalid")
		}
		if after != "" {
			i, _ := slices.BinarySearchFunc(all, at, func(t Ticket, at cursor) int {
				if order.cmpAt(order.key(t), t.ID, at.Key, at.ID) <= 0 {
					return -1
				}
				return 1
			})
			rest := all[i:]
			page, hasMore = rest[:min(size, len(rest))], len(rest) > size
		} else {
			i, _ := slices.BinarySearchFunc(all, at, func(t Ticket, at cursor) int {
				if order.cmpAt(order.key(t), t.ID, at.Key, at.ID) < 0 {
					return -1
				}
				return 1
			})
			rest := all[:i]
			page, hasMore = rest[max(0, len(rest)-size):], len(rest) > size
		}
	default:
		page, hasMore = all[:min(size, len(all))], len(all) > size
	}
	meta := map[string]any{"has_more": hasMore, "after_cursor": nil, "before_cursor": nil}
	links := map[string]any{"next": nil, "prev": nil}
	if len(page) > 0 {
		first, last := page[0], page[len(page)-1]
		ac := encodeCursor(cursor{Scope: scope, Sort: order.name, Key: order.key(last), ID: last.ID})
		bc := encodeCursor(cursor{Scope: scope, Sort: order.name, Key: order.key(first), ID: first.ID})
		meta["after_cursor"], meta["before_cursor"] = ac, bc
		links["next"] = cursorLink(c, size, "page[after]", ac)
		links["prev"] = cursorLink(c, size, "page[before]", bc)
	}
	return map[string]any{"meta": meta, "links": links}, page, nil
}

// cursorLink is the full URL of the page after or before a cursor, with
// the cursor URL-encoded and the brackets left readable, as Zendesk
// writes its links.
func cursorLink(c *call, size int, param, cur string) string {
	q := c.r.URL.Query()
	var b strings.Builder
	b.WriteString(c.a.srv.url + c.r.URL.Path + "?page[size]=" + strconv.Itoa(size) + "&" + param + "=" + url.QueryEscape(cur))
	for _, k := range []string{"sort", "include"} {
		if v := q.Get(k); v != "" {
			b.WriteString("&" + k + "=" + url.QueryEscape(v))
		}
	}
	var filters []string
	for k := range q {
		if strings.HasPrefix(k, "filter[") {
			filters = append(filters, k)
		}
	}
	slices.Sort(filters)
	for _, k := range filters {
		b.WriteString("&" + k + "=" + url.QueryEscape(q.Get(k)))
	}
	return b.String()
}
