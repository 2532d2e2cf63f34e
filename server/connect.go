package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
)

// connect turns a Salesforce refresh token into a stored connection for a
// tenant. Reconnecting an org the tenant had before restores its settings,
// but the sync features stay off until an admin turns them on again.
func connect(ctx context.Context, a *app, tenant string, env crossview.Environment, refreshToken, by string) (crossview.Connection, error) {
	tok, id, err := a.sf.Connect(ctx, env, refreshToken)
	if err != nil {
		return crossview.Connection{}, fmt.Errorf("connecting to Salesforce: %w", err)
	}
	if !crossview.ValidOrgID(id.OrgID) {
		return crossview.Connection{}, fmt.Errorf("salesforce identity has no valid organization id (%q)", id.OrgID)
	}
	now := a.now()
	conn, err := a.store.ConnectionByOrg(ctx, tenant, id.OrgID)
	switch {
	case errors.Is(err, crossview.ErrNotFound):
		conn = crossview.NewConnection(tenant, env, id.OrgID, tok.InstanceURL, now)
	case err != nil:
		return crossview.Connection{}, err
	default:
		conn.Status, conn.Environment, conn.InstanceURL, conn.ConnectedAt = crossview.StatusActive, env, tok.InstanceURL, now
		for _, f := range []crossview.Feature{crossview.FeatureAccountSync, crossview.FeatureContactSync, crossview.FeatureTicketSync} {
			conn.Features[f] = false
		}
	}
	conn.UserID, conn.Username, conn.ConnectedBy, conn.UpdatedAt = id.UserID, id.Username, by, now
	if err := a.store.PutConnection(ctx, conn); err != nil {
		return crossview.Connection{}, err
	}
	if err := a.store.PutToken(ctx, conn.ID, tok); err != nil {
		return crossview.Connection{}, err
	}
	a.sf.Forget(conn.ID)
	if name, err := a.sf.OrganizationName(ctx, conn); err == nil && name != "" {
		conn.OrgName = name
	} else if err != nil {
		a.logger.Warn("reading the org's name", "connection", conn.ID, "err", err)
	}
	if conn.Name == "" {
		conn.Name = conn.OrgName
	}
	if conn.Name == "" {
		conn.Name = conn.OrgID
	}
	if err := a.store.PutConnection(ctx, conn); err != nil {
		return crossview.Connection{}, err
	}
	return conn, nil
}

// disconnect revokes the grant at Salesforce and stops every feature; the
// settings stay, keyed by org, for a later reconnect.
func disconnect(ctx context.Context, a *app, c crossview.Connection) error {
	tok, err := a.store.Token(ctx, c.ID)
	if err == nil && tok.RefreshToken != "" {
		if err := a.sf.Revoke(ctx, c.Environment, tok.RefreshToken); err != nil {
			// A token Salesforce already forgot is as good as revoked.
			a.logger.Warn("revoking Salesforce token", "connection", c.ID, "err", err)
		}
	}
	if err := a.store.DeleteToken(ctx, c.ID); err != nil && !errors.Is(err, crossview.ErrNotFound) {
		return err
	}
	c.Status, c.UpdatedAt = crossview.StatusDisconnected, a.now()
	if err := a.store.PutConnection(ctx, c); err != nil {
		return err
	}
	a.sf.Forget(c.ID)
	return nil
}
