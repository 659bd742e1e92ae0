/**
 * The benchmark's topology, shared by both apps: one owner stack with the shared bucket, and one
 * consumer stack per account with ACCESS_POINTS_PER_CONSUMER access points, each granting one
 * imported role of that account read access under the shared prefix.
 */
import { App } from 'aws-cdk-lib';

export const OWNER_ACCOUNT = '123456789010';
export const REGION = 'eu-west-3';
export const BUCKET_NAME = 'bench-shared-data';
/** The prefix the owner delegates (`delegations[].prefixes`). */
export const DELEGATED_PREFIX = 'Shared/';
/** The prefix each access point grants (`grantRead(role, { prefixes })`): the same folder, written without the slash. */
export const GRANTED_PREFIX = 'Shared';
export const ACCESS_POINTS_PER_CONSUMER = 5;

export const OWNER_STACK = 'BenchOwner';
/** The construct id of the shared bucket (the `DelegatedBucket`, or the L1 `CfnBucket`). */
export const BUCKET_ID = 'SharedData';

export function consumerStackName(index: number): string {
  return `BenchConsumer${index}`;
}

/** Distinct 12-digit account IDs, none equal to the owner's. */
export function consumerAccount(index: number): string {
  return String(210_000_000_000 + index);
}

export function consumerAccounts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => consumerAccount(i));
}

export function accessPointName(consumer: number, accessPoint: number): string {
  return `c${consumer}-ap${accessPoint}`;
}

export function readerRoleName(accessPoint: number): string {
  return `reader-${accessPoint}`;
}

export function readerRoleArn(account: string, accessPoint: number): string {
  return `arn:aws:iam::${account}:role/${readerRoleName(accessPoint)}`;
}

/** What a benchmark app is asked to build: `--accounts N --outdir DIR [--stats]`. */
export interface AppArgs {
  readonly accounts: number;
  readonly outdir: string;
  /** Also count the constructs of the app (costs a tree walk, so only outside timed runs). */
  readonly stats: boolean;
}

export function parseAppArgs(argv: string[]): AppArgs {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const accounts = Number(value('--accounts'));
  const outdir = value('--outdir');
  if (!Number.isInteger(accounts) || accounts < 1 || !outdir) {
    throw new Error(`usage: --accounts N --outdir DIR [--stats] (got ${argv.join(' ')})`);
  }
  return { accounts, outdir, stats: argv.includes('--stats') };
}

/** The line a benchmark app prints last, which the harness reads. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface AppResult {
  /** Peak resident set size of the process, in kilobytes (`process.resourceUsage().maxRSS`). */
  readonly maxRssKb: number;
  /** CPU time of the process (user and system), in milliseconds: less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  /** The number of constructs in the app, when asked for with `--stats`. */
  readonly constructs?: number;
}

/** Both apps are created and synthesized the same way: only the constructs inside differ. */
export function newApp(args: AppArgs): App {
  return new App({ outdir: args.outdir });
}

export function printResult(app: App, args: AppArgs): void {
  const usage = process.resourceUsage();
  const result: AppResult = {
    maxRssKb: usage.maxRSS,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    constructs: args.stats ? app.node.findAll().length : undefined,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
