package applets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// wget and nc speak to the cluster's network (pod IPs, Services, the DNS)
// through package net, which podplay's build routes to the node.

func init() {
	Register(&Applet{Name: "wget", Usage: "[-cqS] [--spider] [-O FILE] [--header STR] [--post-data STR] [-T SEC] [-U STR] URL...",
		Help: "Retrieve files via HTTP\n\n\t--spider\tOnly check URL existence: $? is 0 if exists\n\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n\t-S\t\tShow server response\n\t-T SEC\t\tNetwork read timeout is SEC seconds\n\t-O FILE\t\tSave to FILE ('-' for stdout)\n\t-U STR\t\tUse STR for User-Agent header\n\t--header STR\tAdd STR (of form 'header: value') to headers\n\t--post-data STR\tSend STR using POST method",
		Run: wget})
	Register(&Applet{Name: "nc", Usage: "[-l] [-p PORT] [-w SEC] [HOST] [PORT]",
		Help: "Open a pipe to IP:PORT (or listen on PORT with -l)\n\n\t-l\tListen mode, for inbound connects\n\t-p PORT\tLocal port\n\t-w SEC\tConnect timeout",
		Run: nc})
}

var wgetOptions = getopt{short: "cqSO:T:U:o:P:Y:sH:D:k", long: map[string]string{"spider": "s", "header": "H:", "post-data": "D:", "quiet": "q", "output-document": "O:", "timeout": "T:", "user-agent": "U:", "server-response": "S", "continue": "c", "no-check-certificate": "k"}}

func wget(e *Env) int {
	p, ok := wgetOptions.parse(e, e.Args[1:])
	if !ok {
		return 1
	}
	if len(p.operands) == 0 {
		fmt.Fprintf(e.Stderr, "BusyBox v1.35.0 multi-call binary.\n\nUsage: wget %s\n", registry["wget"].Usage)
		return 1
	}
	quiet := p.has('q')
	timeout := 900 * time.Second
	if t, ok := p.last('T'); ok {
		if n, err := strconv.ParseFloat(t, 64); err == nil && n > 0 {
			timeout = time.Duration(n * float64(time.Second))
		}
	}
	for _, raw := range p.operands {
		if code := wgetOne(e, p, raw, quiet, timeout); code != 0 {
			return code
		}
	}
	return 0
}

func wgetOne(e *Env, p *parsedOpts, raw string, quiet bool, timeout time.Duration) int {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return e.Errorf("bad address '%s'", raw)
	}
	if u.Scheme != "http" {
		return e.Errorf("unsupported protocol: %s (podplay's wget speaks plain HTTP)", raw)
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = "80"
	}
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		return e.Errorf("bad address '%s'", host)
	}
	target := net.JoinHostPort(addrs[0], port)
	if !quiet {
		fmt.Fprintf(e.Stderr, "Connecting to %s (%s)\n", u.Host, target)
	}
	conn, err := net.DialTimeout("tcp", target, timeout)
	if err != nil {
		return e.Errorf("can't connect to remote host (%s): %s", addrs[0], sysMessage(err))
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	method := "GET"
	body, post := p.last('D')
	if post {
		method = "POST"
	}
	if p.has('s') {
		method = "HEAD"
	}
	req := &strings.Builder{}
	fmt.Fprintf(req, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, u.RequestURI(), u.Host)
	agent := "Wget"
	if a, ok := p.last('U'); ok {
		agent = a
	}
	fmt.Fprintf(req, "User-Agent: %s\r\n", agent)
	for _, h := range p.all('H') {
		fmt.Fprintf(req, "%s\r\n", h)
	}
	if post {
		fmt.Fprintf(req, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", len(body))
	}
	req.WriteString("Connection: close\r\n\r\n")
	if post {
		req.WriteString(body)
	}
	if _, err := io.WriteString(conn, req.String()); err != nil {
		return e.Errorf("error writing to the connection: %s", sysMessage(err))
	}
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	if err != nil {
		if isTimeout(err) {
			return e.Errorf("download timed out")
		}
		return e.Errorf("error getting response: %s", sysMessage(err))
	}
	status = strings.TrimRight(status, "\r\n")
	if p.has('S') {
		fmt.Fprintf(e.Stderr, "  %s\n", status)
	}
	headers := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return e.Errorf("error getting response: %s", sysMessage(err))
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if p.has('S') {
			fmt.Fprintf(e.Stderr, "  %s\n", line)
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			headers[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	fields := strings.SplitN(status, " ", 3)
	code := 0
	if len(fields) >= 2 {
		code, _ = strconv.Atoi(fields[1])
	}
	if code < 200 || code > 299 {
		return e.Errorf("server returned error: %s", status)
	}
	if p.has('s') {
		if !quiet {
			fmt.Fprintln(e.Stderr, "remote file exists")
		}
		return 0
	}
	var content io.Reader = r
	if strings.EqualFold(headers["transfer-encoding"], "chunked") {
		content = newChunkedReader(r)
	} else if n, err := strconv.ParseInt(headers["content-length"], 10, 64); err == nil {
		content = io.LimitReader(r, n)
	}
	name, _ := p.last('O')
	if name == "" {
		name = path.Base(u.Path)
		if name == "/" || name == "." || name == "" {
			name = "index.html"
		}
	}
	var out io.Writer = e.Stdout
	if name != "-" {
		f, err := os.OpenFile(e.Path(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return e.Errorf("can't open '%s': %s", name, sysMessage(err))
		}
		defer f.Close()
		out = f
		if !quiet {
			fmt.Fprintf(e.Stderr, "saving to '%s'\n", name)
		}
	} else if !quiet {
		fmt.Fprintln(e.Stderr, "writing to stdout")
	}
	n, err := io.Copy(out, content)
	if err != nil && !errors.Is(err, io.EOF) {
		if isTimeout(err) {
			return e.Errorf("download timed out")
		}
		return e.Errorf("error getting response: %s", sysMessage(err))
	}
	if !quiet {
		label := name
		if name == "-" {
			label = "-"
		}
		fmt.Fprintf(e.Stderr, "%-20s 100%% |%s| %6d  0:00:00 ETA\n", label, strings.Repeat("*", 32), n)
		if name == "-" {
			fmt.Fprintln(e.Stderr, "written to stdout")
		} else {
			fmt.Fprintf(e.Stderr, "'%s' saved\n", name)
		}
	}
	return 0
}

// chunkedReader reads an HTTP/1.1 chunked body.
type chunkedReader struct {
	r    *bufio.Reader
	left int64
	done bool
}

func newChunkedReader(r *bufio.Reader) *chunkedReader { return &chunkedReader{r: r} }

func (c *chunkedReader) Read(b []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		size, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(size, 16, 64)
		if err != nil {
			return 0, fmt.Errorf("bad chunk size %q", size)
		}
		if n == 0 {
			c.done = true
			return 0, io.EOF
		}
		c.left = n
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		c.r.ReadString('\n')
	}
	return n, err
}

// sysMessage is the C library's words for a network error, as busybox prints them.
func sysMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	switch msg {
	case "I/o timeout":
		return "Connection timed out"
	case "No route to host":
		return "No route to host"
	}
	return msg
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

var ncOptions = getopt{short: "lp:w:vnz"}

func nc(e *Env) int {
	p, ok := ncOptions.parse(e, e.Args[1:])
	if !ok {
		return 1
	}
	wait := time.Duration(0)
	if w, ok := p.last('w'); ok {
		if n, err := strconv.Atoi(w); err == nil {
			wait = time.Duration(n) * time.Second
		}
	}
	var conn net.Conn
	if p.has('l') {
		port, _ := p.last('p')
		if port == "" && len(p.operands) > 0 {
			port = p.operands[len(p.operands)-1]
		}
		if port == "" {
			port = "0"
		}
		ln, err := net.Listen("tcp", ":"+port)
		if err != nil {
			return e.Errorf("bind: %s", sysMessage(err))
		}
		if port == "0" || p.has('v') {
			fmt.Fprintf(e.Stderr, "listening on %s ...\n", ln.Addr())
		}
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			return e.Errorf("accept: %s", sysMessage(err))
		}
		conn = c
	} else {
		if len(p.operands) < 2 {
			fmt.Fprintf(e.Stderr, "BusyBox v1.35.0 multi-call binary.\n\nUsage: nc %s\n", registry["nc"].Usage)
			return 1
		}
		host, port := p.operands[0], p.operands[1]
		addrs, err := net.LookupHost(host)
		if err != nil || len(addrs) == 0 {
			return e.Errorf("bad address '%s'", host)
		}
		d := net.Dialer{Timeout: wait}
		c, err := d.Dial("tcp", net.JoinHostPort(addrs[0], port))
		if err != nil {
			return e.Errorf("can't connect to remote host (%s): %s", addrs[0], sysMessage(err))
		}
		if p.has('z') {
			c.Close()
			return 0
		}
		conn = c
	}
	defer conn.Close()
	done := make(chan struct{})
	go func() {
		io.Copy(e.Stdout, conn)
		close(done)
	}()
	io.Copy(conn, e.Stdin)
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	<-done
	return 0
}
