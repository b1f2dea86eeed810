// Unit tests (Node): pure modules with fakes, msw/node for the protocol client, the demo server over loopback.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
