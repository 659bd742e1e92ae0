/*
 * Print, in plain language, what the synthesized sample shares with whom: read from the templates
 * in the cloud assembly, so that it shows what would be deployed, not what the code meant to do.
 */
import * as fs from 'fs';
import * as path from 'path';

type Json = any;

interface StackInfo {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly template: Json;
}

/** Turn a template value into text, with the partition and references shown readably. */
function text(value: Json, refs: Record<string, string>): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => text(v, refs)).join(', ');
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((p: Json) => text(p, refs)).join(separator);
  }
  if (value?.Ref === 'AWS::Partition') {
    return 'aws';
  }
  if (value?.Ref) {
    return refs[value.Ref] ?? `<${value.Ref}>`;
  }
  if (value?.['Fn::GetAtt']) {
    const [id, attr] = value['Fn::GetAtt'];
    return refs[`${id}.${attr}`] ?? `<${id}.${attr}>`;
  }
  return JSON.stringify(value);
}

function list(value: Json): Json[] {
  return value === undefined ? [] : [value].flat();
}

function readStacks(assembly: string): StackInfo[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  return Object.entries<Json>(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name, artifact]) => {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment) ?? [];
      const template = JSON.parse(fs.readFileSync(path.join(assembly, artifact.properties.templateFile), 'utf8'));
      return { name, account, region, template };
    });
}

/** Bucket names and ARNs by logical id, so policies read as names rather than references. */
function bucketRefs(stack: StackInfo): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const [id, resource] of Object.entries<Json>(stack.template.Resources ?? {})) {
    if (resource.Type === 'AWS::S3::Bucket') {
      const name = resource.Properties?.BucketName ?? `${id} (generated name)`;
      refs[id] = name;
      refs[`${id}.Arn`] = `arn:aws:s3:::${name}`;
    }
  }
  return refs;
}

function describeCondition(condition: Json, refs: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [operator, keys] of Object.entries<Json>(condition ?? {})) {
    for (const [key, value] of Object.entries<Json>(keys)) {
      lines.push(`${key} ${operator} ${text(list(value), refs)}`);
    }
  }
  return lines;
}

function summarizeOwner(stack: StackInfo, out: string[]): void {
  const refs = bucketRefs(stack);
  for (const resource of Object.values<Json>(stack.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::S3::BucketPolicy') {
      continue;
    }
    const bucket = text(resource.Properties.Bucket, refs);
    const delegations = list(resource.Properties.PolicyDocument.Statement).filter(
      (s: Json) => s.Effect === 'Allow' && JSON.stringify(s.Condition ?? {}).includes('s3:DataAccessPoint'),
    );
    if (delegations.length === 0) {
      continue;
    }
    out.push(`Owner account ${stack.account} (${stack.region}), stack ${stack.name}: bucket ${bucket}`);
    for (const s of delegations) {
      out.push(`  allows ${list(s.Action).join(', ')} on ${list(s.Resource).map((r: Json) => text(r, refs)).join(', ')}`);
      out.push(`    only through access points where ${describeCondition(s.Condition, refs).join(' and ')}`);
    }
  }
}

function summarizeConsumer(stack: StackInfo, out: string[]): string[] {
  const commands: string[] = [];
  for (const resource of Object.values<Json>(stack.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::S3::AccessPoint') {
      continue;
    }
    const p = resource.Properties;
    const bpa = p.PublicAccessBlockConfiguration ?? {};
    const allOn = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => bpa[k] === true);
    const arn = `arn:aws:s3:${stack.region}:${stack.account}:accesspoint/${p.Name}`;
    out.push(`Consumer account ${stack.account} (${stack.region}), stack ${stack.name}: access point ${p.Name}`);
    out.push(`  on bucket ${text(p.Bucket, {})} of account ${p.BucketAccountId}; network origin ${p.VpcConfiguration ? 'VPC' : 'Internet'}; Block Public Access ${allOn ? 'all on' : 'NOT all on'}`);
    for (const s of list(p.Policy?.Statement)) {
      const who = list(s.Principal?.AWS ?? s.Principal).map((x: Json) => text(x, {})).join(', ');
      const where = list(s.Resource).map((r: Json) => text(r, {})).join(', ');
      const conditions = describeCondition(s.Condition, {});
      out.push(`  ${s.Effect === 'Allow' ? 'lets' : 'denies'} ${who} ${list(s.Action).join(', ')} on ${where}${conditions.length ? ` where ${conditions.join(' and ')}` : ''}`);
      const objects = list(s.Resource).map((r: Json) => text(r, {})).find((r: string) => r.includes('/object/'));
      if (s.Effect === 'Allow' && list(s.Action).includes('s3:GetObject') && objects) {
        const key = objects.split('/object/')[1].replace(/\*$/, 'example.csv');
        commands.push(`aws s3api get-object --bucket ${arn} --key ${key} example.csv`);
      }
    }
  }
  return commands;
}

function main(): void {
  const assembly = process.argv[2] ?? 'cdk.out';
  const stacks = readStacks(assembly);
  const out: string[] = [`What the sample shares (from the templates in ${assembly}/):`, ''];
  const commands: string[] = [];
  for (const stack of stacks) {
    summarizeOwner(stack, out);
  }
  for (const stack of stacks) {
    commands.push(...summarizeConsumer(stack, out));
  }
  if (commands.length > 0) {
    out.push('', 'A granted user reads a file through the access point with (note: no leading "/" in the key):');
    out.push(...commands.map((c) => `  ${c}`));
  }
  out.push('', 'A request is allowed only when both the access point policy and the bucket policy allow it.');
  console.log(out.join('\n'));
}

main();
