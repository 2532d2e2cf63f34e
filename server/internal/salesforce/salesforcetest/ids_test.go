package salesforcetest

import (
	"strings"
	"testing"
)

func TestID18(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		// From the real signed request in shared/testdata: the 15-char
		// top-level userId and its 18-char context.user.userId.
		{in: "005R0000000DgJA", want: "005R0000000DgJAIA0"},
		{in: "00DR00000008bPC", want: "00DR00000008bPCMAY"},
		// From the reference's synthetic Canvas vector.
		{in: "003xx000004TmiQ", want: "003xx000004TmiQAAS"},
		{in: "005xx0000012345", want: "005xx0000012345AAA"},
		// An 18-char id survives being upper- or lower-cased.
		{in: "005R0000000DgJAIA0", want: "005R0000000DgJAIA0"},
		{in: strings.ToLower("005R0000000DgJAIA0"), want: "005R0000000DgJAIA0"},
		{in: strings.ToUpper("003xx000004TmiQAAS"), want: "003xx000004TmiQAAS"},
		// A suffix that marks a digit as upper case cannot be right.
		{in: "005R0000000DgJAZZZ", wantErr: true},
		{in: "005R0000000DgJ", wantErr: true},
		{in: "005R0000000DgJ!", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ID18(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ID18(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ID18(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestID15RoundTrip(t *testing.T) {
	for seq := uint64(0); seq < 5000; seq += 37 {
		id := makeID(prefixContact, seq*7919)
		short, err := ID15(id)
		if err != nil {
			t.Fatalf("ID15(%q): %v", id, err)
		}
		back, err := ID18(short)
		if err != nil || back != id {
			t.Fatalf("ID18(ID15(%q)) = %q, %v", id, back, err)
		}
	}
}

func TestGeneratedIDsHaveObjectPrefixes(t *testing.T) {
	e := newEnv(t, Options{})
	acc := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	tests := map[string]map[string]any{
		"001": nil,
		"003": {"LastName": "Doe", "AccountId": acc},
		"00Q": {"LastName": "Lee", "Company": "Lee Ltd"},
		"006": {"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2026-12-01"},
		"500": {"Subject": "Help"},
	}
	objects := map[string]string{"001": "Account", "003": "Contact", "00Q": "Lead", "006": "Opportunity", "500": "Case"}
	for prefix, fields := range tests {
		id := acc
		if fields != nil {
			id = e.mustInsert(t, objects[prefix], fields)
		}
		if len(id) != 18 || !strings.HasPrefix(id, prefix) || normalizeID(id) != id {
			t.Errorf("%s id %q: want an 18-char id with prefix %s and a valid checksum", objects[prefix], id, prefix)
		}
	}
	if !strings.HasPrefix(e.admin.ID, "005") || normalizeID(e.admin.ID) != e.admin.ID {
		t.Errorf("user id %q is not an 18-char 005 id", e.admin.ID)
	}
}
