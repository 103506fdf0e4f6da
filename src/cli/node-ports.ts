/**
 * kubectl port-forward's local ports in Node: a real TCP listener on each
 * address (127.0.0.1 and ::1 for `localhost`, as kubectl binds both), each
 * connection handed over as bytes both ways.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { LocalConnection, PortListener } from './io.ts';

export class NodePorts implements PortListener {
  async listen(addresses: string[], port: number, accept: (conn: LocalConnection) => void): Promise<{ bound: string[]; port: number; close(): Promise<void> }> {
    const servers: Server[] = [];
    const bound: string[] = [];
    let chosen = port;
    const sockets = new Set<Socket>();
    try {
      for (const address of addresses) {
        const server = createServer((socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          const conn: LocalConnection = {
            send: (bytes) => void socket.write(bytes),
            end: () => void socket.end(),
            onData: () => undefined,
            onEnd: () => undefined,
          };
          socket.on('data', (b: Buffer) => conn.onData(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()));
          socket.on('end', () => conn.onEnd());
          socket.on('error', () => conn.onEnd());
          accept(conn);
        });
        const failed = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
          server.once('error', resolve);
          server.listen(chosen, address, () => resolve(undefined));
        });
        // A machine without IPv6 (or IPv4) binds the other: kubectl fails only when none binds.
        if (failed && (failed.code === 'EADDRNOTAVAIL' || failed.code === 'EAFNOSUPPORT') && addresses.length > 1) continue;
        if (failed) throw failed;
        chosen = (server.address() as { port: number }).port;
        servers.push(server);
        bound.push(address.includes(':') ? `[${address}]:${chosen}` : `${address}:${chosen}`);
      }
      if (!servers.length) throw Object.assign(new Error('unable to listen on any of the requested ports'), { code: 'ENOLISTEN' });
    } catch (err) {
      for (const s of servers) s.close();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new Error(`unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 ${addresses[0]}:${port}: bind: address already in use]`);
      throw err;
    }
    return {
      bound,
      port: chosen,
      close: async () => {
        for (const s of sockets) s.destroy();
        await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      },
    };
  }
}
