package admin

import (
	"context"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// Details is everything the details page shows about a connection.
type Details struct {
	Connection crossview.Connection
	APIVersion string
	Scopes     string
	// Usage is the org's API consumption as Salesforce last reported it.
	Usage   salesforce.Usage
	UsageAt time.Time
	HasUse  bool
	// Activity is what this process saw of the org's calls.
	Activity salesforce.Activity
}

// Details returns one connection's details.
func (s *Service) Details(ctx context.Context, sess Session, id string) (Details, error) {
	c, err := s.owned(ctx, sess.Subdomain, id)
	if err != nil {
		return Details{}, err
	}
	d := Details{Connection: c, APIVersion: s.o.SF.APIVersion(), Scopes: orDefault(c.Scopes, "not reported")}
	d.Usage, d.UsageAt, d.HasUse = s.o.SF.Usage(c.OrgID)
	d.Activity = s.o.SF.Activity(c.OrgID)
	return d, nil
}

// Standings: a connection's condition in a word, the same on every admin
// surface (pages and CLI).
const (
	StandingDisconnected = "Disconnected"
	StandingUnchecked    = "Not checked yet"
	StandingBlocked      = "Needs attention"
	StandingWarning      = "Warning"
	StandingHealthy      = "Healthy"
)

// Standing words a connection's condition and returns the problem that
// explains it, if any. A disconnected connection is never "Healthy": it is
// not checked at all, whatever its last check found.
func Standing(c crossview.Connection) (string, *crossview.HealthProblem) {
	switch {
	case c.Status != crossview.StatusActive:
		return StandingDisconnected, nil
	case c.Health.CheckedAt.IsZero():
		return StandingUnchecked, nil
	case c.Health.Blocking() != nil:
		return StandingBlocked, c.Health.Blocking()
	case !c.Health.OK():
		return StandingWarning, &c.Health.Problems[0]
	}
	return StandingHealthy, nil
}
