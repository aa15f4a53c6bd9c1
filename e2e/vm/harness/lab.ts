import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImages, type BuildImagesResult } from '@kiln/testkit';
import { probeAccel, type AccelChoice } from './accel-probe.js';
import type { Daemon } from './daemon.js';
import { KilnClient } from './kiln-client.js';
import { REPO_ROOT, startKiln, type KilnServer } from './kiln-server.js';
import { createLabNetwork, removeStaleLabs, type LabNetwork } from './netns.js';
import { startVm, type Vm, type VmSpec } from './qemu-vm.js';
import { startRaSender, startStreamServer } from './support-daemons.js';
import { configureKiln } from './configure-kiln.js';

export interface Lab {
  readonly net: LabNetwork;
  readonly kiln: KilnServer;
  readonly api: KilnClient;
  readonly accel: AccelChoice;
  readonly images: BuildImagesResult;
  readonly artifacts: string;
  addVm(spec: VmSpec): Promise<Vm>;
  close(): Promise<void>;
}

const STREAM_PORT = 8100;

/** Where the image build lives between runs (content-cached; ~1 GB). */
export const IMAGE_DIR = process.env.KILN_VM_IMAGES ?? join(REPO_ROOT, '.cache/vm-images');

/**
 * One lab per test file: images (cached), namespace + bridge + RA, the stream server, Kiln with
 * DHCP on the bridge's subnet and the stream imported. Everything it creates is removed by
 * close(), and by a SIGINT/SIGTERM handler if the run is interrupted.
 */
export async function startLab(name: string): Promise<Lab> {
  const artifacts = join(REPO_ROOT, 'test-artifacts/vm', name);
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  await removeStaleLabs();
  const images = await buildImages({ outDir: IMAGE_DIR });
  const accel = await probeAccel();
  const work = await mkdtemp(join(tmpdir(), `kiln-vm-${name}-`));
  const net = await createLabNetwork(`${name}-${String(process.pid)}`);
  const daemons: Daemon[] = [];
  const cleanupSync = () => {
    net.destroySync();
    rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanupSync();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const d of daemons.reverse()) await d.stop().catch(() => undefined);
    cleanupSync();
  };
  try {
    daemons.push(startRaSender(net.ns, net.bridge, artifacts));
    const stream = startStreamServer(net.ns, images.streamDir, STREAM_PORT, artifacts);
    daemons.push(stream);
    await stream.waitForLine(/Serving HTTP/, 15_000);
    const kiln = await startKiln(net.ns, net.address, {
      dataDir: join(work, 'kiln-data'),
      artifacts,
      streamUrl: `http://127.0.0.1:${String(STREAM_PORT)}/streams/v1/index.sjson`,
      keyring: images.keyringPath,
    });
    daemons.push(kiln.daemon);
    if (kiln.rack !== undefined) daemons.push(kiln.rack);
    const api = new KilnClient(net.ns, kiln.regionUrl, kiln.apiKey);
    await configureKiln(api, net);
    let taps = 0;
    return {
      net,
      kiln,
      api,
      accel,
      images,
      artifacts,
      async addVm(spec) {
        const tap = await net.addTap(`tap${String(taps++)}`);
        const vm = await startVm(net.ns, tap, spec, { work, artifacts }, accel.accel);
        daemons.push(vm.daemon);
        return vm;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
