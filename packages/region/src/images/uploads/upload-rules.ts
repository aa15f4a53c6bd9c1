/** Upload `filetype` choices and the filetype MAAS stores for each (spec §2.9). */
export const UPLOAD_FILETYPES: Readonly<Record<string, string>> = {
  tgz: 'root-tgz',
  tbz: 'root-tbz',
  txz: 'root-txz',
  ddtgz: 'root-dd',
  ddtbz: 'root-dd.tar.bz2',
  ddtxz: 'root-dd.tar.xz',
  ddtar: 'root-dd.tar',
  ddbz2: 'root-dd.bz2',
  ddgz: 'root-dd.gz',
  ddxz: 'root-dd.xz',
  ddraw: 'root-dd.raw',
};

export const USABLE_ARCHES = ['amd64', 'arm64', 'armhf', 'i386', 'ppc64el', 's390x', 'riscv64'];

/** Operating systems an `<os>/<release>` upload may name (Ubuntu comes from the stream only). */
export const UPLOAD_OSES = ['centos', 'rhel', 'ol', 'rocky', 'windows', 'esxi', 'suse', 'sles'];

/** Names no custom image may take: OS names themselves. */
export const RESERVED_NAMES = new Set([
  'ubuntu',
  'centos',
  'rhel',
  'ol',
  'rocky',
  'windows',
  'esxi',
  'suse',
  'sles',
  'custom',
]);

export interface ParsedName {
  /** Stored resource name: the bare custom name, or `<os>/<release>`. */
  readonly name: string;
  readonly custom: boolean;
}

/** `custom/<name>` and bare names are custom images; `<os>/<release>` must name an upload OS. */
export function parseUploadName(raw: string): ParsedName | string {
  const name = raw.trim();
  if (name === '') return 'This field is required.';
  const parts = name.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p)))
    return `'${name}' is not a valid image name.`;
  const [os, release] = parts;
  if (release === undefined) {
    if (RESERVED_NAMES.has(name) || /^centos\d+$/.test(name))
      return `'${name}' is a reserved name.`;
    return { name, custom: true };
  }
  if (os === 'custom') return parseUploadName(release);
  if (!UPLOAD_OSES.includes(os ?? ''))
    return `Unsupported operating system ${os ?? ''}; use custom/<name> or one of ${UPLOAD_OSES.join(', ')}.`;
  return { name, custom: false };
}

/** `YYYYMMDD`, or `YYYYMMDD.N` when that date already has a set. */
export function nextSetVersion(existing: readonly string[], now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  if (!existing.includes(day)) return day;
  for (let n = 1; ; n++) if (!existing.includes(`${day}.${n}`)) return `${day}.${n}`;
}
