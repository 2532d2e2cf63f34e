// Package crossview holds the shared vocabulary of the service: tenants,
// connections, features, the signed-in principal and the error codes every
// other package speaks. It imports only the standard library.
package crossview
