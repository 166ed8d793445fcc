import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'web', setupFiles: ['../../vitest.setup.ts'], include: ['test/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 180_000 },
});
