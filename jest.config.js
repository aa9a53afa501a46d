/** Tests run against real PostgreSQL and Redis (see README); each file gets its own database. */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // Fails a test file that leaves a tracked pool, connection, worker or server open (test/helpers/resources.ts).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
