import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatServiceClient } from '../../src/channels/grpc/generated/chatservice/v1/ChatService.js';
import type { GetChatResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/GetChatResponse.js';
import type { SendMessageRequest } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageRequest.js';
import type { SendMessageResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageResponse.js';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { auth, collect, unary, v1Client } from '../grpc/support/grpc-clients.js';
import { storeEngines } from '../support/stores.js';
import { USER_ID, useWhatsAppApp } from '../whatsapp/whatsapp-test-app.js';
import { SUMMARY_ENV, isSummaryRequest, longMessage, upstream } from './summary-test-kit.js';

describe.each(storeEngines())('context summaries over gRPC and WhatsApp on %s', (engine) => {
  // The service default stays TRUNCATE here: chats opt in through their channel.
  const t = useWhatsAppApp(engine, { env: { ...SUMMARY_ENV, CONTEXT_STRATEGY: 'TRUNCATE' } });
  let client: ChatServiceClient;
  beforeAll(() => {
    client = v1Client(t().grpcPort);
  });
  afterAll(() => client?.close());

  const send = (request: SendMessageRequest) => collect<SendMessageResponse__Output>(client.SendMessage(request, auth()));
  const getChat = (chatId: string) => unary<GetChatResponse__Output>((cb) => client.GetChat({ user_id: 'alice', chat_id: chatId }, auth(), cb));
  const summaryRequests = () => t().openai!.requests.filter(isSummaryRequest);

  it('gRPC: a chat started with context_strategy SUMMARIZE reports it, and GetChat returns its summary with usage', async () => {
    t().openai!.replyAlways(upstream());
    const config = { context_strategy: 'CONTEXT_STRATEGY_SUMMARIZE' as const };
    const first = await send({ user_id: 'alice', content: longMessage(1), config });
    const started = first.messages[0]!.started!;
    expect(started.chat!.config!.context_strategy).toBe('CONTEXT_STRATEGY_SUMMARIZE');
    const chatId = started.chat!.id;
    for (let n = 2; n <= 7; n += 1) await send({ user_id: 'alice', chat_id: chatId, content: longMessage(n), config });

    expect(summaryRequests().length).toBeGreaterThan(0);
    const { chat } = await getChat(chatId);
    expect(chat!.context_summary).toMatchObject({ content: expect.stringMatching(/^Summary #/), model: 'gpt-4o-mini' });
    expect(chat!.context_summary!.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(chat!.context_summary!.covers_through_seq).toBeGreaterThan(0);
  });

  it('WhatsApp: /summary on switches the current chat to summaries, /summary off back', async () => {
    t().openai!.replyAlways(upstream());
    const ask = async (body: string) => {
      const before = t().twilio.messages.length;
      expect((await t().say(body)).status).toBe(200);
      return (await t().twilio.waitForMessages(before + 1)).at(-1)!.body;
    };
    expect(await ask('/summary on')).toBe(WHATSAPP_TEXTS.summaryNoChat);
    await ask(longMessage(1));
    expect(await ask('/summary')).toBe(WHATSAPP_TEXTS.summaryOff);
    expect(await ask('/summary on')).toBe(WHATSAPP_TEXTS.summaryOn);
    for (let n = 2; n <= 7; n += 1) await ask(longMessage(n));
    const chat = (await t().app.core.listChats({ userId: USER_ID })).items[0]!;
    expect(chat.config.contextStrategy).toBe('SUMMARIZE');
    expect(summaryRequests().length).toBeGreaterThan(0);

    expect(await ask('/summary off')).toBe(WHATSAPP_TEXTS.summaryOff);
    const before = summaryRequests().length;
    for (let n = 8; n <= 10; n += 1) await ask(longMessage(n));
    expect(summaryRequests()).toHaveLength(before);
    expect(await ask('/summary sometimes')).toBe(WHATSAPP_TEXTS.summaryUsage);
  });
});
