package salesforce

import (
	"sort"
	"strconv"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// related is what one ticket's Case links to, with the Contact (or Lead)
// and Account to create first when matching says so.
type related struct {
	personObject string
	// contactID and accountID are the Case's ContactId and AccountId when
	// the records exist; "" leaves the field as it is.
	contactID, accountID string
	// newAccount and newPerson are the bodies of records to create first;
	// the Case and a new Contact then refer to them.
	newAccount, newPerson map[string]any
	// accountKey and personKey are where created ids are remembered.
	accountKey, personKey string
	// cached lists the id-cache keys whose ids this uses, dropped if one
	// turns out deleted.
	cached []string
	// supplied fills a Case's SuppliedName/SuppliedEmail when requesters
	// are Leads, which a Case cannot link to.
	suppliedName, suppliedEmail string
}

// relate decides, from the id cache (filled by lookup), what the ticket's
// Case links to and what must be created.
func (s *CaseSink) relate(conn crossview.Connection, ds map[string]*ObjectDescribe, t crossview.SyncTicket) related {
	set := conn.TicketSync
	r := related{personObject: requesterObject(set)}
	org := t.Organization
	if hasOrg(org) {
		key := accountKey(conn, org)
		if fr, ok := s.ids.get(key); ok && fr.ID != "" {
			r.accountID = fr.ID
			r.cached = append(r.cached, key)
		} else {
			switch set.AccountMatch {
			case crossview.MatchCreate:
				if strings.TrimSpace(org.Name) != "" {
					r.newAccount, r.accountKey = accountBody(set, ds[crossview.ObjectAccount], org), key
				}
			case crossview.MatchDefault:
				r.accountID = set.DefaultAccountID
			}
		}
	}
	personID, personAccount := "", ""
	email := strings.TrimSpace(t.Requester.Email)
	if email != "" {
		key := personKey(conn, r.personObject, email)
		if fr, ok := s.ids.get(key); ok && fr.ID != "" {
			personID, personAccount = fr.ID, fr.AccountID
			r.cached = append(r.cached, key)
		} else {
			switch set.RequesterMatch {
			case crossview.MatchCreate:
				r.newPerson, r.personKey = personBody(r.personObject, ds[r.personObject], t), key
			case crossview.MatchDefault:
				personID = set.DefaultRequesterID
			}
		}
	} else if set.RequesterMatch == crossview.MatchDefault {
		personID = set.DefaultRequesterID
	}
	if r.personObject == crossview.ObjectContact {
		r.contactID = personID
	} else {
		r.suppliedName, r.suppliedEmail = t.Requester.Name, email
	}
	// With no organization the Case takes its Contact's Account, as the
	// official integration does; failing that, the default Account.
	if r.accountID == "" && r.newAccount == nil {
		switch {
		case personAccount != "":
			r.accountID = personAccount
		case set.AccountMatch == crossview.MatchDefault:
			r.accountID = set.DefaultAccountID
		}
	}
	if r.newPerson != nil && r.personObject == crossview.ObjectContact {
		switch {
		case r.newAccount != nil:
			r.newPerson["AccountId"] = "@{" + refNewAccount + ".id}"
		case r.accountID != "":
			r.newPerson["AccountId"] = r.accountID
		}
	}
	return r
}

// creates lists the id-cache keys of records this write creates, sorted
// (the order their locks are taken in).
func (r related) creates() []string {
	var out []string
	if r.newAccount != nil {
		out = append(out, r.accountKey)
	}
	if r.newPerson != nil {
		out = append(out, r.personKey)
	}
	sort.Strings(out)
	return out
}

// linkFields adds the Case's links to body: ids, or references to the
// records created earlier in the same request.
func (r related) linkFields(d *ObjectDescribe, body map[string]any) {
	set := func(field string, v string) {
		if f, ok := d.Field(field); ok && f.Writable() && v != "" {
			body[f.Name] = v
		}
	}
	if r.newAccount != nil {
		set("AccountId", "@{"+refNewAccount+".id}")
	} else {
		set("AccountId", r.accountID)
	}
	if r.newPerson != nil && r.personObject == crossview.ObjectContact {
		set("ContactId", "@{"+refNewPerson+".id}")
	} else {
		set("ContactId", r.contactID)
	}
	if r.suppliedEmail != "" {
		set("SuppliedName", r.suppliedName)
		set("SuppliedEmail", r.suppliedEmail)
	}
}

// accountBody is a new Account for a Zendesk organization.
func accountBody(set crossview.TicketSyncSettings, d *ObjectDescribe, org crossview.TicketOrganization) map[string]any {
	body := map[string]any{"Name": fitText(d, "Name", strings.TrimSpace(org.Name))}
	if f := set.AccountExternalIDField; f != "" && org.ID != 0 {
		if fd, ok := d.Field(f); ok && (fd.Type == "int" || fd.Type == "double") {
			body[fd.Name] = org.ID
		} else {
			body[f] = strconv.FormatInt(org.ID, 10)
		}
	}
	return body
}

// personBody is a new Contact or Lead for a requester.
func personBody(object string, d *ObjectDescribe, t crossview.SyncTicket) map[string]any {
	first, last := splitName(t.Requester.Name, t.Requester.Email)
	body := map[string]any{"LastName": fitText(d, "LastName", last), "Email": strings.TrimSpace(t.Requester.Email)}
	if first != "" {
		body["FirstName"] = fitText(d, "FirstName", first)
	}
	if object == crossview.ObjectLead {
		company := strings.TrimSpace(t.Organization.Name)
		if company == "" {
			company = "[not provided]"
		}
		body["Company"] = fitText(d, "Company", company)
	}
	return body
}

// splitName splits "Ada King Lovelace" into "Ada King" and "Lovelace"; a
// requester with no name is named after their address.
func splitName(name, email string) (first, last string) {
	words := strings.Fields(name)
	switch len(words) {
	case 0:
		local, _, _ := strings.Cut(strings.TrimSpace(email), "@")
		return "", local
	case 1:
		return "", words[0]
	}
	return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
}

// fitText cuts s to the field's length where the describe knows it.
func fitText(d *ObjectDescribe, field, s string) string {
	if f, ok := d.Field(field); ok && f.Length > 0 {
		s, _ = cutUTF16(s, f.Length)
	}
	return s
}
