package crossview

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestID18(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"real user id, 15 chars", "005R0000000DgJA", "005R0000000DgJAIA0"},
		{"real org id, 15 chars", "00DR00000008bPC", "00DR00000008bPCMAY"},
		{"synthetic record id", "003xx000004TmiQ", "003xx000004TmiQAAS"},
		{"documentation account id", "001xx000003DGWi", "001xx000003DGWiAAO"},
		{"no upper-case letters", "005xx0000012345", "005xx0000012345AAA"},
		{"every character upper case", "ABCDEFGHIJKLMNO", "ABCDEFGHIJKLMNO555"},
		{"18 chars is idempotent", "00DR00000008bPCMAY", "00DR00000008bPCMAY"},
		{"18 chars, real user", "005R0000000DgJAIA0", "005R0000000DgJAIA0"},
		{"lower-cased suffix is repaired", "00DR00000008bPCmay", "00DR00000008bPCMAY"},
		{"mixed-case suffix is repaired", "005R0000000DgJAiA0", "005R0000000DgJAIA0"},
		{"whole id lower-cased gets its case back", "005r0000000dgjaia0", "005R0000000DgJAIA0"},
		{"whole id upper-cased gets its case back", "005R0000000DGJAIA0", "005R0000000DgJAIA0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ID18(tc.in)
			if err != nil {
				t.Fatalf("ID18(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ID18(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestID18Refuses(t *testing.T) {
	for _, tc := range []struct {
		name, in string
	}{
		{"empty", ""},
		{"14 chars", "005R0000000DgJ"},
		{"16 chars", "005R0000000DgJAI"},
		{"17 chars", "005R0000000DgJAIA"},
		{"19 chars", "005R0000000DgJAIA00"},
		{"hyphen", "005R0000000DgJ-"},
		{"space", "005R0000000 gJA"},
		{"underscore in suffix", "005R0000000DgJAI_0"},
		{"non-ASCII letter", "005R0000000Dgé"},
		{"suffix disagrees with mixed-case id", "005R0000000DgJAZZZ"},
		{"suffix character outside the alphabet", "005r0000000dgja9a0"},
		{"suffix marks a digit as upper case", "00dr00000008bpcZAA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ID18(tc.in)
			if err == nil {
				t.Fatalf("ID18(%q) = %q, want an error", tc.in, got)
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Errorf("ID18(%q) error code = %q, want %q", tc.in, code, EINVALID)
			}
		})
	}
}

// TestID18CaseSafe checks the property the suffix exists for: an
// 18-character id survives a system that ignores case, and ids that differ
// only in case never share an 18-character form.
func TestID18CaseSafe(t *testing.T) {
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[string]string{}
	for range 2000 {
		var b strings.Builder
		for range 15 {
			b.WriteByte(chars[rnd.IntN(len(chars))])
		}
		id := b.String()
		full, err := ID18(id)
		if err != nil {
			t.Fatalf("ID18(%q): %v", id, err)
		}
		if full[:15] != id {
			t.Fatalf("ID18(%q) = %q, changed the first 15 characters", id, full)
		}
		for _, folded := range []string{strings.ToLower(full), strings.ToUpper(full)} {
			back, err := ID18(folded)
			if err != nil || back != full {
				t.Fatalf("ID18(%q) = %q, %v; want %q", folded, back, err, full)
			}
		}
		key := strings.ToLower(full)
		if other, ok := seen[key]; ok && other != id {
			t.Fatalf("%q and %q share the case-insensitive 18-character id %q", id, other, full)
		}
		seen[key] = id
	}
}
