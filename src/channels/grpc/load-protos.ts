import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType as LegacyProtos } from './generated/chat.js';
import type { ProtoGrpcType as V1Protos } from './generated/chat_service.js';

/** The files that define our services, relative to the proto directory. */
export const PROTO_FILES = ['chat.proto', 'chatservice/v1/chat_service.proto'] as const;

/**
 * How messages become objects: field names as in the .proto (user_id), enums
 * as names, 64-bit integers as strings, defaults filled in. The generated
 * types (scripts/generate-grpc-types.ts) are made with the same options.
 */
export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export type ChatProtos = LegacyProtos & V1Protos;

export interface LoadedProtos {
  /** For server reflection: the descriptors of every loaded file. */
  readonly definition: PackageDefinition;
  readonly services: ChatProtos;
}

export function loadChatProtos(protoDir: string = findProtoDir()): LoadedProtos {
  const definition = loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [protoDir] });
  // The one unchecked step: loadPackageDefinition is untyped, and the generated
  // ProtoGrpcType describes exactly what it returns for these files and options
  // (test/grpc/generated-types.test.ts keeps the two in step).
  const services = loadPackageDefinition(definition) as unknown as ChatProtos;
  return { definition, services };
}

/**
 * proto/ at the project root, found from this file whether it runs from
 * src/ (tsx, vitest) or from dist/src/ (after tsc, in the container image).
 */
export function findProtoDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, PROTO_FILES[0]))) return candidate;
    if (dirname(dir) === dir) throw new Error(`No proto/${PROTO_FILES[0]} found above ${from}`);
  }
}
