// Command web is a small web server for Service, readiness and rollout
// lessons. It listens on :8080 (or $PORT) and answers:
//
//	/         a line naming the pod (its hostname) and counting requests;
//	          a small HTML page when the client accepts HTML
//	/healthz  200 "ok" (a liveness probe's target)
//	/ready    200 "ready" or 503 "not ready" (a readiness probe's target);
//	          /ready?set=off makes it fail, /ready?set=on pass again
//	/bytes    ?n=N: N bytes (throughput checks)
//
// READY_DELAY (a Go duration, e.g. 5s) keeps /ready failing that long after
// start, as an app that warms up would. On SIGTERM it stops taking new
// connections, finishes the requests in flight and exits 0, so a rolling
// update drops no request.
package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"podplay.dev/wasm/guest"
)

var version = "1"

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: web [-port PORT]\n\nServes / (the pod's name and a request count), /healthz and /ready\n(/ready?set=off and ?set=on toggle it) on PORT (default $PORT, else 8080).\nREADY_DELAY (e.g. 5s) keeps /ready failing that long after start.\n\n")
		flag.PrintDefaults()
	}
	port := flag.String("port", envOr("PORT", "8080"), "port to listen on")
	flag.Parse()
	delay, err := time.ParseDuration(envOr("READY_DELAY", "0s"))
	if err != nil {
		log.Fatalf("READY_DELAY: %v", err)
	}
	s := newServer(hostname(), envOr("VERSION", version), time.Now().Add(delay))
	srv := &http.Server{Addr: ":" + *port, Handler: s}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		log.Fatal(err)
	}
	log.SetFlags(0)
	log.Printf("web %s listening on %s", s.version, ln.Addr())
	stop := make(chan os.Signal, 1)
	if err := guest.Notify(stop, syscall.SIGTERM, syscall.SIGINT); err != nil {
		log.Printf("signals: %v", err)
	}
	go func() {
		sig := <-stop
		log.Printf("%v: finishing requests in flight", sig)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
	log.Printf("stopped after %d requests", s.count.Load())
}

type server struct {
	name, version string
	readyAt       time.Time
	notReady      atomic.Bool
	count         atomic.Int64
}

func newServer(name, version string, readyAt time.Time) *server {
	return &server{name: name, version: version, readyAt: readyAt}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := s.serve(w, r)
	log.Printf("%s %s %d from %s", r.Method, r.URL.RequestURI(), status, r.RemoteAddr)
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) int {
	switch r.URL.Path {
	case "/healthz":
		return reply(w, http.StatusOK, "ok\n")
	case "/ready":
		switch r.URL.Query().Get("set") {
		case "off":
			s.notReady.Store(true)
		case "on":
			s.notReady.Store(false)
		}
		if s.notReady.Load() || time.Now().Before(s.readyAt) {
			return reply(w, http.StatusServiceUnavailable, "not ready\n")
		}
		return reply(w, http.StatusOK, "ready\n")
	case "/bytes":
		// /bytes?n=N: N bytes of text (throughput checks).
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > 64<<20 {
			return reply(w, http.StatusBadRequest, "n must be a number of bytes up to 64 MiB\n")
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("podplay\n", 4096))
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.Write(chunk[:k]); err != nil {
				break
			}
			n -= k
		}
		return http.StatusOK
	case "/":
		n := s.count.Add(1)
		line := fmt.Sprintf("Hello from %s (version %s), request %d", s.name, s.version, n)
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(w, "<!doctype html>\n<title>%s</title>\n<h1>%s</h1>\n<p>Served by pod <b>%s</b>, request %d. Reload to count on.</p>\n",
				html.EscapeString(s.name), html.EscapeString(line), html.EscapeString(s.name), n)
			return http.StatusOK
		}
		return reply(w, http.StatusOK, line+"\n")
	}
	return reply(w, http.StatusNotFound, "404 page not found\n")
}

func reply(w http.ResponseWriter, status int, body string) int {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
	return status
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// hostname: wasip1 has no hostname call, so the runtime sets HOSTNAME.
func hostname() string {
	if h := os.Getenv("HOSTNAME"); h != "" {
		return h
	}
	if b, err := os.ReadFile("/etc/hostname"); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b))
	}
	return "localhost"
}
