import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
