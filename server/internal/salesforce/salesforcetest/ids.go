package salesforcetest

import (
	"fmt"
	"strings"
)

// checksumAlphabet maps the 5-bit upper-case mask of a 5-character chunk to
// the suffix character Salesforce appends to make ids case-insensitive.
const checksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// base62 is the alphabet of the id body.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Key prefixes of the objects the emulator knows.
const (
	prefixAccount     = "001"
	prefixContact     = "003"
	prefixUser        = "005"
	prefixOpportunity = "006"
	prefixLead        = "00Q"
	prefixProfile     = "00e"
	prefixOrg         = "00D"
	prefixCase        = "500"
	prefixCaseComment = "00a"
	prefixLocator     = "01g"
	prefixCanvasApp   = "06P"
)

// ID18 returns the 18-character, case-safe form of a 15- or 18-character
// Salesforce id. (crossview.ID18 does the same for the product; the
// emulator keeps its own copy on purpose, so a mistake in one is caught by
// tests against the other.) An 18-character id may arrive with its case lost; the
// suffix restores it, and a suffix that does not fit is an error.
func ID18(id string) (string, error) {
	switch len(id) {
	case 15:
		if !alnum(id) {
			return "", fmt.Errorf("salesforcetest: %q is not a Salesforce id", id)
		}
		return id + idSuffix(id), nil
	case 18:
		if !alnum(id) {
			return "", fmt.Errorf("salesforcetest: %q is not a Salesforce id", id)
		}
		body, err := restoreCase(id[:15], strings.ToUpper(id[15:]))
		if err != nil {
			return "", err
		}
		return body + idSuffix(body), nil
	}
	return "", fmt.Errorf("salesforcetest: %q is not a 15- or 18-character Salesforce id", id)
}

// ID15 returns the case-sensitive 15-character form of a Salesforce id.
func ID15(id string) (string, error) {
	full, err := ID18(id)
	if err != nil {
		return "", err
	}
	return full[:15], nil
}

// idSuffix computes the three checksum characters of a 15-character id.
func idSuffix(id15 string) string {
	var b [3]byte
	for chunk := 0; chunk < 3; chunk++ {
		mask := 0
		for j := 0; j < 5; j++ {
			c := id15[chunk*5+j]
			if c >= 'A' && c <= 'Z' {
				mask |= 1 << j
			}
		}
		b[chunk] = checksumAlphabet[mask]
	}
	return string(b[:])
}

// restoreCase applies the case mask carried by suffix to body.
func restoreCase(body, suffix string) (string, error) {
	out := []byte(strings.ToLower(body))
	for chunk := 0; chunk < 3; chunk++ {
		mask := strings.IndexByte(checksumAlphabet, suffix[chunk])
		if mask < 0 {
			return "", fmt.Errorf("salesforcetest: id %q has an invalid checksum", body+suffix)
		}
		for j := 0; j < 5; j++ {
			if mask&(1<<j) == 0 {
				continue
			}
			i := chunk*5 + j
			if out[i] < 'a' || out[i] > 'z' {
				return "", fmt.Errorf("salesforcetest: id %q has an invalid checksum", body+suffix)
			}
			out[i] -= 'a' - 'A'
		}
	}
	return string(out), nil
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// makeID builds an 18-character id from a key prefix and a sequence number:
// prefix, a two-character pod, a reserved zero, nine base62 digits, checksum.
func makeID(prefix string, seq uint64) string {
	var digits [9]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = base62[seq%62]
		seq /= 62
	}
	body := prefix + "Dx" + "0" + string(digits[:])
	return body + idSuffix(body)
}

// normalizeID returns the 18-character form of id, or "" when id is not one.
func normalizeID(id string) string {
	full, err := ID18(id)
	if err != nil {
		return ""
	}
	return full
}
