package salesforce

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// moneyFields are the standard currency fields the sidebar can show. A
// custom currency field is not known for one without a describe, so it
// shows without a code.
var moneyFields = map[string][]string{
	crossview.ObjectAccount:     {"AnnualRevenue"},
	crossview.ObjectLead:        {"AnnualRevenue"},
	crossview.ObjectOpportunity: {"Amount", "ExpectedRevenue"},
}

func isMoney(object, field string) bool {
	for _, f := range moneyFields[object] {
		if strings.EqualFold(f, field) {
			return true
		}
	}
	return false
}

// orgCurrency is what an org says about the currency of its amounts. In a
// multi-currency org every record carries CurrencyIsoCode (a field a
// single-currency org does not have: selecting it fails with
// INVALID_FIELD); otherwise every amount is in the org's currency,
// Organization.DefaultCurrencyIsoCode.
type orgCurrency struct {
	multi bool
	code  string // the org's currency, for a single-currency org
}

// codeFor names the currency of a record's amounts, or "" when unknown:
// an amount without a currency beats one with the wrong currency.
func (oc orgCurrency) codeFor(rec map[string]any) string {
	if code := text(lookupCI(rec, "CurrencyIsoCode")); validCurrency(code) {
		return code
	}
	if !oc.multi && validCurrency(oc.code) {
		return oc.code
	}
	return ""
}

func validCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// withCurrency adds CurrencyIsoCode to a select list in a multi-currency
// org.
func withCurrency(fixed []string, oc orgCurrency) []string {
	if !oc.multi {
		return fixed
	}
	return append(append([]string{}, fixed...), "CurrencyIsoCode")
}

// currencyRelearn is how long what was learned about an org's currencies
// is trusted; an admin may turn multiple currencies on.
const currencyRelearn = time.Hour

// currencyMemo keeps what each org said about its currencies, so only the
// first lookup (per org, per hour) carries the extra subrequests. Its zero
// value is ready to use.
type currencyMemo struct {
	mu   sync.Mutex
	orgs map[string]learnedCurrency
}

type learnedCurrency struct {
	orgCurrency
	at time.Time
}

func (m *currencyMemo) get(orgID string, now time.Time) (orgCurrency, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.orgs[orgID]
	if !ok || now.Sub(l.at) >= currencyRelearn {
		return orgCurrency{}, false
	}
	return l.orgCurrency, true
}

func (m *currencyMemo) put(orgID string, oc orgCurrency, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.orgs == nil {
		m.orgs = map[string]learnedCurrency{}
	}
	m.orgs[orgID] = learnedCurrency{orgCurrency: oc, at: now}
}

// Reference ids of the subrequests that learn an org's currencies.
const (
	refOrgCurrency   = "orgcurrency"
	refAccountsMulti = "accounts_multicurrency"
)

// currencyProbes are the subrequests that learn an org's currencies within
// the lookup's own composite request (so it stays one API call): the org's
// currency, and the account query again with CurrencyIsoCode, which only a
// multi-currency org answers.
func (c *Client) currencyProbes(s crossview.SidebarSettings, email string) []Subrequest {
	return []Subrequest{
		{Method: http.MethodGet, ReferenceID: refOrgCurrency, URL: c.QueryPath("SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1")},
		{Method: http.MethodGet, ReferenceID: refAccountsMulti, URL: c.QueryPath(accountQuery(s, email, orgCurrency{multi: true}))},
	}
}

// learnCurrency reads the probes' answers. It is sure only when the plain
// account query worked: then the probe failing with INVALID_FIELD can only
// mean the org has no CurrencyIsoCode, a single-currency org.
func learnCurrency(resp *CompositeResponse) (orgCurrency, bool) {
	plain, err := resp.Get("accounts")
	if err != nil || plain.Err() != nil {
		return orgCurrency{}, false
	}
	multi, err := resp.Get(refAccountsMulti)
	if err != nil {
		return orgCurrency{}, false
	}
	if multi.Err() == nil {
		return orgCurrency{multi: true}, true
	}
	var ae *APIError
	if !errors.As(multi.Err(), &ae) || ae.Code != "INVALID_FIELD" {
		return orgCurrency{}, false
	}
	oc := orgCurrency{}
	if org, err := resp.Get(refOrgCurrency); err == nil && org.Err() == nil {
		var q QueryResult
		if json.Unmarshal(org.Body, &q) == nil && len(q.Records) > 0 {
			if rec, err := decodeRecord(q.Records[0]); err == nil {
				oc.code = text(lookupCI(rec, "DefaultCurrencyIsoCode"))
			}
		}
	}
	return oc, true
}

// money renders an amount: digit groups, and cents when there are any
// (9600.5 → 9,600.50).
func money(v any) string {
	s := display(v)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i == 2 {
		s += "0"
	}
	return s
}
