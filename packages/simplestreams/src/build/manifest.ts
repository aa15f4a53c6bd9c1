import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { jsonPath } from '../documents/parse-document.js';
import { inputFault } from '../stream-error.js';

const manifestItem = z.looseObject({
  ftype: z.string().min(1),
  path: z.string().min(1),
  /** Local file to publish at `path`, relative to the manifest's folder. */
  file: z.string().min(1),
});

const manifestVersion = z.looseObject({ items: z.record(z.string(), manifestItem) });
const manifestProduct = z.looseObject({ versions: z.record(z.string(), manifestVersion) });

const manifestContent = z.looseObject({
  datatype: z.string().default('image-ids'),
  products: z.record(z.string(), manifestProduct),
});

/**
 * The build manifest: products documents keyed by content id, written like the stream itself
 * (product, version and item fields inline), except that each item names a local `file`
 * instead of a sha256 and size.
 */
export const manifestSchema = z.object({
  updated: z.string().optional(),
  content: z.record(z.string(), manifestContent),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestContent = z.infer<typeof manifestContent>;
export type ManifestItem = z.infer<typeof manifestItem>;

export function parseManifest(text: string, origin = 'manifest'): Manifest {
  let data: unknown;
  try {
    data = parseYaml(text) as unknown;
  } catch (error) {
    throw inputFault(
      'STREAM_MANIFEST_INVALID',
      `${origin} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const result = manifestSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((i) => `${jsonPath(i.path)}: ${i.message}`);
    throw inputFault('STREAM_MANIFEST_INVALID', `${origin}: ${problems.join('; ')}`, { problems });
  }
  return result.data;
}

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw inputFault(
      'STREAM_MANIFEST_INVALID',
      `Cannot read manifest ${path}: ${(error as Error).message}`,
    );
  }
  return parseManifest(text, path);
}
