import { stringify } from 'yaml';
import type { InstallConfig } from './install-config-schema.js';

/**
 * The files the installer writes into the target so that the installed OS's cloud-init finds
 * Kiln: the MAAS datasource with this machine's token, the webhook reporter, and the network
 * configuration. Rendered here (not in sh) so the YAML is produced by a real serializer.
 */

export interface TargetFile {
  readonly path: string;
  readonly mode: string;
  readonly content: string;
}

export const DATASOURCE_FILE = '/etc/cloud/cloud.cfg.d/90_kiln_datasource.cfg';
export const REPORTING_FILE = '/etc/cloud/cloud.cfg.d/90_kiln_reporting.cfg';
export const NETWORK_FILE = '/etc/cloud/cloud.cfg.d/50-kiln-network.cfg';

const HEADER = "# Written by kiln-install. Holds this machine's metadata credentials.\n";

/**
 * cloud-init reads YAML 1.1 (PyYAML): unquoted `52:54:00:00:00:01` is a base-60 integer there and
 * `on` a boolean. Serialising for 1.1 quotes every such string.
 */
const YAML_11 = { version: '1.1' } as const;

export function renderCloudInitFiles(config: InstallConfig): TargetFile[] {
  const { metadata_url, consumer_key, token_key, token_secret } = config.datasource;
  const datasource = stringify(
    {
      datasource_list: ['MAAS'],
      datasource: { MAAS: { metadata_url, consumer_key, token_key, token_secret } },
    },
    YAML_11,
  );
  const reporting = stringify(
    {
      reporting: {
        maas: {
          type: 'webhook',
          endpoint: config.reporter.url,
          consumer_key: config.reporter.consumer_key,
          token_key: config.reporter.token_key,
          token_secret: config.reporter.token_secret,
        },
      },
    },
    YAML_11,
  );
  return [
    { path: DATASOURCE_FILE, mode: '0600', content: HEADER + datasource },
    { path: REPORTING_FILE, mode: '0600', content: HEADER + reporting },
    { path: NETWORK_FILE, mode: '0644', content: stringify({ network: config.network }, YAML_11) },
  ];
}
