import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Runs `work` under the V8 CPU profiler of this process and writes `<dir>/<name>.cpuprofile`
 * (open in Chrome DevTools, or summarise with `bench/lib/profile-top.ts`). Used for the Kiln side
 * of in-process suites when KILN_BENCH_PROFILE names a folder.
 */
export async function withCpuProfile<T>(
  dir: string,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
