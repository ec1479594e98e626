import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1 at a free port, and a close that does not wait for keep-alive clients. */
export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts `server` on loopback (port 0) for a test upstream.
 *
 * @example
 * const upstream = await listenLocal(createServer((req, res) => res.end('ok')))
 * t.teardown(() => upstream.close())
 */
export async function listenLocal(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
