package zafapp

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// packageFiles lists the files that `zcli apps:package` would put in the
// zip, as slash-separated paths relative to the app root. Like zcli (which
// globs "**" without matching dot files), it leaves out dot files and
// everything in dot directories, everything under tmp/ (where zcli writes
// its zips), and the files .zcliignore's patterns match.
func packageFiles(fsys fs.FS) ([]string, error) {
	ignore, err := readIgnoreFile(fsys)
	if err != nil {
		return nil, err
	}
	var files []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		// Like zcli, ignore patterns apply to file paths only: "docs"
		// does not drop docs/manual.pdf, "docs/**" does.
		if d.Type().IsRegular() && !ignored(ignore, p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("zafapp: listing package files: %w", err)
	}
	return files, nil
}

// readIgnoreFile returns zcli's ignore patterns: tmp/** always, plus each
// non-blank, non-comment line of .zcliignore.
func readIgnoreFile(fsys fs.FS) ([]string, error) {
	patterns := []string{"tmp/**"}
	data, err := fs.ReadFile(fsys, ".zcliignore")
	if errors.Is(err, fs.ErrNotExist) {
		return patterns, nil
	}
	if err != nil {
		return nil, fmt.Errorf("zafapp: reading .zcliignore: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	return patterns, nil
}

func ignored(patterns []string, p string) bool {
	for _, pattern := range patterns {
		if globMatch(strings.Split(pattern, "/"), strings.Split(p, "/")) {
			return true
		}
	}
	return false
}

// globMatch matches path segments against pattern segments the way zcli's
// glob library does for the patterns an ignore file holds: "**" spans any
// number of segments (so "tmp/**" also covers the directory tmp itself),
// other segments use path.Match.
func globMatch(pattern, name []string) bool {
	if len(pattern) == 0 {
		return len(name) == 0
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if globMatch(pattern[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, err := path.Match(pattern[0], name[0])
	return err == nil && ok && globMatch(pattern[1:], name[1:])
}
