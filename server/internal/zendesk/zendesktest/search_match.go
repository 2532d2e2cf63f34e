package zendesktest

import (
	"slices"
	"strings"
)

// ticketMatches applies the ticket keywords: status, priority,
// ticket_type, requester, assignee, organization, tags, external_id,
// subject, created, updated and free text (subject and description).
// Other keywords match nothing. Callers hold a.mu.
func (a *Account) ticketMatches(t Ticket, terms []term) bool {
	// requester: and assignee: know a user by name and every email.
	userNames := func(id int64) []string {
		if u := a.users[id]; u != nil {
			return append([]string{u.Name, u.Email}, u.OtherEmails...)
		}
		return nil
	}
	orgName := func(id int64) string {
		if o := a.orgs[id]; o != nil {
			return o.Name
		}
		return ""
	}
	for _, tm := range terms {
		var ok bool
		switch tm.key {
		case "type":
			ok = true // chosen by the caller
		case "":
			ok = containsText(tm.value, t.Subject, t.Description)
		case "status":
			r := statusRank(strings.ToLower(tm.value))
			ok = r >= 0 && compare(tm.op, cmpInt(int64(statusRank(t.Status)), int64(r)))
		case "priority":
			r := priorityRank(strings.ToLower(tm.value))
			ok = r >= 0 && t.Priority != "" && compare(tm.op, cmpInt(int64(priorityRank(t.Priority)), int64(r)))
		case "ticket_type":
			ok = tm.op == ":" && strings.EqualFold(t.Type, tm.value)
		case "requester":
			ok = tm.op == ":" && matchIDAny(t.RequesterID, tm, userNames)
		case "assignee":
			ok = tm.op == ":" && matchIDAny(t.AssigneeID, tm, userNames)
		case "organization":
			ok = tm.op == ":" && matchID(t.OrganizationID, tm.value, orgName)
		case "tags", "tag":
			ok = tm.op == ":" && slices.Contains(t.Tags, strings.ToLower(tm.value))
		case "external_id":
			ok = tm.op == ":" && t.ExternalID != "" && strings.EqualFold(t.ExternalID, tm.value)
		case "subject":
			ok = tm.op == ":" && containsText(strings.ToLower(tm.value), t.Subject)
		case "created":
			ok = compareTime(tm.op, t.CreatedAt, tm.value)
		case "updated":
			ok = compareTime(tm.op, t.UpdatedAt, tm.value)
		}
		if !ok {
			return false
		}
	}
	return true
}

// userMatchesTerms applies the user keywords: email, role, organization,
// external_id and free text (name and email). Callers hold a.mu.
func (a *Account) userMatchesTerms(u User, terms []term) bool {
	for _, tm := range terms {
		var ok bool
		switch tm.key {
		case "type":
			ok = true
		case "":
			ok = containsText(tm.value, u.Name, u.Email)
		case "email":
			ok = tm.op == ":" && strings.EqualFold(u.Email, tm.value)
		case "role":
			ok = tm.op == ":" && strings.EqualFold(u.Role, tm.value)
		case "organization":
			ok = tm.op == ":" && matchID(u.OrganizationID, tm.value, func(id int64) string {
				if o := a.orgs[id]; o != nil {
					return o.Name
				}
				return ""
			})
		case "external_id":
			ok = tm.op == ":" && u.ExternalID != "" && strings.EqualFold(u.ExternalID, tm.value)
		}
		if !ok {
			return false
		}
	}
	return true
}

// orgMatchesTerms applies the organization keywords: name, external_id,
// tags and free text (name).
func orgMatchesTerms(o Organization, terms []term) bool {
	for _, tm := range terms {
		var ok bool
		switch tm.key {
		case "type":
			ok = true
		case "":
			ok = containsText(tm.value, o.Name)
		case "name":
			ok = tm.op == ":" && strings.EqualFold(o.Name, tm.value)
		case "external_id":
			ok = tm.op == ":" && o.ExternalID != "" && strings.EqualFold(o.ExternalID, tm.value)
		case "tags", "tag":
			ok = tm.op == ":" && slices.Contains(o.Tags, strings.ToLower(tm.value))
		}
		if !ok {
			return false
		}
	}
	return true
}
