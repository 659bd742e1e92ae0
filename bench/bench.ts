/**
 * Synth benchmark: the library's constructs against a hand-written L1 app that writes the same
 * templates, and against the same L1 app granting the imported roles through aws-cdk-lib's own path
 * (see l1-app.ts, l2-grants-app.ts and library-app.ts; the topology is in topology.ts).
 *
 *   npx projen bench                      # 10, 100 and 1000 consumer accounts
 *   npx projen bench -- --accounts 10,100 # a subset (or BENCH_ACCOUNTS=10,100)
 *   npx projen bench -- --reps 3          # repetitions per size (or BENCH_REPS; default 5, and 3 from 1000 accounts)
 *
 * For each size, the three apps are first synthesized once and each hand-written app's output
 * compared with the library app's (exit 1 with a diff when they differ). Then each app runs in its
 * own Node.js process, in turns, several times; the tables show medians of the wall time (spawn to
 * exit, measured here) and of the peak RSS (reported by the child), and the size of the shared
 * bucket's policy as minified JSON. The first table's ratios are library / L1, the second's
 * library / (L1 + aws-cdk-lib grants): the library's own cost beyond aws-cdk-lib's for the grants.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bucketPolicyBytes, compareAssemblies } from './equivalence';
import { libraryEntryPoint } from './library';
import { AppResult, BUCKET_NAME, OWNER_STACK, RESULT_PREFIX } from './topology';

const GOAL_TIME_RATIO = 1.25;
const GOAL_MEMORY_RATIO = 1.5;

/** The hand-written L1 app, the L1 app granting the imported roles through aws-cdk-lib, and the library app. */
type Kind = 'l1' | 'grants' | 'library';
const KINDS: Kind[] = ['l1', 'grants', 'library'];
const SCRIPTS: Record<Kind, string> = {
  l1: path.join(__dirname, 'l1-app.js'),
  grants: path.join(__dirname, 'l2-grants-app.js'),
  library: path.join(__dirname, 'library-app.js'),
};
const LABELS: Record<Kind, string> = { l1: 'L1', grants: 'L1+grants', library: 'library' };
/** The source to fix when a hand-written app's output differs from the library's. */
const SOURCES: Record<Exclude<Kind, 'library'>, string> = {
  l1: 'bench/l1-app.ts (or bench/l1-resources.ts)',
  grants: 'bench/l2-grants-app.ts (or bench/l1-resources.ts)',
};

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly constructs?: number;
}

interface Row {
  readonly accounts: number;
  readonly runs: number;
  readonly wallMs: Record<Kind, number>;
  readonly cpuMs: Record<Kind, number>;
  readonly maxRssKb: Record<Kind, number>;
  readonly policyBytes: Record<Kind, number>;
}

interface Options {
  readonly accounts: number[];
  readonly reps?: number;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    const inline = argv.find((a) => a.startsWith(`${flag}=`));
    return inline ? inline.slice(flag.length + 1) : i >= 0 ? argv[i + 1] : undefined;
  };
  const accountsText = value('--accounts') ?? process.env.BENCH_ACCOUNTS ?? '10,100,1000';
  const accounts = accountsText.split(',').map((s) => Number(s.trim()));
  if (accounts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--accounts takes positive integers separated by commas, got "${accountsText}"`);
  }
  const repsText = value('--reps') ?? process.env.BENCH_REPS;
  const reps = repsText === undefined ? undefined : Number(repsText);
  if (reps !== undefined && (!Number.isInteger(reps) || reps < 1)) {
    throw new Error(`--reps takes a positive integer, got "${repsText}"`);
  }
  return { accounts: [...new Set(accounts)].sort((a, b) => a - b), reps };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdk-ap-bench-${label}-`));
}

/** Runs one app in a child process; the wall time runs from spawn to exit. */
function runApp(kind: Kind, accounts: number, outdir: string, extraArgs: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exitedAt = 0n;
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [SCRIPTS[kind], '--accounts', String(accounts), '--outdir', outdir, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('exit', () => {
      exitedAt = process.hrtime.bigint();
    });
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      const line = out.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${kind} app with ${accounts} accounts failed (${signal ?? `exit code ${code}`}):\n${out}${Buffer.concat(stderr).toString('utf8')}`));
        return;
      }
      const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as AppResult;
      resolve({ wallMs: Number(exitedAt - started) / 1e6, cpuMs: result.cpuMs, maxRssKb: result.maxRssKb, constructs: result.constructs });
    });
  });
}

function byKind(value: (kind: Kind) => number): Record<Kind, number> {
  return { l1: value('l1'), grants: value('grants'), library: value('library') };
}

/** Synthesizes the three apps once, fails with a diff unless each hand-written app is equivalent to the library app, and measures the bucket policy. */
async function checkEquivalence(accounts: number): Promise<Record<Kind, number>> {
  const dirs: Record<Kind, string> = { l1: tempDir(`l1-${accounts}`), grants: tempDir(`grants-${accounts}`), library: tempDir(`library-${accounts}`) };
  try {
    const constructs: Partial<Record<Kind, number>> = {};
    for (const kind of KINDS) {
      constructs[kind] = (await runApp(kind, accounts, dirs[kind], ['--stats'])).constructs;
    }
    for (const kind of ['l1', 'grants'] as const) {
      const differences = compareAssemblies(dirs[kind], dirs.library, 3, { left: LABELS[kind], right: LABELS.library });
      if (differences.length > 0) {
        console.error(`\nNOT EQUIVALENT at ${accounts} accounts: the ${LABELS[kind]} app (${dirs[kind]}) and the library app (${dirs.library}) differ.`);
        console.error(`Mirror the library's synthesized template in ${SOURCES[kind]}.\n`);
        console.error(differences.join('\n'));
        process.exit(1);
      }
    }
    const policyBytes = byKind((kind) => bucketPolicyBytes(dirs[kind], OWNER_STACK, BUCKET_NAME));
    console.log(`accounts=${accounts}: equivalent (${accounts + 1} stacks); constructs ${KINDS.map((k) => `${LABELS[k]} ${constructs[k]}`).join(', ')}; ` +
      `bucket policy ${KINDS.map((k) => policyBytes[k]).join(' / ')} bytes`);
    for (const dir of Object.values(dirs)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return policyBytes;
  } catch (error) {
    for (const dir of Object.values(dirs)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    throw error;
  }
}

/**
 * The order of the apps in repetition `rep`: every permutation in turn, each followed by its
 * reverse, so that every two repetitions each pair of apps has gone first once, and drifting
 * machine load hits all alike.
 */
function runOrder(rep: number): Kind[] {
  const shift = Math.floor(rep / 2) % KINDS.length;
  const rotated = [...KINDS.slice(shift), ...KINDS.slice(0, shift)];
  return rep % 2 === 0 ? rotated : rotated.reverse();
}

async function measure(accounts: number, reps: number, policyBytes: Record<Kind, number>): Promise<Row> {
  const runs: Record<Kind, Run[]> = { l1: [], grants: [], library: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of runOrder(rep)) {
      const dir = tempDir(`${kind}-${accounts}`);
      try {
        runs[kind].push(await runApp(kind, accounts, dir));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const describe = (kind: Kind) => {
      const run = runs[kind][runs[kind].length - 1];
      return `${(run.wallMs / 1000).toFixed(2)} s (CPU ${(run.cpuMs / 1000).toFixed(2)} s) ${(run.maxRssKb / 1024).toFixed(0)} MB`;
    };
    console.log(`accounts=${accounts} run ${rep + 1}/${reps}: ${KINDS.map((k) => `${LABELS[k]} ${describe(k)}`).join(', ')}`);
  }
  const med = (pick: (run: Run) => number) => byKind((kind) => median(runs[kind].map(pick)));
  return {
    accounts,
    runs: reps,
    wallMs: med((r) => r.wallMs),
    cpuMs: med((r) => r.cpuMs),
    maxRssKb: med((r) => r.maxRssKb),
    policyBytes,
  };
}

/** The library's figure over a hand-written app's: the hand-written L1 app's by default. */
function ratio(values: Record<Kind, number>, base: Exclude<Kind, 'library'> = 'l1'): number {
  return values.library / values[base];
}

function printAligned(header: string[], cells: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join('  ').replace(/\s+$/, '');
  console.log(line(header));
  cells.forEach((c) => console.log(line(c)));
}

function printTable(rows: Row[]): void {
  const header = ['accounts', 'runs', 'wall time s: L1', 'library', 'ratio', 'peak RSS MB: L1', 'library', 'ratio', 'bucket policy bytes: L1', 'library', 'ratio'];
  const cells = rows.map((row) => [
    String(row.accounts),
    String(row.runs),
    (row.wallMs.l1 / 1000).toFixed(2),
    (row.wallMs.library / 1000).toFixed(2),
    ratio(row.wallMs).toFixed(2),
    (row.maxRssKb.l1 / 1024).toFixed(0),
    (row.maxRssKb.library / 1024).toFixed(0),
    ratio(row.maxRssKb).toFixed(2),
    String(row.policyBytes.l1),
    String(row.policyBytes.library),
    ratio(row.policyBytes).toFixed(2),
  ]);
  console.log('');
  console.log('Medians; ratio = library / L1. Wall time: spawn to exit of a fresh node process; peak RSS: process.resourceUsage().maxRSS.');
  printAligned(header, cells);

  // The same runs against the L1 app that grants the imported roles through aws-cdk-lib, as the
  // library must: what is left is the library's own cost. The last two columns are what
  // aws-cdk-lib's path costs the hand-written app (L1+grants / L1).
  const grantsHeader = ['accounts', 'runs', 'wall time s: L1+grants', 'library', 'ratio', 'peak RSS MB: L1+grants', 'library', 'ratio',
    'L1+grants / L1: time', 'RSS'];
  const grantsCells = rows.map((row) => [
    String(row.accounts),
    String(row.runs),
    (row.wallMs.grants / 1000).toFixed(2),
    (row.wallMs.library / 1000).toFixed(2),
    ratio(row.wallMs, 'grants').toFixed(2),
    (row.maxRssKb.grants / 1024).toFixed(0),
    (row.maxRssKb.library / 1024).toFixed(0),
    ratio(row.maxRssKb, 'grants').toFixed(2),
    (row.wallMs.grants / row.wallMs.l1).toFixed(2),
    (row.maxRssKb.grants / row.maxRssKb.l1).toFixed(2),
  ]);
  console.log('');
  console.log('Medians; ratio = library / (L1 + aws-cdk-lib grants): the L1 app granting each imported role through ' +
    'iam.Grant.addToPrincipal, as the library does; the ratio is the library\'s own overhead.');
  printAligned(grantsHeader, grantsCells);
  console.log('');
  console.log('CPU time (user + system) medians, less sensitive to a busy machine than wall time: ' + rows.map((row) =>
    `accounts=${row.accounts} L1 ${(row.cpuMs.l1 / 1000).toFixed(2)} s, L1+grants ${(row.cpuMs.grants / 1000).toFixed(2)} s, ` +
    `library ${(row.cpuMs.library / 1000).toFixed(2)} s, ratio ${ratio(row.cpuMs).toFixed(2)} (against L1+grants ${ratio(row.cpuMs, 'grants').toFixed(2)})`).join('; '));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cdkVersion = (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
  console.log(`bench: Node.js ${process.version}, ${os.cpus().length} CPU(s), aws-cdk-lib ${cdkVersion}, library ${libraryEntryPoint()}`);
  console.log(`bench: accounts ${options.accounts.join(', ')}; per consumer account 1 stack, 5 access points, 5 imported roles`);

  const rows: Row[] = [];
  for (const accounts of options.accounts) {
    const policyBytes = await checkEquivalence(accounts);
    const reps = options.reps ?? (accounts >= 1000 ? 3 : 5);
    rows.push(await measure(accounts, reps, policyBytes));
  }

  printTable(rows);
  const last = rows[rows.length - 1];
  const timeRatio = ratio(last.wallMs);
  const memoryRatio = ratio(last.maxRssKb);
  console.log('');
  console.log(`goals at ${last.accounts} accounts: time_ratio ${timeRatio.toFixed(2)} <= ${GOAL_TIME_RATIO} ${timeRatio <= GOAL_TIME_RATIO ? 'met' : 'MISSED'}, ` +
    `mem_ratio ${memoryRatio.toFixed(2)} <= ${GOAL_MEMORY_RATIO} ${memoryRatio <= GOAL_MEMORY_RATIO ? 'met' : 'MISSED'}`);
  console.log(`bench: accounts=${last.accounts} against L1 + aws-cdk-lib grants: ` +
    `time_ratio=${ratio(last.wallMs, 'grants').toFixed(2)} mem_ratio=${ratio(last.maxRssKb, 'grants').toFixed(2)}`);
  console.log(`bench: accounts=${last.accounts} time_ratio=${timeRatio.toFixed(2)} mem_ratio=${memoryRatio.toFixed(2)} policy_bytes_ratio=${ratio(last.policyBytes).toFixed(2)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
