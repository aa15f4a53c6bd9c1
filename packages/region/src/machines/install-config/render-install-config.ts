import type { ImageSourceInput } from './image-source.js';
import { isDiskImage, renderImageSource } from './image-source.js';
import type { InstallConfig, NodeCredentials } from './install-config-schema.js';
import { INSTALL_CONFIG_FORMAT, installConfigSchema } from './install-config-schema.js';
import type { InstallMachine } from './machine-input.js';
import { renderNetworkConfigV1 } from './network-v1.js';
import { renderPreseedCommands, resolvePreseedTemplate } from './preseed-templates.js';
import type { StorageLayoutInput } from './storage-layout.js';
import { installDiskOf, parseStorageLayoutInput, renderStorageLayout } from './storage-layout.js';

/**
 * Composes the whole install configuration for one deployment. Every URL points at the rack
 * (`rackUrl`, which proxies /MAAS/ to the region, spec §2.1), because that is the one address
 * the machine is known to reach from its boot network.
 */

export interface InstallConfigOptions {
  /** Rack base URL, e.g. `http://10.0.0.2:5248`. */
  readonly rackUrl: string;
  readonly image: Omit<ImageSourceInput, 'rackUrl'>;
  /** The machine's own metadata token (never another machine's). */
  readonly credentials: NodeCredentials;
  /** `set_storage_layout` parameters; default `{ storage_layout: 'flat' }`. */
  readonly storageLayout?: StorageLayoutInput;
  /** Folder of operator pre-seed templates (`curtin_userdata*`); built-in generic when absent. */
  readonly templatesDir?: string | undefined;
  /** false skips grub-install (tests, images that boot without one). Default true. */
  readonly installBootloader?: boolean;
}

export async function renderInstallConfig(
  machine: InstallMachine,
  options: InstallConfigOptions,
): Promise<InstallConfig> {
  const rack = options.rackUrl.replace(/\/+$/, '');
  const image = renderImageSource({ ...options.image, rackUrl: rack });
  const choice = parseStorageLayoutInput(
    machine,
    options.storageLayout ?? { storage_layout: 'flat' },
  );
  const dd = isDiskImage(image.format);
  const network = renderNetworkConfigV1(machine.interfaces, {
    ...(machine.domain === undefined ? {} : { searchDomains: [machine.domain] }),
  });
  const metadataUrl = `${rack}/MAAS/metadata/`;
  const statusUrl = `${rack}/MAAS/metadata/status/${encodeURIComponent(machine.system_id)}`;
  const [arch = '', subarch = 'generic'] = machine.architecture.split('/');
  const template = await resolvePreseedTemplate(machine, options.templatesDir);
  const commands = renderPreseedCommands(template, {
    node: {
      system_id: machine.system_id,
      hostname: machine.hostname,
      fqdn:
        machine.domain === undefined ? machine.hostname : `${machine.hostname}.${machine.domain}`,
      osystem: machine.osystem,
      distro_series: machine.distro_series,
      architecture: machine.architecture,
      arch,
      subarch,
    },
    image: { url: image.url, format: image.format, sha256: image.sha256 },
    metadata_url: metadataUrl,
    status_url: statusUrl,
    rack_url: rack,
  });
  const config: InstallConfig = {
    format: INSTALL_CONFIG_FORMAT,
    system_id: machine.system_id,
    hostname: machine.hostname,
    osystem: machine.osystem,
    distro_series: machine.distro_series,
    disk: installDiskOf(choice.rootDevice),
    ...(dd ? {} : { storage: renderStorageLayout(machine.firmware, choice) }),
    image,
    network,
    datasource: { metadata_url: metadataUrl, ...options.credentials },
    reporter: { url: statusUrl, ...options.credentials },
    netboot_off_url: `${metadataUrl}latest/?op=netboot_off`,
    bootloader: { install: !dd && options.installBootloader !== false },
    early_commands: commands.early_commands,
    late_commands: commands.late_commands,
  };
  // The schema is the contract with the installer: fail here, not on the machine.
  return installConfigSchema.parse(config);
}
