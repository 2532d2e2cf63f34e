package salesforcetest

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The Lightning-like pages: what an "open in Salesforce" link shows. They
// need no session, since the emulator has no browser sign-in on instance
// hosts, show every record as an admin would, and are not API calls.
// Shapes served: /lightning/r/{Object}/{Id}/view, /lightning/r/{Id}/view,
// /lightning/o/{Object}/list and /home, /lightning/page/home, and the
// classic /{Id}, which redirects to the record page.

// lightningPage is the view model of every page.
type lightningPage struct {
	Org     string
	Title   string
	Missing bool
	Objects []lightningLink // navigation: every data object's home
	Record  *lightningRecord
	List    *lightningTable
}

type lightningLink struct{ Label, Href string }

type lightningRecord struct {
	ObjectLabel string
	Name        string
	Fields      []lightningCell // label in Label, value in Text
	Related     []lightningTable
}

// lightningTable is a related list or a list view.
type lightningTable struct {
	Title   string
	Columns []string
	Rows    [][]lightningCell
}

// lightningCell is one value, linked when Href is set.
type lightningCell struct{ Label, Text, Href string }

// serveLightning answers a page request; HEAD and GET only.
func (o *Org) serveLightning(w http.ResponseWriter, r *http.Request) {
	if k := o.knobs(); k.failure != 0 {
		writeFailure(w, k.failure, "")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	o.mu.Lock()
	page, redirect := o.lightning(segs)
	o.mu.Unlock()
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusFound)
		return
	}
	status := http.StatusOK
	if page.Missing {
		status = http.StatusNotFound
		page.Title = "This record isn't available"
	}
	var buf bytes.Buffer
	if err := o.cloud.lightningTmpl.Execute(&buf, page); err != nil {
		http.Error(w, "salesforcetest: rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// lightning builds the page for a path, or names a redirect. The caller
// holds o.mu.
func (o *Org) lightning(segs []string) (lightningPage, string) {
	page := lightningPage{Org: o.name, Objects: o.objectLinks()}
	missing := func() (lightningPage, string) { page.Missing = true; return page, "" }
	switch {
	case len(segs) == 1 && segs[0] != "lightning":
		// A classic short link: /{Id}.
		rec := o.data.lookup(segs[0])
		if rec == nil || rec.obj.system {
			return missing()
		}
		return page, recordPath(rec)
	case len(segs) == 3 && segs[1] == "page" && segs[2] == "home":
		page.Title = "Home"
		return page, ""
	case len(segs) == 4 && segs[1] == "o" && (segs[3] == "list" || segs[3] == "home"):
		obj := o.data.schema.object(segs[2])
		if obj == nil || obj.system || obj.keyPrefix == "" {
			return missing()
		}
		page.Title = obj.labelPlural
		page.List = o.listView(obj)
		return page, ""
	case (len(segs) == 4 || len(segs) == 5) && segs[1] == "r" && segs[len(segs)-1] == "view":
		rec := o.data.lookup(segs[len(segs)-2])
		if rec == nil || rec.obj.system {
			return missing()
		}
		if len(segs) == 5 && segs[2] != rec.obj.name {
			if o.data.schema.object(segs[2]) == nil {
				return missing()
			}
			return page, recordPath(rec)
		}
		page.Title = o.recordName(rec)
		page.Record = o.recordView(rec)
		return page, ""
	}
	return missing()
}

func recordPath(r *record) string { return "/lightning/r/" + r.obj.name + "/" + r.id + "/view" }

// objectLinks lists the data objects for the navigation bar.
func (o *Org) objectLinks() []lightningLink {
	var out []lightningLink
	for _, name := range o.data.schema.order {
		obj := o.data.schema.object(name)
		if obj.system || obj.keyPrefix == "" || obj.name == "CaseComment" {
			continue
		}
		out = append(out, lightningLink{Label: obj.labelPlural, Href: "/lightning/o/" + obj.name + "/home"})
	}
	return out
}

// recordName is what Lightning titles a record with.
func (o *Org) recordName(r *record) string {
	switch {
	case r.obj.name == "Case":
		return r.str("CaseNumber")
	case r.obj.field("Name") != nil && r.str("Name") != "":
		return r.str("Name")
	}
	return r.id
}

// recordView lays out the details and the related lists.
func (o *Org) recordView(r *record) *lightningRecord {
	view := &lightningRecord{ObjectLabel: r.obj.label, Name: o.recordName(r)}
	for _, f := range r.obj.fields {
		if f.name == "IsDeleted" || f.name == "Id" {
			continue
		}
		cell := o.cell(r, f)
		cell.Label = uiLabel(f)
		view.Fields = append(view.Fields, cell)
	}
	for _, c := range r.obj.children {
		child := o.data.schema.object(c.object)
		var kids []*record
		for _, k := range o.data.byObject[c.object] {
			if !k.deleted && k.str(c.field) == r.id {
				kids = append(kids, k)
			}
		}
		view.Related = append(view.Related, o.table(child, child.labelPlural, kids))
	}
	return view
}

// listView is the object's list: every live record, newest first.
func (o *Org) listView(obj *sobject) *lightningTable {
	var recs []*record
	for _, r := range o.data.byObject[obj.name] {
		if !r.deleted {
			recs = append(recs, r)
		}
	}
	t := o.table(obj, obj.labelPlural, recs)
	t.Title = "Recently Viewed"
	return &t
}

// relatedColumns are the fields a related list shows after the name.
func relatedColumns(object string) []string {
	switch object {
	case "Account":
		return []string{"Type", "Industry", "Phone"}
	case "Contact":
		return []string{"Title", "Email", "Phone"}
	case "Lead":
		return []string{"Company", "Email", "Status"}
	case "Opportunity":
		return []string{"StageName", "Amount", "CloseDate"}
	case "Case":
		return []string{"Subject", "Status", "Priority"}
	case "CaseComment":
		return []string{"IsPublished", "CreatedById", "CreatedDate"}
	}
	return nil
}

// table renders recs newest first, the first column linking to each.
func (o *Org) table(obj *sobject, title string, recs []*record) lightningTable {
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i] // later inserts first among equal dates
	}
	sort.SliceStable(recs, func(i, j int) bool { return createdAt(recs[i]).After(createdAt(recs[j])) })
	first := "Name"
	switch obj.name {
	case "Case":
		first = "CaseNumber"
	case "CaseComment":
		first = "CommentBody"
	}
	cols := append([]string{first}, relatedColumns(obj.name)...)
	t := lightningTable{Title: title + " (" + strconv.Itoa(len(recs)) + ")"}
	for _, c := range cols {
		t.Columns = append(t.Columns, uiLabel(obj.field(c)))
	}
	for _, r := range recs {
		var row []lightningCell
		for i, c := range cols {
			cell := o.cell(r, obj.field(c))
			if i == 0 && obj.name != "CaseComment" {
				cell.Href = recordPath(r)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// uiLabel is the label a page shows: a lookup by its relationship
// ("Account" for Account ID), as Lightning does.
func uiLabel(f *field) string {
	if f.typ == typeReference && f.relName != "" {
		return labelFor(f.relName)
	}
	return f.label
}

func createdAt(r *record) time.Time {
	t, _ := r.vals["CreatedDate"].(time.Time)
	return t
}

// cell shows one field value as Lightning would: references by the
// record's name, linked; booleans as words; dates in the wire format.
func (o *Org) cell(r *record, f *field) lightningCell {
	v := r.vals[f.name]
	if v == nil {
		return lightningCell{}
	}
	if f.typ == typeReference {
		target := o.data.records[v.(string)]
		if target == nil {
			return lightningCell{Text: v.(string)}
		}
		cell := lightningCell{Text: o.recordName(target)}
		if !target.obj.system && !target.deleted {
			cell.Href = recordPath(target)
		}
		return cell
	}
	switch x := v.(type) {
	case bool:
		if f.name == "IsPublished" {
			return lightningCell{Text: map[bool]string{true: "Public", false: "Private"}[x]}
		}
		return lightningCell{Text: map[bool]string{true: "Yes", false: "No"}[x]}
	case time.Time:
		if f.typ == typeDate {
			return lightningCell{Text: x.Format(dateLayout)}
		}
		return lightningCell{Text: x.UTC().Format("2006-01-02 15:04 MST")}
	case float64:
		return lightningCell{Text: strconv.FormatFloat(x, 'f', -1, 64)}
	case int64:
		return lightningCell{Text: strconv.FormatInt(x, 10)}
	case string:
		return lightningCell{Text: x}
	}
	return lightningCell{}
}
