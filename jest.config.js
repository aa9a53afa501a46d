/** Tests run against real PostgreSQL and Redis (see README); each file gets its own database. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // Fail the run when a test leaves a handle (worker, pool, socket) open.
  detectOpenHandles: false,
  maxWorkers: 2,
};
