/** What the conversation sends back for one message, and what it is recorded under. */
export interface Answer {
  readonly text: string;
  readonly chatId: string | null;
  /** The stored assistant message, when the answer came from the model. */
  readonly replyMessageId: string | null;
}

/** An answer of our own (a command's, or a refusal), not the model's. */
export const note = (text: string, chatId: string | null = null): Answer => ({ text, chatId, replyMessageId: null });
