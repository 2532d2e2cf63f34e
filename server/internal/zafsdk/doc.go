// Package zafsdk builds the Zendesk Apps Framework (ZAF) SDK that the
// sidebar page loads, from its npm package, so that tests and the sandbox
// run the real SDK without reaching Zendesk's CDN.
//
// The SDK is never committed: assets/package.json pins
// zendesk_app_framework_sdk and esbuild, and its "build:zaf" script bundles
// the SDK's CommonJS source into one browser script, dist/zaf_sdk.min.js,
// that defines the global ZAFClient. Ensure runs that build in a checkout's
// assets/ when the bundle is missing or older than the npm inputs;
// EnsureCached runs it from the npm files a binary embeds, in a user cache
// directory, so a built binary needs no checkout. Either builds once
// however many processes ask at the same time.
package zafsdk
