import { describe, expect, it } from 'vitest';
import { mergeChatConfig, storedChatConfig, type ChatConfig } from './chat-config.js';

const base: ChatConfig = { temperature: 1, topP: 1, maxTokens: 256, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' };

describe('mergeChatConfig', () => {
  it('applies the given fields and keeps the rest', () => {
    expect(mergeChatConfig(base, { temperature: 0.2, stop: ['END'], maxTokens: undefined })).toEqual({
      ...base,
      temperature: 0.2,
      stop: ['END'],
    });
  });

  it.each([
    [{ temperature: 2.5 }, 'temperature'],
    [{ temperature: Number.NaN }, 'temperature'],
    [{ topP: -0.1 }, 'topP'],
    [{ presencePenalty: 3 }, 'presencePenalty'],
    [{ frequencyPenalty: -2.01 }, 'frequencyPenalty'],
    [{ maxTokens: 0 }, 'maxTokens'],
    [{ maxTokens: 1.5 }, 'maxTokens'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [{ stop: [''] }, 'stop'],
    [{ contextStrategy: 'FORGET' as never }, 'contextStrategy'],
  ])('rejects %j with INVALID_INPUT naming %s', (patch, field) => {
    expect(() => mergeChatConfig(base, patch)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(field) }));
  });
});

describe('storedChatConfig', () => {
  it('reads a config stored before contextStrategy existed as the default strategy', () => {
    const { contextStrategy: _dropped, ...old } = base;
    expect(storedChatConfig(old, { contextStrategy: 'SUMMARIZE' })).toEqual({ ...base, contextStrategy: 'SUMMARIZE' });
  });

  it('keeps a stored strategy', () => {
    expect(storedChatConfig({ ...base, contextStrategy: 'SUMMARIZE' }, { contextStrategy: 'TRUNCATE' }).contextStrategy).toBe('SUMMARIZE');
  });
});
