import { AppError } from '@kiln/node-kit';
import type { ImageFormat } from './install-config-schema.js';
import { imageFormats } from './install-config-schema.js';

/**
 * Where the installer downloads the target image from: always the rack's HTTP service, which
 * caches the region's verified file by sha256 (spec §3.6), so a deploy never reaches past the rack.
 */

/** Simplestreams/boot-resource file types → installer formats. */
const FILETYPE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  squashfs: 'squashfs',
  'root-tgz': 'tgz',
  'root-tbz': 'tbz',
  'root-txz': 'txz',
  // MAAS's plain `root-dd` upload type is a gzipped tarball holding one raw disk image.
  'root-dd': 'dd-tgz',
  'root-dd.tgz': 'dd-tgz',
  'root-dd.tar.gz': 'dd-tgz',
  'root-dd.tbz': 'dd-tbz',
  'root-dd.tar.bz2': 'dd-tbz',
  'root-dd.txz': 'dd-txz',
  'root-dd.tar.xz': 'dd-txz',
  'root-dd.raw': 'dd-raw',
  'root-dd.gz': 'dd-gz',
  'root-dd.bz2': 'dd-bz2',
  'root-dd.xz': 'dd-xz',
};

export function imageFormatFor(filetype: string): ImageFormat {
  const known = FILETYPE_FORMATS[filetype];
  if (known !== undefined) return known;
  if ((imageFormats as readonly string[]).includes(filetype)) return filetype as ImageFormat;
  throw new AppError(
    'MACHINE_IMAGE_FORMAT_UNSUPPORTED',
    `Image file type '${filetype}' cannot be installed.`,
    {
      details: { filetype, supported: Object.keys(FILETYPE_FORMATS) },
    },
  );
}

export function isDiskImage(format: ImageFormat): boolean {
  return format.startsWith('dd-');
}

export interface ImageSourceInput {
  /** Rack base URL, e.g. `http://10.0.0.2:5248`. */
  readonly rackUrl: string;
  /** Path below `/images/` on the rack: `<sha256>/<os>/<arch>/<subarch>/<series>/<label>/<file>`. */
  readonly path: string;
  readonly filetype: string;
  readonly sha256: string;
  readonly size?: number;
}

export interface ImageSource {
  readonly url: string;
  readonly format: ImageFormat;
  readonly sha256: string;
  readonly size?: number;
}

export function renderImageSource(input: ImageSourceInput): ImageSource {
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) {
    throw new AppError(
      'MACHINE_IMAGE_SOURCE_INVALID',
      'Image sha256 must be 64 lowercase hex digits.',
      {
        details: { sha256: input.sha256 },
      },
    );
  }
  const segments = input.path.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '..' || s === '.')) {
    throw new AppError(
      'MACHINE_IMAGE_SOURCE_INVALID',
      `Image path '${input.path}' is not a rack image path.`,
      {
        details: { path: input.path },
      },
    );
  }
  const base = input.rackUrl.replace(/\/+$/, '');
  const url = `${base}/images/${segments.map(encodeURIComponent).join('/')}`;
  return {
    url,
    format: imageFormatFor(input.filetype),
    sha256: input.sha256,
    ...(input.size === undefined ? {} : { size: input.size }),
  };
}
