import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildStream,
  parseIndexDoc,
  serializeDocument,
  signedPath,
  type Manifest,
} from '@kiln/simplestreams';
import type { PrivateKey } from 'openpgp';
import { fixtureProducts, type FixtureProduct } from './fixture-manifest.js';
import type { GpgTestKey } from './test-keys.js';

export type FixtureSigning =
  | { readonly kind: 'none' }
  | { readonly kind: 'openpgp'; readonly key: PrivateKey }
  | { readonly kind: 'gpg'; readonly key: GpgTestKey };

export interface FixtureStreamOptions {
  /** Parent folder: blobs and manifest go to `<dir>/source`, the stream to `<dir>/stream`. */
  readonly dir: string;
  readonly signing?: FixtureSigning;
  /** Multiplies kernel/initrd/squashfs/root-tgz sizes (default 1: a few KB each). */
  readonly scale?: number;
  /** The tampered variant: flip one byte inside this signed document after signing. */
  readonly alterSignedDocument?: string;
}

export interface FixtureFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface FixtureStream {
  readonly root: string;
  readonly manifestPath: string;
  readonly products: readonly FixtureProduct[];
  readonly files: ReadonlyMap<string, FixtureFile>;
}

/** Deterministic, distinct content for a path (so a wrong file never has the right hash). */
export function fixtureBlob(path: string, size: number): Buffer {
  const seed = createHash('sha256').update(path).digest();
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += seed.length) seed.copy(out, i, 0, Math.min(seed.length, size - i));
  return out;
}

function manifestFor(products: readonly FixtureProduct[]): Manifest {
  const content: Manifest['content'] = {};
  for (const p of products) {
    const entry = (content[p.contentId] ??= { datatype: 'image-ids', products: {} });
    const versions: Record<
      string,
      { items: Record<string, { ftype: string; path: string; file: string }> }
    > = {};
    for (const [v, items] of Object.entries(p.versions)) {
      const out: Record<string, { ftype: string; path: string; file: string }> = {};
      for (const [name, item] of Object.entries(items)) {
        out[name] = {
          ...item.fields,
          ftype: item.ftype,
          path: item.path,
          file: `blobs/${item.path}`,
        };
      }
      versions[v] = { items: out };
    }
    entry.products[p.name] = { ...p.fields, versions };
  }
  return { updated: 'Thu, 24 Jul 2025 08:01:49 +0000', content };
}

/** Signs an unsigned tree with real `gpg --clearsign`: `.sjson` next to every `.json`. */
async function clearsignTree(root: string, key: GpgTestKey): Promise<void> {
  const indexText = await readFile(join(root, 'streams/v1/index.json'), 'utf8');
  const index = parseIndexDoc(indexText, 'index.json');
  for (const entry of Object.values(index.index)) {
    const text = await readFile(join(root, entry.path), 'utf8');
    await writeFile(join(root, signedPath(entry.path)), await key.clearsign(text));
    entry.path = signedPath(entry.path);
  }
  await writeFile(
    join(root, 'streams/v1/index.sjson'),
    await key.clearsign(serializeDocument(index)),
  );
}

/**
 * Generates the fixture stream at test time: blobs, a YAML manifest, and the stream built by
 * `buildStream`, signed with an openpgp.js key, with real gpg, or not at all.
 */
export async function makeFixtureStream(options: FixtureStreamOptions): Promise<FixtureStream> {
  const products = fixtureProducts(options.scale ?? 1);
  const source = join(options.dir, 'source');
  const root = join(options.dir, 'stream');
  const files = new Map<string, FixtureFile>();
  for (const p of products) {
    for (const items of Object.values(p.versions)) {
      for (const item of Object.values(items)) {
        const blob =
          item.text === undefined ? fixtureBlob(item.path, item.size) : Buffer.from(item.text);
        await mkdir(join(source, 'blobs', item.path, '..'), { recursive: true });
        await writeFile(join(source, 'blobs', item.path), blob);
        files.set(item.path, {
          path: item.path,
          size: item.size,
          sha256: createHash('sha256').update(blob).digest('hex'),
        });
      }
    }
  }
  const manifestPath = join(source, 'manifest.yaml');
  // JSON is YAML, and keeps testkit free of a YAML dependency.
  await writeFile(manifestPath, JSON.stringify(manifestFor(products), null, 1));
  const signing = options.signing ?? { kind: 'none' };
  await buildStream({
    manifest: manifestPath,
    outDir: root,
    signKey: signing.kind === 'openpgp' ? signing.key : undefined,
  });
  if (signing.kind === 'gpg') await clearsignTree(root, signing.key);
  if (options.alterSignedDocument !== undefined)
    await alterSignedByte(join(root, options.alterSignedDocument));
  return { root, manifestPath, products, files };
}

/**
 * Flips one digit inside the signed body of a `.sjson` document, leaving the signature as it
 * was: the tampered-document case.
 */
export async function alterSignedByte(path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const bodyStart = text.indexOf('\n\n') + 2;
  const bodyEnd = text.indexOf('-----BEGIN PGP SIGNATURE-----');
  const at = text.slice(bodyStart, bodyEnd).search(/[0-9]/) + bodyStart;
  if (at < bodyStart) throw new Error(`${path} has no digit to alter`);
  const digit = text[at] === '9' ? '8' : String(Number(text[at]) + 1);
  await writeFile(path, text.slice(0, at) + digit + text.slice(at + 1));
}
