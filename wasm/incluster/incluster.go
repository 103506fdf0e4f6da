// Package incluster lets a Kubernetes client (client-go's
// rest.InClusterConfig, or any HTTPS client trusting the service account's
// ca.crt) reach podplay's API server from inside a pod. Import it for its
// side effect:
//
//	import _ "podplay.dev/wasm/incluster"
//
// In a podplay pod with a service-account token, it listens inside the
// process at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (the
// kubernetes Service's address; the pod does not have that address, so
// the listener stays in the process, on Go's own network), terminates TLS
// there with the API server's certificate (signed by the cluster CA that
// ca.crt holds, for the Service's names and IP, HTTP/1.1 only), and passes
// each request on to the API server's endpoint in the cluster network,
// streaming watches as they come. client-go's code is unchanged.
// Outside podplay (no /etc/podplay/apiserver.crt) it does nothing.
package incluster

import (
	"crypto/tls"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"
)

// Files the kubelet writes into a podplay container that has a token.
const (
	certFile = "/etc/podplay/apiserver.crt"
	keyFile  = "/etc/podplay/apiserver.key"
	addrFile = "/etc/podplay/apiserver.addr"
)

// Err is why the package is not serving, when it is not (nil when it is).
var Err error

func init() {
	Err = start()
}

func start() error {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return errNotInCluster
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	addr, err := os.ReadFile(addrFile)
	if err != nil {
		return err
	}
	upstream := &url.URL{Scheme: "http", Host: strings.TrimSpace(string(addr))}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	// Watches and logs stream: every write goes on at once.
	proxy.FlushInterval = -1
	proxy.ErrorLog = log.New(os.Stderr, "incluster: ", 0)
	proxy.Transport = &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
	}
	server := &http.Server{
		Handler:  proxy,
		ErrorLog: log.New(os.Stderr, "incluster: ", 0),
		// HTTP/1.1 only: client-go then does not try HTTP/2.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12})
	go server.Serve(tlsLn)
	return nil
}

type notInCluster struct{}

func (notInCluster) Error() string {
	return "not in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set"
}

var errNotInCluster error = notInCluster{}
