package salesforcetest

import (
	"io"
	"net/http"
)

// maxURIAndHeaders is Salesforce's limit on a REST request's URI and
// headers together (help article 000386264): over it a request gets 431
// Request Header Fields Too Large, and a URI over it on its own 414 URI
// Too Long. Both come from the web tier before the API, so they are not
// charged and their bodies are pages, not Salesforce's JSON errors.
const maxURIAndHeaders = 16384

// refuseOversized answers a request over the limit and reports whether it
// did.
func refuseOversized(w http.ResponseWriter, r *http.Request) bool {
	size := len(r.RequestURI)
	status := http.StatusRequestURITooLong
	if size <= maxURIAndHeaders {
		for k, vs := range r.Header {
			for _, v := range vs {
				size += len(k) + len(v) + len(": \r\n")
			}
		}
		status = http.StatusRequestHeaderFieldsTooLarge
	}
	if size <= maxURIAndHeaders {
		return false
	}
	text := http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<html><head><title>"+text+"</title></head><body><h1>"+text+"</h1></body></html>\n")
	return true
}
