// Package redistest gives tests a real Redis server: a private redis-server
// process per call, or the server named by CROSSVIEW_TEST_REDIS_URL.
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names a Redis server to use instead of starting one. Its database
// is flushed by every Start, so give each test package its own server or
// run with `go test -p 1`.
const EnvURL = "CROSSVIEW_TEST_REDIS_URL"

// ServerPath is where the redis-server binary is expected.
const ServerPath = "/usr/bin/redis-server"

// Server is a Redis server a test can use.
type Server struct {
	// URL is a redis:// URL for redis.ParseURL.
	URL string

	mu   sync.Mutex
	cmd  *exec.Cmd // nil for an external server
	done chan struct{}
}

// URL starts a fresh server (or flushes the external one) and returns its URL.
func URL(tb testing.TB) string {
	tb.Helper()
	return Start(tb).URL
}

// Start returns an empty Redis server for the test: the external server
// named by CROSSVIEW_TEST_REDIS_URL after FLUSHDB, or else a new
// redis-server process that is killed when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if url := os.Getenv(EnvURL); url != "" {
		s := &Server{URL: url}
		c := s.Client(tb)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.FlushDB(ctx).Err(); err != nil {
			tb.Fatalf("redistest: FLUSHDB on %s=%s: %v", EnvURL, url, err)
		}
		return s
	}
	return StartLocal(tb)
}

// StartLocal always starts a private redis-server process, even when
// CROSSVIEW_TEST_REDIS_URL is set, for tests that must Kill the server.
func StartLocal(tb testing.TB) *Server {
	tb.Helper()
	if _, err := os.Stat(ServerPath); err != nil {
		tb.Fatalf("redistest: %s not found; these tests need a real Redis. Install it with `apt-get install -y redis-server` (or set %s to a server whose database may be flushed)", ServerPath, EnvURL)
	}
	var lastErr error
	// A free port can be taken between choosing it and redis binding it, so
	// try a few times before giving up.
	for range 3 {
		s, err := startProcess(tb)
		if err == nil {
			return s
		}
		lastErr = err
	}
	tb.Fatalf("redistest: %v", lastErr)
	return nil
}

func startProcess(tb testing.TB) (*Server, error) {
	tb.Helper()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(context.Background(), ServerPath,
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--maxmemory-policy", "volatile-lru",
		"--dir", tb.TempDir(),
	)
	cmd.Stdout = &lockedWriter{w: &out}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", ServerPath, err)
	}
	s := &Server{
		URL:  fmt.Sprintf("redis://127.0.0.1:%d/0", port),
		cmd:  cmd,
		done: make(chan struct{}),
	}
	go func() {
		_ = cmd.Wait() // reaps the process; an exit is noticed through done
		close(s.done)
	}()
	if err := s.waitReady(); err != nil {
		s.kill()
		return nil, fmt.Errorf("redis-server on port %d: %w\n%s", port, err, cmd.Stdout.(*lockedWriter).String())
	}
	tb.Cleanup(s.kill)
	return s, nil
}

// waitReady polls INFO (a PING that also names the process) until the server answers, it exits, or 10s pass.
func (s *Server) waitReady() error {
	opt, err := redis.ParseURL(s.URL)
	if err != nil {
		return err
	}
	opt.MaxRetries = -1
	c := redis.NewClient(opt)
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		info, err := c.Info(ctx, "server").Result()
		cancel()
		if err == nil {
			// Another server may have taken the port first; only ours counts.
			if !strings.Contains(info, "process_id:"+strconv.Itoa(s.cmd.Process.Pid)+"\r\n") {
				return fmt.Errorf("port taken by another server")
			}
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("exited before answering PING")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING after 10s: %w", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Kill stops a local server at once, to test what happens when Redis goes
// away. It fails the test for an external server, which it cannot stop.
func (s *Server) Kill(tb testing.TB) {
	tb.Helper()
	if s.cmd == nil {
		tb.Fatalf("redistest: cannot kill the external server %s; use StartLocal", s.URL)
	}
	s.kill()
}

func (s *Server) kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill() // it may have exited on its own already
	<-s.done
}

// Client returns a client of the server, closed when the test ends.
func (s *Server) Client(tb testing.TB) *redis.Client {
	tb.Helper()
	opt, err := redis.ParseURL(s.URL)
	if err != nil {
		tb.Fatalf("redistest: parsing %s: %v", s.URL, err)
	}
	c := redis.NewClient(opt)
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedWriter collects the server's output; the process writes it from
// another goroutine than the one that reads it on failure.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}
