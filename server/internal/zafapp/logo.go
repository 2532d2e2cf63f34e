package zafapp

import (
	"bytes"
	"fmt"
	"image/png"
	"io/fs"
)

// logo is one icon Zendesk shows for the app, with its required size.
type logo struct {
	file string
	size int
}

// logos are the icons of a Zendesk app: the large one on the app's
// details page, the small one in the sidebar header and app lists.
func logos() []logo {
	return []logo{{"assets/logo.png", 320}, {"assets/logo-small.png", 128}}
}

// checkLogos requires each logo to be a PNG of the exact size. A missing
// logo blocks a public app; a private one falls back to Zendesk's default
// icon, so there it is only a warning.
func (a *app) checkLogos(m map[string]any) error {
	private := m == nil || m["private"] == nil || isTrue(m["private"])
	for _, l := range logos() {
		if !a.has(l.file) {
			if private {
				a.r.warnf(l.file, "missing; Zendesk will show a default icon (a %d×%d PNG is expected)", l.size, l.size)
			} else {
				a.r.errorf(l.file, "missing; a public app needs a %d×%d PNG", l.size, l.size)
			}
			continue
		}
		data, err := fs.ReadFile(a.fsys, l.file)
		if err != nil {
			return fmt.Errorf("zafapp: reading %s: %w", l.file, err)
		}
		// Decode it whole: a truncated file has a valid header but
		// shows as a broken image.
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			a.r.errorf(l.file, "not a valid PNG image: %v", err)
			continue
		}
		if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != l.size || h != l.size {
			a.r.errorf(l.file, "is %d×%d pixels; it must be %d×%d", w, h, l.size, l.size)
		}
	}
	return nil
}
