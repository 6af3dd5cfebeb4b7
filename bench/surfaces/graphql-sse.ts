import { Agent, request } from 'node:http';
import { ReplyFollower, SEND_MESSAGE_SUBSCRIPTION, sendMessageVariables } from './graphql-reply.js';
import { TurnClock, TurnError, type Surface } from './surface.js';

/**
 * GraphQL Subscription.sendMessage over SSE (graphql-sse's distinct
 * connections mode: POST /graphql with `accept: text/event-stream`, one
 * response per operation, `event: next` / `event: complete`).
 */
export const surface: Surface = {
  async connect(target, { slots }) {
    if (target.httpUrl === undefined) throw new Error('no HTTP URL');
    const url = new URL('/graphql', target.httpUrl);
    const agent = new Agent({ keepAlive: true, maxSockets: slots, maxFreeSockets: slots });
    const authorization = `Bearer ${target.token}`;
    return {
      turn(input) {
        const clock = new TurnClock(input.startedAt);
        const follower = new ReplyFollower(clock);
        const body = JSON.stringify({ query: SEND_MESSAGE_SUBSCRIPTION, variables: sendMessageVariables(input.chatId, input.text) });
        return new Promise((resolve, reject) => {
          const req = request(
            url,
            {
              method: 'POST',
              agent,
              signal: input.signal,
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
                accept: 'text/event-stream',
                authorization,
                'x-user-id': input.userId,
              },
            },
            (res) => {
              if (res.statusCode !== 200) {
                let text = '';
                res.on('data', (d: Buffer) => (text += d.toString()));
                res.on('end', () => reject(new TurnError(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)));
                return;
              }
              res.setEncoding('utf8');
              let buffer = '';
              let done = false;
              // The turn ends at the terminal event; the response is then read to its end so the socket is reused.
              const finish = () => {
                if (done) return;
                done = true;
                try {
                  resolve(follower.finish());
                } catch (error) {
                  reject(error);
                }
              };
              res.on('data', (data: string) => {
                if (done) return;
                buffer += data;
                let end: number;
                while (!done && (end = buffer.indexOf('\n\n')) !== -1) {
                  const block = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  if (onEvent(block)) finish();
                }
              });
              res.on('error', (error) => (done ? undefined : reject(error)));
              res.on('close', finish);
            },
          );
          const onEvent = (block: string): boolean => {
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (event === 'complete') return true;
            if (event !== 'next' || data === '') return false;
            return follower.onNext(JSON.parse(data) as { data?: unknown });
          };
          req.on('error', reject);
          req.end(body);
        });
      },
      async close() {
        agent.destroy();
      },
    };
  },
};
