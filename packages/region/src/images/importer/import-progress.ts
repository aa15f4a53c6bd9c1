/** Live progress of the running import on this region (bytes, per file, and a moving rate). */
export interface ImportProgressSnapshot {
  readonly running: boolean;
  readonly startedAt: string | null;
  readonly phase: string;
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly percent: number;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly files: Readonly<Record<string, { readonly size: number; readonly done: number }>>;
}

const SAMPLE_MS = 100;

export class ImportProgress {
  #startedAt: Date | null = null;
  #phase = 'idle';
  readonly #files = new Map<string, { size: number; done: number }>();
  #samples: { at: number; bytes: number }[] = [];
  /** The sum of every file's `done`, kept as they change. */
  #done = 0;

  start(): void {
    this.#startedAt = new Date();
    this.#files.clear();
    this.#done = 0;
    this.#samples = [];
    this.#phase = 'reading sources';
  }

  phase(name: string): void {
    this.#phase = name;
  }

  addFile(sha256: string, size: number, done: number): void {
    this.#done += done - (this.#files.get(sha256)?.done ?? 0);
    this.#files.set(sha256, { size, done });
  }

  /** Called for every batch of bytes a download writes (thousands per GiB), so it stays O(1). */
  bytes(sha256: string, done: number): void {
    const file = this.#files.get(sha256);
    if (file !== undefined) {
      const next = Math.min(file.size, done);
      this.#done += next - file.done;
      file.done = next;
    }
    const now = Date.now();
    const sample = { at: now, bytes: this.#done };
    // One sample per SAMPLE_MS (the latest overwrites the newest within it): the rate window
    // holds ~50 samples instead of one per chunk received.
    const previous = this.#samples[this.#samples.length - 2];
    if (previous !== undefined && now - previous.at < SAMPLE_MS)
      this.#samples[this.#samples.length - 1] = sample;
    else this.#samples.push(sample);
    while (this.#samples.length > 2 && (this.#samples[0]?.at ?? now) < now - 5000)
      this.#samples.shift();
  }

  /** The bytes a file holds so far on this region, when this import is fetching it. */
  fileDone(sha256: string): number | undefined {
    return this.#files.get(sha256)?.done;
  }

  finish(): void {
    this.#phase = 'idle';
    this.#startedAt = null;
  }

  doneBytes(): number {
    return this.#done;
  }

  snapshot(): ImportProgressSnapshot {
    let total = 0;
    let filesDone = 0;
    const files: Record<string, { size: number; done: number }> = {};
    for (const [sha, f] of this.#files) {
      total += f.size;
      if (f.done >= f.size) filesDone += 1;
      files[sha] = { ...f };
    }
    const done = this.doneBytes();
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const span = first !== undefined && last !== undefined ? (last.at - first.at) / 1000 : 0;
    return {
      running: this.#startedAt !== null,
      startedAt: this.#startedAt?.toISOString() ?? null,
      phase: this.#phase,
      totalBytes: total,
      doneBytes: done,
      percent:
        total === 0 ? (this.#startedAt === null ? 100 : 0) : Math.floor((done * 1000) / total) / 10,
      rate:
        span > 0 && first !== undefined && last !== undefined
          ? Math.round((last.bytes - first.bytes) / span)
          : 0,
      filesTotal: this.#files.size,
      filesDone,
      files,
    };
  }
}
