// Package zafsdk builds the Zendesk Apps Framework (ZAF) SDK that the
// sidebar page loads, from its npm package, so that tests and the sandbox
// run the real SDK without reaching Zendesk's CDN.
//
// The SDK is never committed: assets/package.json pins
// zendesk_app_framework_sdk and esbuild, and its "build:zaf" script bundles
// the SDK's CommonJS source into one browser script,
// assets/dist/zaf_sdk.min.js, that defines the global ZAFClient. Ensure runs
// that build when the bundle is missing or older than the npm inputs, once
// however many processes ask at the same time.
package zafsdk
