import type { Agent } from 'node:http';
import { httpGet } from './http-get.js';
import { expectedSha256, parseIpxeBootUrls } from './ipxe-urls.js';
import { tftpGet } from './tftp-get.js';
import type { BootStep, MachineResult } from './types.js';

export interface MachineContext {
  readonly baseUrl: string;
  readonly agent: Agent;
  readonly timeoutMs: number;
  readonly verify: boolean;
  readonly tftpPort: number | undefined;
}

class StepError extends Error {
  constructor(
    readonly step: BootStep,
    message: string,
  ) {
    super(message);
  }
}

async function fetchConfig(mac: string, ctx: MachineContext): Promise<string> {
  const name = `ipxe.cfg-${mac}`;
  if (ctx.tftpPort !== undefined) {
    const host = new URL(ctx.baseUrl).hostname;
    return (await tftpGet(host, ctx.tftpPort, name, ctx.timeoutMs)).toString('utf8');
  }
  const result = await httpGet(`${ctx.baseUrl}/${name}`, {
    agent: ctx.agent,
    timeoutMs: ctx.timeoutMs,
    hash: false,
    keepBody: true,
  });
  if (result.status !== 200) throw new Error(`HTTP ${result.status}`);
  return result.body?.toString('utf8') ?? '';
}

async function step<T>(name: BootStep, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof StepError
      ? error
      : new StepError(name, error instanceof Error ? error.message : String(error));
  }
}

/**
 * What one machine does from iPXE onwards: its config by MAC, then the kernel, initrd and root
 * filesystem the config names (in that order, as firmware and initramfs do), then the preseed
 * from the metadata server. Image bytes are checked against the sha256 in their URL.
 */
export async function bootMachine(mac: string, ctx: MachineContext): Promise<MachineResult> {
  const start = performance.now();
  const files: { path: string; bytes: number }[] = [];
  let bytes = 0;
  try {
    const config = await step('config', () => fetchConfig(mac, ctx));
    bytes += config.length;
    const urls = parseIpxeBootUrls(config);
    if (urls === null) throw new StepError('config', 'not an ephemeral-boot iPXE config');
    for (const [name, url] of [
      ['kernel', urls.kernel],
      ['initrd', urls.initrd],
      ['root', urls.root],
    ] as const) {
      await step(name, async () => {
        const result = await httpGet(url, {
          agent: ctx.agent,
          timeoutMs: ctx.timeoutMs,
          hash: ctx.verify,
          keepBody: false,
        });
        if (result.status !== 200) throw new Error(`HTTP ${result.status} for ${url}`);
        const want = expectedSha256(url);
        if (ctx.verify && want !== undefined && result.sha256 !== want)
          throw new Error(`sha256 ${result.sha256 ?? '?'} != ${want} (${result.bytes} bytes)`);
        bytes += result.bytes;
        files.push({ path: new URL(url).pathname, bytes: result.bytes });
      });
    }
    await step('metadata', async () => {
      const result = await httpGet(urls.metadata, {
        agent: ctx.agent,
        timeoutMs: ctx.timeoutMs,
        hash: false,
        keepBody: true,
      });
      if (result.status !== 200) throw new Error(`HTTP ${result.status} for ${urls.metadata}`);
      bytes += result.bytes;
    });
    return { mac, ok: true, ms: performance.now() - start, bytes, files };
  } catch (error) {
    const e = error as StepError;
    return {
      mac,
      ok: false,
      ms: performance.now() - start,
      bytes,
      files,
      error: { step: e.step, message: e.message },
    };
  }
}
