/**
 * `npm run bench [-- NAME...]`: speed and memory figures, each printed beside a floor measured in the
 * same run (docs/performance.md). Benchmarks are never timed tests.
 */
import { benchCapsule } from './capsule';
import { benchOutbound } from './outbound';
import { benchPackages } from './packages';
import { benchPipeline } from './pipeline';
import { benchReceive } from './receive';

const BENCHES: Record<string, () => Promise<void>> = {
  capsule: () => benchCapsule(),
  receive: () => benchReceive(),
  outbound: () => benchOutbound(),
  pipeline: () => benchPipeline(),
  packages: () => benchPackages(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    console.log(`\n== ${name}`);
    await BENCHES[name]!();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
