import { Model } from 'objection';

/** A row of `messages`. Not bound to a knex instance: queries pass one in. */
export class MessageRow extends Model {
  static override tableName = 'messages';

  id!: string;
  chat_id!: string;
  seq!: number;
  role!: string;
  content!: string;
  token_count!: number;
  status!: string;
  /** 0/1 as the drivers return it; true/false when written. */
  erased!: boolean | number;
  model!: string;
  finish_reason!: string | null;
  usage_prompt_tokens!: number | null;
  usage_completion_tokens!: number | null;
  /** The process producing a STREAMING reply, and until when (epoch ms) it holds it. */
  lease_owner!: string | null;
  lease_expires_at!: number | null;
  error_code!: string | null;
  /** Epoch milliseconds. */
  created_at!: number;
}
