import {
  BootAnswerSchema,
  COMMISSIONING_LIKE_STATUSES,
  NODE_STATUS as S,
  RACK_SYSLOG_PORT,
  isNodeStatus,
  preseedUrl,
  rackBaseUrl,
  rackImageUrl,
  type BootAnswer,
  type BootFile,
  type BootRequest,
  type EphemeralBootPurpose,
} from '@kiln/protocol';
import { recordEvent } from '../../events/index.js';
import type { RegionContext } from '../../region-context.js';
import { fileOfType, type BootImage } from '../images/image-availability.js';
import { touchExpiry } from '../lifecycle/move-machine.js';
import { MACHINE_DOMAIN } from '../repository/machine-json.js';
import { machineByMac, updateMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';
import { readBootSettings, type BootSettings } from './boot-settings.js';

type Purpose = BootAnswer['purpose'];

/** MAAS's get_boot_purpose (spec §5.2). */
export function bootPurposeOf(machine: MachineRow): Purpose {
  const status = isNodeStatus(machine.status) ? machine.status : S.NEW;
  if (COMMISSIONING_LIKE_STATUSES.includes(status)) return 'commissioning';
  if (status === S.DEPLOYING)
    return machine.netboot === 1 || machine.ephemeral_deploy === 1 ? 'xinstall' : 'local';
  if (status === S.DEPLOYED) return machine.ephemeral_deploy === 1 ? 'xinstall' : 'local';
  return 'poweroff';
}

function bootFile(
  image: BootImage,
  types: readonly string[],
  request: BootRequest,
): BootFile | undefined {
  const file = fileOfType(image, types);
  if (file === undefined) return undefined;
  return {
    sha256: file.sha256,
    name: file.filename,
    path: file.path,
    url: rackImageUrl(request.rack_address, file.path, request.rack_http_port),
  };
}

/** Which OS the ephemeral environment runs: the target Ubuntu release when installing Ubuntu. */
async function ephemeralImage(
  region: RegionContext,
  machine: MachineRow | undefined,
  purpose: EphemeralBootPurpose,
  arch: string,
  settings: BootSettings,
) {
  const images = machineServices(region).images;
  if (purpose === 'xinstall' && machine !== undefined && machine.osystem === 'ubuntu') {
    const target = await images.find({
      osystem: 'ubuntu',
      release: machine.distro_series,
      arch,
      subarch: machine.hwe_kernel ?? undefined,
    });
    if (target !== null) return target;
  }
  return images.find({
    osystem: settings.commissioning_osystem,
    release: settings.commissioning_distro_series,
    arch,
  });
}

/**
 * The region's answer to a rack's boot request: unknown MACs enlist, commissioning-like machines
 * boot the commissioning environment, deploying ones the installer, the rest boot locally or
 * power off. Null when no image can serve the request (the loader then falls through).
 */
export async function answerBootRequest(
  region: RegionContext,
  request: BootRequest,
): Promise<BootAnswer | null> {
  const machine = request.mac === null ? undefined : await machineByMac(region.db, request.mac);
  const arch = machine?.architecture.split('/')[0] ?? request.arch ?? 'amd64';
  const purpose: Purpose = machine === undefined ? 'enlist' : bootPurposeOf(machine);
  const common = {
    system_id: machine?.system_id ?? null,
    hostname: machine?.hostname ?? 'maas-enlist',
    domain: machine === undefined ? 'local' : MACHINE_DOMAIN,
    bootif_mac: request.mac,
    rack_address: request.rack_address,
    arch,
    subarch: machine?.architecture.split('/')[1] ?? request.subarch ?? 'generic',
  };
  let answer: BootAnswer | null;
  if (purpose === 'local' || purpose === 'poweroff') {
    answer = { purpose, ...common };
  } else {
    const settings = await readBootSettings(region);
    const image = await ephemeralImage(region, machine, purpose, arch, settings);
    const kernel = image === null ? undefined : bootFile(image, ['boot-kernel'], request);
    const initrd = image === null ? undefined : bootFile(image, ['boot-initrd'], request);
    const root =
      image === null ? undefined : bootFile(image, ['squashfs', 'root-tgz', 'root-txz'], request);
    if (image === null || kernel === undefined || initrd === undefined || root === undefined) {
      region.logger.warn(
        { mac: request.mac, purpose, arch },
        'no complete ephemeral image for a boot request',
      );
      answer = null;
    } else {
      const tagOpts =
        machine === undefined
          ? []
          : await region.db
              .selectFrom('machine_tags')
              .innerJoin('tags', 'tags.id', 'machine_tags.tag_id')
              .select('tags.kernel_opts')
              .where('machine_tags.machine_id', '=', machine.id)
              .execute();
      const kernelOpts = [settings.kernel_opts, ...tagOpts.map((t) => t.kernel_opts)]
        .filter((o) => o !== '')
        .join(' ');
      answer = {
        purpose,
        ...common,
        osystem: image.osystem,
        release: image.release,
        kernel,
        initrd,
        root,
        kernel_opts: kernelOpts,
        kparams: '',
        log_host: request.rack_address,
        log_port: RACK_SYSLOG_PORT,
        preseed_url: preseedUrl(
          rackBaseUrl(request.rack_address, request.rack_http_port),
          purpose,
          machine?.system_id ?? null,
        ),
      };
    }
  }
  if (machine !== undefined) {
    await updateMachine(region.db, machine.id, {
      boot_rack_address: request.rack_address,
      boot_rack_http_port: request.rack_http_port,
    });
    await touchExpiry(region.db, region, machine);
    await recordEvent(region.db, {
      type: 'Boot config served',
      description:
        answer === null
          ? `No image to serve '${purpose}' for ${arch}`
          : `${purpose} (${request.loader} over ${request.protocol}) from rack ${request.rack_address}`,
      level: answer === null ? 'WARNING' : 'INFO',
      nodeSystemId: machine.system_id,
      nodeHostname: machine.hostname,
    });
  }
  return answer === null ? null : BootAnswerSchema.parse(answer);
}
