import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { actAs, type Authenticator, type Caller } from '../auth/authenticator.js';
import { isGraphQLError, maskError, withCode } from './errors.js';
import { GRAPHQL_PATH, type GraphQLServer } from './yoga.js';

export interface GraphQLWebSocketOptions {
  readonly yoga: GraphQLServer;
  readonly auth: Authenticator;
  /** The largest frame a client may send. */
  readonly maxPayloadBytes: number;
  /** How long a socket may stay open without a valid connection_init. */
  readonly connectionInitWaitTimeoutMs: number;
}

export interface GraphQLWebSocket {
  /** Closes every socket (1001, going away) and stops accepting new ones. */
  close(): Promise<void>;
}

type ConnectionParams = {
  readonly authorization?: unknown;
  readonly userId?: unknown;
};

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's
 * /graphql path. The caller is authenticated once, from connectionParams
 * ({ authorization, userId }); a bad credential closes the socket with 4403.
 * Every operation then runs through Yoga's envelope.
 */
export function attachGraphQLWebSocket(server: Server, options: GraphQLWebSocketOptions): GraphQLWebSocket {
  const { yoga, auth } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== GRAPHQL_PATH) return;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  const graphqlWs = useServer<ConnectionParams | undefined, { caller: Caller }>(
    {
      // graphql-ws closes a socket whose handler threw with 4500 and, outside "production", the
      // exception text as the reason; internal text never reaches a client, whatever NODE_ENV says.
      isProd: true,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === 'string' ? params.authorization : undefined;
        const userId = typeof params.userId === 'string' ? params.userId : undefined;
        try {
          ctx.extra.caller = actAs(await auth.identify(authorization), userId);
          return true;
        } catch {
          return false;
        }
      },
      // Runs each operation as Yoga would over HTTP (the recipe of Yoga's graphql-ws docs).
      execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        try {
          const enveloped = yoga.getEnveloped({
            req: undefined,
            caller: ctx.extra.caller,
            params: payload,
            request: undefined as never,
          });
          const document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors.map((error: GraphQLError) => withCode(error, 'INVALID_INPUT'));
          return {
            schema: enveloped.schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } satisfies EnvelopedRoot,
          };
        } catch (error) {
          if (isGraphQLError(error)) return [withCode(error, 'INVALID_INPUT')];
          // This operation fails with INTERNAL; the socket and its other operations carry on.
          yoga.logger.error(error);
          return [maskError(error) as GraphQLError];
        }
      },
    },
    wss,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await graphqlWs.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type OperationResult = ReturnType<NonNullable<ServerOptions['execute']>>;

interface EnvelopedRoot {
  execute(args: ExecutionArgs): OperationResult;
  subscribe(args: ExecutionArgs): OperationResult;
}
