import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateGrpcTypes, listFiles } from '../../scripts/generate-grpc-types.js';

describe('src/channels/grpc/generated', () => {
  it('matches the protos (regenerate with `npx tsx scripts/generate-grpc-types.ts`)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'grpc-types-'));
    try {
      const files = generateGrpcTypes(fresh);
      expect(listFiles(GENERATED_DIR)).toEqual(files);
      for (const file of files) {
        expect(readFileSync(join(GENERATED_DIR, file), 'utf8'), file).toBe(readFileSync(join(fresh, file), 'utf8'));
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
