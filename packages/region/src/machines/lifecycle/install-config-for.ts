import { AppError } from '@kiln/node-kit';
import { readJsonObject } from '../../db/index.js';
import type { RegionContext } from '../../region-context.js';
import { fileOfType, ROOT_FILETYPES, type BootImage } from '../images/image-availability.js';
import {
  renderInstallConfig,
  type InstallConfig,
  type InstallInterface,
  type InstallMachine,
  type LinkMode,
} from '../install-config/index.js';
import { MACHINE_DOMAIN } from '../repository/machine-json.js';
import { loadMachineView, type MachineView } from '../repository/machine-view.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';
import type { NodeCredentials } from '../tokens/node-tokens.js';

const LINK_MODES: readonly LinkMode[] = ['auto', 'static', 'dhcp', 'link_up'];

export function installMachineOf(
  view: MachineView,
  osystem: string,
  release: string,
): InstallMachine {
  const m = view.machine;
  const interfaces: InstallInterface[] = view.interfaces.map((i) => {
    const mode = (LINK_MODES as readonly string[]).includes(i.link_mode)
      ? (i.link_mode as LinkMode)
      : 'dhcp';
    // An AUTO link without an allocated address cannot be written statically: fall back to DHCP.
    const effective: LinkMode = mode === 'auto' && i.ip_address === null ? 'dhcp' : mode;
    const subnet =
      i.subnet_cidr === null
        ? undefined
        : { cidr: i.subnet_cidr, gateway_ip: i.gateway_ip ?? undefined };
    return {
      name: i.name,
      type: i.type,
      mac_address: i.mac_address ?? undefined,
      mtu: i.mtu,
      parents: JSON.parse(i.parents) as string[],
      vlan_id: i.vlan_id ?? undefined,
      params: readJsonObject(i.params),
      links: [{ mode: effective, ip_address: i.ip_address ?? undefined, subnet }],
    };
  });
  return {
    system_id: m.system_id,
    hostname: m.hostname,
    domain: MACHINE_DOMAIN,
    architecture: m.architecture,
    osystem,
    distro_series: release,
    firmware: m.firmware === 'uefi' ? 'uefi' : 'bios',
    block_devices: view.blockDevices.map((d) => ({
      name: d.name,
      path: d.path,
      size: d.size,
      serial: d.serial === '' ? undefined : d.serial,
      model: d.model === '' ? undefined : d.model,
    })),
    interfaces,
  };
}

export function noImage(osystem: string, release: string, arch: string): AppError {
  return new AppError(
    'MACHINE_NO_IMAGE',
    `No complete image is available for ${osystem}/${release} on ${arch}: select it in the boot source selections and wait for the import to finish.`,
    { details: { osystem, release, arch } },
  );
}

/** The deploy image for a machine's chosen OS, or MACHINE_NO_IMAGE. */
export async function deployImage(
  region: RegionContext,
  osystem: string,
  release: string,
  architecture: string,
  hweKernel: string | null,
): Promise<BootImage> {
  const arch = architecture.split('/')[0] ?? architecture;
  const image = await machineServices(region).images.find({
    osystem,
    release,
    arch,
    subarch: hweKernel ?? undefined,
  });
  if (image === null || fileOfType(image, ROOT_FILETYPES) === undefined)
    throw noImage(osystem, release, arch);
  return image;
}

/** The machine's install configuration (MAAS's curtin config), rendered for `rackUrl`. */
export async function machineInstallConfig(
  region: RegionContext,
  machine: MachineRow,
  rackUrl: string,
  credentials: NodeCredentials,
  target: { osystem: string; release: string } = {
    osystem: machine.osystem,
    release: machine.distro_series,
  },
): Promise<InstallConfig> {
  const image = await deployImage(
    region,
    target.osystem,
    target.release,
    machine.architecture,
    machine.hwe_kernel,
  );
  const root = fileOfType(image, ROOT_FILETYPES);
  if (root === undefined) throw noImage(target.osystem, target.release, image.arch);
  const view = await loadMachineView(region.db, machine);
  return renderInstallConfig(installMachineOf(view, target.osystem, target.release), {
    rackUrl,
    image: { path: root.path, filetype: root.filetype, sha256: root.sha256, size: root.size },
    credentials,
    storageLayout: readJsonObject(machine.storage_layout),
    templatesDir: machineServices(region).templatesDir,
  });
}
