import { describe, expect, it } from 'vitest';
import type { ReplyEvent } from '../../src/use-cases/chat-events.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';

interface Timed {
  readonly event: ReplyEvent;
  readonly at: number;
}

async function collectTimed(events: AsyncIterable<ReplyEvent>): Promise<Timed[]> {
  const all: Timed[] = [];
  for await (const event of events) all.push({ event, at: performance.now() });
  return all;
}

const deltasOf = (events: readonly Timed[]) => events.filter(({ event }) => event.type === 'delta');

// One store is enough: merging happens between the bus and the subscriber.
const [engine] = storeEngines();

describe('deltas merged for a subscriber (REPLY_COALESCE_MS)', () => {
  const t = useTestApp(engine!, { env: { REPLY_COALESCE_MS: '80' } });

  it('sends the first delta at once, merges the ones that follow within the window, and loses no text', async () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i} `);
    t().openai!.reply({ deltas: words, chunkDelayMs: 10 });
    const stream = await t().app.core.sendMessage({ userId: 'alice', content: 'Count' });
    const events = await collectTimed(stream);

    const deltas = deltasOf(events);
    // 30 deltas 10 ms apart (about 300 ms) in 80 ms windows: a handful of frames, not 30.
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.length).toBeLessThanOrEqual(10);
    expect(deltas[0]!.event.type === 'delta' && deltas[0]!.event.text).toBe('w0 ');
    // Each delta's cursor position is where the previous one ended, and the text adds up to the stored reply.
    let position = 0;
    for (const { event } of deltas) {
      if (event.type !== 'delta') continue;
      expect(event.offset).toBe(position + event.text.length);
      position = event.offset;
    }
    const completed = events.at(-1)!.event;
    expect(completed.type).toBe('completed');
    const text = deltas.map(({ event }) => (event.type === 'delta' ? event.text : '')).join('');
    expect(completed.type === 'completed' && completed.message.content).toBe(text);
    expect(text).toBe(words.join(''));
    // Merged frames are spaced by about the window, never much less; the last one may come
    // sooner, as the ending flushes what is held at once.
    for (let i = 2; i < deltas.length - 1; i++) expect(deltas[i]!.at - deltas[i - 1]!.at).toBeGreaterThanOrEqual(60);
  });

  it('never holds the ending back: a burst ends with one merged delta and the completion right after it', async () => {
    t().openai!.reply({ deltas: ['a', 'b', 'c', 'd', 'e'] });
    const stream = await t().app.core.sendMessage({ userId: 'alice', content: 'Burst' });
    const events = await collectTimed(stream);

    expect(events.map(({ event }) => event.type)).toEqual(['started', 'delta', 'delta', 'completed']);
    const [first, merged] = deltasOf(events);
    expect(first!.event.type === 'delta' && first!.event.text).toBe('a');
    expect(merged!.event.type === 'delta' && merged!.event.text).toBe('bcde');
    // The completion does not wait for the window (80 ms) to close.
    expect(events.at(-1)!.at - merged!.at).toBeLessThan(60);
  });
});
