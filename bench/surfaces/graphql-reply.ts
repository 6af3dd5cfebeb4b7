import { TurnError, type TurnClock, type TurnResult } from './surface.js';

/** The subscription both GraphQL surfaces run: every event, only the fields a client needs to follow the reply. */
export const SEND_MESSAGE_SUBSCRIPTION = /* GraphQL */ `
  subscription BenchSendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      __typename
      ... on ReplyStarted { chat { id } }
      ... on ReplyDelta { text }
      ... on ReplyCompleted { message { id status } }
      ... on ReplyFailed { code }
    }
  }
`;

export const sendMessageVariables = (chatId: string | undefined, text: string) => ({
  input: chatId === undefined ? { content: text } : { chatId, content: text },
});

interface ReplyEventData {
  sendMessage?: {
    __typename?: string;
    chat?: { id?: string };
    text?: string;
    code?: string;
  };
}

/** Follows one reply's events; `finish` says how it ended. */
export class ReplyFollower {
  chatId: string | undefined;
  private outcome: string | undefined;

  constructor(private readonly clock: TurnClock) {}

  /** Takes one `next` payload; true when it was the terminal event. */
  onNext(payload: { data?: unknown; errors?: readonly { message?: string }[] }): boolean {
    if (payload.errors && payload.errors.length > 0) {
      this.outcome = `GraphQL error: ${payload.errors.map((e) => e.message).join('; ')}`;
      return true;
    }
    const event = (payload.data as ReplyEventData | undefined)?.sendMessage;
    switch (event?.__typename) {
      case 'ReplyStarted':
        this.chatId = event.chat?.id;
        return false;
      case 'ReplyDelta':
        if (event.text) this.clock.text();
        return false;
      case 'ReplyCompleted':
        this.outcome = 'completed';
        return true;
      case 'ReplyFailed':
        this.outcome = `reply failed: ${event.code}`;
        return true;
      default:
        return false;
    }
  }

  finish(): TurnResult {
    if (this.outcome === 'completed') return this.clock.done(this.chatId);
    throw new TurnError(this.outcome ?? 'the subscription ended without ReplyCompleted');
  }
}
