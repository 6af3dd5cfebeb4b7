/**
 * Reads the STOP setting. Three spellings are in use:
 *
 * - a JSON list, `["END","STOP"]`;
 * - the original Go service's `.env`, `STOP=["\super-end\"]`: meant as a
 *   list, but not valid JSON (`\s` is no JSON escape, and `\"` would escape the
 *   closing quote). Read leniently: the items are the texts between the
 *   quotes, with backslashes kept as written, so this one is `\super-end\`;
 * - a comma-separated list, `END,STOP`.
 *
 * A stop sequence is matched literally by the model, so guessing at escapes
 * would change what stops a reply; keeping the characters as written does not.
 */
export function parseStopList(value: string): string[] {
  const text = value.trim();
  if (!(text.startsWith('[') && text.endsWith(']'))) return splitPlain(text);
  const strict = parseJsonStringList(text);
  if (strict !== undefined) return strict;
  const inner = text.slice(1, -1).trim();
  if (inner.length === 0) return [];
  if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2) {
    return inner
      .slice(1, -1)
      .split(/"\s*,\s*"/)
      .filter((item) => item.length > 0);
  }
  return splitPlain(inner);
}

function parseJsonStringList(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((item): item is string => typeof item === 'string')) {
      return parsed.filter((item) => item.length > 0);
    }
  } catch {
    // Not JSON: read leniently below.
  }
  return undefined;
}

const splitPlain = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
