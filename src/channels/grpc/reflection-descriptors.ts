import type { PackageDefinition } from '@grpc/proto-loader';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';

const { FileDescriptorProto } = descriptor;

/**
 * proto-loader regroups the loaded files by package (pb.proto,
 * chatservice_v1.proto, google_protobuf.proto) and leaves every file's
 * `dependency` list empty, although chatservice_v1.proto uses
 * google.protobuf.Timestamp. @grpc/reflection serves those descriptors as
 * they are, and strict clients (Python's descriptor pool, grpcurl) refuse a
 * file that references a type from a file it does not import. This fills in
 * each file's imports from the types it references, so that every served file
 * lists its dependencies, and every dependency is one of the served files.
 */
export function withFileDependencies(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, IFileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    for (const bytes of fileDescriptorsOf(entry) ?? []) {
      const file = FileDescriptorProto.decode(bytes) as IFileDescriptorProto;
      if (file.name && !files.has(file.name)) files.set(file.name, file);
    }
  }
  const definedIn = symbolIndex(files);
  const encoded = new Map<string, Uint8Array>();
  for (const [name, file] of files) {
    const dependencies = new Set<string>();
    for (const { ref, scope } of typeReferences(file)) {
      const source = resolve(definedIn, ref, scope);
      if (source === undefined) throw new Error(`Reflection: ${name} references ${ref}, which no loaded file defines`);
      if (source !== name) dependencies.add(source);
    }
    const fixed = { ...file, dependency: [...dependencies].sort() };
    encoded.set(name, FileDescriptorProto.encode(FileDescriptorProto.fromObject(fixed)).finish());
  }
  const all = [...encoded.values()];
  return Object.fromEntries(
    Object.entries(definition).map(([key, entry]) => [key, fileDescriptorsOf(entry) ? { ...entry, fileDescriptorProtos: all } : entry]),
  ) as PackageDefinition;
}

/** Message and enum entries carry the descriptors of every loaded file; service entries do not. */
const fileDescriptorsOf = (entry: PackageDefinition[string]): readonly Uint8Array[] | undefined =>
  'fileDescriptorProtos' in entry && Array.isArray(entry.fileDescriptorProtos) ? (entry.fileDescriptorProtos as Uint8Array[]) : undefined;

/** Fully qualified names (`.pkg.Message`, `.pkg.Outer.Inner`, enums too) to the file that defines them. */
function symbolIndex(files: ReadonlyMap<string, IFileDescriptorProto>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, file] of files) {
    const prefix = file.package ? `.${file.package}` : '';
    const addMessages = (messages: readonly IDescriptorProto[] | undefined, scope: string) => {
      for (const message of messages ?? []) {
        const fqn = `${scope}.${message.name}`;
        index.set(fqn, name);
        for (const e of message.enumType ?? []) index.set(`${fqn}.${e.name}`, name);
        addMessages(message.nestedType, fqn);
      }
    };
    addMessages(file.messageType, prefix);
    for (const e of file.enumType ?? []) index.set(`${prefix}.${e.name}`, name);
  }
  return index;
}

interface TypeReference {
  readonly ref: string;
  /** Where the reference appears (`.pkg.Message`), for protobuf's scoping rules. */
  readonly scope: string;
}

/** Every message or enum type a file's fields and methods name; proto-loader writes them relative to their scope. */
function typeReferences(file: IFileDescriptorProto): TypeReference[] {
  const pkg = file.package ? `.${file.package}` : '';
  const refs: TypeReference[] = [];
  const visit = (messages: readonly IDescriptorProto[] | undefined, scope: string) => {
    for (const message of messages ?? []) {
      const inner = `${scope}.${message.name}`;
      for (const field of [...(message.field ?? []), ...(message.extension ?? [])]) {
        if (field.typeName) refs.push({ ref: field.typeName, scope: inner });
      }
      visit(message.nestedType, inner);
    }
  };
  visit(file.messageType, pkg);
  for (const field of file.extension ?? []) if (field.typeName) refs.push({ ref: field.typeName, scope: pkg });
  for (const service of file.service ?? []) {
    for (const method of service.method ?? []) {
      for (const ref of [method.inputType, method.outputType]) if (ref) refs.push({ ref, scope: pkg });
    }
  }
  return refs;
}

/** Protobuf name resolution: a relative name is looked up in the innermost scope first, then outwards. */
function resolve(definedIn: ReadonlyMap<string, string>, ref: string, scope: string): string | undefined {
  if (ref.startsWith('.')) return definedIn.get(ref);
  for (let current = scope; ; current = current.slice(0, current.lastIndexOf('.'))) {
    const found = definedIn.get(`${current}.${ref}`);
    if (found !== undefined || current === '') return found;
  }
}
