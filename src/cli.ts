#!/usr/bin/env node
/*
 * The package's command: `cdk-cross-account-access-points validate MANIFEST`. It runs on the
 * JavaScript jsii compiles into lib/, so it needs no TypeScript. More verbs (a CDK app for a
 * manifest, a report on a cloud assembly) are to come; only what works is listed.
 */
import { readFileSync } from 'fs';
import { validateManifest } from './private/manifest';

/** Where the command writes, so that tests can read it. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: cdk-cross-account-access-points validate MANIFEST',
  '  validate MANIFEST   check a sharing manifest (JSON); exit 0 when valid, otherwise 1 and one line per problem: PATH: message',
];

/** Run the command with `args` (without the node and script paths); returns the exit code. */
export function runCommand(args: string[], output: CommandOutput): number {
  const [verb, ...rest] = args;
  if (verb === 'validate' && rest.length === 1) {
    return validate(rest[0], output);
  }
  USAGE.forEach((line) => output.err(line));
  return 2;
}

function validate(file: string, output: CommandOutput): number {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    output.err(`${file}: not a readable JSON document: ${(error as Error).message}`);
    return 1;
  }
  const problems = validateManifest(document);
  problems.forEach((p) => output.err(`${p.path || '(document)'}: ${p.message}`));
  if (problems.length === 0) {
    output.out(`${file}: valid`);
  }
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = runCommand(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
