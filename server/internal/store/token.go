package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
)

// PutToken seals and stores a connection's OAuth grant, replacing any
// previous one (a refresh that rotates the refresh token saves it here).
func (s *Store) PutToken(ctx context.Context, connectionID string, t crossview.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.Connection(ctx, connectionID)
	if err != nil {
		return err
	}
	sealed, err := s.seal(t, tokenAD(c.ID))
	if err != nil {
		return fmt.Errorf("store: sealing the token of connection %s: %w", c.ID, err)
	}
	raw, err := json.Marshal(sealed)
	if err != nil {
		return fmt.Errorf("store: encoding the token of connection %s: %w", c.ID, err)
	}
	if err := s.b.Put(ctx, c.Tenant, tableTokens, c.ID, raw); err != nil {
		return fmt.Errorf("store: putting the token of connection %s: %w", c.ID, err)
	}
	return nil
}

// Token returns a connection's OAuth grant, opened.
func (s *Store) Token(ctx context.Context, connectionID string) (crossview.Token, error) {
	c, err := s.Connection(ctx, connectionID)
	if err != nil {
		return crossview.Token{}, err
	}
	raw, err := s.b.Get(ctx, c.Tenant, tableTokens, c.ID)
	if errors.Is(err, crossview.ErrNotFound) {
		return crossview.Token{}, notFound("token for connection", c.ID)
	}
	if err != nil {
		return crossview.Token{}, fmt.Errorf("store: reading the token of connection %s: %w", c.ID, err)
	}
	var sealed secret.Sealed
	if err := json.Unmarshal(raw, &sealed); err != nil {
		return crossview.Token{}, fmt.Errorf("store: decoding the token of connection %s: %w", c.ID, err)
	}
	var t crossview.Token
	if err := s.open(sealed, tokenAD(c.ID), &t); err != nil {
		return crossview.Token{}, fmt.Errorf("store: opening the token of connection %s: %w", c.ID, err)
	}
	return t, nil
}

// DeleteToken removes a connection's OAuth grant. Deleting a token that is
// already gone is not an error, so a disconnect can be retried; an unknown
// connection is.
func (s *Store) DeleteToken(ctx context.Context, connectionID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.Connection(ctx, connectionID)
	if err != nil {
		return err
	}
	if err := s.b.Delete(ctx, c.Tenant, tableTokens, c.ID); err != nil {
		return fmt.Errorf("store: deleting the token of connection %s: %w", c.ID, err)
	}
	return nil
}
