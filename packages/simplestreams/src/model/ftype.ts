/** What an item's file is for, from its `ftype`. */
export type FileKind =
  | 'kernel'
  | 'initrd'
  | 'squashfs'
  | 'manifest'
  | 'root-archive'
  | 'root-dd'
  | 'dtb'
  | 'bootloader-archive'
  | 'root-image'
  | 'notifications';

const KINDS: Readonly<Record<string, FileKind>> = {
  'boot-kernel': 'kernel',
  'boot-initrd': 'initrd',
  squashfs: 'squashfs',
  manifest: 'manifest',
  'root-tgz': 'root-archive',
  'root-tbz': 'root-archive',
  'root-txz': 'root-archive',
  'root-dd': 'root-dd',
  'root-dd.tar': 'root-dd',
  'root-dd.raw': 'root-dd',
  'root-dd.bz2': 'root-dd',
  'root-dd.gz': 'root-dd',
  'root-dd.xz': 'root-dd',
  'root-dd.tar.bz2': 'root-dd',
  'root-dd.tar.xz': 'root-dd',
  'boot-dtb': 'dtb',
  'archive.tar.xz': 'bootloader-archive',
  'root-image.gz': 'root-image',
  notifications: 'notifications',
};

/** The kind of a known ftype, or undefined for ftypes Kiln does not understand (skip with a warning). */
export function classifyFtype(ftype: string | undefined): FileKind | undefined {
  return ftype === undefined ? undefined : KINDS[ftype];
}

/** Kinds the importer downloads; manifests and notifications are metadata only. */
export function isBootFile(kind: FileKind): boolean {
  return kind !== 'manifest' && kind !== 'notifications';
}

export const KNOWN_FTYPES: readonly string[] = Object.keys(KINDS);
