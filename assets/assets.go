// Package assets embeds Crossview's CSS, JavaScript and images. The ZAF SDK
// is not here: it is built from npm into dist/ at build or test time (see
// server/internal/zafsdk) and never committed.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed css js
var files embed.FS

// FS returns the embedded static files (css/..., js/...).
func FS() fs.FS { return files }
