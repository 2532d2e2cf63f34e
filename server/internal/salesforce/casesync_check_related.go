package salesforce

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/crossview/crossview/server/internal/crossview"
)

// checkRequester checks the requester object: emails can be matched and,
// when matching creates records, Crossview may create them whole.
func (k *checker) checkRequester(d *ObjectDescribe) {
	if f, ok := d.Field("Email"); !ok || f.Type != "email" {
		k.add(problem("ticket_sync_requester_email_hidden", fmt.Sprintf("%s cannot see %s.Email", k.user, d.Name),
			"Requesters are matched by email address.", k.permFix("read access to "+d.Name+".Email"), true))
	}
	if k.set.RequesterMatch != crossview.MatchCreate {
		return
	}
	fills := []string{"LastName", "FirstName", "Email"}
	if d.Name == crossview.ObjectLead {
		fills = append(fills, "Company")
	} else {
		fills = append(fills, "AccountId")
	}
	k.checkCreatable(d, "ticket_sync_requester_not_creatable", d.Name, fills)
	k.checkUnfilled(d, "ticket_sync_requester_required_field", d.Name, fills)
}

// checkAccount checks the Account external id field and, when matching
// creates Accounts, that Crossview may create them whole.
func (k *checker) checkAccount(d *ObjectDescribe) {
	ext := k.set.AccountExternalIDField
	if ext != "" {
		f, ok := d.Field(ext)
		if !ok {
			k.add(problem("ticket_sync_account_field_missing", fmt.Sprintf("Account field %s is missing", ext),
				"Organizations are matched to Accounts by this field first, but the Account describe has no such field (or hides it).",
				"Create the field, give "+k.user+" access to it, or clear the Account external id field in the ticket-sync settings.", true))
		} else if !slices.Contains([]string{"string", "email", "int", "double", "phone"}, f.Type) {
			k.add(problem("ticket_sync_account_field_missing", fmt.Sprintf("Account field %s (%s) cannot hold a Zendesk organization id", ext, f.Type),
				"The field must be text or a number to be matched with a Zendesk organization id.",
				"Choose a text or number field, or clear the Account external id field.", true))
		}
	}
	if k.set.AccountMatch != crossview.MatchCreate {
		return
	}
	fills := []string{"Name"}
	if ext != "" {
		fills = append(fills, ext)
	}
	k.checkCreatable(d, "ticket_sync_account_not_creatable", crossview.ObjectAccount, fills)
	k.checkUnfilled(d, "ticket_sync_account_required_field", crossview.ObjectAccount, fills)
}

// defaultRecordQueries reads the default requester and Account, when the
// settings name them.
func (k *checker) defaultRecordQueries(c *Client, person string) []Subrequest {
	var out []Subrequest
	q := func(ref, object, id string) {
		out = append(out, Subrequest{Method: http.MethodGet, ReferenceID: ref,
			URL: c.QueryPath(fmt.Sprintf("SELECT Id FROM %s WHERE Id = %s", object, Quote(id)))})
	}
	if k.set.RequesterMatch == crossview.MatchDefault && ObjectOf(k.set.DefaultRequesterID) == person {
		q("defaultPerson", person, k.set.DefaultRequesterID)
	}
	if k.set.AccountMatch == crossview.MatchDefault && ObjectOf(k.set.DefaultAccountID) == crossview.ObjectAccount {
		q("defaultAccount", crossview.ObjectAccount, k.set.DefaultAccountID)
	}
	return out
}

func (k *checker) checkDefaultRecords(resp *CompositeResponse, person string) {
	check := func(ref, what, object, id string) {
		if ObjectOf(id) != object {
			k.add(problem("ticket_sync_default_record_missing", fmt.Sprintf("The default %s %s is not a %s id", what, id, object),
				fmt.Sprintf("Tickets with no matching %s are linked to the default, which must be a %s.", what, object),
				fmt.Sprintf("Enter the id of a %s in the ticket-sync settings.", object), true))
			return
		}
		if err := firstRecord(resp, ref, &struct{}{}); err != nil {
			k.add(problem("ticket_sync_default_record_missing", fmt.Sprintf("The default %s %s does not exist", what, id),
				fmt.Sprintf("%s cannot see a %s with this id (deleted, or not shared with them).", k.user, object),
				fmt.Sprintf("Enter the id of an existing %s in the ticket-sync settings.", object), true))
		}
	}
	if k.set.RequesterMatch == crossview.MatchDefault {
		check("defaultPerson", "requester", person, k.set.DefaultRequesterID)
	}
	if k.set.AccountMatch == crossview.MatchDefault {
		check("defaultAccount", "Account", crossview.ObjectAccount, k.set.DefaultAccountID)
	}
}
