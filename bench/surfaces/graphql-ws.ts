import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ReplyFollower, SEND_MESSAGE_SUBSCRIPTION, sendMessageVariables } from './graphql-reply.js';
import { TurnClock, TurnError, type Surface, type Target } from './surface.js';

/** One graphql-ws socket per user, as each signed-in browser tab has; reused across that user's turns. */
function connectClient(target: Target, userId: string): Client {
  if (target.httpUrl === undefined) throw new Error('no HTTP URL');
  const url = `${target.httpUrl.replace(/^http/, 'ws')}/graphql`;
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${target.token}`, userId },
    lazy: false,
    retryAttempts: 0,
    keepAlive: 0,
    onNonLazyError: () => {},
  });
}

/** GraphQL Subscription.sendMessage over graphql-ws. */
export const surface: Surface = {
  async connect(target) {
    const clients = new Map<string, Client>();
    const clientOf = (userId: string) => {
      let client = clients.get(userId);
      if (!client) {
        client = connectClient(target, userId);
        clients.set(userId, client);
      }
      return client;
    };
    return {
      turn(input) {
        const clock = new TurnClock(input.startedAt);
        const follower = new ReplyFollower(clock);
        const client = clientOf(input.userId);
        return new Promise((resolve, reject) => {
          let settled = false;
          const settle = (error?: unknown) => {
            if (settled) return;
            settled = true;
            input.signal.removeEventListener('abort', onAbort);
            if (error !== undefined) return reject(error instanceof Error ? error : new TurnError(describe(error)));
            try {
              resolve(follower.finish());
            } catch (failure) {
              reject(failure);
            }
          };
          const unsubscribe = client.subscribe(
            { query: SEND_MESSAGE_SUBSCRIPTION, variables: sendMessageVariables(input.chatId, input.text) },
            {
              // The turn ends at its terminal event. No unsubscribe() then: the server completes the
              // operation itself, and graphql-ws's client, handed its own `complete` and ours in one
              // read, counts the operation off twice and closes the socket (1000) under a busy load,
              // so the next turn pays a reconnect (seen as a 1-4 s tail; see bench/README.md).
              next: (payload) => {
                if (follower.onNext(payload)) settle();
              },
              error: (error) => settle(error ?? new TurnError('subscription error')),
              complete: () => settle(),
            },
          );
          const onAbort = () => {
            unsubscribe();
            settle(new TurnError('aborted'));
          };
          input.signal.addEventListener('abort', onAbort, { once: true });
        });
      },
      async close() {
        await Promise.all([...clients.values()].map((client) => client.dispose()));
        clients.clear();
      },
    };
  },
};

function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message).join('; ');
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, reason } = error as { code: number; reason?: string };
    return `socket closed ${code} ${reason ?? ''}`.trim();
  }
  return String(error);
}

/**
 * Opens `count` idle subscriptions to Subscription.chatEvents of one chat and
 * keeps them open until `close()`: each on its own socket (`sharedSocket`
 * false), or all on one. Resolves once every socket is acknowledged.
 */
export async function openIdleSubscriptions(
  target: Target,
  options: { userId: string; chatId: string; count: number; sharedSocket: boolean },
): Promise<{ opened: number; errors: string[]; close(): Promise<void> }> {
  const clients: Client[] = [];
  const errors: string[] = [];
  const unsubscribers: (() => void)[] = [];
  const acked: Promise<void>[] = [];
  const newClient = () => {
    let ack!: () => void;
    let fail!: (error: unknown) => void;
    acked.push(new Promise<void>((resolve, reject) => ((ack = resolve), (fail = reject))));
    const client = createClient({
      url: `${target.httpUrl!.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${target.token}`, userId: options.userId },
      lazy: false,
      retryAttempts: 0,
      keepAlive: 0,
      on: { connected: () => ack(), closed: (event) => fail(event) },
      onNonLazyError: (error) => fail(error),
    });
    clients.push(client);
    return client;
  };
  const shared = options.sharedSocket ? newClient() : undefined;
  for (let i = 0; i < options.count; i += 1) {
    const client = shared ?? newClient();
    unsubscribers.push(
      client.subscribe(
        { query: 'subscription BenchIdle($chatId: ID!) { chatEvents(chatId: $chatId) { __typename } }', variables: { chatId: options.chatId } },
        { next: () => {}, error: (error) => errors.push(describe(error)), complete: () => {} },
      ),
    );
  }
  const results = await Promise.allSettled(acked);
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed > 0) errors.push(`${failed} sockets failed to connect`);
  return {
    opened: options.count - failed,
    errors,
    async close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
