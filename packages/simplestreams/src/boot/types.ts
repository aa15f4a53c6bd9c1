import type { FileKind } from '../model/ftype.js';

export interface BootResourceFile {
  /** Basename of the item path, as MAAS names resource files. */
  readonly filename: string;
  readonly ftype: string;
  readonly kind: FileKind;
  /** Path relative to the mirror root. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly itemName: string;
  readonly kpackage?: string;
}

/** One product's newest version, mapped the way MAAS 3.6 maps it to a BootResource. */
export interface BootResource {
  /** `<os>/<release>`, or `<os>/<bootloader-type>` for bootloaders (e.g. `grub-efi-signed/uefi`). */
  readonly name: string;
  /** `<arch>/<subarch>` with the kflavor rule applied; bootloaders `<arch>/generic`. */
  readonly architecture: string;
  readonly os: string;
  readonly arch: string;
  /** The subarch part of `architecture`. */
  readonly subarch: string;
  readonly release: string;
  readonly kflavor: string;
  readonly label: string;
  /** `<os>/<version>` (e.g. `ubuntu/24.04`) when the product has a version. */
  readonly alias?: string;
  readonly bootloaderType?: string;
  /** Every subarch this resource serves: `subarches`, its own subarch, and `generic` by the GA/HWE rule. */
  readonly subarches: readonly string[];
  /** Stream version name (e.g. `20250718`). */
  readonly version: string;
  readonly contentId: string;
  readonly productName: string;
  readonly releaseCodename?: string;
  readonly releaseTitle?: string;
  readonly supportEol?: string;
  readonly files: readonly BootResourceFile[];
}

/** A boot-source selection as MAAS stores it; `*` matches anything. */
export interface Selection {
  readonly os: string;
  readonly release: string;
  readonly arches: readonly string[];
  readonly subarches: readonly string[];
  readonly labels: readonly string[];
}

/** A warning callback, so the library logs through whatever the caller uses. */
export type StreamWarn = (message: string, context?: Readonly<Record<string, unknown>>) => void;
