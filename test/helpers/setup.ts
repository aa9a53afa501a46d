import { leftOpen } from './resources';

// Exposed to the test environment (test/helpers/environment.js), which checks at teardown.
(globalThis as { __dhxLeftOpen?: () => string[] }).__dhxLeftOpen = leftOpen;
