package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
)

// tenantRecord is a tenant at rest. crossview.Tenant keeps its secrets out
// of JSON; they travel sealed, as one value, in Secrets.
type tenantRecord struct {
	crossview.Tenant
	Secrets *secret.Sealed `json:"secrets,omitempty"`
}

type tenantSecrets struct {
	APIToken       string            `json:"api_token,omitempty"`
	OAuthToken     string            `json:"oauth_token,omitempty"`
	WebhookSecret  string            `json:"webhook_secret,omitempty"`
	SyncWebhookKey map[string]string `json:"sync_webhook_secrets,omitempty"`
}

func (s tenantSecrets) empty() bool {
	return s.APIToken == "" && s.OAuthToken == "" && s.WebhookSecret == "" && len(s.SyncWebhookKey) == 0
}

// PutTenant creates or replaces a tenant. CreatedAt is kept from the stored
// record (or set now) and UpdatedAt is set now.
func (s *Store) PutTenant(ctx context.Context, t crossview.Tenant) error {
	if err := validateTenant(t); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now().UTC()
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now
		old, err := s.tenantRecord(ctx, t.Subdomain)
		switch {
		case err == nil:
			t.CreatedAt = old.CreatedAt
		case !errors.Is(err, crossview.ErrNotFound):
			return fmt.Errorf("store: putting tenant %q: %w", t.Subdomain, err)
		}
	}
	t.UpdatedAt = now

	rec := tenantRecord{Tenant: t}
	if sec := (tenantSecrets{t.APIToken, t.OAuthToken, t.WebhookSecret, t.SyncWebhookSecrets}); !sec.empty() {
		sealed, err := s.seal(sec, tenantSecretsAD(t.Subdomain))
		if err != nil {
			return fmt.Errorf("store: sealing secrets of tenant %q: %w", t.Subdomain, err)
		}
		rec.Secrets = sealed
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("store: encoding tenant %q: %w", t.Subdomain, err)
	}
	if err := s.b.Put(ctx, globalPartition, tableTenants, t.Subdomain, raw); err != nil {
		return fmt.Errorf("store: putting tenant %q: %w", t.Subdomain, err)
	}
	return nil
}

// Tenant returns a tenant with its secrets opened.
func (s *Store) Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error) {
	rec, err := s.tenantRecord(ctx, subdomain)
	if err != nil {
		return crossview.Tenant{}, err
	}
	return s.openTenant(rec)
}

// Tenants lists every tenant, ordered by subdomain.
func (s *Store) Tenants(ctx context.Context) ([]crossview.Tenant, error) {
	raws, err := s.b.List(ctx, globalPartition, tableTenants)
	if err != nil {
		return nil, fmt.Errorf("store: listing tenants: %w", err)
	}
	out := make([]crossview.Tenant, 0, len(raws))
	for _, raw := range raws {
		var rec tenantRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("store: decoding a tenant: %w", err)
		}
		t, err := s.openTenant(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subdomain < out[j].Subdomain })
	return out, nil
}

// tenantRecord reads a tenant without opening its secrets.
func (s *Store) tenantRecord(ctx context.Context, subdomain string) (tenantRecord, error) {
	if !crossview.ValidSubdomain(subdomain) {
		return tenantRecord{}, notFound("tenant", subdomain)
	}
	raw, err := s.b.Get(ctx, globalPartition, tableTenants, subdomain)
	if errors.Is(err, crossview.ErrNotFound) {
		return tenantRecord{}, notFound("tenant", subdomain)
	}
	if err != nil {
		return tenantRecord{}, fmt.Errorf("store: reading tenant %q: %w", subdomain, err)
	}
	var rec tenantRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return tenantRecord{}, fmt.Errorf("store: decoding tenant %q: %w", subdomain, err)
	}
	return rec, nil
}

func (s *Store) openTenant(rec tenantRecord) (crossview.Tenant, error) {
	t := rec.Tenant
	if rec.Secrets == nil {
		return t, nil
	}
	var sec tenantSecrets
	if err := s.open(*rec.Secrets, tenantSecretsAD(t.Subdomain), &sec); err != nil {
		return crossview.Tenant{}, fmt.Errorf("store: opening secrets of tenant %q: %w", t.Subdomain, err)
	}
	t.APIToken, t.OAuthToken, t.WebhookSecret = sec.APIToken, sec.OAuthToken, sec.WebhookSecret
	t.SyncWebhookSecrets = sec.SyncWebhookKey
	return t, nil
}
