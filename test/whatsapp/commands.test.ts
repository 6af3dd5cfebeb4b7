import { eventually } from '../support/eventually.js';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PERSONAS } from '../../src/domain/persona.js';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { storeEngines } from '../support/stores.js';
import { USER_ID, useWhatsAppApp } from './whatsapp-test-app.js';
import { storedMessages } from '../support/stored-messages.js';

const TUTOR = BUILT_IN_PERSONAS.find((p) => p.id === 'tutor')!;
const REVIEWER = BUILT_IN_PERSONAS.find((p) => p.id === 'code-reviewer')!;

describe.each(storeEngines())('WhatsApp conversation commands on %s', (engine) => {
  const t = useWhatsAppApp(engine);

  /** Sends a message and resolves with the text of the next answer (all its parts). */
  async function ask(body: string, options: { numMedia?: number } = {}): Promise<string> {
    const before = t().twilio.messages.length;
    const response = await t().say(body, options);
    expect(response.status).toBe(200);
    const sent = await t().twilio.waitForMessages(before + 1);
    return sent.at(-1)!.body;
  }

  const chatsOfUser = async () => (await t().app.core.listChats({ userId: USER_ID })).items;
  const systemPromptSentLast = () => t().openai!.requests.at(-1)!.body.messages[0]!.content;

  it.each(['/help', '/HELP', '  /Help  '])('answers %j with the commands and personas, without calling the model', async (command) => {
    const answer = await ask(command);
    for (const word of ['/new', '/persona', '/help', 'tutor', 'code-reviewer']) expect(answer).toContain(word);
    expect(t().openai!.requests).toHaveLength(0);
    expect(await chatsOfUser()).toHaveLength(0);
  });

  it('/new starts a fresh chat with the next message; the old chat is kept', async () => {
    t().openai!.reply({ text: 'First answer.' }, { text: 'Second answer.' });
    await ask('First question');
    expect(await ask('/NEW')).toBe(WHATSAPP_TEXTS.newChat);
    await ask('Second question');

    const chats = await chatsOfUser();
    expect(chats.map((c) => c.title).sort()).toEqual(['First question', 'Second question']);
    // The new chat's prompt holds none of the old one.
    expect(t().openai!.requests.at(-1)!.body.messages.map((m) => m.content)).toEqual([
      'You are a helpful assistant.',
      'Second question',
    ]);
  });

  it('/persona <name> switches persona: the next message starts a chat with it, and later ones continue it', async () => {
    t().openai!.reply({ text: 'Default answer.' }, { text: 'Tutor answer.' }, { text: 'Tutor again.' });
    await ask('Hello');
    expect(await ask('/persona tutor')).toMatch(/^Switched to Tutor\./);
    await ask('Teach me fractions');
    expect(systemPromptSentLast()).toBe(TUTOR.systemPrompt);
    await ask('And decimals?');

    const chats = await chatsOfUser();
    expect(chats).toHaveLength(2);
    const tutorChat = chats.find((c) => c.personaId === 'tutor')!;
    expect(tutorChat.title).toBe('Teach me fractions');
    const messages = await storedMessages(t().app.core, { userId: USER_ID, chatId: tutorChat.id });
    expect(messages.items.filter((m) => m.role === 'USER').map((m) => m.content)).toEqual(['Teach me fractions', 'And decimals?']);
  });

  it('/persona matches a persona by its display name, case-insensitively', async () => {
    t().openai!.reply({ text: 'Reviewing.' });
    expect(await ask('/Persona CODE reviewer')).toMatch(/^Switched to Code reviewer\./);
    await ask('Look at this loop');
    expect(systemPromptSentLast()).toBe(REVIEWER.systemPrompt);
  });

  it('/persona keeps its persona across /new, and /persona default goes back to the default prompt', async () => {
    t().openai!.reply({ text: 'One.' }, { text: 'Two.' });
    await ask('/persona tutor');
    await ask('/new');
    await ask('Question for the tutor');
    expect(systemPromptSentLast()).toBe(TUTOR.systemPrompt);
    expect(await ask('/persona default')).toMatch(/default assistant/);
    await ask('Question for the default');
    expect(systemPromptSentLast()).toBe('You are a helpful assistant.');
  });

  it('/persona with an unknown name changes nothing and lists the personas', async () => {
    t().openai!.reply({ text: 'Same chat.' }, { text: 'Still the same chat.' });
    await ask('Hello');
    const answer = await ask('/persona pirate');
    expect(answer).toMatch(/^I do not know the persona "pirate"/);
    for (const persona of BUILT_IN_PERSONAS) expect(answer).toContain(persona.id);
    await ask('Go on');
    expect(await chatsOfUser()).toHaveLength(1);
  });

  it('/persona alone lists the personas and marks the current one', async () => {
    await ask('/persona tutor');
    const answer = await ask('/persona');
    expect(answer).toContain(`• tutor (current): ${TUTOR.description}`);
    expect(answer).toContain(`• code-reviewer: ${REVIEWER.description}`);
  });

  it('answers an unknown command with a pointer to /help instead of sending it to the model', async () => {
    expect(await ask('/frobnicate now')).toBe('I do not know the command /frobnicate. Send /help to see what I understand.');
    expect(t().openai!.requests).toHaveLength(0);
  });

  it('answers a media-only message with the text-only note: nothing reaches the model, no chat is created', async () => {
    expect(await ask('', { numMedia: 1 })).toBe(WHATSAPP_TEXTS.textOnly);
    expect(t().openai!.requests).toHaveLength(0);
    expect(await chatsOfUser()).toHaveLength(0);
  });

  it('answers the caption of a media message, and says the attachment was not seen', async () => {
    t().openai!.reply({ text: 'About your caption.' });
    const answer = await ask('What is in this picture?', { numMedia: 2 });
    expect(answer).toBe(`About your caption.\n\n${WHATSAPP_TEXTS.attachmentIgnored}`);
  });

  it('answers a message sent while the reply is still produced with a "still answering" note, then delivers the reply', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    t().openai!.reply(async () => {
      await released;
      return { text: 'The slow answer.' };
    });
    await t().say('A hard question');
    await t().openai!.waitForRequest(0);
    expect(await ask('Are you there?')).toBe(WHATSAPP_TEXTS.busy);
    release();

    const sent = await t().twilio.waitForMessages(2);
    expect(sent.map((m) => m.body)).toEqual([WHATSAPP_TEXTS.busy, 'The slow answer.']);
    expect(t().openai!.requests).toHaveLength(1);
    const [chat] = await chatsOfUser();
    const messages = await storedMessages(t().app.core, { userId: USER_ID, chatId: chat!.id });
    expect(messages.items.filter((m) => m.role === 'USER').map((m) => m.content)).toEqual(['A hard question']);
  });

  it('starts a new chat when the current one was ended elsewhere', async () => {
    t().openai!.reply({ text: 'Before.' }, { text: 'After.' });
    await ask('Before the end');
    const [ended] = await chatsOfUser();
    await eventually(async () => expect(await t().app.core.activeReply(ended!.id)).toBeNull());
    await t().app.core.endChat(USER_ID, ended!.id);

    expect(await ask('After the end')).toBe('After.');
    const chats = await chatsOfUser();
    expect(chats).toHaveLength(2);
    expect(chats.find((c) => c.id !== ended!.id)!.title).toBe('After the end');
  });

  it('starts a new chat when the current one was deleted elsewhere', async () => {
    t().openai!.reply({ text: 'Before.' }, { text: 'After.' });
    await ask('Before the delete');
    const [deleted] = await chatsOfUser();
    await eventually(async () => expect(await t().app.core.activeReply(deleted!.id)).toBeNull());
    await t().app.core.deleteChat(USER_ID, deleted!.id);

    expect(await ask('After the delete')).toBe('After.');
    expect((await chatsOfUser()).map((c) => c.title)).toEqual(['After the delete']);
  });
});
