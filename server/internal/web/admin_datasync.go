package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
)

// dataSyncObject is one of the data-sync settings form's objects: its
// key in form names, the object and what it becomes in Zendesk.
type dataSyncObject struct{ key, object, label, target string }

func dataSyncObjects() []dataSyncObject {
	return []dataSyncObject{
		{"accounts", crossview.ObjectAccount, "Accounts", "organizations"},
		{"contacts", crossview.ObjectContact, "Contacts", "users"},
		{"leads", crossview.ObjectLead, "Leads", "users"},
	}
}

// dataSyncChange runs one of the data-sync section's forms.
func (s *server) dataSyncChange(c echo.Context, sess admin.Session, action string) error {
	ctx, id, form := c.Request().Context(), c.Param("id"), c.Request()
	switch action {
	case "datasync":
		set, err := dataSyncSettingsFromForm(form.PostForm)
		if err != nil {
			return err
		}
		_, err = s.o.Admin.UpdateDataSync(ctx, sess.Subdomain, sess.Actor(), id, set)
		return err
	case "datasync/replay":
		record := strings.TrimSpace(form.PostFormValue("record"))
		if form.PostFormValue("all") != "1" && record == "" {
			return crossview.Errorf(crossview.EINVALID, "Name the record to replay by its Salesforce id.")
		}
		_, err := s.o.Admin.ReplayRecords(ctx, sess.Subdomain, sess.Actor(), id, record)
		return err
	}
	return crossview.Errorf(crossview.ENOTFOUND, "No such action.")
}

// handleAdminDataSyncProgress answers one object's backfill bar.
func (s *server) handleAdminDataSyncProgress(c echo.Context, sess admin.Session) error {
	st, err := s.o.Admin.DataSyncStatus(c.Request().Context(), sess.Subdomain, c.Param("id"))
	if err != nil {
		return err
	}
	object := c.QueryParam("object")
	for _, o := range st.Objects {
		if o.Object == object && o.Backfill != nil {
			b := dataBackfillView(*o.Backfill, "", s.o.Now())
			return c.JSON(http.StatusOK, backfillJSON{State: b.State, Label: b.Label, Done: b.Done, Total: b.Total, Percent: b.Percent,
				Rate: b.Rate, ETA: b.ETA, Error: b.Error, Live: b.Live})
		}
	}
	return crossview.Errorf(crossview.ENOTFOUND, "No backfill of %q has run for this connection.", object)
}

// dataSyncSettingsFromForm reads the data-sync settings form. A filter
// that does not parse is refused with the parser's words and the object
// it belongs to.
func dataSyncSettingsFromForm(f url.Values) (crossview.DataSyncSettings, error) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	var set crossview.DataSyncSettings
	objs := []*crossview.ObjectSync{&set.Accounts, &set.Contacts, &set.Leads}
	for i, o := range dataSyncObjects() {
		obj := objs[i]
		obj.On = f.Get(o.key+"_on") == "1"
		for row := range maxFormRows {
			n := strconv.Itoa(row)
			sf, zd, vals := get(o.key+"_sf_"+n), get(o.key+"_zd_"+n), get(o.key+"_values_"+n)
			if sf == "" && zd == "" && vals == "" {
				continue
			}
			m, err := crossview.ParseDataMapping(sf, zd, vals)
			if err != nil {
				return set, crossview.Errorf(crossview.EINVALID, "%s mapping %d: %s", o.label, row+1, crossview.ErrorMessage(err))
			}
			obj.Mappings = append(obj.Mappings, m)
		}
		filter, err := crossview.ParseFilter(get(o.key + "_filter"))
		if err != nil {
			return set, crossview.Errorf(crossview.EINVALID, "The %s filter does not read: %s.", o.label, strings.TrimSuffix(crossview.ErrorMessage(err), "."))
		}
		obj.Filter = filter
	}
	set.UserMatch, set.OrgMatch = splitList(get("user_match")), splitList(get("org_match"))
	set.OnDelete, set.DeleteTag, set.Memberships = get("on_delete"), get("delete_tag"), get("memberships")
	var err error
	if set.Priority, err = strconv.Atoi(get("priority")); err != nil {
		return set, crossview.Errorf(crossview.EINVALID, "The priority must be a number.")
	}
	if set.PollSeconds, err = strconv.Atoi(get("poll_seconds")); err != nil || set.PollSeconds < 1 {
		return set, crossview.Errorf(crossview.EINVALID, "The poll interval is a number of seconds, at least 1.")
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(get("api_share"), "%"), 64)
	if err != nil || pct <= 0 {
		return set, crossview.Errorf(crossview.EINVALID, "The API share must be a percentage from 1 to 100.")
	}
	set.APIShare = pct / 100
	return set, set.Validate()
}

// splitList reads "a, b c" as [a b c].
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}
