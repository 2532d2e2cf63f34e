package salesforcetest

import (
	"fmt"
	"strconv"
	"strings"
)

// The API versions the emulator serves: Winter '11 (20.0) to Winter '27
// (68.0).
const (
	minAPIVersion = 20
	maxAPIVersion = 68
)

// apiVersion is a major REST API version, e.g. 66 for v66.0.
type apiVersion int

// parseAPIVersion reads "v66.0".
func parseAPIVersion(seg string) (apiVersion, bool) {
	num, ok := strings.CutPrefix(seg, "v")
	if !ok {
		return 0, false
	}
	major, ok := strings.CutSuffix(num, ".0")
	if !ok || major == "" || major[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(major)
	if err != nil || n < minAPIVersion || n > maxAPIVersion {
		return 0, false
	}
	return apiVersion(n), true
}

// String is the version number, e.g. "66.0".
func (v apiVersion) String() string { return fmt.Sprintf("%d.0", int(v)) }

// dataPath is "/services/data/vNN.0".
func (v apiVersion) dataPath() string { return "/services/data/v" + v.String() }

// season names the release: three a year, 20.0 being Winter '11.
func (v apiVersion) season() (name string, year int) {
	i := int(v) - minAPIVersion
	return [...]string{"Winter", "Spring", "Summer"}[i%3], 11 + i/3
}

// label is the versions-list label, e.g. "Winter '26".
func (v apiVersion) label() string {
	name, year := v.season()
	return fmt.Sprintf("%s '%02d", name, year)
}

// versionsList is the body of GET /services/data/.
func versionsList() []object {
	var out []object
	for v := apiVersion(minAPIVersion); v <= maxAPIVersion; v++ {
		out = append(out, object{{"label", v.label()}, {"url", v.dataPath()}, {"version", v.String()}})
	}
	return out
}
