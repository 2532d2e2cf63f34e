package main

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// checked is a flag whose value parse approves as the flag is parsed, so a
// bad value is a usage error, named by the flag, before anything is opened.
type checked[T any] struct {
	fs    *flagSet
	name  string
	meta  string // names the value in help; empty for the default
	p     *T
	parse func(name, s string) (T, error)
}

func (c *checked[T]) metavar() string { return c.meta }

func (c *checked[T]) String() string {
	if c == nil || c.p == nil {
		return ""
	}
	return fmt.Sprint(*c.p)
}

func (c *checked[T]) Set(s string) error {
	v, err := c.parse(c.name, s)
	if err != nil {
		c.fs.invalid = err // the flag package would bury it in its own wording
		return err
	}
	*c.p = v
	return nil
}

// checkedFlag defines a flag whose values parse checks.
func checkedFlag[T any](fs *flagSet, name, meta, usage string, parse func(name, s string) (T, error)) *T {
	p := new(T)
	fs.Var(&checked[T]{fs: fs, name: name, meta: meta, p: p, parse: parse}, name, usage)
	return p
}

// listFlag is a repeatable flag whose values, together, replace a list:
// "none" clears it; set says whether the flag was given at all.
func listFlag[T any](fs *flagSet, name, usage string, parse func(string) (T, error)) (list *[]T, set *bool) {
	list, set = new([]T), new(bool)
	fs.Func(name, usage, func(v string) error {
		*set = true
		if v == "none" {
			return nil
		}
		x, err := parse(v)
		if err == nil {
			*list = append(*list, x)
		}
		return err
	})
	return list, set
}

// subdomainFlag is a Zendesk subdomain: acme, for acme.zendesk.com.
func (f *flagSet) subdomainFlag(usage string) *string {
	return checkedFlag(f, "subdomain", "", usage, func(name, s string) (string, error) {
		if crossview.ValidSubdomain(s) {
			return s, nil
		}
		host := strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		if first, _, ok := strings.Cut(host, "."); ok && crossview.ValidSubdomain(first) {
			return "", fmt.Errorf("--%s wants the subdomain alone: %s, not %s", name, first, s)
		}
		return "", fmt.Errorf("--%s %q is not a Zendesk subdomain (lowercase letters, digits and hyphens: acme for acme.zendesk.com)", name, s)
	})
}

// emailFlag is a bare email address with a dotted domain.
func (f *flagSet) emailFlag(name, usage string) *string {
	return checkedFlag(f, name, "EMAIL", usage, func(name, s string) (string, error) {
		a, err := mail.ParseAddress(s)
		_, domain, _ := strings.Cut(s, "@")
		if err != nil || a.Address != s || a.Name != "" ||
			!strings.Contains(strings.Trim(domain, "."), ".") {
			return "", fmt.Errorf("--%s %q is not an email address (like ops@acme.com)", name, s)
		}
		return s, nil
	})
}

// positiveFlag is a number above zero, such as a Zendesk id.
func (f *flagSet) positiveFlag(name, usage string) *int64 {
	return checkedFlag(f, name, "N", usage, func(name, s string) (int64, error) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--%s must be a positive number, not %q", name, s)
		}
		return n, nil
	})
}

// choiceFlag is one of choices; help and the error list the same values.
func (f *flagSet) choiceFlag(name, usage string, choices ...string) *string {
	list, meta := oneOf(choices), ""
	if len(choices) <= 3 {
		meta = strings.Join(choices, "|") // help then shows them beside the flag
	} else {
		usage += ": " + list
	}
	return checkedFlag(f, name, meta, usage, func(name, s string) (string, error) {
		for _, c := range choices {
			if s == c {
				return s, nil
			}
		}
		return "", fmt.Errorf("--%s must be %s, not %q", name, list, s)
	})
}

// oneOf reads "a or b", or "one of a, b, c".
func oneOf(choices []string) string {
	if len(choices) == 2 {
		return choices[0] + " or " + choices[1]
	}
	return "one of " + strings.Join(choices, ", ")
}
