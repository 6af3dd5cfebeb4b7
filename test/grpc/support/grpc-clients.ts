import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ClientReadableStream,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { ProtoGrpcType as LegacyProtos } from '../../../src/channels/grpc/generated/chat.js';
import type { ProtoGrpcType as V1Protos } from '../../../src/channels/grpc/generated/chat_service.js';
import type { ChatServiceClient as LegacyClient } from '../../../src/channels/grpc/generated/pb/ChatService.js';
import type { ChatServiceClient as V1Client } from '../../../src/channels/grpc/generated/chatservice/v1/ChatService.js';
import { findProtoDir, LOADER_OPTIONS } from '../../../src/channels/grpc/load-protos.js';
import { SERVICE_TOKEN } from '../../support/test-app.js';

/*
 * Real grpc-js clients, built from the .proto files as any client would
 * (the legacy one from proto/chat.proto alone, as the original BFF does).
 */

export const PROTO_DIR = findProtoDir();
const address = (port: number) => `127.0.0.1:${port}`;
const insecure = () => credentials.createInsecure();

export function legacyClient(port: number): LegacyClient {
  const protos = loadPackageDefinition(loadSync('chat.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] })) as unknown as LegacyProtos;
  return new protos.pb.ChatService(address(port), insecure());
}

export function v1Client(port: number): V1Client {
  const definition = loadSync('chatservice/v1/chat_service.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
  const protos = loadPackageDefinition(definition) as unknown as V1Protos;
  return new protos.chatservice.v1.ChatService(address(port), insecure());
}

/** A generic client for a service of a .proto file we do not have types for (health, reflection). */
export function untypedClient(port: number, file: string, service: string, includeDirs: string[] = []) {
  const loaded = loadPackageDefinition(loadSync(file, { ...LOADER_OPTIONS, includeDirs }));
  const Client = service.split('.').reduce<unknown>((node, key) => (node as GrpcObject)[key], loaded) as ServiceClientConstructor;
  return new Client(address(port), insecure()) as any;
}

export const healthClient = (port: number) => untypedClient(port, healthProtoPath, 'grpc.health.v1.Health');

export function reflectionClient(port: number, version: 'v1' | 'v1alpha') {
  const require = createRequire(import.meta.url);
  const protoRoot = join(dirname(require.resolve('@grpc/reflection')), '../proto');
  return untypedClient(port, `grpc/reflection/${version}/reflection.proto`, `grpc.reflection.${version}.ServerReflection`, [protoRoot]);
}

/** Metadata with `authorization`; the service token by default, none with `null`. */
export function auth(authorization: string | null = `Bearer ${SERVICE_TOKEN}`): Metadata {
  const metadata = new Metadata();
  if (authorization !== null) metadata.set('authorization', authorization);
  return metadata;
}

export interface StreamResult<T> {
  readonly messages: T[];
  /** The error the stream ended with, if any. */
  readonly error: ServiceError | undefined;
}

/** Reads a server stream to its end. */
export function collect<T>(stream: ClientReadableStream<T>): Promise<StreamResult<T>> {
  const messages: T[] = [];
  return new Promise((resolve) => {
    stream.on('data', (message: T) => messages.push(message));
    stream.on('error', (error: ServiceError) => resolve({ messages, error }));
    stream.on('end', () => resolve({ messages, error: undefined }));
  });
}

/** Promisifies a unary call: `unary((cb) => client.ListChats(req, auth(), cb))`. */
export function unary<T>(call: (callback: (error: ServiceError | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    call((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

/** The rejection of a unary call, or a failure when it succeeded. */
export async function unaryError(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

/** Resolves once the stream has delivered `count` messages. */
export function messagesReceived<T>(stream: ClientReadableStream<T>, count: number): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (message: T) => {
      seen.push(message);
      if (seen.length === count) resolve(seen);
    });
    stream.on('error', reject);
  });
}
