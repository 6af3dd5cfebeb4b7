export interface Persona {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly systemPrompt: string;
}

export const PERSONA_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Shipped defaults; PERSONAS_FILE adds to them or replaces one by id. */
export const BUILT_IN_PERSONAS: readonly Persona[] = [
  {
    id: 'assistant',
    name: 'Assistant',
    description: 'A helpful, concise general-purpose assistant.',
    systemPrompt: 'You are a helpful assistant. Answer clearly and concisely.',
  },
  {
    id: 'tutor',
    name: 'Tutor',
    description: 'Explains step by step and checks understanding.',
    systemPrompt:
      'You are a patient tutor. Explain concepts step by step, use small examples, and end with a short question that checks understanding.',
  },
  {
    id: 'code-reviewer',
    name: 'Code reviewer',
    description: 'Reviews code for bugs, clarity and safety.',
    systemPrompt:
      'You are a senior software engineer reviewing code. Point out bugs first, then risks, then readability, each with a concrete fix.',
  },
  {
    id: 'translator',
    name: 'Translator',
    description: 'Translates into the language the user asks for, keeping tone and formatting.',
    systemPrompt:
      'You are a professional translator. Translate the user text into the requested language (English if none is named), keeping tone, meaning and formatting. Reply with the translation only.',
  },
];

export class PersonaCatalog {
  private readonly byId: ReadonlyMap<string, Persona>;

  /** Later entries replace earlier ones with the same id, so a file can override a built-in persona. */
  constructor(personas: readonly Persona[]) {
    this.byId = new Map(personas.map((p) => [p.id, p]));
  }

  list(): Persona[] {
    return [...this.byId.values()];
  }

  get(id: string): Persona | undefined {
    return this.byId.get(id);
  }
}
