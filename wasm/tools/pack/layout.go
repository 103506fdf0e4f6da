package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// OCI image-spec media types.
const (
	mediaTypeIndex    = "application/vnd.oci.image.index.v1+json"
	mediaTypeManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeConfig   = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayerGz  = "application/vnd.oci.image.layer.v1.tar+gzip"
	annotationRefName = "org.opencontainers.image.ref.name"
)

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Platform    *platform         `json:"platform,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

type runConfig struct {
	User       string            `json:"User,omitempty"`
	Env        []string          `json:"Env,omitempty"`
	Entrypoint []string          `json:"Entrypoint,omitempty"`
	Cmd        []string          `json:"Cmd,omitempty"`
	WorkingDir string            `json:"WorkingDir,omitempty"`
	Labels     map[string]string `json:"Labels,omitempty"`
}

type history struct {
	Created    string `json:"created"`
	CreatedBy  string `json:"created_by"`
	Comment    string `json:"comment,omitempty"`
	EmptyLayer bool   `json:"empty_layer,omitempty"`
}

type imageConfig struct {
	Created      string    `json:"created"`
	Architecture string    `json:"architecture"`
	OS           string    `json:"os"`
	Config       runConfig `json:"config"`
	RootFS       struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []history `json:"history"`
}

type manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Config        descriptor        `json:"config"`
	Layers        []descriptor      `json:"layers"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

type index struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Manifests     []descriptor      `json:"manifests"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// layoutWriter collects blobs by digest and writes an OCI image layout.
type layoutWriter struct {
	blobs map[string][]byte
}

func (w *layoutWriter) add(mediaType string, data []byte) descriptor {
	d := digestOf(data)
	w.blobs[d] = data
	return descriptor{MediaType: mediaType, Digest: d, Size: int64(len(data))}
}

func (w *layoutWriter) addJSON(mediaType string, v any) (descriptor, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return descriptor{}, err
	}
	return w.add(mediaType, append(data, '\n')), nil
}

// write puts oci-layout, index.json and blobs/sha256/* under dir and removes
// blobs no longer referenced, so the directory holds exactly this layout.
func (w *layoutWriter) write(dir string, idx index) error {
	blobDir := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		return err
	}
	for d, data := range w.blobs {
		p := filepath.Join(blobDir, strings.TrimPrefix(d, "sha256:"))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	existing, _ := os.ReadDir(blobDir)
	for _, e := range existing {
		if _, ok := w.blobs["sha256:"+e.Name()]; !ok {
			if err := os.Remove(filepath.Join(blobDir, e.Name())); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`+"\n"), 0o644); err != nil {
		return err
	}
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.json"), append(data, '\n'), 0o644)
}

// compareDirs lists the files that differ between two layouts.
func compareDirs(a, b string) ([]string, error) {
	seen := map[string]bool{}
	var diffs []string
	for _, root := range []string{a, b} {
		err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if seen[rel] {
				return nil
			}
			seen[rel] = true
			x, errA := os.ReadFile(filepath.Join(a, rel))
			y, errB := os.ReadFile(filepath.Join(b, rel))
			switch {
			case errA != nil:
				diffs = append(diffs, fmt.Sprintf("only in the fresh pack: %s", rel))
			case errB != nil:
				diffs = append(diffs, fmt.Sprintf("only in the committed layout: %s", rel))
			case !bytes.Equal(x, y):
				diffs = append(diffs, fmt.Sprintf("differs: %s", rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return diffs, nil
}
