package zendesk

import "testing"

func TestSameValueAndPhone(t *testing.T) {
	for _, c := range []struct {
		a, b any
		want bool
	}{
		{"12", 12.0, true}, {int64(12), "12", true}, {"2024-05-01T00:00:00+00:00", "2024-05-01", true},
		{[]any{"b", "a"}, []string{"a", "b"}, true}, {nil, "", true}, {true, "true", true},
		{"gold", "silver", false}, {"2024-05-01T00:00:00+00:00", "2024-05-02", false}, {12.5, "12", false}, {nil, "x", false},
	} {
		if got := sameValue(c.a, c.b); got != c.want {
			t.Errorf("sameValue(%#v, %#v) = %v", c.a, c.b, got)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"+1 (555) 010-0100", "+15550100100", true}, {"(555) 010-0100", "+1 555 010 0100", true},
		{"+15550100100", "+15550100199", false}, {"0100", "+15550100100", false}, {"", "", false},
	} {
		if got := samePhone(c.a, c.b); got != c.want {
			t.Errorf("samePhone(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
