import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineSnapshot {
  readonly loadAverage: readonly [number, number, number];
  readonly freeMemBytes: number;
  readonly at: string;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly totalMemBytes: number;
  readonly os: string;
  readonly node: string;
  readonly start: MachineSnapshot;
  end?: MachineSnapshot;
}

export function snapshot(): MachineSnapshot {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    loadAverage: [one, five, fifteen],
    freeMemBytes: freemem(),
    at: new Date().toISOString(),
  };
}

/** What the figures ran on: shared machines vary, so the load before and after is recorded too. */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    totalMemBytes: totalmem(),
    os: `${platform()} ${release()}`,
    node: process.version,
    start: snapshot(),
  };
}
