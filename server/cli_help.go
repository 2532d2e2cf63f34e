package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// writeHelp prints the usage of the command at path: for a leaf its flags
// (fs), for a group every command below it.
func (c command) writeHelp(w io.Writer, path string, fs *flagSet) {
	name := strings.TrimSpace("crossview " + path)
	if c.bind == nil {
		fmt.Fprintf(w, "Usage: %s <command> [flags]\n\n", name)
	} else {
		fmt.Fprintf(w, "Usage: %s\n\n", strings.TrimSpace(name+" "+synopsis(fs)))
	}
	var text []string
	if c.summary != "" {
		text = append(text, strings.ToUpper(c.summary[:1])+c.summary[1:]+".")
	}
	if c.about != "" {
		text = append(text, strings.TrimSpace(c.about))
	}
	fmt.Fprintln(w, strings.Join(text, "\n\n"))
	if c.bind == nil {
		fmt.Fprint(w, "\nCommands:\n")
		c.writeLeaves(w, "")
		fmt.Fprintf(w, "\nRun \"%s <command> --help\" (or -h, or \"%s help <command>\") for a command's flags.\n", name, name)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	fmt.Fprint(tw, "\nFlags:\n")
	for _, f := range fs.ordered() {
		_, usage := flag.UnquoteUsage(f)
		if fs.isRequired(f.Name) {
			usage += " (required)"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace("--"+f.Name+" "+placeholder(f)), usage)
	}
	fmt.Fprintf(tw, "  -h, --help\tshow this help\n")
	_ = tw.Flush()
}

// writeLeaves lists every command below c with its flags and summary.
func (c command) writeLeaves(w io.Writer, prefix string) {
	for _, sub := range c.subs {
		path := strings.TrimSpace(prefix + " " + sub.name)
		if sub.bind == nil {
			sub.writeLeaves(w, path)
			continue
		}
		fs := &flagSet{FlagSet: flag.NewFlagSet(path, flag.ContinueOnError)}
		sub.bind(fs, invocation{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard})
		fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace(path+" "+synopsis(fs)), sub.summary)
	}
}

// synopsis is the one-line form of a leaf's flags, optional ones in
// brackets.
func synopsis(fs *flagSet) string {
	var parts []string
	for _, f := range fs.ordered() {
		s := strings.TrimSpace("--" + f.Name + " " + placeholder(f))
		if !fs.isRequired(f.Name) {
			s = "[" + s + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// placeholder names a flag's value in help: a checked flag's own, the
// back-quoted word of its usage (in capitals when it is one plain word), N
// for numbers, or else the flag's name in capitals. Booleans take none.
func placeholder(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	if m, ok := f.Value.(interface{ metavar() string }); ok && m.metavar() != "" {
		return m.metavar()
	}
	name, _ := flag.UnquoteUsage(f)
	switch {
	case strings.Contains(f.Usage, "`") && strings.Trim(name, "abcdefghijklmnopqrstuvwxyz") == "":
		return strings.ToUpper(name)
	case strings.Contains(f.Usage, "`"):
		return name
	case strings.HasPrefix(name, "int") || strings.HasPrefix(name, "uint") || name == "float":
		return "N"
	}
	return strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
}

// ordered lists the flags as help shows them: the required ones in the
// order require named them, then the others by name.
func (f *flagSet) ordered() []*flag.Flag {
	var out []*flag.Flag
	for _, n := range f.required {
		if fl := f.Lookup(n); fl != nil {
			out = append(out, fl)
		}
	}
	f.VisitAll(func(fl *flag.Flag) {
		if !f.isRequired(fl.Name) {
			out = append(out, fl)
		}
	})
	return out
}

func (f *flagSet) isRequired(name string) bool {
	for _, n := range f.required {
		if n == name {
			return true
		}
	}
	return false
}
