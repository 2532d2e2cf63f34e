package salesforce_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// crashingTransport plays a process dying around the nth all-or-nothing
// composite request (a write, not a lookup or describe): before sending
// it (the request never reaches Salesforce) or after (Salesforce did the
// work, the answer is lost).
type crashingTransport struct {
	mu        sync.Mutex
	n         int  // which write crashes, counted from 1
	afterSend bool // crash after Salesforce answered
	seen      int
}

var errCrash = errors.New("the process died")

func (c *crashingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/composite") && isWrite(r) {
		c.mu.Lock()
		c.seen++
		crash := c.seen == c.n
		c.mu.Unlock()
		if crash && !c.afterSend {
			return nil, errCrash
		}
		if crash {
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
			return nil, errCrash
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// isWrite reports whether a composite request is all or nothing, leaving
// its body readable.
func isWrite(r *http.Request) bool {
	b, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	return bytes.Contains(b, []byte(`"allOrNone":true`))
}

// commentsAfter is what the worker sends after reading the marker.
func commentsAfter(all []crossview.TicketComment, marker int64) []crossview.TicketComment {
	var out []crossview.TicketComment
	for _, c := range all {
		if c.ID > marker {
			out = append(out, c)
		}
	}
	return out
}

func TestWriteSplitsManyCommentsIntoStepsExactlyOnce(t *testing.T) {
	all := comments(1001, 30)
	for _, tc := range []struct {
		name       string
		crash      int // the composite that dies; 0 none
		afterSend  bool
		wantMarker int64 // the marker Salesforce holds after the crash
	}{
		// The first composite also creates the requester's Contact, so it
		// holds 25 - 2 = 23 comments.
		{"no crash", 0, false, 1030},
		{"dies before the second step", 2, false, 1023},
		{"dies after the second step, before its answer", 2, true, 1030},
		{"dies before the first step", 1, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSyncFixture(t, syncSpec{})
			ctx := context.Background()
			sink := salesforce.NewCaseSink(f.clientWith(&crashingTransport{n: tc.crash, afterSend: tc.afterSend}), salesforce.CaseSinkOptions{})
			before := f.org.Stats().Calls["composite"]
			w := crossview.CaseWrite{Ticket: ticket(5), Comments: all, Marker: 1030}
			_, err := sink.Write(ctx, f.conn, w)
			if tc.crash == 0 {
				if err != nil {
					t.Fatal(err)
				}
				// describes, lookups, two steps
				if n := f.org.Stats().Calls["composite"] - before; n != 4 {
					t.Errorf("%d composite calls, want describes, lookups and two steps", n)
				}
			} else {
				if !errors.Is(err, errCrash) {
					t.Fatalf("Write = %v, want the crash", err)
				}
				// The worker restarts: it reads the marker, then writes what
				// is left, with a new sink (nothing cached).
				marker, found, err := f.sink.Marker(ctx, f.conn, "acme:5")
				if err != nil {
					t.Fatal(err)
				}
				if marker != tc.wantMarker || found != (tc.wantMarker > 0) {
					t.Fatalf("Marker = %d, %v; want %d", marker, found, tc.wantMarker)
				}
				w.Comments = commentsAfter(all, marker)
				if _, err := f.sink.Write(ctx, f.conn, w); err != nil {
					t.Fatalf("rewrite: %v", err)
				}
			}
			c := f.caseByKey(t, "acme:5")
			if d := cmp.Diff(idRange(1001, 30), commentIDs(f.commentBodies(t, c["Id"].(string)))); d != "" {
				t.Errorf("comments on the Case (-want +got):\n%s", d)
			}
			if c["Zendesk_Last_Comment_Id__c"] != "1030" {
				t.Errorf("marker %v, want 1030", c["Zendesk_Last_Comment_Id__c"])
			}
			if n := len(f.query(t, "SELECT Id FROM Contact")); n != 1 {
				t.Errorf("%d contacts, want 1", n)
			}
		})
	}
}

func TestWriteKeepsSkippedCommentsOutOfTheMarkerGap(t *testing.T) {
	// Internal notes are filtered out by the worker; the marker still moves
	// past them so they are not considered again.
	f := newSyncFixture(t, syncSpec{})
	public := comments(10, 1)
	if _, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: ticket(6), Comments: public, Marker: 12}); err != nil {
		t.Fatal(err)
	}
	if m, _, _ := f.sink.Marker(context.Background(), f.conn, "acme:6"); m != 12 {
		t.Errorf("marker %d, want 12 (past the skipped comments)", m)
	}
}
