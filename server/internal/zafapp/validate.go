package zafapp

import (
	"fmt"
	"io/fs"
	"slices"
)

// manifestFile is where a ZAF app's manifest lives, at the package root.
const manifestFile = "manifest.json"

// app is one app package being validated.
type app struct {
	fsys  fs.FS
	files []string // what zcli would zip, see packageFiles
	r     *report
}

func (a *app) has(name string) bool { return slices.Contains(a.files, name) }

// Validate checks the app package rooted at fsys (the directory holding
// manifest.json) against Zendesk's validation rules and returns every
// problem found: errors first, then warnings, each in the order found. The error is non-nil only when the files cannot be read; an app
// that is merely invalid yields problems and a nil error.
func Validate(fsys fs.FS) ([]Problem, error) {
	files, err := packageFiles(fsys)
	if err != nil {
		return nil, err
	}
	a := &app{fsys: fsys, files: files, r: &report{}}

	m, err := a.readManifest()
	if err != nil {
		return nil, err
	}
	if m != nil {
		a.checkManifest(m)
		a.checkLocations(m)
		params := a.checkParameters(m)
		a.checkOAuth(m, params)
		a.checkSecureSettings(params)
		if err := a.checkTranslations(m, params); err != nil {
			return nil, err
		}
	}
	if err := a.checkMime(); err != nil {
		return nil, err
	}
	if err := a.checkLogos(m); err != nil {
		return nil, err
	}

	// Stable: errors first, each group in the order found.
	problems := a.r.problems
	slices.SortStableFunc(problems, func(x, y Problem) int {
		return severityRank(x.Severity) - severityRank(y.Severity)
	})
	return problems, nil
}

func severityRank(s string) int {
	if s == SeverityError {
		return 0
	}
	return 1
}

// readManifest returns the parsed manifest, or nil after reporting why
// there is none to check.
func (a *app) readManifest() (map[string]any, error) {
	if !a.has(manifestFile) {
		a.r.errorf(manifestFile, "the package has no manifest.json at its root")
		return nil, nil
	}
	data, err := fs.ReadFile(a.fsys, manifestFile)
	if err != nil {
		return nil, fmt.Errorf("zafapp: reading %s: %w", manifestFile, err)
	}
	v, err := parseJSON(data)
	if err != nil {
		a.r.errorf(manifestFile, "not valid JSON: %v", err)
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(manifestFile, "must hold a JSON object, not %s", jsonType(v))
		return nil, nil
	}
	return m, nil
}
