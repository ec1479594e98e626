import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.js';

/** Resident set size of a process, now and at its peak, from /proc/<pid>/status. */
export interface Memory {
  rssMB: number;
  peakMB: number;
}

export interface StartOptions {
  /** Extra environment; NODE_OPTIONS of the bench itself is never passed on. */
  env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  timeoutMs?: number;
}

const URL_LINE = /\burl:\s+(http:\/\/\S+)/;

/**
 * A server under test in its own process (so the load generator never shares
 * its event loop), spawned with `node`. Ready once it prints `url: http://...`
 * on stdout, which both mockdeck's CLI and the baselines do.
 *
 * @example
 * const server = await ServerProcess.start('bare', ['bench/baselines/bare-fastify.js'])
 * server.url // 'http://127.0.0.1:40123'
 * await server.stop()
 */
export class ServerProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    /** performance.now() just before the spawn. */
    readonly spawnedAt: number,
    readonly url: string,
    private readonly stderr: () => string,
  ) {}

  static start(name: string, args: string[], options: StartOptions = {}): Promise<ServerProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, MOCKDECK_LOG_LEVEL: 'silent', ...options.env };
    delete env['NODE_OPTIONS'];
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${name} (node ${args.join(' ')}) ${why}\n${stderr.trim()}`));
      };
      const timer = setTimeout(() => fail(`printed no "url:" line within ${timeoutMs} ms`), timeoutMs);
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
      child.once('error', (err) => fail(`could not be spawned: ${err.message}`));
      lines.on('line', (line) => {
        const m = URL_LINE.exec(line);
        if (!m) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        // Keep draining stdout so the child never blocks on a full pipe.
        lines.removeAllListeners('line');
        lines.on('line', () => undefined);
        resolve(new ServerProcess(name, child, spawnedAt, (m[1] as string).replace(/\/$/, ''), () => stderr));
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** RSS now and its high-water mark, in MB (1 MB = 2^20 bytes). */
  memory(): Memory {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  }

  /** What the child wrote on stderr (for error messages). */
  errorOutput(): string {
    return this.stderr();
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Stops every server, even when one of them fails to stop. */
export async function stopAll(servers: ReadonlyArray<ServerProcess | undefined>): Promise<void> {
  await Promise.allSettled(servers.map((s) => s?.stop()));
}
