/**
 * @module adapters/nats/connect
 * The NATS connection behind the JetStream event log. Readiness asks JetStream itself (account
 * info), because a NATS server without JetStream would accept connections yet lose events.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsLink {
  readonly connection: NatsConnection;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to one server, or to a cluster through several seed URLs (`nats://a:4222,nats://b:4222`):
 * the client then learns the other members and moves to a live one when its server goes down.
 * Credentials and TLS are taken from the first URL.
 */
export async function connectNats(url: string, name = 'cleave'): Promise<NatsLink> {
  const urls = url.split(',').map((part) => new URL(part.trim()));
  const parsed = urls[0] as URL;
  const connection = await connect({
    servers: urls.map((server) => `${server.hostname}:${server.port || '4222'}`),
    name,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    pass: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'tls:' ? {} : undefined,
    timeout: 5_000,
    // Keep reconnecting for as long as the process lives: NATS restarts must not need a Cleave restart.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // No stack-capturing Error objects made up front for every request (every event publish is
    // one): they were a fifth of the API's CPU at high ingestion rates. Failures still carry a message.
    noAsyncTraces: true,
  });
  return {
    connection,
    async ping() {
      if (connection.isClosed()) throw new Error('connection closed');
      const manager = await jetstreamManager(connection, { timeout: 2_000 });
      await manager.getAccountInfo();
    },
    async close() {
      await connection.drain().catch(() => connection.close());
    },
  };
}
