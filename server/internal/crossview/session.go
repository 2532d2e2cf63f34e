package crossview

import "time"

// AdminSession is a Zendesk admin signed in to Crossview's admin pages.
// The ID is the bearer secret the browser holds in a cookie.
type AdminSession struct {
	ID        string    `json:"id"`
	Tenant    string    `json:"tenant"`
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CSRF      string    `json:"csrf"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}
