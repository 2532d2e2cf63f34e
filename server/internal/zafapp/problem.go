package zafapp

import (
	"fmt"
	"slices"
)

// Severities of a Problem. Zendesk refuses an app with any error; warnings
// are shown to the uploader but do not block it.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one finding about the app package.
type Problem struct {
	// Severity is SeverityError or SeverityWarning.
	Severity string
	// File is the package-relative path the problem is about, such as
	// "manifest.json" or "translations/en.json".
	File string
	// Message says what is wrong, naming the offending field or value.
	Message string
}

// String formats the problem as "severity: file: message".
func (p Problem) String() string {
	return p.Severity + ": " + p.File + ": " + p.Message
}

// HasErrors reports whether any problem is an error, that is whether Zendesk
// would refuse the package.
func HasErrors(problems []Problem) bool {
	return slices.ContainsFunc(problems, func(p Problem) bool { return p.Severity == SeverityError })
}

// report collects problems during one validation run.
type report struct {
	problems []Problem
}

func (r *report) errorf(file, format string, args ...any) {
	r.problems = append(r.problems, Problem{Severity: SeverityError, File: file, Message: fmt.Sprintf(format, args...)})
}

func (r *report) warnf(file, format string, args ...any) {
	r.problems = append(r.problems, Problem{Severity: SeverityWarning, File: file, Message: fmt.Sprintf(format, args...)})
}
