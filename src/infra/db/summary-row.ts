import type { ContextSummary } from '../../domain/context-summary.js';

/** A row of `chat_summaries`. */
export interface SummaryRecord {
  id: string;
  chat_id: string;
  covers_through_seq: number;
  content: string;
  token_count: number;
  model: string;
  usage_prompt_tokens: number;
  usage_completion_tokens: number;
  /** Epoch milliseconds. */
  created_at: number;
}

export const SUMMARY_TABLE = 'chat_summaries';

export function summaryToRecord(summary: ContextSummary): SummaryRecord {
  return {
    id: summary.id,
    chat_id: summary.chatId,
    covers_through_seq: summary.coversThroughSeq,
    content: summary.content,
    token_count: summary.tokenCount,
    model: summary.model,
    usage_prompt_tokens: summary.usage.promptTokens,
    usage_completion_tokens: summary.usage.completionTokens,
    created_at: summary.createdAt.getTime(),
  };
}

// Integers may come back as strings from mysql2 (BIGINT); Number() reads both.
export function summaryFromRecord(row: SummaryRecord): ContextSummary {
  return {
    id: row.id,
    chatId: row.chat_id,
    coversThroughSeq: Number(row.covers_through_seq),
    content: row.content,
    tokenCount: Number(row.token_count),
    model: row.model,
    usage: { promptTokens: Number(row.usage_prompt_tokens), completionTokens: Number(row.usage_completion_tokens) },
    createdAt: new Date(Number(row.created_at)),
  };
}
