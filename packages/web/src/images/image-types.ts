export type { BootSourceOffer, OfferedRelease } from '@kiln/protocol';

export interface BootSource {
  readonly id: number;
  readonly url: string;
  readonly keyring_filename: string;
  readonly keyring_data: string;
}

export interface Selection {
  readonly id: number;
  readonly boot_source_id: number;
  readonly os: string;
  readonly release: string;
  readonly arches: readonly string[];
}

export interface ResourceSummary {
  readonly id: number;
  readonly type: 'Synced' | 'Uploaded';
  readonly name: string;
  readonly architecture: string;
  readonly title?: string;
  readonly base_image?: string;
}

export interface ResourceFile {
  readonly filename: string;
  readonly filetype: string;
  readonly sha256: string;
  readonly size: number;
  readonly complete: boolean;
  readonly progress?: number;
  readonly received?: number;
  readonly upload_uri?: string;
}

export interface ResourceSet {
  readonly version: string;
  readonly label: string;
  readonly size: number;
  readonly complete: boolean;
  readonly progress?: number;
  readonly files: Readonly<Record<string, ResourceFile>>;
}

export interface ResourceDetail extends ResourceSummary {
  readonly sets: Readonly<Record<string, ResourceSet>>;
}

export interface ImportProgress {
  readonly importing: boolean;
  readonly phase: string | null;
  readonly percent: number;
  readonly rate: number;
  readonly files: Readonly<Record<string, { size: number; done: number }>>;
}

export interface KilnEvent {
  readonly id: number;
  readonly type: string;
  readonly description: string;
  readonly level: string;
  readonly created: string;
}

export interface Notification {
  readonly id: number;
  readonly ident: string | null;
  readonly message: string;
  readonly category: 'error' | 'warning' | 'success' | 'info';
}

/** The default stream, as MAAS calls "maas.io" in its source picker. */
export const DEFAULT_SOURCE_URL = 'http://images.maas.io/ephemeral-v3/stable/';
