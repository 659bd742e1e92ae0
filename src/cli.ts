#!/usr/bin/env node
/*
 * The package's command: `cdk-cross-account-access-points validate|app MANIFEST`. It runs on the
 * JavaScript jsii compiles into lib/, so it needs no TypeScript. A report on a cloud assembly is to
 * come; only what works is listed.
 */
import { readFileSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { ManifestProblem, SharingManifest, validateManifest } from './private/manifest';
import { buildSharingStacks, builtProblems, checkManifest } from './private/sharing-app';

/** Where the command writes, so that tests can read it. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: cdk-cross-account-access-points validate|app MANIFEST',
  '  validate MANIFEST   check a sharing manifest (JSON); exit 0 when valid, otherwise 1 and one line per problem: PATH: message',
  '  app MANIFEST        a CDK app: an owner stack per dataset, a consumer stack per account and Region',
  '                      (cdk synth --app "npx cdk-cross-account-access-points app sharing.json")',
];

/** Run the command with `args` (without the node and script paths); returns the exit code. */
export function runCommand(args: string[], output: CommandOutput): number {
  const [verb, ...rest] = args;
  if (verb === 'validate' && rest.length === 1) {
    return validate(rest[0], output);
  }
  if (verb === 'app' && rest.length === 1) {
    return app(rest[0], output);
  }
  USAGE.forEach((line) => output.err(line));
  return 2;
}

/** The manifest in `file` when its structure and values are valid; otherwise its problems are written and undefined returned. */
function readManifest(file: string, output: CommandOutput, check = validateManifest): SharingManifest | undefined {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    output.err(`${file}: not a readable JSON document: ${(error as Error).message}`);
    return undefined;
  }
  const problems = check(document);
  report(problems, output);
  return problems.length === 0 ? document as SharingManifest : undefined;
}

function report(problems: ManifestProblem[], output: CommandOutput): void {
  problems.forEach((p) => output.err(`${p.path || '(document)'}: ${p.message}`));
}

/** Everything `app` would check, the stacks' policy sizes included, without writing anything. */
function validate(file: string, output: CommandOutput): number {
  if (!readManifest(file, output, checkManifest)) {
    return 1;
  }
  output.out(`${file}: valid`);
  return 0;
}

/** Synthesize the manifest's stacks into the output directory the CDK CLI gives (CDK_OUTDIR), nothing built when it is not valid. */
function app(file: string, output: CommandOutput): number {
  const manifest = readManifest(file, output);
  if (!manifest) {
    return 1;
  }
  const cdkApp = new App();
  const problems = builtProblems(cdkApp, buildSharingStacks(cdkApp, manifest));
  if (problems.length > 0) {
    report(problems, output);
    return 1;
  }
  cdkApp.synth();
  return 0;
}

if (require.main === module) {
  process.exitCode = runCommand(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
