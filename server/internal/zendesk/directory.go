package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Directory keeps a Zendesk account's organizations and end users current
// with Salesforce Accounts, Contacts and Leads: the Zendesk side of data
// sync (datasync.Sink). Writes go through Zendesk's bulk endpoints, at
// most 100 records a call, and their background jobs; every record gets a
// result of its own, in order, with Zendesk's message when it was
// refused. It needs an admin's credential and, for users, the account's
// bulk user imports. It is safe for concurrent use.
//
// What it adds is never taken away: domain names, tags, emails and phones
// are merged into what Zendesk has (Zendesk itself keeps an existing
// user's primary email and phone and adds new ones as identities). Agents
// and admins are never written.
type Directory struct {
	c *Client
	o DirectoryOptions

	mu    sync.Mutex
	teams map[string]*team     // subdomain → its agents and admins
	orgs  map[string]*orgIndex // subdomain → organizations by name, domain, field
}

// DirectoryOptions tune a Directory.
type DirectoryOptions struct {
	// CacheTTL is how long the list of an account's agents and admins, and
	// its organizations by name, domain and field, are trusted before
	// they are read again (DefaultDirectoryTTL when not positive).
	CacheTTL time.Duration
	// PollMin and PollMax bound the wait between two looks at a bulk job:
	// it starts at PollMin and doubles up to PollMax (1 s and 10 s when
	// not positive).
	PollMin, PollMax time.Duration
	// Sleep waits d or until ctx ends; nil uses a timer. Tests pass one
	// that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultDirectoryTTL is how long a Directory trusts its lists of agents
// and organizations.
const DefaultDirectoryTTL = 5 * time.Minute

// NewDirectory returns data sync's writer over c.
func NewDirectory(c *Client, o DirectoryOptions) *Directory {
	if o.CacheTTL <= 0 {
		o.CacheTTL = DefaultDirectoryTTL
	}
	if o.PollMin <= 0 {
		o.PollMin = time.Second
	}
	if o.PollMax <= 0 {
		o.PollMax = 10 * time.Second
	}
	o.PollMax = max(o.PollMax, o.PollMin)
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Directory{c: c, o: o, teams: map[string]*team{}, orgs: map[string]*orgIndex{}}
}

const (
	// maxBatch is the most records one write takes: Zendesk's bulk limit.
	maxBatch = 100
	// paceBelow is the X-Rate-Limit-Remaining under which calls slow
	// down, so the account's other clients (and the Zendesk app) are not
	// starved and a 429 is the exception.
	paceBelow = 20
)

// call makes one API call, paced by the account's remaining rate limit:
// under paceBelow calls left, the minute is shared out among them. A
// reading a minute old says nothing about this minute.
func (d *Directory) call(ctx context.Context, sub string, cred Credentials, method, path string, body, out any) error {
	if n, at, ok := d.c.remainingAt(sub); ok && n < paceBelow && d.c.now().Sub(at) < rateWindow {
		if err := d.o.Sleep(ctx, rateWindow/time.Duration(n+1)); err != nil {
			return err
		}
	}
	return d.c.do(ctx, sub, &cred, method, path, body, out)
}

// checkBatch refuses a write of more records than one call takes.
func checkBatch(n int) error {
	if n > maxBatch {
		return crossview.Errorf(crossview.EINVALID, "Crossview writes at most %d records to Zendesk at a time, not %d.", maxBatch, n)
	}
	return nil
}

// dirError words a failed call for the sync log, keeping the *APIError
// inside: a 429 is a crossview ERATELIMITED error whose wait RetryAfter
// reads.
func dirError(what string, err error) error {
	var ae *APIError
	var ce *crossview.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests:
		return crossview.Wrap(crossview.ERATELIMITED, fmt.Sprintf("Zendesk's API rate limit was reached while Crossview tried to %s; Zendesk asks to wait %s.", what, ae.RetryAfter.Round(time.Second)), err)
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return crossview.Wrap(crossview.EFORBIDDEN, "Zendesk did not let Crossview "+what+": "+strings.TrimSpace(ae.Description+" Data sync needs the Zendesk credential of an admin."), err)
	case errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusUnprocessableEntity):
		return crossview.Wrap(crossview.EINVALID, "Zendesk refused to let Crossview "+what+": "+ae.Description, err)
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		return crossview.Wrap(crossview.EUNAVAILABLE, "Zendesk does not offer what Crossview needs to "+what+" (HTTP 404).", err)
	}
	return UserError(err)
}

// lower is the case-blind key of an external id or email: Zendesk compares
// both ignoring case.
func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
