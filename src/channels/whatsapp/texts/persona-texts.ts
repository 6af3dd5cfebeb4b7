import type { Persona } from '../../../domain/persona.js';

/** `/persona`: the personas to choose from, the current one marked. */
export function personaListText(personas: readonly Persona[], currentId: string | null): string {
  const lines = personas.map((p) => `• ${p.id}${p.id === currentId ? ' (current)' : ''}: ${p.description}`);
  return `Personas:\n${lines.join('\n')}\n\nSend /persona <name> to switch, /persona default to go back.`;
}

/** `/help`: the commands, and the personas' ids to use with /persona. */
export function helpText(personas: readonly Persona[]): string {
  return [
    'Send any message and I will answer it; your chat continues until you start a new one.',
    '',
    'Commands:',
    '/new: start a new chat (earlier chats are kept)',
    '/persona <name>: switch persona and start a new chat with it',
    '/persona: list the personas',
    '/summary on|off: keep a summary of what no longer fits my memory in this chat, or forget it',
    '/usage: what you have used today and this month, and what is left',
    '/help: this list',
    '',
    `Personas: ${personas.map((p) => p.id).join(', ')}`,
  ].join('\n');
}
