// Copyright podplay authors. Added to package net by podplay's build
// (wasm/tools/pack/overlay.go); it is not part of Go.

//go:build wasip1

package net

import (
	"context"
	"internal/poll"
	"os"
	"syscall"
	"unsafe"
)

// On wasip1 Go's network is a fake one inside the process (net_fake.go):
// a program can only dial its own listeners. In a podplay container the
// node answers WASIX's socket calls instead (see docs/network.md), and this
// file routes TCP listeners and TCP and connected UDP sockets there, so that
// http.ListenAndServe(":8080", h) is reachable from other pods and
// net.Dial reaches pod IPs, Services and the cluster's DNS. What the node
// declines stays in the process, as before: unix sockets, unconnected UDP,
// a listener on an address the pod does not have (EADDRNOTAVAIL), and a dial
// of an address the process itself listens on in-process. Outside podplay
// the first sock_open fails and everything stays in-process.

//go:wasmimport wasix_32v1 sock_open
//go:noescape
func podplaySockOpen(af, socktype, proto int32, fd unsafe.Pointer) int32

//go:wasmimport wasix_32v1 sock_bind
//go:noescape
func podplaySockBind(fd int32, addr unsafe.Pointer) int32

//go:wasmimport wasix_32v1 sock_listen
func podplaySockListen(fd, backlog int32) int32

//go:wasmimport wasix_32v1 sock_connect
//go:noescape
func podplaySockConnect(fd int32, addr unsafe.Pointer) int32

//go:wasmimport wasix_32v1 sock_addr_local
//go:noescape
func podplaySockAddrLocal(fd int32, addr unsafe.Pointer) int32

//go:wasmimport wasix_32v1 sock_addr_peer
//go:noescape
func podplaySockAddrPeer(fd int32, addr unsafe.Pointer) int32

// podplayAddr is the address the socket calls take: family (1 IPv4,
// 2 IPv6), a zero byte, the port (big-endian), then 16 bytes of address.
type podplayAddr [20]byte

// WASIX's address families and socket types.
const (
	podplayInet4  = 1
	podplayInet6  = 2
	podplayStream = 1
	podplayDgram  = 2
)

// podplayAbsent is set once the host has said it has no sockets.
var podplayAbsent bool

func podplayEncode(family int, sa sockaddr) *podplayAddr {
	var a podplayAddr
	var ip IP
	var port int
	switch sa := sa.(type) {
	case *TCPAddr:
		if sa != nil {
			ip, port = sa.IP, sa.Port
		}
	case *UDPAddr:
		if sa != nil {
			ip, port = sa.IP, sa.Port
		}
	}
	a[2], a[3] = byte(port>>8), byte(port)
	if ip4 := ip.To4(); ip4 != nil {
		a[0] = podplayInet4
		copy(a[4:], ip4)
	} else if len(ip) == IPv6len {
		a[0] = podplayInet6
		copy(a[4:], ip)
	} else if family == syscall.AF_INET {
		a[0] = podplayInet4
	} else {
		a[0] = podplayInet6
	}
	return &a
}

func (a *podplayAddr) decode(sotype int) Addr {
	var ip IP
	if a[0] == podplayInet4 {
		ip = IPv4(a[4], a[5], a[6], a[7])
	} else {
		ip = make(IP, IPv6len)
		copy(ip, a[4:])
	}
	port := int(a[2])<<8 | int(a[3])
	if sotype == syscall.SOCK_DGRAM {
		return &UDPAddr{IP: ip, Port: port}
	}
	return &TCPAddr{IP: ip, Port: port}
}

func podplayErr(call string, errno int32) error {
	return os.NewSyscallError(call, syscall.Errno(errno))
}

// podplaySocket is socket() for what the node answers; handled is false
// where the fake network keeps the socket.
func podplaySocket(ctx context.Context, net string, family, sotype int, laddr, raddr sockaddr) (fd *netFD, handled bool, err error) {
	if podplayAbsent {
		return nil, false, nil
	}
	var kind int32
	switch net {
	case "tcp", "tcp4", "tcp6":
		kind = podplayStream
	case "udp", "udp4", "udp6":
		if raddr == nil {
			return nil, false, nil
		}
		kind = podplayDgram
	default:
		return nil, false, nil
	}
	if podplayNoAddr(raddr) {
		raddr = nil
	}
	if raddr != nil {
		if _, local := sockets.Load(fakeAddr(raddr)); local {
			return nil, false, nil
		}
	}
	af := int32(podplayInet6)
	if family == syscall.AF_INET {
		af = podplayInet4
	}
	var sysfd int32
	if errno := podplaySockOpen(af, kind, 0, unsafe.Pointer(&sysfd)); errno != 0 {
		// Not in podplay (no socket calls answered): Go's own network, from now on.
		if e := syscall.Errno(errno); e == syscall.ENOTSUP || e == syscall.ENOSYS {
			podplayAbsent = true
			return nil, false, nil
		}
		return nil, true, podplayErr("socket", errno)
	}
	closeFd := func() { syscall.Close(int(sysfd)) }
	if !podplayNoAddr(laddr) || raddr == nil {
		if errno := podplaySockBind(sysfd, unsafe.Pointer(podplayEncode(family, laddr))); errno != 0 {
			closeFd()
			if raddr == nil && syscall.Errno(errno) == syscall.EADDRNOTAVAIL {
				return nil, false, nil // not the pod's address: an in-process listener
			}
			return nil, true, podplayErr("bind", errno)
		}
	}
	if raddr == nil {
		if errno := podplaySockListen(sysfd, 4096); errno != 0 {
			closeFd()
			return nil, true, podplayErr("listen", errno)
		}
	} else {
		if ctx.Err() != nil {
			closeFd()
			return nil, true, podplayErr("connect", int32(syscall.ETIMEDOUT))
		}
		if errno := podplaySockConnect(sysfd, unsafe.Pointer(podplayEncode(family, raddr))); errno != 0 {
			closeFd()
			return nil, true, podplayErr("connect", errno)
		}
	}
	fd = newPollFD(net, poll.FD{Sysfd: int(sysfd), IsStream: sotype == syscall.SOCK_STREAM, ZeroReadIsEOF: sotype == syscall.SOCK_STREAM})
	fd.family, fd.sotype, fd.isConnected = family, sotype, raddr != nil
	if err := fd.init(); err != nil {
		fd.Close()
		return nil, true, err
	}
	podplayAddrs(fd)
	return fd, true, nil
}

// podplayNoAddr reports a missing address, also a typed nil one.
func podplayNoAddr(sa sockaddr) bool {
	switch sa := sa.(type) {
	case nil:
		return true
	case *TCPAddr:
		return sa == nil
	case *UDPAddr:
		return sa == nil
	}
	return false
}

// podplayAddrs gives fd the addresses the node says it has.
func podplayAddrs(fd *netFD) {
	var local, peer podplayAddr
	laddr, raddr := fd.laddr, fd.raddr
	if podplaySockAddrLocal(int32(fd.pfd.Sysfd), unsafe.Pointer(&local)) == 0 {
		laddr = local.decode(fd.sotype)
	}
	if podplaySockAddrPeer(int32(fd.pfd.Sysfd), unsafe.Pointer(&peer)) == 0 {
		raddr = peer.decode(fd.sotype)
	}
	fd.setAddr(laddr, raddr)
}

// podplayAccepted completes a connection accepted from a podplay listener.
func podplayAccepted(ln, fd *netFD) {
	fd.family, fd.sotype, fd.isConnected = ln.family, ln.sotype, true
	podplayAddrs(fd)
}
