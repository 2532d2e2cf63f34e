package crossview

import (
	"strings"
	"testing"
)

func TestInstanceHostsDefaults(t *testing.T) {
	h, err := ParseInstanceHosts(DefaultInstanceHosts)
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{
		"https://acme.my.salesforce.com",
		"https://acme.my.salesforce.com/",
		"https://ACME--uat.sandbox.my.salesforce.com",
		"https://acme.lightning.force.com",
		"https://acme--c.vf.force.com",
		"https://na1.salesforce.com",
		"https://mobile1.t.salesforce.com",
		"https://acme.my.salesforce-setup.com",
		"https://acme.cloudforce.com",
		"https://acme.my.site.com",
		"https://acme.develop.my.salesforce.com:443",
	} {
		if err := h.Check(ok); err != nil {
			t.Errorf("Check(%q) = %v, want allowed", ok, err)
		}
	}
	for _, bad := range []string{
		"",
		"acme.my.salesforce.com",
		"//acme.my.salesforce.com",
		"http://acme.my.salesforce.com",
		"https://evil.example",
		"https://salesforce.com.evil.example",
		"https://evilsalesforce.com",
		"https://acme.my.salesforce.com.",
		"https://user:pw@acme.my.salesforce.com",
		"https://acme.my.salesforce.com/services/data",
		"https://acme.my.salesforce.com?x=1",
		"https://acme.my.salesforce.com?",
		"https://acme.my.salesforce.com#x",
		"ftp://acme.my.salesforce.com",
		"javascript:alert(1)",
		"https://127.0.0.1",
		"http://127.0.0.1:41234",
	} {
		if err := h.Check(bad); err == nil {
			t.Errorf("Check(%q) allowed it", bad)
		}
	}
}

func TestInstanceHostsEmulatorAllowance(t *testing.T) {
	h, err := ParseInstanceHosts("salesforce.com, http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{"http://127.0.0.1:41234", "https://127.0.0.1:41234", "https://x.my.salesforce.com"} {
		if err := h.Check(ok); err != nil {
			t.Errorf("Check(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"http://x.my.salesforce.com", "http://127.0.0.2:1", "http://x.127.0.0.1"} {
		if err := h.Check(bad); err == nil {
			t.Errorf("Check(%q) allowed it", bad)
		}
	}
	var zero InstanceHosts
	if err := zero.Check("https://x.my.salesforce.com"); err == nil {
		t.Error("the zero value allowed a host")
	}
}

func TestParseInstanceHostsRefuses(t *testing.T) {
	for _, bad := range []string{"", " , ", "com", "*", "salesforce.com/x", "salesforce.com:443", "sales force.com", "https://", "-x.com"} {
		if _, err := ParseInstanceHosts(bad); err == nil {
			t.Errorf("ParseInstanceHosts(%q) accepted it", bad)
		}
	}
	if h, err := ParseInstanceHosts("*.Force.com https://salesforce.com"); err != nil || h.Check("https://a.lightning.force.com") != nil || h.Check("https://a.salesforce.com") != nil {
		t.Errorf("wildcard and https:// forms not read: %v", err)
	}
}

func TestInstanceHostsErrorNamesOnlyTheHost(t *testing.T) {
	h, _ := ParseInstanceHosts(DefaultInstanceHosts)
	err := h.Check("https://evil.example/?token=secret")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("error %v", err)
	}
}
