// Jest environment that fails a test file which leaves a tracked resource open (test/helpers/resources.ts).
// The check runs at teardown, after every afterAll hook of the file, so closing in afterAll is in time.
const { TestEnvironment } = require('jest-environment-node');

class DhxTestEnvironment extends TestEnvironment {
  async teardown() {
    const leftOpen = this.global.__dhxLeftOpen;
    let still = [];
    if (typeof leftOpen === 'function') {
      for (let i = 0; i < 20; i++) {
        still = leftOpen();
        if (still.length === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await super.teardown();
    if (still.length > 0) {
      throw new Error(`test file left open: ${still.join(', ')} — close every pool, connection, worker and server in afterAll`);
    }
  }
}

module.exports = DhxTestEnvironment;
