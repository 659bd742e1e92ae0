import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { DelegationOptions } from '../delegation';
import { NetworkOrigin } from '../network-origin';
import { S3Actions } from '../s3-actions';
import { Boundary, GrantedAccess, whyNotCovered } from './boundary';
import { checkDelegation, checkOrganizationDelegation } from './delegation-checks';
import { Problems, describe } from './problems';
import {
  accessPointNameProblems, accountIdProblems, bucketNameProblems, keyArnProblems, normalizePrefix,
  organizationalUnitPathProblems, principalProblems, regionProblems,
} from './rules';
import { checkScope } from './scope-checks';

/*
 * The sharing manifest, version 1: a JSON document that says which datasets (buckets) an owner
 * shares, with whom (delegations), and which access points consumers build on them (subscriptions).
 * `validateManifest` reports every problem of a document at once, with the same rules the
 * constructs enforce at synth. schema/sharing-manifest.schema.json documents the same format.
 */

/** What a delegation or a grant allows: `S3Actions.READ`, `WRITE` or `READ_WRITE`. */
export type ManifestAccess = 'read' | 'write' | 'read-write';

/** The network origin of access points: `NetworkOrigin.VPC` or `INTERNET`. */
export type ManifestNetworkOrigin = 'VPC' | 'Internet';

/** Which objects a delegation or a grant reaches, as in `AccessScope`. */
export interface ManifestScope {
  readonly prefixes?: string[];
  readonly objectTags?: { [key: string]: string };
}

/** A delegation to one account, as in `Delegation`. */
export interface ManifestDelegation extends ManifestScope {
  readonly account: string;
  readonly access: ManifestAccess;
  readonly accessPointNames?: string[];
  readonly networkOrigin?: ManifestNetworkOrigin;
}

/** A delegation to an organization or some of its organizational units, as in `OrganizationDelegation`. */
export interface ManifestOrganizationDelegation extends ManifestScope {
  readonly organizationId: string;
  readonly organizationalUnitPaths?: string[];
  readonly access: ManifestAccess;
  readonly networkOrigin?: ManifestNetworkOrigin;
}

/** A shared bucket and what its owner delegates. */
export interface ManifestDataset {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly bucketName: string;
  readonly encryption: 'S3' | 'KMS';
  readonly kmsKeyArn?: string;
  readonly requesterPays?: boolean;
  readonly accessAnalyzer?: boolean;
  /** Without these and `organizationDelegations`: exactly what the subscriptions need (`manifestDelegations`). */
  readonly delegations?: ManifestDelegation[];
  readonly organizationDelegations?: ManifestOrganizationDelegation[];
}

/** A grant on a subscription's access point. */
export interface ManifestGrant extends ManifestScope {
  readonly principal: string;
  readonly access: ManifestAccess;
}

/** A consumer's access point on a dataset, and its grants. */
export interface ManifestSubscription {
  readonly dataset: string;
  readonly account: string;
  /** @default - the dataset's Region */
  readonly region?: string;
  readonly accessPointName: string;
  /** VPC network origin when given; Internet otherwise. */
  readonly vpcId?: string;
  readonly grants: ManifestGrant[];
}

/** A sharing manifest, version 1. */
export interface SharingManifest {
  readonly $schema?: string;
  readonly version: 1;
  readonly datasets: ManifestDataset[];
  readonly subscriptions?: ManifestSubscription[];
}

/** One problem of a manifest: where (`subscriptions[2].grants[0].prefixes[1]`) and what. */
export interface ManifestProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The fields the validator knows, with their JSON types: `version` (the number 1), `string`,
 * `boolean`, `strings` (an array of strings), `tags` (an object of strings), `objects` (an array of
 * objects of `shape`). The JSON Schema must say the same; a test compares the two.
 */
export interface FieldSpec {
  readonly type: 'version' | 'string' | 'boolean' | 'strings' | 'tags' | 'objects';
  readonly required?: boolean;
  /** The only values a string may take. */
  readonly values?: readonly string[];
  /** The objects' shape, for `objects`. */
  readonly shape?: Shape;
}

/** An object of the manifest: what it is called in messages, and its fields. */
export interface Shape {
  readonly what: string;
  readonly fields: { readonly [name: string]: FieldSpec };
}

const ACCESS_PRESETS: Record<ManifestAccess, S3Actions> = {
  'read': S3Actions.READ,
  'write': S3Actions.WRITE,
  'read-write': S3Actions.READ_WRITE,
};
const NETWORK_ORIGINS: Record<ManifestNetworkOrigin, NetworkOrigin> = {
  VPC: NetworkOrigin.VPC,
  Internet: NetworkOrigin.INTERNET,
};

const ACCESS: FieldSpec = { type: 'string', required: true, values: Object.keys(ACCESS_PRESETS) };
const NETWORK_ORIGIN: FieldSpec = { type: 'string', values: Object.keys(NETWORK_ORIGINS) };
const SCOPE_FIELDS = { prefixes: { type: 'strings' }, objectTags: { type: 'tags' } } as const;

const DELEGATION: Shape = {
  what: 'a delegation',
  fields: {
    account: { type: 'string', required: true },
    access: ACCESS,
    ...SCOPE_FIELDS,
    accessPointNames: { type: 'strings' },
    networkOrigin: NETWORK_ORIGIN,
  },
};

const ORGANIZATION_DELEGATION: Shape = {
  what: 'an organization delegation',
  fields: {
    organizationId: { type: 'string', required: true },
    organizationalUnitPaths: { type: 'strings' },
    access: ACCESS,
    ...SCOPE_FIELDS,
    networkOrigin: NETWORK_ORIGIN,
  },
};

const DATASET: Shape = {
  what: 'a dataset',
  fields: {
    name: { type: 'string', required: true },
    account: { type: 'string', required: true },
    region: { type: 'string', required: true },
    bucketName: { type: 'string', required: true },
    encryption: { type: 'string', required: true, values: ['S3', 'KMS'] },
    kmsKeyArn: { type: 'string' },
    requesterPays: { type: 'boolean' },
    accessAnalyzer: { type: 'boolean' },
    delegations: { type: 'objects', shape: DELEGATION },
    organizationDelegations: { type: 'objects', shape: ORGANIZATION_DELEGATION },
  },
};

const GRANT: Shape = {
  what: 'a grant',
  fields: {
    principal: { type: 'string', required: true },
    access: ACCESS,
    ...SCOPE_FIELDS,
  },
};

const SUBSCRIPTION: Shape = {
  what: 'a subscription',
  fields: {
    dataset: { type: 'string', required: true },
    account: { type: 'string', required: true },
    region: { type: 'string' },
    accessPointName: { type: 'string', required: true },
    vpcId: { type: 'string' },
    grants: { type: 'objects', required: true, shape: GRANT },
  },
};

/** The whole document, as the validator reads it. */
export const MANIFEST_SHAPE: Shape = {
  what: 'a sharing manifest',
  fields: {
    $schema: { type: 'string' },
    version: { type: 'version', required: true },
    datasets: { type: 'objects', required: true, shape: DATASET },
    subscriptions: { type: 'objects', shape: SUBSCRIPTION },
  },
};

/** S3's default quota of access points per account and Region. */
export const MAX_ACCESS_POINTS_PER_ACCOUNT_AND_REGION = 10_000;

/**
 * Every problem of a sharing manifest, in one list; empty when it is valid: its structure (missing
 * and unknown fields, types, allowed values), the rules the constructs enforce on each value, and
 * the rules between entries (dataset names, Regions, access point names, delegations that cover
 * each grant).
 */
export function validateManifest(document: unknown): ManifestProblem[] {
  const problems = new CollectedProblems();
  const sound = new WeakSet<object>();
  checkShape(document, MANIFEST_SHAPE, '', problems, sound);
  if (!isRecord(document)) {
    return problems.found;
  }
  const scope = new Construct(undefined as unknown as Construct, '');
  const datasets = new Map<string, DatasetInfo>();
  arrayOf(document.datasets).forEach((d, i) => {
    const info = checkDataset(scope, problems, sound, d, `datasets[${i}]`);
    if (info === undefined) {
      return;
    }
    // The name makes the owner stack's name (Owner-NAME), which CloudFormation limits to letters, digits and hyphens.
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,100}$/.test(info.name)) {
      problems.add(`datasets[${i}].name`, 'must be 1 to 101 letters, digits and hyphens, starting with a letter or digit: it names the owner stack', info.name);
    }
    const first = datasets.get(info.name);
    if (first) {
      problems.add(`datasets[${i}].name`, `must be unique: ${first.path} has the same name`, info.name);
    } else {
      datasets.set(info.name, info);
    }
  });

  const subscriptions = arrayOf(document.subscriptions).map((s, i) => checkSubscription(scope, problems, sound, datasets, s, i));
  checkAccessPoints(problems, subscriptions.filter((s): s is SubscriptionInfo => s !== undefined));

  for (const dataset of datasets.values()) {
    const usable = subscriptions.filter((s): s is UsableSubscription => s?.usable !== undefined && s.dataset === dataset);
    if (dataset.boundaries === undefined) {
      checkDerivedDelegations(scope, problems, dataset, usable);
    } else if (dataset.complete) {
      usable.forEach((s) => checkCoverage(problems, dataset, s));
    }
  }
  return problems.found;
}

/**
 * The delegations of a dataset without `delegations` and `organizationDelegations`: exactly what its
 * subscriptions need, no more. For each subscription, one delegation to its account per distinct
 * (access, prefixes, objectTags) of its grants, named to its access point, of VPC origin when it has
 * a `vpcId` and of Internet origin otherwise. A delegation that the others already cover is left out.
 */
export function manifestDelegations(dataset: ManifestDataset, subscriptions: ManifestSubscription[]): ManifestDelegation[] {
  return deriveDelegations(dataset.name, subscriptions.map((subscription, index) => ({ subscription, index }))).map((d) => d.delegation);
}

interface DerivedDelegation {
  readonly delegation: ManifestDelegation;
  /** The grant it comes from: `subscriptions[1].grants[0]`. */
  readonly source: string;
}

/** A subscription and where it is in the document: its index, and the index of each of its grants. */
interface PlacedSubscription {
  readonly subscription: ManifestSubscription;
  readonly index: number;
  /** @default - the grants are the document's, in order */
  readonly grantIndexes?: number[];
}

function deriveDelegations(datasetName: string, entries: PlacedSubscription[]): DerivedDelegation[] {
  const scope = new Construct(undefined as unknown as Construct, '');
  const derived: DerivedDelegation[] = [];
  for (const { subscription, index, grantIndexes } of entries.filter((e) => e.subscription.dataset === datasetName)) {
    const candidates: DerivedDelegation[] = [];
    const seen = new Set<string>();
    subscription.grants.forEach((grant, g) => {
      const prefixes = [...new Set((grant.prefixes ?? []).map(normalizePrefix))];
      const tags = grant.objectTags ?? {};
      const key = JSON.stringify([grant.access, [...prefixes].sort(), Object.entries(tags).sort()]);
      if (seen.has(key)) {
        return;
      }
      seen.add(key);
      candidates.push({
        source: `subscriptions[${index}].grants[${grantIndexes?.[g] ?? g}]`,
        delegation: {
          account: subscription.account,
          access: grant.access,
          ...(prefixes.length > 0 ? { prefixes } : {}),
          accessPointNames: [subscription.accessPointName],
          networkOrigin: subscription.vpcId !== undefined ? 'VPC' : 'Internet',
          ...(Object.keys(tags).length > 0 ? { objectTags: { ...tags } } : {}),
        },
      });
    });
    derived.push(...withoutCovered(scope, candidates));
  }
  return derived;
}

/**
 * The delegations of one access point without those whose every request another one allows: they
 * add nothing, and would be rejected as overlapping a looser one. (Delegations named to different
 * access points never cover each other.)
 */
function withoutCovered(scope: IConstruct, candidates: DerivedDelegation[]): DerivedDelegation[] {
  const boundaries = new Map(candidates.map((c) => [c, checkDelegation(scope, new Problems(), {
    property: c.source, account: c.delegation.account, options: delegationOptions(c.delegation), earlier: [],
  })]));
  const kept: DerivedDelegation[] = [];
  candidates.forEach((candidate, i) => {
    const own = boundaries.get(candidate);
    const others = [...kept, ...candidates.slice(i + 1)].map((c) => boundaries.get(c)).filter((b): b is Boundary => b !== undefined);
    if (own === undefined || requestsOf(own).some((access) => whyNotCovered(others, access) !== undefined)) {
      kept.push(candidate);
    }
  });
  return kept;
}

/** The requests a boundary of one access point allows, as `whyNotCovered` judges them. */
function requestsOf(b: Boundary): GrantedAccess[] {
  return b.actions.flatMap((action) => (b.prefixes.length > 0 ? b.prefixes : ['']).map((prefix) => ({
    account: b.account,
    action,
    prefix,
    objectTags: b.objectTags,
    accessPointName: b.accessPointNames[0],
    networkOrigin: b.networkOrigin ?? NetworkOrigin.INTERNET,
  })));
}

function delegationOptions(d: ManifestDelegation): DelegationOptions {
  return {
    actions: ACCESS_PRESETS[d.access],
    prefixes: d.prefixes,
    objectTags: d.objectTags,
    accessPointNames: d.accessPointNames,
    networkOrigin: d.networkOrigin === undefined ? undefined : NETWORK_ORIGINS[d.networkOrigin],
  };
}

/** Problems as `{ path, message }`, from the same checks the constructs run. */
class CollectedProblems extends Problems {
  public readonly found: ManifestProblem[] = [];

  public add(property: string, rule: string, value: unknown): void {
    super.add(property, rule, value);
    this.found.push({ path: property, message: `${rule} (got ${describe(value)})` });
  }

  /** A problem with the document's structure, where the value may be of any JSON type. */
  public structure(path: string, message: string): void {
    this.found.push({ path, message });
  }
}

// ---------------------------------------------------------------------------------------------
// Structure

/** Checks `value` against `shape`; adds each object whose fields all have the right types to `sound`. */
function checkShape(value: unknown, shape: Shape, path: string, problems: CollectedProblems, sound: WeakSet<object>): void {
  if (!isRecord(value)) {
    problems.structure(path, `must be an object: ${shape.what} (got ${shown(value)})`);
    return;
  }
  const before = problems.found.length;
  const fields = Object.keys(shape.fields);
  for (const key of Object.keys(value).filter((k) => !fields.includes(k))) {
    problems.structure(join(path, key), `is not a field of ${shape.what}; its fields are ${fields.join(', ')}`);
  }
  for (const [name, spec] of Object.entries(shape.fields)) {
    const field = value[name];
    if (field === undefined) {
      if (spec.required) {
        problems.structure(join(path, name), `is required in ${shape.what}`);
      }
      continue;
    }
    checkField(field, spec, join(path, name), problems, sound);
  }
  if (problems.found.length === before) {
    sound.add(value);
  }
}

function checkField(value: unknown, spec: FieldSpec, path: string, problems: CollectedProblems, sound: WeakSet<object>): void {
  switch (spec.type) {
    case 'version':
      if (value !== 1) {
        problems.structure(path, `must be 1, the only version of the sharing manifest (got ${shown(value)})`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        problems.structure(path, `must be true or false (got ${shown(value)})`);
      }
      return;
    case 'string':
      checkString(value, path, problems, spec.values);
      return;
    case 'strings':
      if (!Array.isArray(value)) {
        problems.structure(path, `must be an array of strings (got ${shown(value)})`);
      } else {
        value.forEach((v, i) => checkString(v, `${path}[${i}]`, problems));
      }
      return;
    case 'tags':
      if (!isRecord(value)) {
        problems.structure(path, `must be an object of tag keys to tag values (got ${shown(value)})`);
        return;
      }
      for (const [key, v] of Object.entries(value)) {
        if (Token.isUnresolved(key)) {
          problems.structure(path, `key ${TOKEN_RULE} (got ${JSON.stringify(key)})`);
        }
        checkString(v, `${path}[${JSON.stringify(key)}]`, problems);
      }
      return;
    case 'objects':
      if (!Array.isArray(value)) {
        problems.structure(path, `must be an array of objects: each ${spec.shape!.what} (got ${shown(value)})`);
      } else {
        value.forEach((v, i) => checkShape(v, spec.shape!, `${path}[${i}]`, problems, sound));
      }
      return;
  }
}

const TOKEN_RULE = 'must not contain "${Token[": a manifest holds literal values, and the library would read it as an unresolved CDK token';

function checkString(value: unknown, path: string, problems: CollectedProblems, values?: readonly string[]): void {
  if (typeof value !== 'string') {
    problems.structure(path, `must be a string (got ${shown(value)})`);
  } else if (Token.isUnresolved(value)) {
    problems.structure(path, `${TOKEN_RULE} (got ${JSON.stringify(value)})`);
  } else if (values && !values.includes(value)) {
    problems.structure(path, `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(value)})`);
  }
}

/** A JSON value for a message, cut short. */
function shown(value: unknown): string {
  const json = value === undefined ? 'nothing' : JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function join(path: string, key: string): string {
  const step = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return path === '' ? step.replace(/^\[(.*)\]$/, '$1') : step.startsWith('[') ? `${path}${step}` : `${path}.${step}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string the rules may judge: not a token marker, which the structure check reports. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
}

function texts(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => text(v) !== undefined) ? value as string[] : undefined;
}

function literalTags(value: unknown): Record<string, string> | undefined {
  return isRecord(value) && Object.entries(value).every(([k, v]) => text(k) !== undefined && text(v) !== undefined)
    ? value as Record<string, string>
    : undefined;
}

function judge(problems: Problems, path: string, value: unknown, rules: (v: string) => string[]): boolean {
  const literal = text(value);
  if (literal === undefined) {
    return false;
  }
  const found = rules(literal);
  problems.addAll(path, found, literal);
  return found.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Datasets

interface DatasetInfo {
  readonly path: string;
  readonly name: string;
  /** The dataset's Region, when it is valid. */
  readonly region?: string;
  /** The owner's boundaries; undefined when the subscriptions decide them. */
  readonly boundaries?: Boundary[];
  /** Whether every delegation became a boundary, so that grants can be judged against them. */
  readonly complete: boolean;
}

function checkDataset(scope: IConstruct, problems: CollectedProblems, sound: WeakSet<object>, d: unknown, path: string): DatasetInfo | undefined {
  if (!isRecord(d)) {
    return undefined;
  }
  judge(problems, `${path}.account`, d.account, accountIdProblems);
  const region = judge(problems, `${path}.region`, d.region, regionProblems) ? text(d.region) : undefined;
  judge(problems, `${path}.bucketName`, d.bucketName, bucketNameProblems);
  const keyArn = text(d.kmsKeyArn);
  if (keyArn !== undefined && d.encryption === 'S3') {
    problems.add(`${path}.kmsKeyArn`, 'must be given only with encryption "KMS": an SSE-S3 bucket uses no KMS key', keyArn);
  } else if (keyArn !== undefined) {
    // Without a valid Region, the key's own Region stands in: only the ARN's form is judged then.
    problems.addAll(`${path}.kmsKeyArn`, keyArnProblems(keyArn, region ?? keyArn.split(':')[3] ?? ''), keyArn);
  }

  const before = problems.size;
  let complete = true;
  const accounts: Boundary[] = [];
  arrayOf(d.delegations).forEach((x, i) => {
    const boundary = checkManifestDelegation(scope, problems, sound, x, `${path}.delegations[${i}]`, accounts);
    complete = complete && boundary !== undefined;
    if (boundary) {
      accounts.push(boundary);
    }
  });
  const organizations: Boundary[] = [];
  arrayOf(d.organizationDelegations).forEach((x, i) => {
    const boundary = checkManifestOrganizationDelegation(scope, problems, sound, x, `${path}.organizationDelegations[${i}]`, [...accounts, ...organizations]);
    complete = complete && boundary !== undefined;
    if (boundary) {
      organizations.push(boundary);
    }
  });
  const explicit = d.delegations !== undefined || d.organizationDelegations !== undefined;
  const name = text(d.name);
  if (name === undefined) {
    return undefined;
  }
  return {
    path,
    name,
    region,
    boundaries: explicit ? [...accounts, ...organizations] : undefined,
    complete: complete && problems.size === before && Array.isArray(d.delegations ?? []) && Array.isArray(d.organizationDelegations ?? []),
  };
}

/** The scope of a delegation or a grant from its fields that have the right types. */
function scopeOf(x: Record<string, unknown>): { prefixes?: string[]; objectTags?: Record<string, string> } {
  return { prefixes: texts(x.prefixes), objectTags: literalTags(x.objectTags) };
}

function checkManifestDelegation(
  scope: IConstruct, problems: CollectedProblems, sound: WeakSet<object>, x: unknown, path: string, earlier: Boundary[],
): Boundary | undefined {
  if (!isRecord(x)) {
    return undefined;
  }
  const names = texts(x.accessPointNames);
  if (!sound.has(x)) {
    // The fields with the right types still get their rules; the delegation makes no boundary.
    judge(problems, `${path}.account`, x.account, accountIdProblems);
    checkScope(problems, scope, path, scopeOf(x));
    (names ?? []).forEach((n, i) => problems.addAll(`${path}.accessPointNames[${i}]`, accessPointNameProblems(n), n));
    return undefined;
  }
  const d = x as unknown as ManifestDelegation;
  return checkDelegation(scope, problems, { property: path, account: d.account, options: delegationOptions(d), earlier });
}

function checkManifestOrganizationDelegation(
  scope: IConstruct, problems: CollectedProblems, sound: WeakSet<object>, x: unknown, path: string, earlier: Boundary[],
): Boundary | undefined {
  if (!isRecord(x)) {
    return undefined;
  }
  if (!sound.has(x)) {
    const id = text(x.organizationId);
    checkScope(problems, scope, path, scopeOf(x));
    (texts(x.organizationalUnitPaths) ?? []).forEach((p, i) =>
      problems.addAll(`${path}.organizationalUnitPaths[${i}]`, organizationalUnitPathProblems(p, id ?? p.split('/')[0]), p));
    return undefined;
  }
  const d = x as unknown as ManifestOrganizationDelegation;
  const options = { ...delegationOptions({ ...d, account: d.organizationId }), organizationalUnitPaths: d.organizationalUnitPaths };
  return checkOrganizationDelegation(scope, problems, { property: path, organizationId: d.organizationId, options, earlier });
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

interface SubscriptionInfo {
  readonly path: string;
  readonly account?: string;
  /** The access point's Region: its own, or its dataset's. */
  readonly region?: string;
  readonly accessPointName?: string;
  readonly dataset?: DatasetInfo;
  /** The subscription with the grants that can be judged against the owner's delegations, when its own fields are valid. */
  readonly usable?: PlacedSubscription;
}

type UsableSubscription = SubscriptionInfo & { readonly dataset: DatasetInfo; readonly usable: PlacedSubscription };

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;

function checkSubscription(
  scope: IConstruct, problems: CollectedProblems, sound: WeakSet<object>, datasets: Map<string, DatasetInfo>, s: unknown, index: number,
): SubscriptionInfo | undefined {
  if (!isRecord(s)) {
    return undefined;
  }
  const path = `subscriptions[${index}]`;
  const datasetName = text(s.dataset);
  const dataset = datasetName === undefined ? undefined : datasets.get(datasetName);
  if (datasetName !== undefined && dataset === undefined) {
    const known = [...datasets.keys()].map((n) => JSON.stringify(n)).join(', ');
    problems.add(`${path}.dataset`, `must name a dataset of this manifest${known ? ` (${known})` : ''}`, datasetName);
  }
  const accountValid = judge(problems, `${path}.account`, s.account, accountIdProblems);
  const ownRegion = text(s.region);
  const regionValid = judge(problems, `${path}.region`, s.region, regionProblems);
  if (regionValid && dataset?.region !== undefined && ownRegion !== dataset.region) {
    problems.add(`${path}.region`, `must be the Region of dataset ${JSON.stringify(dataset.name)}, ${JSON.stringify(dataset.region)}: an access point serves a bucket in its own Region only`, ownRegion);
  }
  const nameValid = judge(problems, `${path}.accessPointName`, s.accessPointName, accessPointNameProblems);
  const vpcId = text(s.vpcId);
  if (vpcId !== undefined && !VPC_ID.test(vpcId)) {
    problems.add(`${path}.vpcId`, 'must be a VPC ID such as "vpc-0a1b2c3d4e5f67890"', vpcId);
  }

  const grants = arrayOf(s.grants).map((g, i) => ({ grant: checkGrant(scope, problems, sound, g, `${path}.grants[${i}]`), index: i }))
    .filter((g): g is { grant: ManifestGrant; index: number } => g.grant !== undefined);
  const usable = dataset !== undefined && accountValid && nameValid && (s.vpcId === undefined || vpcId !== undefined) && Array.isArray(s.grants);
  return {
    path,
    account: text(s.account),
    region: s.region === undefined ? dataset?.region : ownRegion,
    accessPointName: text(s.accessPointName),
    dataset,
    usable: usable ? {
      index,
      grantIndexes: grants.map((g) => g.index),
      subscription: {
        dataset: dataset.name,
        account: s.account as string,
        accessPointName: s.accessPointName as string,
        vpcId,
        grants: grants.map((g) => g.grant),
      },
    } : undefined,
  };
}

/** Checks a grant; returns it when its requests can be judged against the owner's delegations. */
function checkGrant(scope: IConstruct, problems: CollectedProblems, sound: WeakSet<object>, g: unknown, path: string): ManifestGrant | undefined {
  if (!isRecord(g)) {
    return undefined;
  }
  const before = problems.size;
  const principal = text(g.principal);
  if (principal !== undefined) {
    const rules = principalProblems(principal);
    if (rules.length === 0 && !principal.startsWith('arn:')) {
      rules.push('must be an IAM ARN such as "arn:aws:iam::111122223333:user/Jane" (a whole account: "arn:aws:iam::111122223333:root")');
    }
    problems.addAll(`${path}.principal`, rules, principal);
  }
  checkScope(problems, scope, path, scopeOf(g));
  return sound.has(g) && problems.size === before ? g as unknown as ManifestGrant : undefined;
}

/** Access point names are unique per account and Region; S3 allows at most 10,000 there. */
function checkAccessPoints(problems: CollectedProblems, subscriptions: SubscriptionInfo[]): void {
  const byPlace = new Map<string, SubscriptionInfo[]>();
  for (const s of subscriptions) {
    if (s.account !== undefined && s.region !== undefined) {
      const place = JSON.stringify([s.account, s.region]);
      const here = byPlace.get(place) ?? [];
      here.push(s);
      byPlace.set(place, here);
    }
  }
  for (const here of byPlace.values()) {
    const first = new Map<string, SubscriptionInfo>();
    for (const s of here.filter((x) => x.accessPointName !== undefined)) {
      const earlier = first.get(s.accessPointName!);
      if (earlier) {
        problems.add(`${s.path}.accessPointName`, `must be unique in account ${s.account} and Region ${s.region}: ${earlier.path} has the same name`, s.accessPointName);
      } else {
        first.set(s.accessPointName!, s);
      }
    }
    if (here.length > MAX_ACCESS_POINTS_PER_ACCOUNT_AND_REGION) {
      const beyond = here[MAX_ACCESS_POINTS_PER_ACCOUNT_AND_REGION];
      problems.structure(beyond.path, `is access point ${thousands(MAX_ACCESS_POINTS_PER_ACCOUNT_AND_REGION + 1)} of account ${beyond.account} ` +
        `in Region ${beyond.region}: S3 allows ${thousands(MAX_ACCESS_POINTS_PER_ACCOUNT_AND_REGION)} access points per account and Region ` +
        `unless the account's service quota is raised (the manifest has ${thousands(here.length)} there)`);
    }
  }
}

/** 10001 as "10,001". */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

// ---------------------------------------------------------------------------------------------
// Grants and delegations

/** Each grant must fit the dataset's delegations: AWS would deny the requests they do not cover. */
function checkCoverage(problems: CollectedProblems, dataset: DatasetInfo, s: UsableSubscription): void {
  const { subscription, grantIndexes } = s.usable;
  const origin = subscription.vpcId !== undefined ? NetworkOrigin.VPC : NetworkOrigin.INTERNET;
  subscription.grants.forEach((grant, n) => {
    const reasons = new Set<string>();
    for (const action of ACCESS_PRESETS[grant.access].actions) {
      for (const prefix of grant.prefixes?.length ? [...new Set(grant.prefixes.map(normalizePrefix))] : ['']) {
        const reason = whyNotCovered(dataset.boundaries!, {
          account: subscription.account,
          action,
          prefix,
          objectTags: grant.objectTags ?? {},
          accessPointName: subscription.accessPointName,
          networkOrigin: origin,
        });
        if (reason !== undefined) {
          reasons.add(reason);
        }
      }
    }
    if (reasons.size > 0) {
      problems.structure(`${s.path}.grants[${grantIndexes![n]}]`,
        `is not covered by the delegations of dataset ${JSON.stringify(dataset.name)}, so AWS would deny these requests at the bucket: ${[...reasons].join('; ')}`);
    }
  });
}

/**
 * A dataset without delegations gets exactly what its subscriptions need. Those delegations are
 * checked as the owner's bucket will check them: some sets of grants need delegations that overlap
 * with different restrictions, which a bucket policy cannot hold.
 */
function checkDerivedDelegations(scope: IConstruct, problems: CollectedProblems, dataset: DatasetInfo, subscriptions: UsableSubscription[]): void {
  // Each derived delegation names one access point, and delegations named to different access
  // points never overlap: each is checked against those of its own access point.
  const byAccessPoint = new Map<string, Boundary[]>();
  for (const { delegation, source } of deriveDelegations(dataset.name, subscriptions.map((s) => s.usable))) {
    const place = JSON.stringify([delegation.account, delegation.accessPointNames]);
    const earlier = byAccessPoint.get(place) ?? [];
    const found = new CollectedProblems();
    const boundary = checkDelegation(scope, found, {
      property: source, account: delegation.account, options: delegationOptions(delegation), earlier,
    });
    if (boundary) {
      earlier.push(boundary);
      byAccessPoint.set(place, earlier);
    }
    found.found.forEach((p) => problems.structure(p.path, `needs a delegation that the bucket policy cannot hold: it ${p.message}`));
  }
}
