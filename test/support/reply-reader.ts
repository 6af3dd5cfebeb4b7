import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { SendMessageResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageResponse.js';

/** What a v1 client has seen of one reply so far. */
export interface ReplySeen {
  readonly messageId: string;
  readonly chatId: string;
  /** The deltas' text, concatenated. */
  readonly text: string;
  readonly lastCursor: string | undefined;
  readonly ending: SendMessageResponse__Output | undefined;
}

/**
 * Follows a SendMessage or WatchReply stream, keeping the text delivered so
 * far; `until(n)` resolves once at least n characters arrived, `done` when
 * the stream ends (with its error, if any).
 */
export class ReplyReader {
  private seen: ReplySeen = { messageId: '', chatId: '', text: '', lastCursor: undefined, ending: undefined };
  private waiters: { chars: number; resolve: () => void }[] = [];
  readonly done: Promise<{ seen: ReplySeen; error: ServiceError | undefined }>;

  constructor(stream: ClientReadableStream<SendMessageResponse__Output>) {
    stream.on('data', (response: SendMessageResponse__Output) => {
      if (response.started) {
        const reply = response.started.assistant_message!;
        this.seen = { ...this.seen, messageId: reply.id, chatId: reply.chat_id };
      } else if (response.delta) {
        this.seen = { ...this.seen, text: this.seen.text + response.delta.text, lastCursor: response.delta.cursor };
        this.waiters = this.waiters.filter((w) => (this.seen.text.length >= w.chars ? (w.resolve(), false) : true));
      } else {
        this.seen = { ...this.seen, ending: response };
      }
    });
    this.done = new Promise((resolve) => {
      stream.on('error', (error: ServiceError) => resolve({ seen: this.seen, error }));
      stream.on('end', () => resolve({ seen: this.seen, error: undefined }));
    });
  }

  get now(): ReplySeen {
    return this.seen;
  }

  until(chars: number): Promise<void> {
    if (this.seen.text.length >= chars) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ chars, resolve }));
  }
}
