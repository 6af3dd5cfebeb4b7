import type { ContextStrategy } from '../../domain/chat-config.js';
import type { Persona } from '../../domain/persona.js';
import type { KeyedLock } from '../../lib/keyed-lock.js';
import { note, type Answer } from './answer.js';
import type { ConversationDeps, WhatsAppUserState } from './conversation-ports.js';
import { helpText, personaListText } from './texts/persona-texts.js';
import { usageText } from './texts/usage-text.js';
import { WHATSAPP_TEXTS } from './texts/whatsapp-texts.js';

export interface Command {
  /** Lower case, without the slash. */
  readonly name: string;
  /** The rest of the message, trimmed; '' when there is none. */
  readonly argument: string;
}

const COMMAND = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i;

/** A message that is a slash command (`/persona pirate`), else undefined. */
export function parseCommand(text: string): Command | undefined {
  const match = COMMAND.exec(text);
  return match ? { name: match[1]!.toLowerCase(), argument: match[2]?.trim() ?? '' } : undefined;
}

const SUMMARY_SWITCH: Readonly<Record<string, ContextStrategy>> = { on: 'SUMMARIZE', off: 'TRUNCATE' };

/** `/persona` with one of these goes back to the service's default prompt. */
const DEFAULT_PERSONA_NAMES = new Set(['default', 'none', 'off']);

/**
 * Runs a command for `userId`. `locks` is the conversation's per-user lock:
 * a command that changes the user's state waits for a message being started.
 */
export async function runCommand(deps: ConversationDeps, locks: KeyedLock, userId: string, command: Command): Promise<Answer> {
  const { name, argument } = command;
  const personas = deps.core.listPersonas();
  switch (name) {
    case 'help':
      return note(helpText(personas));
    case 'new':
      await updateUser(deps, locks, userId, (state) => ({ ...state, currentChatId: null }));
      return note(WHATSAPP_TEXTS.newChat);
    case 'persona': {
      if (argument === '') {
        const state = await deps.conversations.findUser(userId);
        return note(personaListText(personas, state?.personaId ?? null));
      }
      if (DEFAULT_PERSONA_NAMES.has(argument.toLowerCase())) {
        await updateUser(deps, locks, userId, () => ({ userId, currentChatId: null, personaId: null }));
        return note('Back to the default assistant. Your next message starts a new chat.');
      }
      const persona = findPersona(personas, argument);
      if (!persona) return note(`I do not know the persona "${argument}".\n\n${personaListText(personas, null)}`);
      await updateUser(deps, locks, userId, () => ({ userId, currentChatId: null, personaId: persona.id }));
      return note(`Switched to ${persona.name}. Your next message starts a new chat with this persona.`);
    }
    case 'summary':
      return summaryCommand(deps, userId, argument.toLowerCase());
    case 'usage':
      return note(usageText(await deps.core.limits(userId)));
    default:
      return note(`I do not know the command /${name}. Send /help to see what I understand.`);
  }
}

/** `/summary on|off` switches the current chat's context strategy; `/summary` tells which one it has. */
async function summaryCommand(deps: ConversationDeps, userId: string, argument: string): Promise<Answer> {
  const wanted = SUMMARY_SWITCH[argument];
  if (argument !== '' && wanted === undefined) return note(WHATSAPP_TEXTS.summaryUsage);
  const chatId = (await deps.conversations.findUser(userId))?.currentChatId ?? null;
  const chat = chatId === null ? undefined : await deps.core.findChat(userId, chatId);
  if (chat === undefined || chat.status === 'ENDED') return note(WHATSAPP_TEXTS.summaryNoChat);
  const strategy = wanted ?? chat.config.contextStrategy;
  if (wanted !== undefined && wanted !== chat.config.contextStrategy) {
    await deps.core.updateChatConfig(userId, chat.id, { contextStrategy: wanted });
  }
  return note(strategy === 'SUMMARIZE' ? WHATSAPP_TEXTS.summaryOn : WHATSAPP_TEXTS.summaryOff, chat.id);
}

async function updateUser(
  deps: ConversationDeps,
  locks: KeyedLock,
  userId: string,
  change: (state: WhatsAppUserState) => WhatsAppUserState,
): Promise<void> {
  await locks.run(userId, async () => {
    const state = (await deps.conversations.findUser(userId)) ?? { userId, currentChatId: null, personaId: null };
    await deps.conversations.saveUser(change(state), deps.clock.now());
  });
}

const normalizePersonaName = (name: string): string => name.trim().toLowerCase().replace(/[\s_]+/g, '-');

/** By id or by name, forgiving case, spaces and underscores (`/persona Pirate Captain`). */
function findPersona(personas: readonly Persona[], name: string): Persona | undefined {
  const wanted = normalizePersonaName(name);
  return personas.find((p) => p.id === wanted || normalizePersonaName(p.name) === wanted);
}
