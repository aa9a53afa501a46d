/** The document generator is product code (the demo uses it): src/sim/documents.ts. */
export * from '../../src/sim/documents';
