import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BUILT_IN_PERSONAS, PERSONA_ID_PATTERN, type Persona } from '../../domain/persona.js';

const personasFile = z.array(
  z.object({
    id: z.string().regex(PERSONA_ID_PATTERN, 'lowercase letters, digits and dashes'),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).default(''),
    systemPrompt: z.string().trim().min(1).max(32_000),
  }),
);

/** The built-in personas, extended (or overridden by id) by a JSON file of `[{ id, name, description, systemPrompt }]`. */
export async function loadPersonas(file: string | undefined): Promise<Persona[]> {
  if (file === undefined) return [...BUILT_IN_PERSONAS];
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`PERSONAS_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  const parsed = personasFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`PERSONAS_FILE: ${file}: [${issue.path.join('.')}] ${issue.message}`);
  }
  return [...BUILT_IN_PERSONAS, ...parsed.data];
}
