import type { Clock, RememberedSend, SendKeys } from '../../use-cases/ports.js';

const REMEMBERED_SENDS = 10_000;
const REMEMBER_FOR_MS = 24 * 60 * 60 * 1000;

/** Idempotency keys within one process: the newest 10,000, for a day. */
export class InProcessSendKeys implements SendKeys {
  private readonly byKey = new Map<string, { send: RememberedSend; at: number }>();

  constructor(private readonly clock: Clock) {}

  claim(key: string, send: RememberedSend): Promise<RememberedSend | undefined> {
    const known = this.live(key);
    if (known !== undefined) return Promise.resolve(known);
    this.byKey.set(key, { send, at: this.clock.now().getTime() });
    for (const oldest of this.byKey.keys()) {
      if (this.byKey.size <= REMEMBERED_SENDS) break;
      this.byKey.delete(oldest);
    }
    return Promise.resolve(undefined);
  }

  settle(key: string, send: RememberedSend): Promise<void> {
    const known = this.byKey.get(key);
    if (known !== undefined) this.byKey.set(key, { send, at: known.at });
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.byKey.delete(key);
    return Promise.resolve();
  }

  find(key: string): Promise<RememberedSend | undefined> {
    return Promise.resolve(this.live(key));
  }

  private live(key: string): RememberedSend | undefined {
    const known = this.byKey.get(key);
    if (known === undefined) return undefined;
    if (this.clock.now().getTime() - known.at < REMEMBER_FOR_MS) return known.send;
    this.byKey.delete(key);
    return undefined;
  }
}
