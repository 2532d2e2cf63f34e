package zafapp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// blockedTypes are the file types Zendesk refuses inside an app package
// (zendesk_apps_support Mime validation), matched against both the file
// extension and the type sniffed from the content.
func blockedTypes() []string {
	return []string{"vnd.rar", "rar", "zip", "gzip", "pdf", "doc", "docx", "avi", "bin", "bz", "bz2",
		"csh", "sh", "jar", "mp3", "mpeg", "odt", "pptx", "ppt", "xls", "xlsx", "7z"}
}

// sniffBlocked names the blocked type a file's first bytes show, or "".
// Only unambiguous binary signatures are used, so that a renamed archive is
// caught without ever mistaking a text asset for one.
func sniffBlocked(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "zip" // also docx, xlsx, pptx, odt and jar, which are zips
	case bytes.HasPrefix(head, []byte("\x1f\x8b")):
		return "gzip"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")):
		return "rar"
	case bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")):
		return "7z"
	case len(head) >= 10 && bytes.HasPrefix(head, []byte("BZh")) && head[3] >= '1' && head[3] <= '9' &&
		bytes.Equal(head[4:10], []byte("1AY&SY")):
		return "bz2"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "doc" // the OLE container of doc, xls and ppt
	case bytes.HasPrefix(head, []byte("ID3")):
		return "mp3"
	}
	return ""
}

// checkMime refuses files of a blocked type.
func (a *app) checkMime() error {
	for _, file := range a.files {
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(file), "."))
		kind := ""
		if ext != "" && slices.Contains(blockedTypes(), ext) {
			kind = ext
		} else {
			head, err := a.readHead(file, 16)
			if err != nil {
				return err
			}
			kind = sniffBlocked(head)
		}
		if kind != "" {
			a.r.errorf(file, "%s files are not allowed in an app package", kind)
		}
	}
	return nil
}

// readHead returns up to n leading bytes of a package file.
func (a *app) readHead(file string, n int) ([]byte, error) {
	f, err := a.fsys.Open(file)
	if err != nil {
		return nil, fmt.Errorf("zafapp: opening %s: %w", file, err)
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, n)
	k, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("zafapp: reading %s: %w", file, err)
	}
	return head[:k], nil
}
