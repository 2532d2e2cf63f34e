package zendesktest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// keyPage is cursor pagination over records with unique, ordered string
// keys (comments by id, webhooks by id): page[size] up to maxSize,
// page[after] and page[before]. all must be sorted by key in the order
// shown; desc says the order is descending, so cursors compare the other
// way. scope names the list, so a cursor from another list is refused.
func keyPage[T any](c *call, scope string, all []T, key func(T) string, desc bool, maxSize int) (map[string]any, []T, error) {
	q := c.r.URL.Query()
	size := 100
	if s := q.Get("page[size]"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxSize {
			return nil, nil, errPagination(fmt.Sprintf("page[size] must be an integer between 1 and %d", maxSize))
		}
		size = n
	}
	after, before := q.Get("page[after]"), q.Get("page[before]")
	if after != "" && before != "" {
		return nil, nil, errPagination("page[after] and page[before] cannot be used together")
	}
	sortName := "asc"
	if desc {
		sortName = "desc"
	}
	// cmp orders a record against a cursor key in the list's order.
	cmp := func(t T, k string) int {
		d := strings.Compare(key(t), k)
		if desc {
			return -d
		}
		return d
	}
	var page []T
	var hasMore bool
	switch {
	case after != "" || before != "":
		raw, name := after, "page[after]"
		if before != "" {
			raw, name = before, "page[before]"
		}
		at, ok := decodeCursor(raw)
		if !ok || at.Scope != scope || at.Sort != sortName {
			return nil, nil, errPagination(name + " is invalid")
		}
		i, found := slices.BinarySearchFunc(all, at.Key, cmp)
		if after != "" {
			if found {
				i++
			}
			rest := all[i:]
			page, hasMore = rest[:min(size, len(rest))], len(rest) > size
		} else {
			rest := all[:i]
			page, hasMore = rest[max(0, len(rest)-size):], len(rest) > size
		}
	default:
		page, hasMore = all[:min(size, len(all))], len(all) > size
	}
	meta := map[string]any{"has_more": hasMore, "after_cursor": nil, "before_cursor": nil}
	links := map[string]any{"next": nil, "prev": nil}
	if len(page) > 0 {
		ac := encodeCursor(cursor{Scope: scope, Sort: sortName, Key: key(page[len(page)-1])})
		bc := encodeCursor(cursor{Scope: scope, Sort: sortName, Key: key(page[0])})
		meta["after_cursor"], meta["before_cursor"] = ac, bc
		links["next"] = cursorLink(c, size, "page[after]", ac)
		links["prev"] = cursorLink(c, size, "page[before]", bc)
	}
	return map[string]any{"meta": meta, "links": links}, slices.Clone(page), nil
}

// idKey is an id as a key that orders as the number does.
func idKey(id int64) string { return fmt.Sprintf("%020d", id) }
