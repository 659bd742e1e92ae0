#!/usr/bin/env node
/*
 * The package's command: `cdk-cross-account-access-points validate|app MANIFEST` and
 * `report CDK_OUT`. It runs on the JavaScript jsii compiles into lib/, so it needs no TypeScript.
 */
import { readFileSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { ManifestProblem, SharingManifest, validateManifest } from './private/manifest';
import { analyzeAssembly } from './private/report/analyze';
import { renderHtml, renderJson, renderMarkdown } from './private/report/render';
import { buildSharingStacks, builtProblems, checkManifest } from './private/sharing-app';

/** Where the command writes, so that tests can read it. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: cdk-cross-account-access-points validate|app MANIFEST',
  '       cdk-cross-account-access-points report CDK_OUT [--json | --html]',
  '  validate MANIFEST   check a sharing manifest (JSON); exit 0 when valid, otherwise 1 and one line per problem: PATH: message',
  '  app MANIFEST        a CDK app: an owner stack per dataset, a consumer stack per account and Region',
  '                      (cdk synth --app "npx cdk-cross-account-access-points app sharing.json")',
  '  report CDK_OUT      who can reach what in a synthesized cloud assembly: Markdown with a Mermaid diagram,',
  '                      JSON with --json, or one self-contained HTML page with --html',
];

const REPORT_FORMATS: Record<string, (report: ReturnType<typeof analyzeAssembly>) => string> = {
  '--markdown': renderMarkdown,
  '--json': renderJson,
  '--html': renderHtml,
};

/** Run the command with `args` (without the node and script paths); returns the exit code. */
export function runCommand(args: string[], output: CommandOutput): number {
  const [verb, ...rest] = args;
  if (verb === 'validate' && rest.length === 1) {
    return validate(rest[0], output);
  }
  if (verb === 'app' && rest.length === 1) {
    return app(rest[0], output);
  }
  if (verb === 'report' && (rest.length === 1 || (rest.length === 2 && rest[1] in REPORT_FORMATS))) {
    return report(rest[0], REPORT_FORMATS[rest[1] ?? '--markdown'], output);
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
  writeProblems(problems, output);
  return problems.length === 0 ? document as SharingManifest : undefined;
}

function writeProblems(problems: ManifestProblem[], output: CommandOutput): void {
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
    writeProblems(problems, output);
    return 1;
  }
  cdkApp.synth();
  return 0;
}

/** Write the access report of the cloud assembly in `directory`. */
function report(directory: string, render: (typeof REPORT_FORMATS)[string], output: CommandOutput): number {
  let analyzed: ReturnType<typeof analyzeAssembly>;
  try {
    analyzed = analyzeAssembly(directory);
  } catch (error) {
    output.err(`${directory}: ${(error as Error).message}`);
    return 1;
  }
  output.out(render(analyzed).replace(/\n$/, ''));
  return 0;
}

if (require.main === module) {
  process.exitCode = runCommand(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
