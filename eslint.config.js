import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Forbids imports of `patterns` from `files` (tests included), with `message` saying why. */
function layer(files, message, patterns, options = {}) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message, ...options }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'data/', 'bench/results/', 'src/channels/graphql/generated/', 'src/channels/grpc/generated/', 'test/graphql/generated/', 'bench/peer/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // With noUncheckedIndexedAccess, `!` marks an index the code has just checked.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The layers (docs/architecture.md): imports only run inwards. Adapters reach
  // each other only through ports that the composition root (app.ts) wires.
  layer('src/domain/**', 'the domain is pure: it imports nothing outside domain/', ['**/use-cases/**', '**/infra/**', '**/channels/**', '**/lib/**', '**/app.js', '**/config.js']),
  layer('src/lib/**', 'lib/ holds domain-free utilities: it imports nothing of the service', ['**/domain/**', '**/use-cases/**', '**/infra/**', '**/channels/**']),
  layer('src/use-cases/**', 'use cases reach adapters only through their ports', ['**/infra/**', '**/channels/**', '**/app.js', '**/config.js']),
  layer('src/channels/**', 'channels reach infra only through use cases or injected ports', ['**/infra/**', '**/app.js']),
  // Infra implements ports, some of which channels declare (request metrics, WhatsApp conversations).
  layer('src/infra/**', 'infra implements ports: from channels it imports types only', ['**/channels/**', '**/app.js'], { allowTypeImports: true }),
  {
    files: ['test/**', 'bench/**', 'scripts/**', '**/*.test.ts'],
    // Tests read JSON responses whose shape they assert.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The built-in chat page: a browser module, with the browser globals it uses.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'URL', 'URLSearchParams', 'crypto', 'CSS',
          'setTimeout', 'clearTimeout', 'requestAnimationFrame', 'confirm', 'atob'].map((name) => [name, 'readonly']),
      ),
    },
  },
);
