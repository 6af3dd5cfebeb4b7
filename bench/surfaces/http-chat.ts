import { Agent, request } from 'node:http';
import { TurnClock, TurnError, type Surface } from './surface.js';

/**
 * Legacy POST /chat: one message in, the whole reply out. Not streaming, so
 * its time to first token is the whole turn.
 */
export const surface: Surface = {
  async connect(target, { slots }) {
    if (target.httpUrl === undefined) throw new Error('no HTTP URL');
    const url = new URL('/chat', target.httpUrl);
    const agent = new Agent({ keepAlive: true, maxSockets: slots, maxFreeSockets: slots });
    const authorization = `Bearer ${target.token}`;
    return {
      turn(input) {
        const clock = new TurnClock(input.startedAt);
        const body = JSON.stringify({ chat_id: input.chatId, user_id: input.userId, user_message: input.text });
        return new Promise((resolve, reject) => {
          const req = request(
            url,
            {
              method: 'POST',
              agent,
              signal: input.signal,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization },
            },
            (res) => {
              const parts: Buffer[] = [];
              res.on('data', (part: Buffer) => parts.push(part));
              res.on('error', reject);
              res.on('end', () => {
                const text = Buffer.concat(parts).toString('utf8');
                if (res.statusCode !== 200) return reject(new TurnError(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
                try {
                  const json = JSON.parse(text) as { chat_id?: string; content?: string };
                  if (typeof json.content !== 'string' || json.content.length === 0) throw new TurnError('empty content');
                  clock.text();
                  resolve(clock.done(json.chat_id));
                } catch (error) {
                  reject(error);
                }
              });
            },
          );
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
