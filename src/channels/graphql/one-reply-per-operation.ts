import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withCode } from './errors.js';

/**
 * Root fields that start a reply, i.e. an upstream model call. A field added
 * later that calls the upstream (a summary, say) belongs here too.
 */
export const REPLY_STARTING_FIELDS: ReadonlySet<string> = new Set(['Mutation.sendMessage', 'Subscription.sendMessage']);

/**
 * One GraphQL operation may start at most one reply: aliases would otherwise
 * turn one request into many upstream calls. Counted per operation over its
 * distinct response keys (fields merged by GraphQL run once), through
 * fragments and inline fragments; refused as INVALID_INPUT before anything runs.
 */
export const oneReplyPerOperation: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    const rootType = context.getSchema().getRootType(operation.operation);
    if (!rootType) return;
    const keys = new Set<string>();
    collectReplyKeys(operation.selectionSet, rootType.name, (name) => context.getFragment(name), keys, new Set());
    if (keys.size > 1) {
      context.reportError(
        withCode(new GraphQLError(`One operation may start at most one reply; this one starts ${keys.size}.`, { nodes: operation }), 'INVALID_INPUT'),
      );
    }
  },
});

function collectReplyKeys(
  selectionSet: SelectionSetNode,
  typeName: string,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  keys: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (REPLY_STARTING_FIELDS.has(`${typeName}.${selection.name.value}`)) keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectReplyKeys(selection.selectionSet, typeName, fragment, keys, visited);
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const definition = fragment(selection.name.value);
      if (definition) collectReplyKeys(definition.selectionSet, typeName, fragment, keys, visited);
    }
  }
}

export function useOneReplyPerOperation(): Plugin {
  return { onValidate: ({ addValidationRule }) => addValidationRule(oneReplyPerOperation) };
}
