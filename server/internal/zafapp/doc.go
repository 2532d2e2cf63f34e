// Package zafapp validates a Zendesk Apps Framework (ZAF) v2 app package
// offline.
//
// Zendesk's own validator (the zendesk_apps_support gem) only runs on
// Zendesk's servers: `zcli apps:validate` uploads the zip and needs account
// credentials. This package re-implements its rules so that CI can refuse a
// broken manifest, translation file or logo before anyone uploads the app.
//
// The rules follow zendesk_apps_support (manifest, location, parameter,
// translation, secure-setting and mime checks) plus the Marketplace logo
// sizes. In a few places it is deliberately stricter than Zendesk, because a
// typo that Zendesk silently ignores would break Crossview at run time:
// unknown location options and parameter attributes are errors (a misspelt
// "signed" would drop the JWT), a location URL may only interpolate settings
// the manifest declares, and unknown top-level keys are warnings.
package zafapp
