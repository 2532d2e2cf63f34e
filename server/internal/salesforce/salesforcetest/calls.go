package salesforcetest

import "net/http"

// callKind names a REST call for Stats.Calls: query, queryMore,
// describe, read, create, update, upsert, delete, composite, collections,
// getUpdated, getDeleted, limits or resources.
func callKind(method string, segs []string) string {
	if len(segs) == 0 {
		return "resources"
	}
	switch segs[0] {
	case "query", "queryAll":
		if len(segs) > 1 {
			return "queryMore"
		}
		return "query"
	case "composite":
		if len(segs) > 1 && segs[1] == "sobjects" {
			return "collections"
		}
		return "composite"
	case "limits":
		return "limits"
	case "sobjects":
		return sobjectKind(method, segs)
	}
	return "other"
}

func sobjectKind(method string, segs []string) string {
	switch {
	case len(segs) <= 2 && method == http.MethodPost:
		return "create"
	case len(segs) <= 2, len(segs) == 3 && segs[2] == "describe":
		return "describe"
	case len(segs) == 3 && (segs[2] == "updated" || segs[2] == "deleted"):
		return map[string]string{"updated": "getUpdated", "deleted": "getDeleted"}[segs[2]]
	}
	switch method {
	case http.MethodPatch:
		if len(segs) == 4 {
			return "upsert"
		}
		return "update"
	case http.MethodDelete:
		return "delete"
	}
	return "read"
}
