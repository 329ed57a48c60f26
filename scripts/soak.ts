// npm run soak -- --runs N --seed S [--parallel P] [--max-seconds T]
// Randomized runs over every mechanism, ended every way; prints what each left behind.
// Exit 0 when nothing was left, 1 otherwise.

import { parseArgs } from 'node:util';
import { leftoverCount, soak } from '../test/harness/soak';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, parallel: { type: 'string', default: '3' }, 'max-seconds': { type: 'string', default: '900' } } });
const runs = Number(values.runs);
const seed = Number(values.seed);
const rep = await soak({ runs, seed, parallel: Number(values.parallel), maxMs: Number(values['max-seconds']) * 1000 });
console.log(`soak: ${rep.runs} runs, seed ${seed}, ${(rep.ms / 1000).toFixed(1)} s`);
console.log(`endings: ${JSON.stringify(rep.endings)}  reasons: ${JSON.stringify(rep.reasons)}  isolation: ${JSON.stringify(rep.isolation)}`);
console.log('| leftover | count |\n|---|---|');
console.log(`| reported by runs' verify step | ${rep.runLeftovers.length} |`);
for (const [k, v] of Object.entries(rep.final)) console.log(`| ${k} | ${v.length} |`);
for (const l of [...rep.runLeftovers, ...Object.entries(rep.final).flatMap(([k, v]) => v.map((x) => `${k}: ${x}`))]) console.log(`  ${l}`);
process.exit(leftoverCount(rep) === 0 ? 0 : 1);
