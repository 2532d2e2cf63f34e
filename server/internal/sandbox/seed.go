package sandbox

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// Fixed org ids keep /demo links stable between runs.
const (
	orgAID = "00D5g000004XyZaEAK"
	orgBID = "00D7Q000009AbCdUAK"
)

// person is a customer who may exist in Zendesk and in either org.
type person struct {
	first, last, email, title, phone string
}

// cast is the requesters, chosen to show every kind of answer: in both
// orgs, in one, a Lead only, two Contacts, and nowhere. Emails are awkward on
// purpose (an apostrophe, a plus sign, an umlaut in the name).
type cast struct{ siobhan, raj, mia, jordan, zoe, sam person }

func people() cast {
	return cast{
		siobhan: person{"Siobhan", "O'Brien", "siobhan.o'brien@globex.example", "Head of Finance", "+1 415 555 0142"},
		raj:     person{"Raj", "Patel", "raj.patel@initech.example", "IT Director", "+1 512 555 0199"},
		mia:     person{"Mia", "Chen", "mia.chen@umbrella.example", "Procurement Lead", "+1 206 555 0107"},
		jordan:  person{"Jordan", "Lee", "jordan.lee@hooli.example", "Data Engineer", "+1 650 555 0123"},
		zoe:     person{"Zoë", "Müller", "zoe.mueller+billing@stark.example", "Einkauf", "+49 30 5550 1234"},
		sam:     person{"Sam", "Rivera", "sam@nowhere.example", "", ""},
	}
}

func (w *World) seed() error {
	a, err := w.seedOrgA()
	if err != nil {
		return err
	}
	b, err := w.seedOrgB()
	if err != nil {
		return err
	}
	w.OrgSeeds = []*OrgSeed{a, b}
	if err := w.seedZendesk(a); err != nil {
		return err
	}
	if err := w.seedBilling(); err != nil {
		return err
	}
	if err := w.seedLabs(); err != nil {
		return err
	}
	w.Links = []Link{
		{OrgKey: "a", Subdomain: Subdomain, Features: []crossview.Feature{crossview.FeatureSidebar, crossview.FeatureTicketView, crossview.FeatureTicketSync,
			crossview.FeatureAccountSync, crossview.FeatureContactSync}},
		{OrgKey: "b", Subdomain: Subdomain, Features: []crossview.Feature{crossview.FeatureSidebar}},
		{OrgKey: "a", Subdomain: BillingSubdomain, Features: []crossview.Feature{crossview.FeatureTicketView}},
	}
	return nil
}

// newOrg adds an org made to spec (its id, name and currencies).
func (w *World) newOrg(key string, spec salesforcetest.OrgSpec, env crossview.Environment, admin string) (*OrgSeed, error) {
	spec.Sandbox, spec.DailyAPILimit = env == crossview.Sandbox, 100_000
	org, err := w.Cloud.AddOrg(spec)
	if err != nil {
		return nil, fmt.Errorf("sandbox: adding org %s: %w", spec.Name, err)
	}
	u := org.AddUser(salesforcetest.User{
		Username: admin, FirstName: "Ada", LastName: "Admin", ProfileName: "System Administrator", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true},
	})
	return &OrgSeed{Key: key, Name: spec.Name, Environment: env, Org: org, Admin: u}, nil
}

// inserter records the first error so seeding reads as a list of facts.
type inserter struct {
	org *salesforcetest.Org
	err error
}

func (in *inserter) add(object string, fields map[string]any) string {
	if in.err != nil {
		return ""
	}
	id, err := in.org.Insert(object, fields)
	if err != nil {
		in.err = fmt.Errorf("sandbox: seeding %s %v: %w", object, fields["Name"], err)
	}
	return id
}

func (in *inserter) contact(p person, accountID string) string {
	return in.add("Contact", map[string]any{"FirstName": p.first, "LastName": p.last, "Email": p.email, "Title": p.title, "Phone": p.phone, "AccountId": accountID})
}

func (w *World) seedOrgA() (*OrgSeed, error) {
	s, err := w.newOrg("a", salesforcetest.OrgSpec{OrgID: orgAID, Name: "Northwind Traders"}, crossview.Production, "ada.admin@northwind.example")
	if err != nil {
		return nil, err
	}
	if err := addTicketSyncFields(s.Org); err != nil {
		return nil, err
	}
	c, in := people(), &inserter{org: s.Org}
	globex := in.add("Account", map[string]any{"Name": "Globex Corporation", "Industry": "Manufacturing", "Type": "Customer - Direct", "Phone": "+1 415 555 0100", "BillingCity": "San Francisco"})
	initech := in.add("Account", map[string]any{"Name": "Initech", "Industry": "Technology", "Type": "Customer - Direct", "Phone": "+1 512 555 0100", "BillingCity": "Austin"})
	hooli := in.add("Account", map[string]any{"Name": "Hooli Inc.", "Industry": "Technology", "Type": "Customer - Channel", "Phone": "+1 650 555 0100", "BillingCity": "Palo Alto"})
	hooliEU := in.add("Account", map[string]any{"Name": "Hooli Europe", "Industry": "Technology", "Type": "Customer - Direct", "Phone": "+353 1 555 0100", "BillingCity": "Dublin"})
	in.add("Account", map[string]any{"Name": "Vandelay Industries", "Industry": "Retail", "Type": "Prospect"})

	siobhanID := in.contact(c.siobhan, globex)
	lenaID := in.contact(person{"Lena", "Park", "lena.park@globex.example", "Operations Manager", "+1 415 555 0161"}, globex)
	rajID := in.contact(c.raj, initech)
	jordanID := in.contact(c.jordan, hooli)
	in.contact(person{c.jordan.first, c.jordan.last, c.jordan.email, "Data Engineer (EU team)", "+353 1 555 0177"}, hooliEU)
	in.contact(person{"Peter", "Gibbons", "peter.gibbons@initech.example", "Engineer", ""}, initech)
	miaID := in.add("Lead", map[string]any{"FirstName": c.mia.first, "LastName": c.mia.last, "Email": c.mia.email, "Company": "Umbrella Health", "Title": c.mia.title, "Status": "Working - Contacted"})
	in.add("Lead", map[string]any{"FirstName": "Kim", "LastName": "Wexler", "Email": "kim@wexler-mcgill.example", "Company": "Wexler McGill", "Status": "Open - Not Contacted"})

	expansion := in.add("Opportunity", map[string]any{"Name": "Globex – 200 seat expansion", "StageName": "Negotiation/Review", "Amount": 48000, "CloseDate": "2027-01-15", "AccountId": globex})
	in.add("Opportunity", map[string]any{"Name": "Globex – Premium support", "StageName": "Proposal/Price Quote", "Amount": 9600, "CloseDate": "2026-12-20", "AccountId": globex})
	in.add("Opportunity", map[string]any{"Name": "Globex – Renewal 2026", "StageName": "Closed Won", "Amount": 120000, "CloseDate": "2026-03-31", "AccountId": globex})
	in.add("Opportunity", map[string]any{"Name": "Initech – SSO add-on", "StageName": "Proposal/Price Quote", "Amount": 12000, "CloseDate": "2026-12-31", "AccountId": initech})
	in.add("Opportunity", map[string]any{"Name": "Hooli – Enterprise upgrade", "StageName": "Qualification", "Amount": 96000, "CloseDate": "2027-03-01", "AccountId": hooli})
	in.add("Opportunity", map[string]any{"Name": "Hooli Europe – Data residency", "StageName": "Closed Lost", "Amount": 30000, "CloseDate": "2026-06-30", "AccountId": hooliEU})

	vatCase := in.add("Case", map[string]any{"Subject": "VAT applied at 20% instead of 19% on INV-20931", "Status": "New", "Priority": "High", "Origin": "Email", "AccountId": globex, "ContactId": siobhanID})
	in.add("Case", map[string]any{"Subject": "Onboarding call for the finance team", "Status": "Closed", "Priority": "Low", "Origin": "Phone", "AccountId": globex, "ContactId": siobhanID})
	in.add("Case", map[string]any{"Subject": "SAML metadata refresh after IdP migration", "Status": "Working", "Priority": "High", "Origin": "Web", "AccountId": initech, "ContactId": rajID})
	in.add("Case", map[string]any{"Subject": "Bulk export times out above 2 GB", "Status": "Escalated", "Priority": "High", "Origin": "Web", "AccountId": hooli, "ContactId": jordanID})
	if in.err != nil {
		return nil, in.err
	}
	// Sam, a sales rep, owns Globex and Initech but not Hooli, and was not
	// given Lena's contact: Salesforce decides what Sam's pages show.
	rep := s.Org.AddUser(salesforcetest.User{Username: "sam.sales@northwind.example", FirstName: "Sam", LastName: "Sales",
		ProfileName: "Standard User", Perms: salesforcetest.Permissions{APIEnabled: true}})
	s.Rep = &rep
	s.Org.Share(globex, rep.ID)
	s.Org.Share(initech, rep.ID)
	for _, id := range []string{siobhanID, rajID, miaID, expansion, vatCase} {
		s.Org.Share(id, rep.ID)
	}
	s.Records = []RecordSeed{
		{globex, crossview.ObjectAccount, "Globex Corporation", "Organization matched by external id, plus contacts' emails; two Zendesk accounts"},
		{siobhanID, crossview.ObjectContact, "Siobhan O'Brien", "Tickets in both Zendesk accounts"},
		{lenaID, crossview.ObjectContact, "Lena Park", "Sam the rep may not see this contact"},
		{initech, crossview.ObjectAccount, "Initech", "Organization matched by external id"},
		{rajID, crossview.ObjectContact, "Raj Patel", "An urgent ticket"},
		{miaID, crossview.ObjectLead, "Mia Chen", "A Lead, matched by email"},
		{expansion, crossview.ObjectOpportunity, "Globex – 200 seat expansion", "Shows its Account's tickets"},
		{vatCase, crossview.ObjectCase, "VAT applied at 20% instead of 19% on INV-20931", "View only"},
		{hooli, crossview.ObjectAccount, "Hooli Inc.", "Matched by name; Sam may not open it"},
	}
	return s, nil
}

func (w *World) seedOrgB() (*OrgSeed, error) {
	s, err := w.newOrg("b", salesforcetest.OrgSpec{OrgID: orgBID, Name: "Northwind EMEA (UAT)", Currency: "EUR", MultiCurrency: true}, crossview.Sandbox, "ada.admin@northwind-emea.example")
	if err != nil {
		return nil, err
	}
	c, in := people(), &inserter{org: s.Org}
	globex := in.add("Account", map[string]any{"Name": "Globex GmbH", "Industry": "Manufacturing", "Type": "Customer - Direct", "Phone": "+49 89 5550 100", "BillingCity": "München"})
	stark := in.add("Account", map[string]any{"Name": "Stark Industries GmbH", "Industry": "Energy", "Type": "Customer - Direct", "Phone": "+49 30 5550 100", "BillingCity": "Berlin"})
	siobhanID := in.contact(person{c.siobhan.first, c.siobhan.last, c.siobhan.email, "Finance (DACH)", "+49 89 5550 142"}, globex)
	zoeID := in.contact(c.zoe, stark)
	in.add("Opportunity", map[string]any{"Name": "Globex GmbH – DACH rollout", "StageName": "Prospecting", "Amount": 150000, "CloseDate": "2027-06-30", "AccountId": globex})
	in.add("Opportunity", map[string]any{"Name": "Stark – Renewal FY27", "StageName": "Id. Decision Makers", "Amount": 250000, "CurrencyIsoCode": "GBP", "CloseDate": "2027-02-28", "AccountId": stark})
	in.add("Case", map[string]any{"Subject": "Reverse-charge note missing on invoices", "Status": "New", "Priority": "Medium", "Origin": "Email", "AccountId": globex, "ContactId": siobhanID})
	in.add("Case", map[string]any{"Subject": "Clarify auto-renewal clause 7.2", "Status": "New", "Priority": "Medium", "Origin": "Email", "AccountId": stark, "ContactId": zoeID})
	return s, in.err
}

func (w *World) seedZendesk(a *OrgSeed) error {
	// Bulk user imports on: data sync writes users through them.
	acct, err := w.Zendesk.AddAccount(zendesktest.AccountSpec{Subdomain: Subdomain, BulkUserImports: true})
	if err != nil {
		return fmt.Errorf("sandbox: adding Zendesk account: %w", err)
	}
	if _, err := acct.AddUserField(zendesktest.ObjectField{Key: TitleField, Type: "text", Title: "Job title (Salesforce)"}); err != nil {
		return fmt.Errorf("sandbox: adding the title user field: %w", err)
	}
	w.Account = acct
	w.Agent = acct.AddUser(zendesktest.User{Name: "Alex Agent", Email: "alex.agent@northwind.example", Role: zendesktest.RoleAdmin})
	w.DeskAgent = acct.AddUser(zendesktest.User{Name: "Dana Desk", Email: "dana.desk@northwind.example", Role: zendesktest.RoleAgent, TicketRestriction: "groups"})
	support := acct.AddGroup("Support")
	acct.AddGroupMembership(w.Agent.ID, support.ID)
	acct.AddGroupMembership(w.DeskAgent.ID, support.ID)
	w.APIToken = acct.IssueAPIToken()
	w.Accounts = append(w.Accounts, &AccountSeed{Account: acct, Agent: w.Agent, APIToken: w.APIToken, WebhookSecret: rand.Text()})
	// Globex and Initech carry their Salesforce Account Id as external id,
	// as account sync sets it; Hooli is matched by name.
	external := map[string]string{"Globex Corporation": a.Records[0].ID, "Initech": a.Records[3].ID}
	orgs := map[string]int64{}
	for _, name := range []string{"Globex Corporation", "Initech", "Hooli Inc.", "Stark Industries GmbH"} {
		orgs[name] = acct.AddOrganization(zendesktest.Organization{Name: name, ExternalID: external[name]}).ID
	}
	c, now := people(), time.Now().UTC()
	tickets := []struct {
		p                         person
		org                       string
		subject, body, status, pr string
		typ, notes                string
		age                       time.Duration
	}{
		{c.siobhan, "Globex Corporation", "Invoice shows the wrong VAT rate", "Hi, invoice INV-20931 charges 20% VAT but we are billed from our German entity, so it should be 19%. Can you reissue it?", "open", "high", "problem", "In both orgs; an apostrophe in the email", 3 * time.Hour},
		{c.raj, "Initech", "Cannot sign in after the SSO change", "Since we moved to the new IdP nobody at Initech can sign in. Error: invalid SAML response.", "open", "urgent", "incident", "A Contact in one org, nothing in the other", 40 * time.Minute},
		{c.mia, "", "Pricing for 500 seats?", "We are evaluating tools for 500 clinicians. Could you send pricing and your HIPAA documentation?", "new", "normal", "question", "A Lead only, no Contact", 2 * time.Hour},
		{c.jordan, "Hooli Inc.", "Data export stuck at 99%", "The nightly export has been stuck at 99% for two days.", "pending", "high", "problem", "Two Contacts with the same email", 26 * time.Hour},
		{c.zoe, "Stark Industries GmbH", "Question about our contract renewal", "Does clause 7.2 mean we renew automatically unless we give notice by December?", "open", "normal", "question", "A plus sign in the email; only in the second org", 5 * time.Hour},
		{c.sam, "", "Hello from a new visitor", "Just wondering whether you ship to Canada.", "new", "low", "question", "Not in Salesforce at all", 10 * time.Minute},
	}
	for _, t := range tickets {
		u := acct.AddUser(zendesktest.User{Name: t.p.first + " " + t.p.last, Email: t.p.email, Role: zendesktest.RoleEndUser, OrganizationID: orgs[t.org]})
		tk := acct.AddTicket(zendesktest.Ticket{
			Subject: t.subject, Description: t.body, Status: t.status, Priority: t.pr, Type: t.typ,
			RequesterID: u.ID, SubmitterID: u.ID, AssigneeID: w.Agent.ID, OrganizationID: orgs[t.org], GroupID: support.ID,
			Via: zendesktest.Via{Channel: "email"}, CreatedAt: now.Add(-t.age), UpdatedAt: now.Add(-t.age / 2),
		})
		w.TicketSeeds = append(w.TicketSeeds, TicketSeed{Ticket: tk, Requester: u, Notes: t.notes})
	}
	// More Globex history, so the Salesforce ticket list has statuses to
	// filter and pages to turn.
	lena := acct.AddUser(zendesktest.User{Name: "Lena Park", Email: "lena.park@globex.example", Role: zendesktest.RoleEndUser, OrganizationID: orgs["Globex Corporation"]})
	siobhan := w.TicketSeeds[0].Requester
	history := []struct {
		who                      zendesktest.User
		subject, status, pr, typ string
		age                      time.Duration
	}{
		{lena, "Warehouse sync stopped overnight", "open", "urgent", "incident", 20 * time.Minute},
		{lena, "Add two more admin seats", "pending", "normal", "task", 6 * time.Hour},
		{lena, "Password reset emails arrive late", "hold", "normal", "problem", 30 * time.Hour},
		{siobhan, "Credit note for October", "solved", "normal", "question", 4 * 24 * time.Hour},
		{lena, "Dashboard shows yesterday's numbers", "solved", "high", "incident", 6 * 24 * time.Hour},
		{siobhan, "Change of billing contact", "closed", "low", "task", 20 * 24 * time.Hour},
		{lena, "Training session for new hires", "closed", "low", "question", 40 * 24 * time.Hour},
		{lena, "CSV export misses the last column", "new", "high", "problem", 3 * time.Minute},
		{siobhan, "PO number on invoices", "solved", "normal", "question", 9 * 24 * time.Hour},
		{lena, "SSO for the Chicago office", "open", "normal", "task", 2 * 24 * time.Hour},
		{lena, "Duplicate notifications", "pending", "low", "problem", 3 * 24 * time.Hour},
		{siobhan, "Quarterly usage report", "open", "normal", "question", 5 * time.Hour},
		{lena, "Mobile app crashes on login", "new", "urgent", "incident", 90 * time.Minute},
		{lena, "Bulk user import template", "solved", "low", "question", 12 * 24 * time.Hour},
		{siobhan, "Tax exemption certificate", "closed", "normal", "task", 60 * 24 * time.Hour},
		{lena, "API rate limit questions", "open", "low", "question", 26 * time.Hour},
		{lena, "Webhook retries", "hold", "normal", "problem", 8 * 24 * time.Hour},
		{siobhan, "Annual price increase notice", "pending", "normal", "question", 36 * time.Hour},
	}
	for _, h := range history {
		acct.AddTicket(zendesktest.Ticket{
			Subject: h.subject, Description: h.subject + ".", Status: h.status, Priority: h.pr, Type: h.typ,
			RequesterID: h.who.ID, SubmitterID: h.who.ID, AssigneeID: w.Agent.ID, OrganizationID: orgs["Globex Corporation"], GroupID: support.ID,
			Via: zendesktest.Via{Channel: "web"}, CreatedAt: now.Add(-h.age * 2), UpdatedAt: now.Add(-h.age),
		})
	}
	return nil
}

// seedBilling is the second Zendesk account, the billing desk: the same
// customers, their own tickets, organizations matched by name only.
func (w *World) seedBilling() error {
	acct, err := w.Zendesk.AddAccount(zendesktest.AccountSpec{Subdomain: BillingSubdomain})
	if err != nil {
		return fmt.Errorf("sandbox: adding the billing Zendesk account: %w", err)
	}
	agent := acct.AddUser(zendesktest.User{Name: "Bea Billing", Email: "bea.billing@northwind.example", Role: zendesktest.RoleAdmin})
	w.Accounts = append(w.Accounts, &AccountSeed{Account: acct, Agent: agent, APIToken: acct.IssueAPIToken(), WebhookSecret: rand.Text()})
	c, now := people(), time.Now().UTC()
	globex := acct.AddOrganization(zendesktest.Organization{Name: "Globex Corporation"}).ID
	initech := acct.AddOrganization(zendesktest.Organization{Name: "Initech"}).ID
	siobhan := acct.AddUser(zendesktest.User{Name: c.siobhan.first + " " + c.siobhan.last, Email: c.siobhan.email, Role: zendesktest.RoleEndUser, OrganizationID: globex})
	raj := acct.AddUser(zendesktest.User{Name: c.raj.first + " " + c.raj.last, Email: c.raj.email, Role: zendesktest.RoleEndUser, OrganizationID: initech})
	for _, t := range []struct {
		who                      zendesktest.User
		org                      int64
		subject, status, pr, typ string
		age                      time.Duration
	}{
		{siobhan, globex, "Refund for a duplicate card charge", "open", "high", "problem", 2 * time.Hour},
		{siobhan, globex, "Update the billing address to Berlin", "solved", "low", "task", 10 * 24 * time.Hour},
		{raj, initech, "Invoice copy for March", "pending", "normal", "question", 26 * time.Hour},
	} {
		acct.AddTicket(zendesktest.Ticket{
			Subject: t.subject, Description: t.subject + ".", Status: t.status, Priority: t.pr, Type: t.typ,
			RequesterID: t.who.ID, SubmitterID: t.who.ID, AssigneeID: agent.ID, OrganizationID: t.org,
			Via: zendesktest.Via{Channel: "email"}, CreatedAt: now.Add(-t.age * 2), UpdatedAt: now.Add(-t.age),
		})
	}
	return nil
}

// AddRequesterOrg adds one more org that knows the first ticket's
// requester, for measurements with many orgs.
func (w *World) AddRequesterOrg(key, name string) (*OrgSeed, error) {
	s, err := w.newOrg(key, salesforcetest.OrgSpec{Name: name}, crossview.Production, "ada.admin@"+key+".northwind.example")
	if err != nil {
		return nil, err
	}
	c, in := people(), &inserter{org: s.Org}
	acc := in.add("Account", map[string]any{"Name": "Globex (" + name + ")", "Industry": "Manufacturing"})
	in.contact(c.siobhan, acc)
	in.add("Opportunity", map[string]any{"Name": "Globex – " + name, "StageName": "Prospecting", "Amount": 1000, "CloseDate": "2027-01-01", "AccountId": acc})
	if in.err != nil {
		return nil, in.err
	}
	w.OrgSeeds = append(w.OrgSeeds, s)
	return s, nil
}
