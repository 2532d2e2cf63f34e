package views

import (
	"strconv"
	"time"
)

// count says how many of something there are, in the right number:
// "1 ticket", "2 tickets".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// utcStamp shows an instant for people, in UTC and saying so, so admins in
// different zones read the same time.
func utcStamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" }

// isoUTC is an instant for <time datetime>.
func isoUTC(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// failingSwitches keeps the emulated orgs and accounts now failing.
func failingSwitches(all []DemoOrg) []DemoOrg {
	var out []DemoOrg
	for _, o := range all {
		if o.Failing {
			out = append(out, o)
		}
	}
	return out
}

// queueLine says what waits in a connection's ticket-sync queue.
func queueLine(v AdminTicketSync) string {
	s := count(v.Waiting, "change waiting", "changes waiting") + ", " + count(v.Leased, "ticket", "tickets") + " being synced"
	if v.Lag != "" {
		s += "; the oldest change has waited " + v.Lag
	}
	return s + "."
}

// orNone shows an empty value as "—".
func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
