import type { KilnClient, MachineJson } from './kiln-client.js';
import type { Vm } from './qemu-vm.js';
import { WaitAborted, waitFor } from './shell.js';

export async function machineByMac(api: KilnClient, mac: string): Promise<MachineJson | undefined> {
  const list = (await api.get('machines/')) as MachineJson[];
  return list.find(
    (m) =>
      m.boot_interface?.mac_address === mac ||
      (m.interface_set ?? []).some((i) => i.mac_address === mac),
  );
}

/** Waits for a machine to reach `status_name`, failing early on a FAILED_* state it was not asked for. */
export async function waitForStatus(
  api: KilnClient,
  systemId: string,
  wanted: string,
  timeoutMs: number,
  vm?: Vm,
): Promise<MachineJson> {
  return waitFor(
    `${systemId} to be ${wanted}`,
    async () => {
      const m = (await api.get(`machines/${systemId}/`)) as MachineJson;
      if (m.status_name === wanted) return m;
      if (
        m.status_name.toLowerCase().startsWith('failed') &&
        !wanted.toLowerCase().startsWith('failed')
      ) {
        const tail = vm === undefined ? '' : (await vm.serial()).slice(-3000);
        throw new WaitAborted(`${systemId} is ${m.status_name}, not ${wanted}\n${tail}`);
      }
      return undefined;
    },
    timeoutMs,
    3000,
  );
}

/** Kiln powers VMs through their QMP socket (qemu power driver). */
export async function setQemuPower(api: KilnClient, systemId: string, vm: Vm): Promise<void> {
  await api.put(`machines/${systemId}/`, {
    power_type: 'qemu',
    power_parameters_power_address: vm.qmpSocket,
  });
}

export async function events(
  api: KilnClient,
  systemId: string,
): Promise<{ type: string; description: string }[]> {
  const answer = (await api.get(`events/?op=query&id=${systemId}&limit=1000`)) as {
    events: { type: string; description: string }[];
  };
  return answer.events;
}

/**
 * Enlistment leaves a machine NEW for an administrator (spec §4.3); commissioning is the
 * operator's `commission`, and Kiln powers the VM on through the qemu driver.
 */
export async function commission(api: KilnClient, systemId: string, vm: Vm): Promise<void> {
  await waitFor(
    `${vm.name} to power off after enlistment`,
    async () => ((await vm.status()) === 'running' ? undefined : true),
    10 * 60_000,
  );
  await setQemuPower(api, systemId, vm);
  await api.post(`machines/${systemId}/?op=commission`);
}
