package crossview

import "strings"

// idSuffixAlphabet maps a 5-bit value to a checksum character, as
// Salesforce does when it turns a 15-character id into its 18-character,
// case-safe form.
const idSuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// ID18 converts a 15- or 18-character Salesforce id to its 18-character,
// case-safe form. Each of the three suffix characters records which of five
// characters of the 15-character id are upper-case letters, so two ids that
// differ only in case get different suffixes.
//
// An 18-character id is returned with its suffix recomputed from the first
// 15 characters, so a suffix that lost its case is repaired. When the suffix
// disagrees with the first 15 characters and those hold letters of a single
// case, it is the first 15 that lost their case (a lower-cased or
// upper-cased id), and their case is restored from the suffix. Any other
// disagreement, and anything that is not 15 or 18 ASCII letters and digits,
// is an EINVALID error.
func ID18(id string) (string, error) {
	if len(id) != 15 && len(id) != 18 {
		return "", Errorf(EINVALID, "a Salesforce id has 15 or 18 characters, not %d", len(id))
	}
	for i := 0; i < len(id); i++ {
		if !isIDChar(id[i]) {
			return "", Errorf(EINVALID, "a Salesforce id holds only letters and digits")
		}
	}
	base := id[:15]
	suffix := idSuffix(base)
	if len(id) == 15 || strings.EqualFold(id[15:], suffix) {
		return base + suffix, nil
	}
	if restored, ok := restoreCase(base, id[15:]); ok {
		return restored + idSuffix(restored), nil
	}
	return "", Errorf(EINVALID, "the Salesforce id's last 3 characters do not match its first 15")
}

// idSuffix computes the 3-character checksum of a 15-character id: for each
// 5-character chunk, bit i is set when the chunk's i-th character is an
// upper-case letter.
func idSuffix(base string) string {
	var out [3]byte
	for chunk := range 3 {
		bits := 0
		for i := range 5 {
			if c := base[chunk*5+i]; c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		out[chunk] = idSuffixAlphabet[bits]
	}
	return string(out[:])
}

// restoreCase rebuilds the case of base from an 18-character id's suffix.
// It applies only when base's letters are all of one case, which is what
// an id that went through a case-insensitive system looks like, and only
// when the suffix marks letters alone.
func restoreCase(base, suffix string) (string, bool) {
	hasUpper, hasLower := false, false
	for i := 0; i < len(base); i++ {
		c := base[i]
		hasUpper = hasUpper || (c >= 'A' && c <= 'Z')
		hasLower = hasLower || (c >= 'a' && c <= 'z')
	}
	if hasUpper && hasLower {
		return "", false
	}
	out := []byte(base)
	for chunk := range 3 {
		bits := strings.IndexByte(idSuffixAlphabet, toUpperASCII(suffix[chunk]))
		if bits < 0 {
			return "", false
		}
		for i := range 5 {
			c := &out[chunk*5+i]
			isLetter := (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')
			switch {
			case bits&(1<<i) == 0 && isLetter:
				*c |= 0x20 // lower case
			case bits&(1<<i) == 0:
			case !isLetter:
				return "", false // a digit cannot be upper case
			default:
				*c &^= 0x20 // upper case
			}
		}
	}
	return string(out), true
}

func isIDChar(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func toUpperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 0x20
	}
	return c
}
