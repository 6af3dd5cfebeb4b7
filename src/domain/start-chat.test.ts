import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './models.js';
import { PersonaCatalog } from './persona.js';
import { MAX_SYSTEM_PROMPT_LENGTH, startChat, type ChatChoices, type NewChatRequest } from './start-chat.js';
import { domainErrorCodeOf as codeOf } from '../../test/support/domain-error-code.js';

/** One token per word: enough to see that counts are taken, in the model's encoding. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const countedIn: string[] = [];
const count = (text: string, encoding: string) => {
  countedIn.push(encoding);
  return words(text);
};

const SAMPLING = { temperature: 1, topP: 1, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' } as const;

const choices: ChatChoices = {
  models: new ModelCatalog({ unknownModelWindow: 8_192 }),
  personas: new PersonaCatalog([{ id: 'tutor', name: 'Tutor', description: 'Teaches', systemPrompt: 'You teach patiently.' }]),
  defaults: { model: 'gpt-4o-mini', systemPrompt: 'You are helpful.', config: SAMPLING },
};
const at = new Date('2026-11-28T12:00:00Z');
const stamp = { chatId: 'chat-1', systemMessageId: 'msg-0', at };
const start = (request: Partial<NewChatRequest>, firstMessage?: string) =>
  startChat({ userId: 'alice', ...request }, choices, { ...stamp, firstMessage }, count);

describe('startChat', () => {
  it('starts an active chat on the defaults, with its system message at seq 0 counted once in the model encoding', () => {
    countedIn.length = 0;
    const { chat, systemMessage, model } = start({});
    expect(chat).toMatchObject({ id: 'chat-1', userId: 'alice', title: 'New chat', status: 'ACTIVE', model: 'gpt-4o-mini', personaId: null });
    expect(chat.systemPrompt).toBe('You are helpful.');
    expect(chat.createdAt).toEqual(at);
    // The reply budget fits the model: the default of 1024 tokens, within its window and output limit.
    expect(chat.config.maxTokens).toBe(1024);
    expect(model.name).toBe('gpt-4o-mini');
    expect(systemMessage).toMatchObject({ id: 'msg-0', chatId: 'chat-1', seq: 0, role: 'SYSTEM', status: 'COMPLETE', erased: false });
    // 3 per message + "system" + three words.
    expect(systemMessage.tokenCount).toBe(3 + 1 + 3);
    expect(new Set(countedIn)).toEqual(new Set(['o200k_base']));
  });

  it('keeps the reply budget of a small model inside its window', () => {
    const { chat } = start({ model: 'gpt-4' });
    expect(chat.config.maxTokens).toBe(1024);
    const small = startChat(
      { userId: 'alice' },
      { ...choices, models: new ModelCatalog({ unknownModelWindow: 8_192, contextWindowOverride: 400 }) },
      stamp,
      count,
    );
    expect(small.chat.config.maxTokens).toBe(100);
  });

  it('names the chat after its first message unless a title is given', () => {
    expect(start({}, 'How do tides work?').chat.title).toBe('How do tides work?');
    expect(start({ title: '  Tides  ' }, 'How do tides work?').chat.title).toBe('Tides');
  });

  it("takes a persona's prompt, or the chat's own, never both", () => {
    expect(start({ personaId: 'tutor' }).chat).toMatchObject({ personaId: 'tutor', systemPrompt: 'You teach patiently.' });
    expect(start({ systemPrompt: '  Be brief.  ' }).chat.systemPrompt).toBe('Be brief.');
    expect(codeOf(() => start({ personaId: 'tutor', systemPrompt: 'Be brief.' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => start({ personaId: 'pirate' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => start({ systemPrompt: '   ' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => start({ systemPrompt: 'x'.repeat(MAX_SYSTEM_PROMPT_LENGTH + 1) }))).toBe('INVALID_INPUT');
  });

  it('accepts known models and the configured default only', () => {
    // A dated snapshot keeps its name and runs on its family's rules.
    expect(start({ model: 'gpt-4o-2024-08-06' }).model).toMatchObject({ name: 'gpt-4o-2024-08-06', encoding: 'o200k_base', contextWindow: 128_000 });
    expect(codeOf(() => start({ model: 'llama-3-70b' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => start({ model: 'not a name' }))).toBe('INVALID_INPUT');
    const local = { ...choices, defaults: { ...choices.defaults, model: 'llama-3-70b' } };
    expect(startChat({ userId: 'alice' }, local, stamp, count).chat.model).toBe('llama-3-70b');
  });

  it('refuses a reply budget the model cannot honour, and a bad user id', () => {
    expect(codeOf(() => start({ model: 'gpt-4', config: { maxTokens: 8_192 } }))).toBe('INVALID_INPUT');
    expect(start({ model: 'gpt-4', config: { maxTokens: 8_191 } }).chat.config.maxTokens).toBe(8_191);
    expect(codeOf(() => startChat({ userId: '  ' }, choices, stamp, count))).toBe('INVALID_INPUT');
  });
});
