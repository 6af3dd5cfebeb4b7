import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations in test/graphql/operations, from the
 * committed schema: `npm run codegen` writes them, `npm run codegen:check`
 * fails when they are out of date.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/graphql/operations/**/*.graphql'],
  emitLegacyCommonJSImports: false,
  ignoreNoDocuments: false,
  generates: {
    'test/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false },
        strictScalars: true,
      },
    },
  },
};

export default config;
