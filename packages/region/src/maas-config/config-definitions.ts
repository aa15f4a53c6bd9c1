import { hostname } from 'node:os';
import type { KilnConfig } from '@kiln/node-kit';
import { parseBoolean } from '../form-values.js';

/** A MAAS global setting (maas/?op=get_config|set_config), stored as JSON in the config table. */
export interface ConfigDefinition {
  readonly name: string;
  readonly description: string;
  defaultValue(config: KilnConfig): unknown;
  /** Parses the text given to set_config; returns the value or a problem message. */
  parse(text: string): { value: unknown } | { problem: string };
}

const SERIES = /^[a-z0-9][a-z0-9._-]*$/;

function bool(name: string, description: string, fallback: boolean): ConfigDefinition {
  return {
    name,
    description,
    defaultValue: () => fallback,
    parse: (text) => {
      const value = parseBoolean(text);
      return value === null
        ? { problem: `'${text}' value must be either True or False.` }
        : { value };
    },
  };
}

function int(
  name: string,
  description: string,
  fallback: (c: KilnConfig) => number,
  min: number,
): ConfigDefinition {
  return {
    name,
    description,
    defaultValue: fallback,
    parse: (text) => {
      if (!/^\s*-?\d+\s*$/.test(text)) return { problem: 'Enter a whole number.' };
      const value = Number(text);
      return value < min
        ? { problem: `Ensure this value is greater than or equal to ${min}.` }
        : { value };
    },
  };
}

function str(
  name: string,
  description: string,
  fallback: string | (() => string),
  pattern?: RegExp,
): ConfigDefinition {
  return {
    name,
    description,
    defaultValue: () => (typeof fallback === 'function' ? fallback() : fallback),
    parse: (text) =>
      pattern !== undefined && text !== '' && !pattern.test(text)
        ? { problem: `'${text}' is not a valid value.` }
        : { value: text },
  };
}

export const CONFIG_DEFINITIONS: readonly ConfigDefinition[] = [
  bool(
    'boot_images_auto_import',
    'Automatically import/refresh the boot images every import interval.',
    true,
  ),
  int(
    'boot_images_import_interval_minutes',
    'Minutes between automatic boot image imports.',
    (c) => c.importIntervalMinutes,
    1,
  ),
  str('commissioning_osystem', 'Operating system used for commissioning.', 'ubuntu', SERIES),
  str('commissioning_distro_series', 'Release used for commissioning.', 'noble', SERIES),
  bool('enable_http_proxy', 'Enable the use of an APT or YUM and HTTP/HTTPS proxy.', true),
  str('http_proxy', 'Proxy for APT or YUM and HTTP/HTTPS.', ''),
  bool('boot_images_no_proxy', 'Set no_proxy with the image repository address.', false),
  str('default_osystem', 'Default operating system used for deployment.', 'ubuntu', SERIES),
  str('default_distro_series', 'Default OS release used for deployment.', 'noble', SERIES),
  str(
    'default_min_hwe_kernel',
    'Default minimum kernel version used on all new and commissioned nodes.',
    '',
  ),
  bool('enable_disk_erasing_on_release', 'Erase nodes disks prior to releasing.', false),
  bool('disk_erase_with_secure_erase', 'Use secure erase by default when erasing disks.', true),
  bool('disk_erase_with_quick_erase', 'Use quick erase by default when erasing disks.', false),
  int(
    'node_timeout',
    'Time, in minutes, until the node times out during commissioning, testing, deploying, or entering rescue mode.',
    () => 30,
    1,
  ),
  str('kernel_opts', 'Boot parameters to pass to the kernel by default.', ''),
  str('maas_name', "The name of this region's installation.", () => hostname()),
  bool('enable_third_party_drivers', 'Enable the installation of proprietary drivers.', true),
  bool(
    'enable_kernel_crash_dump',
    'Enable the kernel crash dump feature in deployed machines.',
    false,
  ),
  bool('release_notifications', 'Show a notification when new releases are available.', true),
];

export function findConfigDefinition(name: string): ConfigDefinition | undefined {
  return CONFIG_DEFINITIONS.find((d) => d.name === name);
}
