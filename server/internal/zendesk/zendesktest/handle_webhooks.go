package zendesktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Webhooks API answers errors in its own shape,
// {"errors":[{"code","title","detail","source"}]}: 400 for invalid input,
// 404 for an unknown webhook.

func errWebhookInput(field, detail string) *errorList {
	return &errorList{status: http.StatusBadRequest, Errors: []listedError{{Code: "InvalidInput", Title: "Invalid input",
		Detail: detail, Source: map[string]string{"pointer": "/webhook/" + field}}}}
}

func errWebhookNotFound(id string) *errorList {
	return &errorList{status: http.StatusNotFound, Errors: []listedError{{Code: "NotFound", Title: "Not Found",
		Detail: "Webhook " + id + " not found"}}}
}

// webhookJSON renders a webhook; authentication data stays hidden.
func webhookJSON(w Webhook) map[string]any {
	m := map[string]any{"id": w.ID, "name": w.Name, "status": w.Status, "subscriptions": nonNil(w.Subscriptions),
		"endpoint": w.Endpoint, "http_method": w.HTTPMethod, "request_format": w.RequestFormat,
		"created_at": stamp(w.CreatedAt), "created_by": actorID(w.CreatedBy),
		"updated_at": stamp(w.UpdatedAt), "updated_by": actorID(w.UpdatedBy)}
	if w.Description != "" {
		m["description"] = w.Description
	}
	if w.Authentication != nil {
		m["authentication"] = map[string]any{"type": w.Authentication.Type, "add_position": w.Authentication.AddPosition}
	}
	return m
}

// readWebhook applies a request body to w. full (POST, PUT) requires
// every mandatory field; a PATCH changes only what it names.
func readWebhook(c *call, w Webhook, full bool) (Webhook, error) {
	f, err := readObject(c, "webhook")
	if err != nil {
		return w, err
	}
	for _, name := range []string{"name", "endpoint", "http_method", "request_format", "status"} {
		if full && (!f.has(name) || f.isNull(name)) {
			return w, errWebhookInput(name, name+" is required")
		}
	}
	str := func(name string, dst *string, ok func(string) bool) error {
		if !f.has(name) {
			return nil
		}
		var s string
		if json.Unmarshal(f.raw[name], &s) != nil || !ok(s) {
			return errWebhookInput(name, name+" is invalid")
		}
		*dst = s
		return nil
	}
	oneOf := func(vals ...string) func(string) bool {
		return func(s string) bool { return slices.Contains(vals, s) }
	}
	for _, err := range []error{
		str("name", &w.Name, func(s string) bool { return strings.TrimSpace(s) != "" && len(s) <= 255 }),
		str("endpoint", &w.Endpoint, validEndpoint),
		str("http_method", &w.HTTPMethod, oneOf("GET", "POST", "PUT", "PATCH", "DELETE")),
		str("request_format", &w.RequestFormat, oneOf("json", "xml", "form_encoded")),
		str("status", &w.Status, oneOf("active", "inactive")),
		str("description", &w.Description, func(string) bool { return true }),
	} {
		if err != nil {
			return w, err
		}
	}
	if f.has("subscriptions") {
		var subs []string
		if json.Unmarshal(f.raw["subscriptions"], &subs) != nil {
			return w, errWebhookInput("subscriptions", "subscriptions is invalid")
		}
		w.Subscriptions = subs
	}
	if f.has("authentication") {
		auth, err := readWebhookAuth(f.raw["authentication"])
		if err != nil {
			return w, err
		}
		w.Authentication = auth
	}
	return w, checkSubscriptions(w)
}

func validEndpoint(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2048
}

// checkSubscriptions enforces the connection rules: event types need POST
// and JSON, and cannot be mixed with conditional_ticket_events.
func checkSubscriptions(w Webhook) error {
	events := 0
	for _, s := range w.Subscriptions {
		switch {
		case s == conditionalTicketEvents:
		case strings.HasPrefix(s, "zen:event-type:") && len(s) > len("zen:event-type:"):
			events++
		default:
			return errWebhookInput("subscriptions", "subscriptions: "+strconv.Quote(s)+" is not a valid subscription")
		}
	}
	if events > 0 && events < len(w.Subscriptions) {
		return errWebhookInput("subscriptions", "subscriptions: conditional_ticket_events cannot be combined with Zendesk events")
	}
	if events > 0 && (w.HTTPMethod != http.MethodPost || w.RequestFormat != "json") {
		return errWebhookInput("subscriptions", "A webhook subscribed to Zendesk events must use POST and json")
	}
	return nil
}

func readWebhookAuth(raw json.RawMessage) (*WebhookAuth, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	var a struct {
		Type        string            `json:"type"`
		AddPosition string            `json:"add_position"`
		Data        map[string]string `json:"data"`
	}
	if json.Unmarshal(raw, &a) != nil || a.AddPosition != "header" {
		return nil, errWebhookInput("authentication", "authentication is invalid")
	}
	need := map[string][]string{"basic_auth": {"username", "password"}, "bearer_token": {"token"}, "api_key": {"name", "value"}}[a.Type]
	if need == nil {
		return nil, errWebhookInput("authentication", "authentication type "+strconv.Quote(a.Type)+" is not supported")
	}
	for _, k := range need {
		if a.Data[k] == "" {
			return nil, errWebhookInput("authentication", "authentication data "+k+" is required")
		}
	}
	return &WebhookAuth{Type: a.Type, AddPosition: a.AddPosition, Data: a.Data}, nil
}

// handleCreateWebhook serves POST /api/v2/webhooks: 201 with the webhook.
func handleCreateWebhook(c *call) error {
	w, err := readWebhook(c, Webhook{}, true)
	if err != nil {
		return err
	}
	w.CreatedBy, w.UpdatedBy = c.who.user.ID, c.who.user.ID
	a := c.a
	a.mu.Lock()
	wh := a.startWebhook(w, false)
	a.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, map[string]any{"webhook": webhookJSON(wh.snapshot())})
	return nil
}

// handleShowWebhook serves GET /api/v2/webhooks/{webhook_id}.
func handleShowWebhook(c *call) error {
	wh, err := c.webhook()
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"webhook": webhookJSON(wh.snapshot())})
	return nil
}

// handleUpdateWebhook serves PUT (full) and PATCH (partial)
// /api/v2/webhooks/{webhook_id}: 204. The connection method (events or
// triggers) cannot change.
func handleUpdateWebhook(c *call) error {
	wh, err := c.webhook()
	if err != nil {
		return err
	}
	cur := wh.snapshot()
	next, err := readWebhook(c, cur, c.r.Method == http.MethodPut)
	if err != nil {
		return err
	}
	if (eventSubscribed(cur) != eventSubscribed(next)) && len(cur.Subscriptions) > 0 {
		return errWebhookInput("subscriptions", "The connection method of a webhook cannot be changed")
	}
	next.UpdatedBy, next.UpdatedAt = c.who.user.ID, c.a.now().Truncate(time.Second)
	wh.mu.Lock()
	wh.spec = next
	wh.mu.Unlock()
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func eventSubscribed(w Webhook) bool {
	return slices.ContainsFunc(w.Subscriptions, func(s string) bool { return strings.HasPrefix(s, "zen:event-type:") })
}

// handleDeleteWebhook serves DELETE /api/v2/webhooks/{webhook_id}: 204.
func handleDeleteWebhook(c *call) error {
	a := c.a
	a.mu.Lock()
	wh := a.webhookByID(c.params["webhook_id"])
	if wh == nil {
		a.mu.Unlock()
		return errWebhookNotFound(c.params["webhook_id"])
	}
	a.deleteWebhook(wh)
	a.mu.Unlock()
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleWebhookSecret serves GET (show) and POST (reset)
// /api/v2/webhooks/{webhook_id}/signing_secret.
func handleWebhookSecret(c *call) error {
	wh, err := c.webhook()
	if err != nil {
		return err
	}
	status := http.StatusOK
	wh.mu.Lock()
	if c.r.Method == http.MethodPost {
		wh.spec.Secret = newSigningSecret()
		status = http.StatusCreated
	}
	secret := wh.spec.Secret
	wh.mu.Unlock()
	writeJSON(c.w, status, map[string]any{"signing_secret": map[string]any{"algorithm": "SHA256", "secret": secret}})
	return nil
}

// handleListWebhooks serves GET /api/v2/webhooks: cursor pagination
// (page[size] up to 100), filter[name_contains], filter[status], and
// sort=name|-name|status|-status (default: oldest first).
func handleListWebhooks(c *call) error {
	q := c.r.URL.Query()
	nameHas, status := strings.ToLower(q.Get("filter[name_contains]")), q.Get("filter[status]")
	if status != "" && status != "active" && status != "inactive" {
		return errBadRequest("InvalidValue", "filter[status] must be active or inactive")
	}
	var key func(Webhook) string
	desc := strings.HasPrefix(q.Get("sort"), "-")
	switch strings.TrimPrefix(q.Get("sort"), "-") {
	case "":
		key = func(w Webhook) string { return w.ID }
	case "name":
		key = func(w Webhook) string { return strings.ToLower(w.Name) + "\x00" + w.ID }
	case "status":
		key = func(w Webhook) string { return w.Status + "\x00" + w.ID }
	default:
		return errPagination("sort is not valid")
	}
	var all []Webhook
	for _, w := range c.a.Webhooks() {
		if strings.Contains(strings.ToLower(w.Name), nameHas) && (status == "" || w.Status == status) {
			all = append(all, w)
		}
	}
	slices.SortFunc(all, func(x, y Webhook) int {
		if desc {
			return strings.Compare(key(y), key(x))
		}
		return strings.Compare(key(x), key(y))
	})
	body, page, err := keyPage(c, "webhooks:"+q.Get("sort"), all, key, desc, 100)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(page))
	for i, w := range page {
		out[i] = webhookJSON(w)
	}
	body["webhooks"] = out
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

// webhook finds the webhook the path names.
func (c *call) webhook() (*webhook, error) {
	c.a.mu.Lock()
	defer c.a.mu.Unlock()
	wh := c.a.webhookByID(c.params["webhook_id"])
	if wh == nil {
		return nil, errWebhookNotFound(c.params["webhook_id"])
	}
	return wh, nil
}
