// Package assets embeds Crossview's CSS, JavaScript and images, and the npm
// files that build the ZAF SDK. The SDK itself is not here: it is built
// from npm at build, test or sandbox time (see server/internal/zafsdk) and
// never committed.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed css js
var files embed.FS

// The npm project that bundles the ZAF SDK, kept apart from files so that
// it is never served.
//
//go:embed package.json package-lock.json
var npmProject embed.FS

// FS returns the embedded static files (css/..., js/...).
func FS() fs.FS { return files }

// NPMProject returns package.json and package-lock.json, from which a
// built binary can bundle the ZAF SDK wherever it runs.
func NPMProject() fs.FS { return npmProject }
