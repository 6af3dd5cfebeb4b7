import type { Knex } from 'knex';
import type {
  AnswerRecord,
  InboundRecord,
  WhatsAppConversations,
  WhatsAppUserState,
} from '../../channels/whatsapp/conversation-ports.js';

const INBOUND = 'whatsapp_inbound_messages';
const USERS = 'whatsapp_users';

interface InboundRow {
  message_sid: string;
  user_id: string;
  received_at: number;
  chat_id: string | null;
  reply_message_id: string | null;
  delivery_status: string | null;
  answered_at: number | null;
}

interface UserRow {
  user_id: string;
  current_chat_id: string | null;
  persona_id: string | null;
  updated_at: number;
}

// A duplicate key from either driver, raw or wrapped.
const DUPLICATE_KEY_CODES = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', 'ER_DUP_ENTRY']);

/** WhatsApp state on the same SQLite/MySQL store as the chats. */
export class KnexWhatsAppConversations implements WhatsAppConversations {
  private constructor(private readonly knex: Knex) {}

  static async create({ knex }: { knex: Knex }): Promise<KnexWhatsAppConversations> {
    return new KnexWhatsAppConversations(knex);
  }

  async recordInbound(record: InboundRecord): Promise<boolean> {
    const row: InboundRow = {
      message_sid: record.messageSid,
      user_id: record.userId,
      received_at: record.receivedAt.getTime(),
      chat_id: null,
      reply_message_id: null,
      delivery_status: null,
      answered_at: null,
    };
    try {
      // The primary key decides, so two deliveries racing each other (two
      // processes, or Twilio retrying while the first is in flight) get one winner.
      await this.knex<InboundRow>(INBOUND).insert(row);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async recordAnswer(messageSid: string, answer: AnswerRecord): Promise<void> {
    await this.knex<InboundRow>(INBOUND)
      .where('message_sid', messageSid)
      .update({
        chat_id: answer.chatId,
        reply_message_id: answer.replyMessageId,
        delivery_status: answer.delivery,
        answered_at: answer.answeredAt.getTime(),
      });
  }

  async findUser(userId: string): Promise<WhatsAppUserState | undefined> {
    const row = await this.knex<UserRow>(USERS).where('user_id', userId).first();
    if (row === undefined) return undefined;
    return { userId: row.user_id, currentChatId: row.current_chat_id, personaId: row.persona_id };
  }

  async saveUser(state: WhatsAppUserState, at: Date): Promise<void> {
    const row: UserRow = {
      user_id: state.userId,
      current_chat_id: state.currentChatId,
      persona_id: state.personaId,
      updated_at: at.getTime(),
    };
    await this.knex<UserRow>(USERS).insert(row).onConflict('user_id').merge(['current_chat_id', 'persona_id', 'updated_at']);
  }
}

function isDuplicateKey(error: unknown): boolean {
  const codeOf = (value: unknown): unknown =>
    typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  const nativeError = typeof error === 'object' && error !== null ? (error as { nativeError?: unknown }).nativeError : undefined;
  return [codeOf(error), codeOf(nativeError)].some((code) => typeof code === 'string' && DUPLICATE_KEY_CODES.has(code));
}
