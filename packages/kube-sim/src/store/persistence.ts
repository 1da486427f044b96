import { promises as fs, readFileSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { StoredItem } from './store';

/** The state file's content. */
export interface PersistedState {
  version: 1;
  resourceVersion: number;
  items: StoredItem[];
  /** Allocator positions and other small counters. */
  counters: Record<string, number>;
}

export function readState(path: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as PersistedState;
  if (raw.version !== 1 || !Array.isArray(raw.items))
    throw new Error(`${path}: not a kube-sim state file`);
  return raw;
}

/** Writes atomically: a temporary file in the same directory, then rename. */
export async function writeState(
  path: string,
  state: PersistedState,
): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now()}.tmp`,
  );
  await fs.mkdir(dirname(path), { recursive: true });
  await fs.writeFile(tmp, JSON.stringify(state));
  await fs.rename(tmp, path);
}

/**
 * Debounces state writes: many changes in a burst produce one write, and
 * `flush` waits for everything pending (used on close and on signals).
 */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => PersistedState,
    private readonly delayMs = 250,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  markDirty(): void {
    this.dirty = true;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.delayMs);
      this.timer.unref?.();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const run = async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeState(this.path, this.snapshot());
      } catch (e) {
        this.onError(e);
      }
    };
    this.writing = this.writing.then(run, run);
    await this.writing;
  }
}
