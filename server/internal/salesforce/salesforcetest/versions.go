package salesforcetest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The API versions the emulator knows. 20.0 is Winter '11, the base of the
// release arithmetic; versions 7.0 to 30.0 are retired (7.0–20.0 in Summer
// '22, 21.0–30.0 in Summer '25), so 31.0 (Summer '14) is the oldest served
// and 68.0 (Winter '27) the newest.
const (
	seasonBase       = 20
	oldestAPIVersion = 7
	minAPIVersion    = 31
	maxAPIVersion    = 68
)

// apiVersion is a major REST API version, e.g. 66 for v66.0.
type apiVersion int

// versionState says what Salesforce does with a version in a URL.
type versionState int

const (
	versionUnknown versionState = iota // never existed or not yet released: 404
	versionRetired                     // retired: 410 GONE
	versionServed
)

// parseAPIVersion reads "v66.0".
func parseAPIVersion(seg string) (apiVersion, versionState) {
	num, ok := strings.CutPrefix(seg, "v")
	if !ok {
		return 0, versionUnknown
	}
	major, ok := strings.CutSuffix(num, ".0")
	if !ok || major == "" || major[0] == '0' {
		return 0, versionUnknown
	}
	n, err := strconv.Atoi(major)
	switch {
	case err != nil || n < oldestAPIVersion || n > maxAPIVersion:
		return 0, versionUnknown
	case n < minAPIVersion:
		return apiVersion(n), versionRetired
	}
	return apiVersion(n), versionServed
}

// versionError is the answer for a version segment that is not served:
// 404 for one that never existed, 410 GONE for a retired one, as the API
// End-of-Life Policy documents. The policy names only the status; the
// body follows the REST error shape.
func versionError(seg string) *apiError {
	v, state := parseAPIVersion(seg)
	if state == versionRetired {
		return newAPIError(http.StatusGone, "UNSUPPORTED_API_VERSION",
			"API version %s has been retired and is no longer available. Use version %d.0 or later.", v, minAPIVersion)
	}
	return errNotFound()
}

// String is the version number, e.g. "66.0".
func (v apiVersion) String() string { return fmt.Sprintf("%d.0", int(v)) }

// dataPath is "/services/data/vNN.0".
func (v apiVersion) dataPath() string { return "/services/data/v" + v.String() }

// season names the release: three a year, 20.0 being Winter '11.
func (v apiVersion) season() (name string, year int) {
	i := int(v) - seasonBase
	return [...]string{"Winter", "Spring", "Summer"}[i%3], 11 + i/3
}

// label is the versions-list label, e.g. "Winter '26".
func (v apiVersion) label() string {
	name, year := v.season()
	return fmt.Sprintf("%s '%02d", name, year)
}

// versionsList is the body of GET /services/data/: the served versions.
func versionsList() []object {
	var out []object
	for v := apiVersion(minAPIVersion); v <= maxAPIVersion; v++ {
		out = append(out, object{{"label", v.label()}, {"url", v.dataPath()}, {"version", v.String()}})
	}
	return out
}
