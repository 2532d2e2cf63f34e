package crossview

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultInstanceHosts are the domains Salesforce serves orgs from: My
// Domain (*.my.salesforce.com, *.sandbox.my.salesforce.com), Lightning
// (*.lightning.force.com), Setup, Visualforce, Sites and Experience Cloud
// (*.my.site.com). Government or regional clouds on other domains are
// added through CROSSVIEW_SALESFORCE_INSTANCE_HOSTS.
const DefaultInstanceHosts = "salesforce.com,force.com,cloudforce.com,salesforce-setup.com,visualforce.com,site.com"

// InstanceHosts is the allow-list of hosts Crossview sends a Salesforce
// access token to. An instance URL comes from a token response or a Canvas
// envelope; one naming any other host would carry the token there. The
// zero value allows nothing.
type InstanceHosts struct {
	hosts []instanceHost
}

type instanceHost struct {
	domain string // lower case; matches itself and its subdomains
	http   bool   // plain http allowed too (only for local emulators)
}

// ParseInstanceHosts reads a comma- or space-separated list of domains.
// Each matches itself and every subdomain, over https only; an entry
// written "http://127.0.0.1" also allows plain http to that host, for
// local emulators. IP addresses match exactly.
func ParseInstanceHosts(list string) (InstanceHosts, error) {
	var h InstanceHosts
	for _, e := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		entry := instanceHost{domain: strings.ToLower(e)}
		if rest, ok := strings.CutPrefix(entry.domain, "http://"); ok {
			entry.domain, entry.http = rest, true
		} else {
			entry.domain = strings.TrimPrefix(entry.domain, "https://")
		}
		entry.domain = strings.TrimPrefix(entry.domain, "*.")
		if !validDomain(entry.domain) {
			return InstanceHosts{}, fmt.Errorf("%q is not a domain like salesforce.com (or http://127.0.0.1 for an emulator)", e)
		}
		h.hosts = append(h.hosts, entry)
	}
	if len(h.hosts) == 0 {
		return InstanceHosts{}, errors.New("names no domain")
	}
	return h, nil
}

// validDomain accepts a dotted host name or an IP address; nothing with a
// port, path or wildcard, and no bare top-level domain.
func validDomain(d string) bool {
	if net.ParseIP(d) != nil {
		return true
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 && d != "localhost" {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// Check returns nil when raw is an instance URL a token may be sent to:
// https (or http where allowed), a host on the list, no credentials, and
// nothing after the origin but an optional "/". The error names the
// problem and the host, never the whole URL.
func (h InstanceHosts) Check(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return errors.New("the instance URL is not an absolute URL")
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.User != nil:
		return fmt.Errorf("the instance URL for %s carries credentials", host)
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.RawFragment != "":
		return fmt.Errorf("the instance URL for %s is more than an origin", host)
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("the instance URL for %s is not https", host)
	}
	for _, a := range h.hosts {
		if !a.matches(host) {
			continue
		}
		if u.Scheme == "http" && !a.http {
			return fmt.Errorf("the instance URL for %s is not https", host)
		}
		return nil
	}
	return fmt.Errorf("%s is not a Salesforce host", host)
}

func (a instanceHost) matches(host string) bool {
	if host == a.domain {
		return true
	}
	return net.ParseIP(a.domain) == nil && strings.HasSuffix(host, "."+a.domain)
}
