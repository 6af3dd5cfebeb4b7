import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Authenticator } from '../../src/channels/auth/authenticator.js';
import { attachGraphQLWebSocket, type GraphQLWebSocket } from '../../src/channels/graphql/websocket.js';
import type { GraphQLServer } from '../../src/channels/graphql/yoga.js';
import { withTimeout } from '../graphql/graphql-clients.js';

const TOKEN = 'websocket-test-token';
const SECRET_TEXT = 'connect ECONNREFUSED 10.0.0.7:3306 at Pool.acquire (/srv/app/node_modules/knex)';

/** A GraphQL server whose every operation fails inside, as a broken store or a bug would make it. */
const brokenYoga = (logged: unknown[]) =>
  ({
    getEnveloped: () => {
      throw new Error(SECRET_TEXT);
    },
    logger: { error: (error: unknown) => logged.push(error), warn() {}, info() {}, debug() {} },
  }) as unknown as GraphQLServer;

describe('GraphQL over WebSocket when something inside fails', () => {
  let server: Server | undefined;
  let socket: GraphQLWebSocket | undefined;
  afterEach(async () => {
    await socket?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('answers the operation with INTERNAL and a fixed message, logs the cause, and keeps the socket open', async () => {
    const logged: unknown[] = [];
    server = createServer();
    socket = attachGraphQLWebSocket(server, {
      yoga: brokenYoga(logged),
      auth: new Authenticator({ serviceTokens: [TOKEN] }),
      maxPayloadBytes: 64 * 1024,
      connectionInitWaitTimeoutMs: 5_000,
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    let closed: { code: number; reason: string } | undefined;
    const client = createClient({
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${TOKEN}`, userId: 'alice' },
      retryAttempts: 0,
      // Not lazy: a lazy client closes the socket itself once no operation is running.
      lazy: false,
      on: { closed: (event) => (closed = event as { code: number; reason: string }) },
    });
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const outcome = await withTimeout(
          new Promise((resolve) => client.subscribe({ query: '{ models { name } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') })),
          5_000,
          'the answer',
        );
        expect(outcome).toEqual([expect.objectContaining({ message: 'Internal error', extensions: { code: 'INTERNAL' } })]);
        expect(JSON.stringify(outcome)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|knex|at /);
      }
      expect(closed).toBeUndefined();
      expect(logged).toEqual([expect.objectContaining({ message: SECRET_TEXT }), expect.objectContaining({ message: SECRET_TEXT })]);
    } finally {
      await client.dispose();
    }
  });
});
