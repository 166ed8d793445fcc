import { defineConfig } from 'vitest/config';

// One root config; each package is a project so `pnpm test` gives one summary.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
