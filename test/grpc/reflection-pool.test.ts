import { makeGenericClientConstructor, credentials, type ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { auth, reflectionClient } from './support/grpc-clients.js';
import { useTestApp } from '../support/test-app.js';

/*
 * What a strict reflection client (grpcurl, Python's descriptor pool) does:
 * it knows nothing but the server's answers. It lists the services, fetches
 * the file of each, then every file those import, refuses a file that uses a
 * type from a file it does not import, builds the types, and calls methods.
 */

const { FileDescriptorProto, FileDescriptorSet } = descriptor;
const OUR_SERVICES = ['pb.ChatService', 'chatservice.v1.ChatService'];

type ReflectionAnswer = {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
};

function reflectionSession(port: number) {
  const stream = reflectionClient(port, 'v1').ServerReflectionInfo();
  const waiting: ((answer: ReflectionAnswer) => void)[] = [];
  stream.on('data', (answer: ReflectionAnswer) => waiting.shift()?.(answer));
  return {
    ask: (request: Record<string, unknown>) =>
      new Promise<ReflectionAnswer>((resolve) => {
        waiting.push(resolve);
        stream.write(request);
      }),
    close: () => stream.end(),
  };
}

/** Every file reachable from our services, fetched through reflection only; fails on a file it cannot get. */
async function fetchDescriptors(port: number): Promise<Map<string, IFileDescriptorProto>> {
  const session = reflectionSession(port);
  const files = new Map<string, IFileDescriptorProto>();
  const take = (answer: ReflectionAnswer, asked: string) => {
    if (answer.error_response) throw new Error(`reflection refused ${asked}: ${answer.error_response.error_message}`);
    for (const bytes of answer.file_descriptor_response!.file_descriptor_proto) {
      const file = FileDescriptorProto.decode(bytes) as IFileDescriptorProto;
      files.set(file.name!, file);
    }
  };
  try {
    const listed = await session.ask({ list_services: '*' });
    const services = listed.list_services_response!.service.map((s) => s.name);
    expect(services).toEqual(expect.arrayContaining([...OUR_SERVICES, 'grpc.health.v1.Health']));
    for (const service of services) take(await session.ask({ file_containing_symbol: service }), service);
    for (let missing = unfetchedDependencies(files); missing.length > 0; missing = unfetchedDependencies(files)) {
      for (const name of missing) take(await session.ask({ file_by_filename: name }), name);
    }
    return files;
  } finally {
    session.close();
  }
}

const unfetchedDependencies = (files: Map<string, IFileDescriptorProto>) =>
  [...files.values()].flatMap((f) => (f.dependency as string[] | undefined) ?? []).filter((name) => !files.has(name));

/** The check Python's descriptor pool makes: each referenced type is defined in the file or in one it imports. */
function assertImportsComplete(files: Map<string, IFileDescriptorProto>): void {
  const definedIn = new Map<string, string>();
  for (const [name, file] of files) {
    const walk = (messages: IDescriptorProto[] | undefined, scope: string) => {
      for (const m of messages ?? []) {
        definedIn.set(`${scope}.${m.name}`, name);
        for (const e of m.enumType ?? []) definedIn.set(`${scope}.${m.name}.${e.name}`, name);
        walk(m.nestedType, `${scope}.${m.name}`);
      }
    };
    walk(file.messageType, `.${file.package}`);
    for (const e of file.enumType ?? []) definedIn.set(`.${file.package}.${e.name}`, name);
  }
  for (const [name, file] of files) {
    const visible = new Set([name, ...((file.dependency as string[] | undefined) ?? [])]);
    const refs: [string, string][] = [];
    const walk = (messages: IDescriptorProto[] | undefined, scope: string) => {
      for (const m of messages ?? []) {
        for (const field of m.field ?? []) if (field.typeName) refs.push([field.typeName, `${scope}.${m.name}`]);
        walk(m.nestedType, `${scope}.${m.name}`);
      }
    };
    walk(file.messageType, `.${file.package}`);
    for (const s of file.service ?? []) for (const method of s.method ?? []) refs.push([method.inputType!, `.${file.package}`], [method.outputType!, `.${file.package}`]);
    for (const [ref, scope] of refs) {
      const source = resolveIn(definedIn, ref, scope);
      expect(source, `${name}: ${ref} is defined in no served file`).toBeDefined();
      expect(visible.has(source!), `${name} uses ${ref} from ${source} without importing it`).toBe(true);
    }
  }
}

/** Protobuf's scoping: a relative name is looked up from the innermost scope outwards. */
function resolveIn(definedIn: Map<string, string>, ref: string, scope: string): string | undefined {
  if (ref.startsWith('.')) return definedIn.get(ref);
  for (let current = scope; ; current = current.slice(0, current.lastIndexOf('.'))) {
    const found = definedIn.get(`${current}.${ref}`);
    if (found !== undefined || current === '') return found;
  }
}

/** A grpc-js client for one reflected service, with (de)serializers built from the reflected types. */
function clientFor(root: protobuf.Root, serviceName: string, port: number): Record<string, (...args: unknown[]) => any> {
  const service = root.lookupService(serviceName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methodsArray) {
    const request = root.lookupType(method.requestType);
    const response = root.lookupType(method.responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: Boolean(method.responseStream),
      requestSerialize: (value: object) => Buffer.from(request.encode(request.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => request.decode(bytes),
      responseSerialize: (value: object) => Buffer.from(response.encode(response.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), { longs: String, enums: String, defaults: true }),
    };
  }
  const Client = makeGenericClientConstructor(definition, serviceName);
  return new Client(`127.0.0.1:${port}`, credentials.createInsecure()) as any;
}

const streamed = (call: any) =>
  new Promise<any[]>((resolve, reject) => {
    const frames: any[] = [];
    call.on('data', (frame: any) => frames.push(frame));
    call.on('error', reject);
    call.on('end', () => resolve(frames));
  });
const unaryCall = (client: any, method: string, request: object) =>
  new Promise<any>((resolve, reject) => client[method](request, auth(), (error: Error | null, value: any) => (error ? reject(error) : resolve(value))));

describe('server reflection for strict clients', () => {
  const t = useTestApp('sqlite');

  it('serves every file with its imports, and every import, so a descriptor pool builds from the answers alone', async () => {
    const files = await fetchDescriptors(t().grpcPort);
    const v1 = [...files.values()].find((f) => f.package === 'chatservice.v1')!;
    expect(v1.dependency).toContain([...files.values()].find((f) => f.package === 'google.protobuf')!.name);
    assertImportsComplete(files);
  });

  it('calls every method of both services through types built from reflection only', async () => {
    const files = await fetchDescriptors(t().grpcPort);
    assertImportsComplete(files);
    // Loading protobufjs/ext/descriptor adds Root.fromDescriptor; its typings do not declare it.
    const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: protobuf.Message): protobuf.Root }).fromDescriptor;
    const root = fromDescriptor(FileDescriptorSet.fromObject({ file: [...files.values()] }));
    const legacy = clientFor(root, 'pb.ChatService', t().grpcPort);
    const v1 = clientFor(root, 'chatservice.v1.ChatService', t().grpcPort);
    const called = new Set<string>();

    t().openai!.reply({ deltas: ['Hello ', 'there'] });
    const legacyFrames = await streamed(legacy.ChatStream!({ user_id: 'alice', user_message: 'Hi' }, auth()));
    expect(legacyFrames.at(-1)).toMatchObject({ user_id: 'alice', content: 'Hello there' });
    called.add('pb.ChatService/ChatStream');

    t().openai!.reply({ text: 'Reflected.' });
    const events = await streamed(v1.SendMessage!({ user_id: 'alice', content: 'Hi again' }, auth()));
    const completed = events.find((e) => e.completed)!.completed;
    expect(completed.message.content).toBe('Reflected.');
    called.add('chatservice.v1.ChatService/SendMessage');

    // Each remaining method gets the fields it asks for from one bag of known values.
    const values: Record<string, unknown> = { user_id: 'alice', chat_id: completed.chat_id, message_id: completed.message.id, page_size: 10 };
    const methods = root.lookupService('chatservice.v1.ChatService').methodsArray.filter((m) => m.name !== 'SendMessage');
    // Deleting last, so the others find the chat.
    methods.sort((a, b) => Number(a.name === 'DeleteChat') - Number(b.name === 'DeleteChat'));
    for (const method of methods) {
      const fields = root.lookupType(method.requestType).fieldsArray.map((f) => f.name);
      const request = Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f]]));
      const answer = method.responseStream ? await streamed(v1[method.name]!(request, auth())) : await unaryCall(v1, method.name, request);
      expect(answer, method.name).toBeDefined();
      called.add(`chatservice.v1.ChatService/${method.name}`);
    }
    expect((await unaryCall(v1, 'ListChats', { user_id: 'alice' })).chats.map((c: { id: string }) => c.id)).not.toContain(completed.chat_id);
    expect(called.size).toBe(1 + root.lookupService('chatservice.v1.ChatService').methodsArray.length);
    legacy.close!();
    v1.close!();
  });
});
