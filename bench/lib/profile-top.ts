// Summarises a V8 .cpuprofile: the functions with the most self time, and the share of all
// samples they hold.   npx tsx bench/lib/profile-top.ts <file.cpuprofile> [count]
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export function topFrames(profile: CpuProfile, count: number): string[] {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  samples.forEach((id, i) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)),
  );
  const byFrame = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + us);
  }
  return [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([frame, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${frame}`,
    );
}

if (process.argv[1]?.endsWith('profile-top.ts') === true) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: profile-top.ts <file.cpuprofile> [count]');
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  console.log(topFrames(profile, Number(process.argv[3] ?? 25)).join('\n'));
}
