import { INestApplication, Logger } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** At most this long for open connections to finish after the signal; then the app closes anyway. */
export const DRAIN_TIMEOUT_MS = 8000;
/** A keep-alive connection idle this long while draining is closed: its client has nothing in flight. */
export const IDLE_GRACE_MS = 500;

interface ConnectionState {
  active: number;
  idleSince: number;
}

/**
 * Graceful shutdown on SIGTERM/SIGINT, in the order a load balancer expects: stop accepting connections;
 * answer every request that reaches an open connection, with `Connection: close` so keep-alive clients
 * reconnect elsewhere; close connections once idle for IDLE_GRACE_MS; after at most DRAIN_TIMEOUT_MS close
 * the app (database pool, Redis client) and exit 0.
 *
 * Why not `app.enableShutdownHooks()` alone: Nest closes the session store (`onModuleDestroy`) before the
 * HTTP server and re-raises the signal (the process dies by signal, not exit 0), and `server.close()`
 * destroys idle keep-alive sockets at once, resetting requests already on the wire; on Express, busy
 * keep-alive connections kept it open past 10 s.
 */
export function closeGracefullyOnSignals(
  app: INestApplication,
  signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  const server = app.getHttpServer() as Server;
  const connections = trackConnections(server);
  let closing = false;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
  });
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    closing = true;
    new Logger('Shutdown').log(`${signal}: draining open connections, then closing`);
    // net.Server#close stops accepting; http.Server#close would also destroy idle sockets at once.
    NetServer.prototype.close.call(server, () => undefined);
    await drain(connections, Date.now() + DRAIN_TIMEOUT_MS);
    await app.close();
    process.exit(0);
  };
  for (const signal of signals) {
    process.once(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        new Logger('Shutdown').error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      });
    });
  }
}

function trackConnections(server: Server): Map<Socket, ConnectionState> {
  const connections = new Map<Socket, ConnectionState>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.active++;
    res.once('close', () => {
      state.active--;
      state.idleSince = Date.now();
    });
  });
  return connections;
}

async function drain(connections: Map<Socket, ConnectionState>, deadline: number): Promise<void> {
  while (connections.size > 0 && Date.now() < deadline) {
    for (const [socket, state] of connections) {
      if (state.active === 0 && Date.now() - state.idleSince >= IDLE_GRACE_MS) socket.destroy();
    }
    await sleep(50);
  }
}
