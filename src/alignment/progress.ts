import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar for long work that appears only on a terminal, and only once
 * the work has taken longer than `delayMs` (short runs and CI logs stay
 * quiet). The caller passes the stream, so nothing here reads the process.
 *
 * @example
 * const progress = createProgress(process.stderr, 'verify')
 * await verifyCassettes({ ..., onProgress: progress.update })
 * progress.stop()
 */
export function createProgress(stream: NodeJS.WriteStream | NodeJS.WritableStream, label: string, delayMs = 1000, now: () => number = Date.now): Progress {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const started = now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done: number, total: number) {
      if (!tty) return;
      if (!bar) {
        if (now() - started < delayMs || done >= total) return;
        bar = new cliProgress.SingleBar({ stream: stream as NodeJS.WriteStream, format: `${label} [{bar}] {value}/{total}`, clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total, done);
        return;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
