package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one node of the command tree: a group, which has subs, or a
// leaf, which has bind. Help is generated from the tree and from each
// leaf's flags, so it cannot disagree with what the command accepts.
type command struct {
	name    string
	summary string // one line, shown where the parent lists its commands
	about   string // more text for the command's own help (optional)
	subs    []command
	// bind defines the leaf's flags on fs and returns what runs it. It
	// reads no configuration and opens nothing: help is printed from fs
	// alone, and flag values are checked before anything is opened.
	bind func(fs *flagSet, env invocation) func(context.Context) error
}

// invocation is what a command may use of the process it runs in.
type invocation struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// flagSet is a leaf's flags and the names of those it cannot do without.
type flagSet struct {
	*flag.FlagSet
	required []string
	invalid  error // why a checked flag refused its value
}

// require marks flags that must be given a non-empty value.
func (f *flagSet) require(names ...string) { f.required = append(f.required, names...) }

// missing names the required flags left out or given an empty value.
func (f *flagSet) missing() []string {
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = fl.Value.String() != "" })
	var out []string
	for _, n := range f.required {
		if !set[n] {
			out = append(out, "--"+n)
		}
	}
	return out
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// execute runs args against cmd, whose full name (after "crossview") is
// path. A usage error prints the command's usage to stderr and returns a
// usageError.
func (c command) execute(ctx context.Context, path string, args []string, env invocation) error {
	if c.bind == nil {
		return c.executeGroup(ctx, path, args, env)
	}
	fs := &flagSet{FlagSet: flag.NewFlagSet("crossview "+path, flag.ContinueOnError)}
	fs.SetOutput(io.Discard)
	run := c.bind(fs, env)
	usageErr := func(format string, a ...any) error {
		c.writeHelp(env.stderr, path, fs)
		return usageError{path + ": " + fmt.Sprintf(format, a...)}
	}
	if len(args) > 0 && args[0] == "help" {
		c.writeHelp(env.stdout, path, fs)
		return nil
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		c.writeHelp(env.stdout, path, fs)
		return nil
	} else if fs.invalid != nil {
		return usageErr("%v", fs.invalid)
	} else if err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if m := fs.missing(); len(m) > 0 {
		return usageErr("missing %s", strings.Join(m, ", "))
	}
	err := run(ctx)
	var ue usageError
	if errors.As(err, &ue) {
		c.writeHelp(env.stderr, path, fs)
	}
	return err
}

func (c command) executeGroup(ctx context.Context, path string, args []string, env invocation) error {
	display := strings.TrimSpace("crossview " + path)
	if len(args) == 0 {
		c.writeHelp(env.stderr, path, nil)
		if path == "" {
			return usageError{"no command given"}
		}
		return usageError{path + " needs a command"}
	}
	if isHelp(args[0]) {
		if args[0] == "help" && len(args) > 1 {
			// "help a b" is "a b --help".
			return c.execute(ctx, path, append(args[1:], "--help"), env)
		}
		c.writeHelp(env.stdout, path, nil)
		return nil
	}
	for _, sub := range c.subs {
		if sub.name == args[0] {
			return sub.execute(ctx, strings.TrimSpace(path+" "+sub.name), args[1:], env)
		}
	}
	c.writeHelp(env.stderr, path, nil)
	return usageError{fmt.Sprintf("unknown command %q (%s --help lists them)",
		strings.TrimSpace(path+" "+args[0]), display)}
}
