package zendesk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// The Webhooks and Triggers API calls ticket sync's provisioning makes.
// Both APIs are for admins.

// maxRulePages bounds listing triggers or webhooks: 100 pages of 100.
const maxRulePages = 100

// webhookWire is a webhook as the Webhooks API shows and takes it.
type webhookWire struct {
	ID            string   `json:"id,omitempty"`
	Name          string   `json:"name"`
	Status        string   `json:"status"`
	Endpoint      string   `json:"endpoint"`
	HTTPMethod    string   `json:"http_method"`
	RequestFormat string   `json:"request_format"`
	Subscriptions []string `json:"subscriptions"`
	Description   string   `json:"description,omitempty"`
}

// triggerWire is a ticket trigger as the Triggers API shows and takes it.
type triggerWire struct {
	ID          int64             `json:"id,omitempty"`
	Title       string            `json:"title"`
	Active      bool              `json:"active"`
	Description string            `json:"description,omitempty"`
	Conditions  triggerConditions `json:"conditions"`
	Actions     []triggerAction   `json:"actions"`
}

type triggerConditions struct {
	All []conditionWire `json:"all"`
	Any []conditionWire `json:"any"`
}

// conditionWire's Value is a string, a number or null as Zendesk has it.
type conditionWire struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    any    `json:"value"`
}

// triggerAction's Value is, for notification_webhook, [webhook id, body].
type triggerAction struct {
	Field string `json:"field"`
	Value any    `json:"value"`
}

func (c *Client) createWebhook(ctx context.Context, sub string, cred Credentials, w webhookWire) (webhookWire, error) {
	var r struct {
		Webhook webhookWire `json:"webhook"`
	}
	err := c.do(ctx, sub, &cred, http.MethodPost, "/api/v2/webhooks", map[string]any{"webhook": w}, &r)
	return r.Webhook, err
}

func (c *Client) webhook(ctx context.Context, sub string, cred Credentials, id string) (webhookWire, error) {
	var r struct {
		Webhook webhookWire `json:"webhook"`
	}
	err := c.get(ctx, sub, &cred, "/api/v2/webhooks/"+url.PathEscape(id), &r)
	return r.Webhook, err
}

// updateWebhook replaces a webhook's settings (PUT answers 204); its id
// and signing secret stay.
func (c *Client) updateWebhook(ctx context.Context, sub string, cred Credentials, id string, w webhookWire) error {
	w.ID = ""
	return c.do(ctx, sub, &cred, http.MethodPut, "/api/v2/webhooks/"+url.PathEscape(id), map[string]any{"webhook": w}, nil)
}

func (c *Client) deleteWebhook(ctx context.Context, sub string, cred Credentials, id string) error {
	return c.do(ctx, sub, &cred, http.MethodDelete, "/api/v2/webhooks/"+url.PathEscape(id), nil, nil)
}

// webhookSecret reads the secret that signs a webhook's requests.
func (c *Client) webhookSecret(ctx context.Context, sub string, cred Credentials, id string) (string, error) {
	var r struct {
		SigningSecret struct {
			Secret string `json:"secret"`
		} `json:"signing_secret"`
	}
	if err := c.get(ctx, sub, &cred, "/api/v2/webhooks/"+url.PathEscape(id)+"/signing_secret", &r); err != nil {
		return "", err
	}
	if r.SigningSecret.Secret == "" {
		return "", fmt.Errorf("zendesk: webhook %s has no signing secret", id)
	}
	return r.SigningSecret.Secret, nil
}

// webhooksNamed lists the webhooks whose name contains name (cursor
// pagination).
func (c *Client) webhooksNamed(ctx context.Context, sub string, cred Credentials, name string) ([]webhookWire, error) {
	q := url.Values{"filter[name_contains]": {name}, "page[size]": {"100"}}
	next := "/api/v2/webhooks?" + q.Encode()
	var out []webhookWire
	for page := 1; ; page++ {
		if page > maxRulePages {
			return nil, &PaginationError{Reason: fmt.Sprintf("webhooks do not end after %d pages", maxRulePages)}
		}
		var r struct {
			Webhooks []webhookWire `json:"webhooks"`
			Meta     struct {
				HasMore bool `json:"has_more"`
			} `json:"meta"`
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		}
		if err := c.get(ctx, sub, &cred, next, &r); err != nil {
			return nil, err
		}
		out = append(out, r.Webhooks...)
		if !r.Meta.HasMore {
			return out, nil
		}
		n, err := c.nextPath(sub, r.Links.Next)
		if err != nil {
			return nil, err
		}
		next = n
	}
}

func (c *Client) createTrigger(ctx context.Context, sub string, cred Credentials, t triggerWire) (triggerWire, error) {
	var r struct {
		Trigger triggerWire `json:"trigger"`
	}
	err := c.do(ctx, sub, &cred, http.MethodPost, "/api/v2/triggers.json", map[string]any{"trigger": t}, &r)
	return r.Trigger, err
}

func (c *Client) trigger(ctx context.Context, sub string, cred Credentials, id int64) (triggerWire, error) {
	var r struct {
		Trigger triggerWire `json:"trigger"`
	}
	err := c.get(ctx, sub, &cred, fmt.Sprintf("/api/v2/triggers/%d.json", id), &r)
	return r.Trigger, err
}

// updateTrigger sends title, active, conditions and actions together:
// Zendesk replaces both lists when either changes.
func (c *Client) updateTrigger(ctx context.Context, sub string, cred Credentials, id int64, t triggerWire) error {
	t.ID = 0
	return c.do(ctx, sub, &cred, http.MethodPut, fmt.Sprintf("/api/v2/triggers/%d.json", id), map[string]any{"trigger": t}, nil)
}

func (c *Client) deleteTrigger(ctx context.Context, sub string, cred Credentials, id int64) error {
	return c.do(ctx, sub, &cred, http.MethodDelete, fmt.Sprintf("/api/v2/triggers/%d.json", id), nil, nil)
}

// triggers lists every ticket trigger (offset pagination, 100 a page).
func (c *Client) triggers(ctx context.Context, sub string, cred Credentials) ([]triggerWire, error) {
	next := "/api/v2/triggers.json?per_page=100"
	var out []triggerWire
	for page := 1; ; page++ {
		if page > maxRulePages {
			return nil, &PaginationError{Reason: fmt.Sprintf("triggers do not end after %d pages", maxRulePages)}
		}
		var r struct {
			Triggers []triggerWire `json:"triggers"`
			NextPage *string       `json:"next_page"`
		}
		if err := c.get(ctx, sub, &cred, next, &r); err != nil {
			return nil, err
		}
		out = append(out, r.Triggers...)
		if r.NextPage == nil || *r.NextPage == "" {
			return out, nil
		}
		n, err := c.nextPath(sub, *r.NextPage)
		if err != nil {
			return nil, err
		}
		next = n
	}
}
