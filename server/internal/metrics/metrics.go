// Package metrics holds Crossview's Prometheus collectors in one registry
// owned by the caller, so nothing is registered globally.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics records what the service does.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.HistogramVec
	upstream   *prometheus.CounterVec
	upstreamD  *prometheus.HistogramVec
	cache      *prometheus.CounterVec
	apiUsed    *prometheus.GaugeVec
	apiLimit   *prometheus.GaugeVec
	apiRemain  *prometheus.GaugeVec
	panelParts *prometheus.CounterVec
	synced     *prometheus.CounterVec
	syncLag    prometheus.Histogram
	syncQueue  *prometheus.GaugeVec
	syncCalls  *prometheus.CounterVec
	records    *prometheus.CounterVec
	recordLag  *prometheus.HistogramVec
	dsCalls    *prometheus.CounterVec
}

// New creates the collectors in a fresh registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "crossview_http_request_duration_seconds",
			Help:    "Latency of HTTP requests served, by route and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method", "status"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_upstream_requests_total",
			Help: "Calls to Salesforce and Zendesk, by system, org or account, and status (HTTP code, timeout, network, refresh_ok, refresh_error).",
		}, []string{"system", "org", "status"}),
		upstreamD: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "crossview_upstream_request_duration_seconds",
			Help:    "Latency of calls to Salesforce and Zendesk.",
			Buckets: prometheus.DefBuckets,
		}, []string{"system"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_cache_requests_total",
			Help: "Cache lookups by result: hit, stale, miss, error.",
		}, []string{"cache", "result"}),
		apiUsed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "crossview_salesforce_api_usage",
			Help: "Salesforce daily API requests used, from Sforce-Limit-Info.",
		}, []string{"org"}),
		apiLimit: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "crossview_salesforce_api_limit",
			Help: "Salesforce daily API request allowance, from Sforce-Limit-Info.",
		}, []string{"org"}),
		apiRemain: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "crossview_api_limit_remaining",
			Help: "API calls remaining: Salesforce daily allowance or Zendesk per-minute X-Rate-Limit-Remaining.",
		}, []string{"system", "org"}),
		panelParts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_panel_sections_total",
			Help: "Panel sections rendered, by panel and outcome (ok, empty, or the problem code).",
		}, []string{"panel", "outcome"}),
		synced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_tickets_synced_total",
			Help: "Ticket syncs by outcome: created, updated, unchanged, skipped, retried, dead.",
		}, []string{"outcome"}),
		syncLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "crossview_ticket_sync_lag_seconds",
			Help:    "From the first change heard of to the Case written in Salesforce, per ticket sync that wrote.",
			Buckets: []float64{.1, .25, .5, 1, 2, 3, 5, 10, 30, 60, 300, 900, 3600},
		}),
		syncQueue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "crossview_ticket_sync_queue",
			Help: "Tickets in a connection's sync queue, by state: waiting, leased (being synced), dead (dead letters).",
		}, []string{"connection", "state"}),
		syncCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_ticket_sync_api_calls_total",
			Help: "HTTP calls ticket sync made to Zendesk and Salesforce (divide by crossview_tickets_synced_total for calls per ticket).",
		}, []string{"system"}),
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_records_synced_total",
			Help: "Salesforce records data sync wrote to Zendesk, by object (Account, Contact, Lead) and outcome: created, updated, unchanged, skipped, failed.",
		}, []string{"object", "outcome"}),
		recordLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "crossview_data_sync_lag_seconds",
			Help:    "From a record's change in Salesforce (SystemModstamp) to its write in Zendesk, per changed record written.",
			Buckets: []float64{1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 300, 900, 3600},
		}, []string{"object"}),
		dsCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossview_data_sync_api_calls_total",
			Help: "HTTP calls data sync made to Salesforce and Zendesk (divide by crossview_records_synced_total for calls per record).",
		}, []string{"system"}),
	}
	m.reg.MustRegister(m.requests, m.upstream, m.upstreamD, m.cache, m.apiUsed, m.apiLimit, m.apiRemain, m.panelParts,
		m.synced, m.syncLag, m.syncQueue, m.syncCalls, m.records, m.recordLag, m.dsCalls,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request records one served HTTP request.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// UpstreamCall records one call to an outside system.
func (m *Metrics) UpstreamCall(system, org, outcome string, d time.Duration) {
	m.upstream.WithLabelValues(system, org, outcome).Inc()
	m.upstreamD.WithLabelValues(system).Observe(d.Seconds())
}

// APIUsage records a Salesforce org's API consumption.
func (m *Metrics) APIUsage(org string, used, limit int) {
	m.apiUsed.WithLabelValues(org).Set(float64(used))
	m.apiLimit.WithLabelValues(org).Set(float64(limit))
	m.apiRemain.WithLabelValues("salesforce", org).Set(float64(limit - used))
}

// RateLimitRemaining records a Zendesk account's remaining per-minute calls.
func (m *Metrics) RateLimitRemaining(system, org string, remaining int) {
	m.apiRemain.WithLabelValues(system, org).Set(float64(remaining))
}

// CacheResult returns a callback that counts lookups of one named cache.
func (m *Metrics) CacheResult(cache string) func(result string) {
	return func(result string) { m.cache.WithLabelValues(cache, result).Inc() }
}

// PanelSection counts a rendered panel section.
func (m *Metrics) PanelSection(panel, outcome string) {
	m.panelParts.WithLabelValues(panel, outcome).Inc()
}

// TicketSynced counts one ticket's sync by outcome and, for a sync that
// wrote the Case, observes its lag.
func (m *Metrics) TicketSynced(outcome string, lag time.Duration) {
	m.synced.WithLabelValues(outcome).Inc()
	if outcome == "created" || outcome == "updated" {
		m.syncLag.Observe(lag.Seconds())
	}
}

// RecordSynced counts one record data sync handled, by object and
// outcome, and observes the lag of a changed record it wrote (lag 0: not
// a change, a backfill or a replay, whose age says nothing of the sync).
func (m *Metrics) RecordSynced(object, outcome string, lag time.Duration) {
	m.records.WithLabelValues(object, outcome).Inc()
	if lag > 0 && (outcome == "created" || outcome == "updated" || outcome == "unchanged") {
		m.recordLag.WithLabelValues(object).Observe(lag.Seconds())
	}
}

// SyncQueue sets one connection's ticket-sync queue gauges.
func (m *Metrics) SyncQueue(conn string, waiting, leased, dead int) {
	m.syncQueue.WithLabelValues(conn, "waiting").Set(float64(waiting))
	m.syncQueue.WithLabelValues(conn, "leased").Set(float64(leased))
	m.syncQueue.WithLabelValues(conn, "dead").Set(float64(dead))
}
