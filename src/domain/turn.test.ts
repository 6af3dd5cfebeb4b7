import { describe, expect, it } from 'vitest';
import type { Chat } from './chat.js';
import type { ContextSummary } from './context-summary.js';
import type { Message, MessageStatus } from './message.js';
import { KNOWN_MODELS } from './models.js';
import { assertFollowUpAllowed, MAX_MESSAGE_CHARS, openTurn, planSummarizedTurn, planTurn, validateMessageContent, type OpenTurn } from './turn.js';
import { domainErrorCodeOf as codeOf } from '../../test/support/domain-error-code.js';

/** One token per word: message counts are 3 + 1 (role) + words. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const model = KNOWN_MODELS.find((m) => m.name === 'gpt-4o-mini')!;
const at = new Date('2026-11-28T12:00:00Z');

const chat: Chat = {
  id: 'chat-1',
  userId: 'alice',
  title: 'T',
  status: 'ACTIVE',
  model: model.name,
  personaId: null,
  systemPrompt: 'Be helpful.',
  config: { temperature: 1, topP: 1, maxTokens: 100, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' },
  createdAt: at,
  updatedAt: at,
};

function stored(seq: number, role: Message['role'], tokenCount: number, status: MessageStatus = 'COMPLETE'): Message {
  return {
    id: `m${seq}`,
    chatId: chat.id,
    seq,
    role,
    content: `message ${seq}`,
    tokenCount,
    status,
    erased: false,
    model: model.name,
    finishReason: null,
    usage: null,
    errorCode: null,
    createdAt: at,
  };
}

const system = stored(0, 'SYSTEM', 10);
const open = (context: readonly Message[], content = 'one two three') =>
  openTurn({ chat, model, context, content, userMessageId: 'user', assistantMessageId: 'reply', at }, words);
const ids = (messages: readonly { readonly content: string }[]) => messages.map((m) => ('id' in m ? (m as Message).id : 'note'));

describe('openTurn', () => {
  it('adds the user message after the last one, counted once, and an empty STREAMING reply after it', () => {
    const turn = open([system, stored(1, 'USER', 8), stored(2, 'ASSISTANT', 9)]);
    expect(turn.userMessage).toMatchObject({ id: 'user', seq: 3, role: 'USER', content: 'one two three', status: 'COMPLETE', tokenCount: 3 + 1 + 3 });
    expect(turn.assistantMessage).toMatchObject({ id: 'reply', seq: 4, role: 'ASSISTANT', content: '', tokenCount: 0, status: 'STREAMING' });
    expect(ids(turn.history)).toEqual(['m1', 'm2', 'user']);
  });

  it('keeps failed replies in the context but never sends them', () => {
    const turn = open([system, stored(1, 'USER', 8), stored(2, 'ASSISTANT', 0, 'FAILED')]);
    expect(ids(turn.earlier)).toEqual(['m1', 'm2']);
    expect(ids(turn.history)).toEqual(['m1', 'user']);
  });

  it('refuses a context without its system message', () => {
    expect(() => open([stored(1, 'USER', 8)])).toThrow(/no system message/);
  });
});

describe('planTurn (TRUNCATE)', () => {
  const window = { contextWindow: 200, replyBudget: 100 };

  it('sends everything that fits, system first, and erases nothing', () => {
    const turn = open([system, stored(1, 'USER', 20), stored(2, 'ASSISTANT', 20)]);
    const plan = planTurn(turn, window);
    expect(ids(plan.prompt)).toEqual(['m0', 'm1', 'm2', 'user']);
    expect(plan.promptTokens).toBe(3 + 10 + 20 + 20 + 7);
    expect(plan.erased).toEqual([]);
    expect(ids(plan.contextAfter)).toEqual(['m0', 'm1', 'm2', 'user', 'reply']);
  });

  it('drops the oldest history first, erasing it with the failed replies before it, never the system prompt', () => {
    // Room for history: 200 - 100 - 3 - 10 = 87 tokens; the user message takes 7, m4 40, m3 would need 41.
    const turn = open([system, stored(1, 'USER', 40), stored(2, 'ASSISTANT', 0, 'FAILED'), stored(3, 'USER', 41), stored(4, 'ASSISTANT', 40)]);
    const plan = planTurn(turn, window);
    expect(ids(plan.prompt)).toEqual(['m0', 'm4', 'user']);
    expect(plan.promptTokens + window.replyBudget).toBeLessThanOrEqual(window.contextWindow);
    expect(ids(plan.erased)).toEqual(['m1', 'm2', 'm3']);
    expect(ids(plan.contextAfter)).toEqual(['m0', 'm4', 'user', 'reply']);
  });

  it('refuses a message that cannot fit even alone with the system prompt', () => {
    const turn = open([system], Array.from({ length: 90 }, () => 'word').join(' '));
    expect(codeOf(() => planTurn(turn, window))).toBe('MESSAGE_TOO_LARGE');
  });
});

describe('planSummarizedTurn (SUMMARIZE)', () => {
  const window = { contextWindow: 200, replyBudget: 100 };
  const summary = (coversThroughSeq: number): ContextSummary => ({
    id: 's1',
    chatId: chat.id,
    coversThroughSeq,
    content: 'They talked about tides.',
    tokenCount: 12,
    model: model.name,
    usage: { promptTokens: 50, completionTokens: 12 },
    createdAt: at,
  });
  const history = (): OpenTurn => open([system, stored(1, 'USER', 30), stored(2, 'ASSISTANT', 30), stored(3, 'USER', 30), stored(4, 'ASSISTANT', 30)]);

  it('without a summary, reports what fell out of the window as uncovered', () => {
    const plan = planSummarizedTurn(history(), window, undefined);
    expect(ids(plan.prompt)).toEqual(['m0', 'm3', 'm4', 'user']);
    expect(ids(plan.uncovered)).toEqual(['m1', 'm2']);
    expect(ids(plan.erased)).toEqual(['m1', 'm2']);
  });

  it('sends the note after the system prompt and never resends what it covers', () => {
    const plan = planSummarizedTurn(history(), window, summary(2));
    expect(ids(plan.prompt)).toEqual(['m0', 'note', 'm3', 'm4', 'user']);
    expect(plan.prompt[1]!.content).toContain('They talked about tides.');
    expect(plan.promptTokens).toBe(3 + 10 + 12 + 30 + 30 + 7);
    expect(ids(plan.erased)).toEqual(['m1', 'm2']);
    expect(plan.uncovered).toEqual([]);
    expect(ids(plan.contextAfter)).toEqual(['m0', 'm3', 'm4', 'user', 'reply']);
  });
});

describe('the rules of a message', () => {
  it('refuses blank and oversized text before anything is counted', () => {
    expect(validateMessageContent(' hi ')).toBe(' hi ');
    expect(codeOf(() => validateMessageContent(' \n '))).toBe('INVALID_INPUT');
    expect(codeOf(() => validateMessageContent('x'.repeat(MAX_MESSAGE_CHARS + 1)))).toBe('MESSAGE_TOO_LARGE');
  });

  it('lets a follow-up keep, but not change, the model and prompt chosen at the start', () => {
    expect(codeOf(() => assertFollowUpAllowed(chat, { model: chat.model }))).toBe('none');
    expect(codeOf(() => assertFollowUpAllowed(chat, { model: 'gpt-4o' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertFollowUpAllowed(chat, { personaId: 'tutor' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertFollowUpAllowed(chat, { systemPrompt: 'Be terse.' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertFollowUpAllowed({ ...chat, status: 'ENDED' }, {}))).toBe('CHAT_ENDED');
  });
});
