import type { LiveReplies } from '../../use-cases/ports.js';

/**
 * The text of the replies this process is producing, so that a watcher who
 * joins late (a reload, a second tab) gets everything so far from memory.
 * Once a reply ends, the store holds its text and this forgets it.
 */
export class InProcessLiveReplies implements LiveReplies {
  private readonly texts = new Map<string, string>();

  begin(messageId: string): void {
    this.texts.set(messageId, '');
  }

  append(messageId: string, text: string): number {
    const sofar = (this.texts.get(messageId) ?? '') + text;
    this.texts.set(messageId, sofar);
    return sofar.length;
  }

  textOf(messageId: string): Promise<string | undefined> {
    return Promise.resolve(this.texts.get(messageId));
  }

  end(messageId: string): void {
    this.texts.delete(messageId);
  }
}
