import { Model } from 'objection';

/** A row of `chats`. Not bound to a knex instance: queries pass one in. */
export class ChatRow extends Model {
  static override tableName = 'chats';

  id!: string;
  user_id!: string;
  title!: string;
  status!: string;
  model!: string;
  persona_id!: string | null;
  system_prompt!: string;
  /** ChatConfig as JSON text. */
  config!: string;
  /** Epoch milliseconds. */
  created_at!: number;
  updated_at!: number;
  /** seq of the chat's newest message, kept by every write that adds messages. */
  last_seq!: number;
}
