package metrics

import (
	"context"
	"net/http"
)

// syncCallsKey marks a context whose HTTP calls ticket sync makes;
// dataSyncCallsKey one whose calls data sync makes.
type (
	syncCallsKey     struct{}
	dataSyncCallsKey struct{}
)

// SyncCalls returns ctx marked so that the HTTP calls made with it count
// as ticket sync's calls to system ("zendesk" or "salesforce").
func SyncCalls(ctx context.Context, system string) context.Context {
	return context.WithValue(ctx, syncCallsKey{}, system)
}

// DataSyncCalls returns ctx marked so that the HTTP calls made with it
// count as data sync's calls to system ("zendesk" or "salesforce").
func DataSyncCalls(ctx context.Context, system string) context.Context {
	return context.WithValue(ctx, dataSyncCallsKey{}, system)
}

// Transport counts every request made with a SyncCalls or DataSyncCalls
// context, then sends it through base: what "API calls per synced
// ticket" and "per synced record" are made of.
// Refreshes, retries and lookups a sync needs count too, as they cost
// the org or account as much as the write itself.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	return countingTransport{base: base, calls: m}
}

type countingTransport struct {
	base  http.RoundTripper
	calls *Metrics
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if system, ok := r.Context().Value(syncCallsKey{}).(string); ok {
		t.calls.syncCalls.WithLabelValues(system).Inc()
	}
	if system, ok := r.Context().Value(dataSyncCallsKey{}).(string); ok {
		t.calls.dsCalls.WithLabelValues(system).Inc()
	}
	return t.base.RoundTrip(r)
}
