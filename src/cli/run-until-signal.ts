/**
 * Keeps the process up until SIGINT/SIGTERM, then runs `stop` once (close
 * listeners, finish in-flight requests, flush recordings) and exits 0. A
 * second signal while stopping exits at once.
 */
export function runUntilSignal(stop: () => Promise<void>, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) process.exit(130);
      stopping = true;
      const force = setTimeout(() => {
        process.stderr.write(`mockdeck: in-flight requests did not finish within ${graceMs} ms; exiting\n`);
        process.exit(1);
      }, graceMs);
      force.unref();
      stop()
        .catch((err: unknown) => {
          process.stderr.write(`mockdeck: error while stopping: ${(err as Error).message}\n`);
          process.exitCode = 1;
        })
        .finally(() => {
          clearTimeout(force);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
