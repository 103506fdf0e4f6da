// Command pack builds podplay's sample programs for wasip1 and packs them as
// OCI images into one OCI image layout: podplay/toolbox as the base image,
// one image per app program FROM it plus a layer, and podplay/pause and
// podplay/stress, FROM it plus a symlink to one of its applets.
//
//	go run ./tools/pack -out ../public/images          (npm run images)
//	go run ./tools/pack -out ../public/images -check   (fails if a fresh pack differs)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"podplay.dev/wasm/internal/applets"
	"podplay.dev/wasm/internal/shell"
)

const goVersionAnnotation = "dev.podplay.go.version"

// app is one image FROM podplay/toolbox: the program at /usr/local/bin/<name>.
// An app with a program of another name gets that binary at
// /usr/local/bin/<program> and /usr/local/bin/<name> as a symlink to it, with
// links for every app of the same program, so that those images share one
// layer (the program runs the one its argv[0] names).
type app struct {
	name    string
	program string
	cmd     []string
	env     []string
	extra   []entry
}

func (a app) binary() string {
	if a.program != "" {
		return a.program
	}
	return a.name
}

var apps = []app{
	{name: "hello", extra: []entry{file("etc/hello/greeting", 0o644, []byte("Hello from podplay\n"))}},
	{name: "ticker"},
	{name: "crash", cmd: []string{"1"}},
	{name: "primes", cmd: []string{"1000000"}},
	{name: "memhog", cmd: []string{"64"}},
	{name: "kv", cmd: []string{"list"}, env: []string{"KV_DIR=/data"}, extra: []entry{dir("data", 0o777)}},
	{name: "web"},
	// client-go programs (large: about 10 MiB compressed), one binary for both.
	{name: "pod-lister", program: "kube-examples"},
	{name: "pod-watcher", program: "kube-examples"},
}

// alias is an image FROM podplay/toolbox that stands in for a Linux image
// the Kubernetes docs use: its program is a symlink to /bin/toolbox at the
// path the real image has it, so the toolbox runs the applet of that name
// (it dispatches on argv[0]'s base name), and its config is the real one's.
// The registry mirrors in src/controllers/images.ts serve the real names.
type alias struct {
	name       string
	link       string // the program's path in the rootfs, a symlink to /bin/toolbox
	user       string
	entrypoint []string
	cmd        []string
	env        []string
}

var aliases = []alias{
	// registry.k8s.io/pause (kubernetes build/pause/Dockerfile): FROM scratch,
	// ADD /pause, USER 65535:65535, ENTRYPOINT ["/pause"].
	{name: "pause", link: "pause", user: "65535:65535", entrypoint: []string{"/pause"}},
	// polinux/stress (github.com/pozgo/docker-stress): FROM alpine, stress
	// installed to /usr/local/bin, ENV RELEASE_VERSION=1.0.4 (and SHELL=/bin/bash,
	// left out: there is no bash), CMD ["/usr/local/bin/stress"].
	{name: "stress", link: "usr/local/bin/stress", env: []string{"RELEASE_VERSION=1.0.4"}, cmd: []string{"/usr/local/bin/stress"}},
}

const basePath = "PATH=/usr/local/bin:/bin"

func main() {
	out := flag.String("out", "../public/images", "OCI image layout directory to write")
	check := flag.Bool("check", false, "pack into a temporary directory and fail if it differs from -out")
	build := flag.String("build", ".build", "directory for the build's workspace and binaries (relative to the module)")
	flag.Parse()
	if err := run(*out, *build, *check); err != nil {
		fmt.Fprintf(os.Stderr, "pack: %v\n", err)
		os.Exit(1)
	}
}

func run(out, build string, check bool) error {
	moduleDir, err := os.Getwd()
	if err != nil {
		return err
	}
	buildDir := build
	if !filepath.IsAbs(buildDir) {
		buildDir = filepath.Join(moduleDir, build)
	}
	if err := os.MkdirAll(filepath.Join(buildDir, "bin"), 0o755); err != nil {
		return err
	}
	work, err := prepareWorkspace(moduleDir, buildDir)
	if err != nil {
		return err
	}
	overlay, err := prepareRuntimeOverlay(moduleDir, buildDir)
	if err != nil {
		return err
	}
	names := []string{"toolbox", "go"}
	for _, a := range apps {
		if !slices.Contains(names, a.binary()) {
			names = append(names, a.binary())
		}
	}
	wasm := map[string][]byte{}
	for _, n := range names {
		p := filepath.Join(buildDir, "bin", n+".wasm")
		fmt.Fprintf(os.Stderr, "building %s\n", n)
		if err := buildProgram(moduleDir, work, overlay, n, p); err != nil {
			return err
		}
		if wasm[n], err = os.ReadFile(p); err != nil {
			return err
		}
		if n == "toolbox" {
			wasm[n] = withSignalModel(wasm[n], "default")
		}
	}
	tc, err := buildToolchain(moduleDir, work, overlay, buildDir, wasm["go"])
	if err != nil {
		return err
	}
	w := &layoutWriter{blobs: map[string][]byte{}}
	idx, err := packAll(w, wasm, tc)
	if err != nil {
		return err
	}
	if !check {
		if err := w.write(out, idx); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %d images to %s\n", len(idx.Manifests), out)
		return nil
	}
	return checkAgainst(w, idx, out)
}

// checkAgainst packs into a temporary directory and compares it with the
// committed layout. A different Go version is reported, not failed: the
// layout is only reproducible with the Go that made it.
func checkAgainst(w *layoutWriter, idx index, committed string) error {
	tmp, err := os.MkdirTemp("", "podplay-pack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := w.write(tmp, idx); err != nil {
		return err
	}
	diffs, err := compareDirs(committed, tmp)
	if err != nil {
		return err
	}
	if len(diffs) == 0 {
		fmt.Fprintf(os.Stderr, "pack: %s is reproducible (%d blobs, %s)\n", committed, len(w.blobs), goVersion())
		return nil
	}
	if old := committedGoVersion(committed); old != goVersion() {
		fmt.Fprintf(os.Stderr, "pack: %s was packed with %s, this is %s: byte-for-byte check skipped (%d files differ)\n", committed, old, goVersion(), len(diffs))
		return nil
	}
	return fmt.Errorf("%s differs from a fresh pack (run npm run images and commit the result):\n  %s", committed, strings.Join(diffs, "\n  "))
}

func committedGoVersion(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return "none"
	}
	const key = `"` + goVersionAnnotation + `": "`
	s := string(data)
	i := strings.Index(s, key)
	if i < 0 {
		return "none"
	}
	s = s[i+len(key):]
	return s[:strings.IndexByte(s, '"')]
}

// packAll builds every image into w and returns the layout's index.
func packAll(w *layoutWriter, wasm map[string][]byte, tc *toolchain) (index, error) {
	idx := index{SchemaVersion: 2, MediaType: mediaTypeIndex, Annotations: map[string]string{goVersionAnnotation: goVersion()}}
	applets.Register(shell.Applet)
	for _, a := range shell.Aliases {
		applets.Register(a)
	}
	base := []entry{
		file("bin/toolbox", 0o755, wasm["toolbox"]),
		file("etc/hostname", 0o644, []byte("podplay\n")),
		file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")),
		file("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n")),
		file("etc/os-release", 0o644, []byte("NAME=\"podplay toolbox\"\nID=podplay\nPRETTY_NAME=\"podplay toolbox (wasip1/wasm)\"\n")),
		dir("root", 0o700), dir("tmp", 0o1777), dir("usr/local/bin", 0o755),
	}
	for _, n := range applets.Names() {
		base = append(base, symlink("bin/"+n, "toolbox"))
	}
	baseLayer, err := buildLayer(base)
	if err != nil {
		return idx, err
	}
	created := epoch.Format("2006-01-02T15:04:05Z")
	baseHistory := []history{
		{Created: created, CreatedBy: "ADD toolbox.wasm /bin/toolbox  # with /bin/<applet> -> toolbox symlinks and /etc files"},
		{Created: created, CreatedBy: "ENV " + basePath, EmptyLayer: true},
		{Created: created, CreatedBy: `CMD ["sh"]`, EmptyLayer: true},
	}
	baseCfg := runConfig{Env: []string{basePath}, Cmd: []string{"sh"}, WorkingDir: "/"}
	baseDesc, err := addImage(w, &idx, "podplay/toolbox:latest", baseCfg, []layer{baseLayer}, baseHistory, nil)
	if err != nil {
		return idx, err
	}
	for _, a := range apps {
		entries := []entry{file("usr/local/bin/"+a.binary(), 0o755, wasm[a.binary()])}
		if a.program != "" {
			for _, other := range apps {
				if other.program == a.program {
					entries = append(entries, symlink("usr/local/bin/"+other.name, a.program))
				}
			}
		}
		l, err := buildLayer(append(entries, a.extra...))
		if err != nil {
			return idx, err
		}
		cfg := runConfig{Env: append([]string{basePath}, a.env...), Entrypoint: []string{"/usr/local/bin/" + a.name}, Cmd: a.cmd, WorkingDir: "/"}
		hist := append([]history(nil), baseHistory...)
		hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf("COPY %s.wasm /usr/local/bin/%s", a.binary(), a.binary())})
		for _, e := range a.env {
			hist = append(hist, history{Created: created, CreatedBy: "ENV " + e, EmptyLayer: true})
		}
		hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf(`ENTRYPOINT ["/usr/local/bin/%s"]`, a.name), EmptyLayer: true})
		if len(a.cmd) > 0 {
			hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf(`CMD ["%s"]`, strings.Join(a.cmd, `", "`)), EmptyLayer: true})
		}
		if _, err := addImage(w, &idx, "podplay/"+a.name+":latest", cfg, []layer{baseLayer, l}, hist, baseAnnotations(baseDesc)); err != nil {
			return idx, err
		}
	}
	for _, a := range aliases {
		l, err := buildLayer([]entry{symlink(a.link, "/bin/toolbox")})
		if err != nil {
			return idx, err
		}
		cfg := runConfig{Env: append([]string{basePath}, a.env...), User: a.user, Entrypoint: a.entrypoint, Cmd: a.cmd, WorkingDir: "/"}
		hist := append([]history(nil), baseHistory...)
		hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf("RUN ln -s /bin/toolbox /%s  # the toolbox's %s applet", a.link, a.name)})
		for _, e := range a.env {
			hist = append(hist, history{Created: created, CreatedBy: "ENV " + e, EmptyLayer: true})
		}
		if a.user != "" {
			hist = append(hist, history{Created: created, CreatedBy: "USER " + a.user, EmptyLayer: true})
		}
		if len(a.entrypoint) > 0 {
			hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf(`ENTRYPOINT ["%s"]`, strings.Join(a.entrypoint, `", "`)), EmptyLayer: true})
		}
		if len(a.cmd) > 0 {
			hist = append(hist, history{Created: created, CreatedBy: fmt.Sprintf(`CMD ["%s"]`, strings.Join(a.cmd, `", "`)), EmptyLayer: true})
		}
		if _, err := addImage(w, &idx, "podplay/"+a.name+":latest", cfg, []layer{baseLayer, l}, hist, baseAnnotations(baseDesc)); err != nil {
			return idx, err
		}
	}
	if err := addGolang(w, &idx, tc, baseLayer, baseHistory, baseDesc); err != nil {
		return idx, err
	}
	return idx, nil
}

// baseAnnotations name the base image an image was built FROM (image-spec annotations.md).
func baseAnnotations(base descriptor) map[string]string {
	return map[string]string{
		"org.opencontainers.image.base.name":   "podplay/toolbox:latest",
		"org.opencontainers.image.base.digest": base.Digest,
	}
}

// withSignalModel appends the custom section "podplay.signals" to a module:
// podplay then treats its signals as the model says ("default": a program
// without handlers, as busybox's applets are, though the toolbox is built by
// Go, whose runtime would otherwise end it on SIGTERM). A custom section is
// ignored by every runtime; the program's code is unchanged.
func withSignalModel(module []byte, model string) []byte {
	name := "podplay.signals"
	body := append(uleb(uint64(len(name))), name...)
	body = append(body, model...)
	out := append([]byte(nil), module...)
	out = append(out, 0)
	out = append(out, uleb(uint64(len(body)))...)
	return append(out, body...)
}

func uleb(n uint64) []byte {
	var b []byte
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func addImage(w *layoutWriter, idx *index, ref string, rc runConfig, layers []layer, hist []history, ann map[string]string) (descriptor, error) {
	cfg := imageConfig{Created: epoch.Format("2006-01-02T15:04:05Z"), Architecture: "wasm", OS: "wasip1", Config: rc, History: hist}
	cfg.RootFS.Type = "layers"
	m := manifest{SchemaVersion: 2, MediaType: mediaTypeManifest, Annotations: ann}
	for _, l := range layers {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, l.diffID)
		m.Layers = append(m.Layers, w.add(mediaTypeLayerGz, l.gz))
	}
	var err error
	if m.Config, err = w.addJSON(mediaTypeConfig, cfg); err != nil {
		return descriptor{}, err
	}
	d, err := w.addJSON(mediaTypeManifest, m)
	if err != nil {
		return descriptor{}, err
	}
	d.Platform = &platform{Architecture: "wasm", OS: "wasip1"}
	d.Annotations = map[string]string{annotationRefName: ref}
	idx.Manifests = append(idx.Manifests, d)
	return d, nil
}
