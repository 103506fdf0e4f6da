import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packTar, type TarHeader } from 'modern-tar';

/** A tar entry for a test layer: `{ name, type?, body?, linkname?, mode? }`. */
export type Entry = Partial<TarHeader> & { name: string; body?: string | Uint8Array };

export interface LayerSpec {
  entries: Entry[];
  /** How the layer blob is stored (default gzip). */
  compression?: 'gzip' | 'none';
  /** Overrides the media type written in the manifest (to test unknown ones). */
  mediaType?: string;
}

export interface ImageSpec {
  name: string;
  layers: LayerSpec[];
  entrypoint?: string[];
  os?: string;
  architecture?: string;
  /** Replaces the diff IDs podplay would compute (to test a lying config). */
  diffIds?: string[];
}

export interface BuiltImage {
  name: string;
  manifest: { mediaType: string; digest: string; size: number };
}

const digestOf = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Packs entries as a tar, every entry at a fixed mtime unless it names one. */
export async function tarOf(entries: Entry[]): Promise<Uint8Array> {
  return packTar(
    entries.map(({ body, ...h }) => {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return { header: { size: bytes?.byteLength ?? 0, mtime: new Date(1_700_000_000_000), ...h } as TarHeader, body: bytes };
    }),
  );
}

/**
 * Test images in OCI form, built by hand with Node's own crypto and zlib (not
 * podplay's code), so a test checks podplay against independently made bytes.
 */
export class ImageBuilder {
  readonly blobs = new Map<string, Uint8Array>();
  readonly images: BuiltImage[] = [];

  add(bytes: Uint8Array): { digest: string; size: number } {
    const digest = digestOf(bytes);
    this.blobs.set(digest, bytes);
    return { digest, size: bytes.byteLength };
  }

  async image(spec: ImageSpec): Promise<BuiltImage> {
    const layers = [];
    const diffIds = [];
    for (const l of spec.layers) {
      const tar = await tarOf(l.entries);
      diffIds.push(digestOf(tar));
      const blob = l.compression === 'none' ? tar : gzipSync(tar);
      layers.push({ mediaType: l.mediaType ?? (l.compression === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.oci.image.layer.v1.tar+gzip'), ...this.add(blob) });
    }
    const config = {
      created: '2026-01-01T00:00:00Z',
      architecture: spec.architecture ?? 'wasm',
      os: spec.os ?? 'wasip1',
      config: spec.entrypoint ? { Entrypoint: spec.entrypoint } : {},
      rootfs: { type: 'layers', diff_ids: spec.diffIds ?? diffIds },
    };
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...this.add(json(config)) },
      layers,
    };
    const built = { name: spec.name, manifest: { mediaType: manifest.mediaType, ...this.add(json(manifest)) } };
    this.images.push(built);
    return built;
  }

  /** index.json naming every image (ref.name holds the full name, as skopeo's oci: transport writes it). */
  indexJson(extra: object[] = []): Uint8Array {
    return json({
      schemaVersion: 2,
      manifests: [...this.images.map((i) => ({ ...i.manifest, annotations: { 'org.opencontainers.image.ref.name': i.name } })), ...extra],
    });
  }

  /** The files of an OCI layout: path → bytes. */
  layoutFiles(extra: object[] = []): Map<string, Uint8Array> {
    const files = new Map<string, Uint8Array>([
      ['oci-layout', json({ imageLayoutVersion: '1.0.0' })],
      ['index.json', this.indexJson(extra)],
    ]);
    for (const [d, b] of this.blobs) files.set(`blobs/sha256/${d.slice(7)}`, b);
    return files;
  }

  async layoutTar(extra: object[] = []): Promise<Uint8Array> {
    return tarOf([...this.layoutFiles(extra)].map(([name, body]) => ({ name, body })));
  }

  async writeLayout(dir: string, extra: object[] = []): Promise<void> {
    for (const [name, body] of this.layoutFiles(extra)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), body);
    }
  }
}
