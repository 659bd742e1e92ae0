/**
 * Checks that two apps wrote the same thing: per stack, the same resource types in the same
 * numbers, the same stack dependencies, and the same IAM and S3 policy documents (bucket, access
 * point and identity policies) as a multiset, after normalisation. The benchmark compares each
 * hand-written app (L1, and L1 + aws-cdk-lib grants) with the library app.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface Template {
  readonly Resources?: Record<string, Resource>;
}

export interface StackOutput {
  readonly template: Template;
  /** The stacks it depends on (asset manifests left out). */
  readonly dependencies: string[];
}

/** The stacks of a cloud assembly, by name. */
export function readAssembly(dir: string): Map<string, StackOutput> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string }; dependencies?: string[] }>;
  };
  const stacks = new Map<string, StackOutput>();
  for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
      continue;
    }
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8')) as Template;
    const dependencies = (artifact.dependencies ?? []).filter((d) => manifest.artifacts?.[d]?.type === 'aws:cloudformation:stack').sort();
    stacks.set(name, { template, dependencies });
  }
  return stacks;
}

/** JSON with object keys sorted, so that equal values print equally. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A string or a list of strings (or intrinsics), as a sorted list: `"a"` and `["a"]` are alike. */
function sortedList(value: unknown): unknown[] {
  return [value].flat().sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));
}

/**
 * A policy document in a form that does not depend on ordering: statements sorted; Action,
 * NotAction, Resource, NotResource, principal lists and condition values as sorted lists; and
 * references to resources of the template named by their type and name instead of their logical
 * IDs, which differ between the two apps.
 */
export function normalisePolicy(document: unknown, resources: Record<string, Resource>): unknown {
  const doc = replaceReferences(document, resources) as { Statement?: unknown; [key: string]: unknown };
  const statements = [doc.Statement ?? []].flat().map((s) => normaliseStatement(s as Record<string, unknown>));
  return { ...doc, Statement: sortedList(statements) };
}

function normaliseStatement(statement: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...statement };
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (key in result) {
      result[key] = sortedList(result[key]);
    }
  }
  for (const key of ['Principal', 'NotPrincipal']) {
    const principal = result[key];
    if (principal !== null && typeof principal === 'object' && !Array.isArray(principal)) {
      result[key] = Object.fromEntries(Object.entries(principal).map(([kind, who]) => [kind, sortedList(who)]));
    }
  }
  const condition = result.Condition;
  if (condition !== null && typeof condition === 'object') {
    result.Condition = Object.fromEntries(Object.entries(condition).map(([operator, keys]) => [
      operator,
      Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([key, values]) => [key, sortedList(values)])),
    ]));
  }
  return result;
}

/** `{ Ref: Id }` and `{ "Fn::GetAtt": [Id, Attr] }` with Id replaced by the resource's type and name. */
function replaceReferences(value: unknown, resources: Record<string, Resource>): unknown {
  const label = (id: unknown) => {
    const resource = typeof id === 'string' ? resources[id] : undefined;
    if (!resource) {
      return id;
    }
    const props = resource.Properties ?? {};
    const name = props.BucketName ?? props.Name ?? props.PolicyName ?? props.RoleName ?? '(unnamed)';
    return `<${resource.Type} ${typeof name === 'string' ? name : canonical(name)}>`;
  };
  if (Array.isArray(value)) {
    return value.map((v) => replaceReferences(v, resources));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Ref') {
      return { Ref: label(entries[0][1]) };
    }
    if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt' && Array.isArray(entries[0][1])) {
      const [id, ...attribute] = entries[0][1] as unknown[];
      return { 'Fn::GetAtt': [label(id), ...attribute] };
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceReferences(v, resources)]));
  }
  return value;
}

/** Every policy document in a template: any value with a `Statement`, named by resource type and property path. */
export function policyDocuments(template: Template): Array<{ where: string; document: unknown }> {
  const found: Array<{ where: string; document: unknown }> = [];
  const visit = (value: unknown, where: string) => {
    if (Array.isArray(value)) {
      value.forEach((v) => visit(v, `${where}[]`));
    } else if (value !== null && typeof value === 'object') {
      if ('Statement' in value) {
        found.push({ where, document: value });
        return;
      }
      Object.entries(value).forEach(([k, v]) => visit(v, `${where}.${k}`));
    }
  };
  for (const resource of Object.values(template.Resources ?? {})) {
    visit(resource.Properties ?? {}, resource.Type);
  }
  return found;
}

function countBy(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  items.forEach((item) => counts.set(item, (counts.get(item) ?? 0) + 1));
  return counts;
}

/** Items counted more often on one side than on the other. */
function multisetDifference(left: string[], right: string[]): { onlyLeft: string[]; onlyRight: string[] } {
  const l = countBy(left);
  const r = countBy(right);
  const onlyLeft: string[] = [];
  const onlyRight: string[] = [];
  for (const key of new Set([...l.keys(), ...r.keys()])) {
    const diff = (l.get(key) ?? 0) - (r.get(key) ?? 0);
    for (let i = 0; i < Math.abs(diff); i++) {
      (diff > 0 ? onlyLeft : onlyRight).push(key);
    }
  }
  return { onlyLeft, onlyRight };
}

function resourceTypes(template: Template): string[] {
  return Object.values(template.Resources ?? {}).map((r) => r.Type);
}

function normalisedPolicies(template: Template): string[] {
  const resources = template.Resources ?? {};
  return policyDocuments(template).map(({ where, document }) => `${where} ${canonical(normalisePolicy(document, resources))}`);
}

function pretty(entry: string): string {
  const space = entry.indexOf(' ');
  return `${entry.slice(0, space)}:\n${JSON.stringify(JSON.parse(entry.slice(space + 1)), undefined, 2).replace(/^/gm, '        ')}`;
}

/** What the two sides of a comparison are called in its report. */
export interface Labels {
  readonly left: string;
  readonly right: string;
}

const L1_AND_LIBRARY: Labels = { left: 'L1', right: 'library' };

/** One stack's differences, readable; empty when the stacks are equivalent. */
export function compareStacks(left: StackOutput, right: StackOutput, labels: Labels = L1_AND_LIBRARY): string[] {
  const problems: string[] = [];
  const types = multisetDifference(resourceTypes(left.template), resourceTypes(right.template));
  if (types.onlyLeft.length + types.onlyRight.length > 0) {
    const leftCounts = countBy(resourceTypes(left.template));
    const rightCounts = countBy(resourceTypes(right.template));
    const lines = [...new Set([...leftCounts.keys(), ...rightCounts.keys()])].sort()
      .filter((t) => leftCounts.get(t) !== rightCounts.get(t))
      .map((t) => `    ${t}: ${labels.left} ${leftCounts.get(t) ?? 0}, ${labels.right} ${rightCounts.get(t) ?? 0}`);
    problems.push(`  resource counts differ:\n${lines.join('\n')}`);
  }
  if (left.dependencies.join() !== right.dependencies.join()) {
    problems.push(`  stack dependencies differ: ${labels.left} [${left.dependencies.join(', ')}], ${labels.right} [${right.dependencies.join(', ')}]`);
  }
  const policies = multisetDifference(normalisedPolicies(left.template), normalisedPolicies(right.template));
  if (policies.onlyLeft.length > 0) {
    problems.push(`  policy documents only in the ${labels.left} app (normalised):\n${policies.onlyLeft.map((p) => `    - ${pretty(p)}`).join('\n')}`);
  }
  if (policies.onlyRight.length > 0) {
    problems.push(`  policy documents only in the ${labels.right} app (normalised):\n${policies.onlyRight.map((p) => `    - ${pretty(p)}`).join('\n')}`);
  }
  return problems;
}

/**
 * The differences between two cloud assemblies, stack by stack, readable; empty when equivalent.
 * At most `maxStacks` differing stacks are described in full.
 */
export function compareAssemblies(leftDir: string, rightDir: string, maxStacks = 3, labels: Labels = L1_AND_LIBRARY): string[] {
  const left = readAssembly(leftDir);
  const right = readAssembly(rightDir);
  const report: string[] = [];
  const missing = [...left.keys()].filter((s) => !right.has(s));
  const extra = [...right.keys()].filter((s) => !left.has(s));
  if (missing.length > 0) {
    report.push(`stacks only in the ${labels.left} app: ${missing.join(', ')}`);
  }
  if (extra.length > 0) {
    report.push(`stacks only in the ${labels.right} app: ${extra.join(', ')}`);
  }
  let differing = 0;
  for (const [name, stack] of left) {
    const other = right.get(name);
    if (!other) {
      continue;
    }
    const problems = compareStacks(stack, other, labels);
    if (problems.length > 0) {
      differing += 1;
      if (differing <= maxStacks) {
        report.push(`stack ${name}:\n${problems.join('\n')}`);
      }
    }
  }
  if (differing > maxStacks) {
    report.push(`... and ${differing - maxStacks} more stack(s) differ`);
  }
  return report;
}

/** The size of the named bucket's policy as minified JSON, in bytes. */
export function bucketPolicyBytes(dir: string, stackName: string, bucketName: string): number {
  const stack = readAssembly(dir).get(stackName);
  const resources = stack?.template.Resources ?? {};
  const bucketId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::S3::Bucket' && resources[id].Properties?.BucketName === bucketName);
  const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && canonical(r.Properties?.Bucket) === canonical({ Ref: bucketId }));
  if (!bucketId || !policy) {
    throw new Error(`no bucket policy of bucket ${bucketName} in stack ${stackName} of ${dir}`);
  }
  return Buffer.byteLength(JSON.stringify(policy.Properties?.PolicyDocument), 'utf8');
}
