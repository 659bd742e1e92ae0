import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { CloudAssemblyBucketOptions, DelegatedBucketAttributes } from '../delegated-bucket';
import { Delegation, OrganizationDelegation } from '../delegation';
import { NetworkOrigin } from '../network-origin';
import { S3Actions } from '../s3-actions';
import { Boundary, isOrganization } from './boundary';
import { assemblyArtifacts } from './cloud-assembly';
import { Problems } from './problems';

/*
 * The owner's boundary, published in its cloud assembly for consumer apps that do not share a
 * manifest with it: a metadata entry of the DelegatedBucket, which the CDK writes to the stack's
 * metadata file (`STACK.metadata.json`, named in the assembly's `manifest.json`). A consumer app
 * reads it back with `DelegatedBucket.fromCloudAssembly`, and gets the same synth-time checks as
 * from the attributes.
 */

/** The metadata type of a published boundary. */
export const PUBLISHED_BOUNDARY = 'cdk-cross-account-access-points:boundary';

/** A published boundary, version 1: the attributes a consumer needs, as plain JSON. */
export interface PublishedBoundary {
  readonly version: 1;
  /** The DelegatedBucket's construct path in the owner's app, for people. */
  readonly path: string;
  readonly bucketName: string;
  readonly account: string;
  readonly region: string;
  readonly encryption: 'S3' | 'KMS' | 'DSSE';
  /** Absent for SSE-S3, and when the owner's stack creates the key (its ARN is known after deployment). */
  readonly encryptionKeyArn?: string;
  readonly delegations: PublishedDelegation[];
  readonly organizationDelegations: PublishedDelegation[];
}

interface PublishedDelegation {
  readonly account?: string;
  readonly organizationId?: string;
  readonly organizationalUnitPaths?: string[];
  readonly actions: string[];
  readonly prefixes?: string[];
  readonly accessPointNames?: string[];
  readonly networkOrigin?: string;
  readonly objectTags?: Record<string, string>;
}

/** The encryptions a published boundary names, by their name there. */
const ENCRYPTIONS: Record<PublishedBoundary['encryption'], s3.BucketEncryption> = {
  S3: s3.BucketEncryption.S3_MANAGED,
  KMS: s3.BucketEncryption.KMS,
  DSSE: s3.BucketEncryption.DSSE,
};

/** What the owner's DelegatedBucket knows of itself. */
export interface OwnerView {
  readonly path: string;
  readonly bucketName?: string;
  readonly account: string;
  readonly region: string;
  readonly encryption: s3.BucketEncryption;
  readonly encryptionKeyArn?: string;
  readonly boundaries: Boundary[];
}

/**
 * The published boundary, or the reason it cannot be published: consumers need every value at
 * synth, so a bucket name, account, Region or delegation known only at deploy time prevents it.
 */
export function publishedBoundary(owner: OwnerView): PublishedBoundary | string {
  const unknown = [
    ['bucket name', owner.bucketName ?? '${Token[unnamed]}'],
    ['account', owner.account],
    ['Region', owner.region],
  ].filter(([, value]) => Token.isUnresolved(value)).map(([what]) => what);
  if (owner.boundaries.some(hasToken)) {
    unknown.push('a delegation');
  }
  if (unknown.length > 0) {
    return `its ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} known only at deploy time`;
  }
  const keyArn = owner.encryptionKeyArn !== undefined && !Token.isUnresolved(owner.encryptionKeyArn) ? owner.encryptionKeyArn : undefined;
  const delegation = (b: Boundary): PublishedDelegation => ({
    ...(isOrganization(b)
      ? { organizationId: b.account, ...nonEmpty('organizationalUnitPaths', b.organizationalUnitPaths!) }
      : { account: b.account, ...nonEmpty('accessPointNames', b.accessPointNames) }),
    actions: b.actions,
    ...nonEmpty('prefixes', b.prefixes),
    ...(b.networkOrigin ? { networkOrigin: b.networkOrigin } : {}),
    ...(Object.keys(b.objectTags).length > 0 ? { objectTags: b.objectTags } : {}),
  });
  return {
    version: 1,
    path: owner.path,
    bucketName: owner.bucketName!,
    account: owner.account,
    region: owner.region,
    encryption: (Object.keys(ENCRYPTIONS) as Array<PublishedBoundary['encryption']>).find((name) => ENCRYPTIONS[name] === owner.encryption) ?? 'S3',
    ...(keyArn ? { encryptionKeyArn: keyArn } : {}),
    delegations: owner.boundaries.filter((b) => !isOrganization(b)).map(delegation),
    organizationDelegations: owner.boundaries.filter(isOrganization).map(delegation),
  };
}

function hasToken(value: unknown): boolean {
  if (typeof value === 'string') {
    return Token.isUnresolved(value);
  }
  return typeof value === 'object' && value !== null && Object.values(value).some(hasToken);
}

function nonEmpty<K extends string>(key: K, values: string[]): Partial<Record<K, string[]>> {
  return values.length > 0 ? { [key]: values } as Record<K, string[]> : {};
}

/** A boundary found in a cloud assembly, with the file it came from. */
export interface FoundBoundary {
  readonly file: string;
  readonly document: unknown;
}

/**
 * Every published boundary in the cloud assembly at `directory`, nested assemblies (Stages)
 * included. Throws a plain message when the directory is not a cloud assembly.
 */
export function findPublishedBoundaries(directory: string): FoundBoundary[] {
  const found: FoundBoundary[] = [];
  for (const { directory: at, manifestFile, artifact } of assemblyArtifacts(directory)) {
    const metadataFile = typeof artifact.additionalMetadataFile === 'string' ? path.join(at, artifact.additionalMetadataFile) : undefined;
    const metadata = { ...artifact.metadata, ...(metadataFile ? JSON.parse(fs.readFileSync(metadataFile, 'utf-8')) : {}) };
    for (const entries of Object.values<any>(metadata)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (entry?.type === PUBLISHED_BOUNDARY) {
          found.push({ file: metadataFile ?? manifestFile, document: entry.data });
        }
      }
    }
  }
  return found;
}

const ORIGINS: string[] = Object.values(NetworkOrigin);

/**
 * The attributes a published boundary describes, or the problems of its shape (each with its path
 * in the document). The values are then checked by the same rules as any attributes.
 */
export function attributesOf(document: unknown): { attributes?: DelegatedBucketAttributes; problems: string[] } {
  const problems: string[] = [];
  const doc = record(document, '', problems);
  if (!doc) {
    return { problems };
  }
  if (doc.version !== 1) {
    return { problems: [`version must be 1 (got ${JSON.stringify(doc.version)}): a newer library published it`] };
  }
  unknownKeys(doc, TOP_KEYS, '', problems);
  const encryption = text(doc, 'encryption', problems);
  if (encryption !== undefined && !Object.keys(ENCRYPTIONS).includes(encryption)) {
    problems.push(`encryption must be "S3", "KMS" or "DSSE" (got ${JSON.stringify(encryption)})`);
  }
  const delegations = list(doc, 'delegations', problems).map((d, i) => delegationOf(d, `delegations[${i}]`, 'account', problems));
  const organizations = list(doc, 'organizationDelegations', problems)
    .map((d, i) => delegationOf(d, `organizationDelegations[${i}]`, 'organizationId', problems));
  const attributes = {
    bucketName: text(doc, 'bucketName', problems)!,
    account: text(doc, 'account', problems)!,
    region: text(doc, 'region', problems)!,
    encryption: ENCRYPTIONS[encryption as PublishedBoundary['encryption']],
    encryptionKeyArn: text(doc, 'encryptionKeyArn', problems, true),
    delegations: delegations as unknown as Delegation[],
    organizationDelegations: organizations as unknown as OrganizationDelegation[],
  };
  return problems.length > 0 ? { problems } : { attributes, problems };
}

function delegationOf(value: unknown, at: string, trustee: 'account' | 'organizationId', problems: string[]): Record<string, unknown> {
  const d = record(value, at, problems) ?? {};
  unknownKeys(d, trustee === 'account' ? ACCOUNT_KEYS : ORGANIZATION_KEYS, at, problems);
  const networkOrigin = text(d, 'networkOrigin', problems, true, at);
  if (networkOrigin !== undefined && !ORIGINS.includes(networkOrigin)) {
    problems.push(`${at}.networkOrigin must be "VPC" or "Internet" (got ${JSON.stringify(networkOrigin)})`);
  }
  const tags = d.objectTags === undefined ? undefined : record(d.objectTags, `${at}.objectTags`, problems);
  if (tags && Object.values(tags).some((v) => typeof v !== 'string')) {
    problems.push(`${at}.objectTags must map keys to strings`);
  }
  return {
    [trustee]: text(d, trustee, problems, false, at),
    organizationalUnitPaths: trustee === 'organizationId' ? texts(d, 'organizationalUnitPaths', problems, at) : undefined,
    actions: S3Actions.of(...(texts(d, 'actions', problems, at, true) ?? [])),
    prefixes: texts(d, 'prefixes', problems, at),
    accessPointNames: trustee === 'account' ? texts(d, 'accessPointNames', problems, at) : undefined,
    networkOrigin: networkOrigin as NetworkOrigin | undefined,
    objectTags: tags as Record<string, string> | undefined,
  };
}

function record(value: unknown, at: string, problems: string[]): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  problems.push(`${at || 'the document'} must be an object`);
  return undefined;
}

function text(x: Record<string, unknown>, key: string, problems: string[], optional = false, at = ''): string | undefined {
  const value = x[key];
  if (typeof value === 'string' || (optional && value === undefined)) {
    return value as string | undefined;
  }
  problems.push(`${at ? `${at}.` : ''}${key} must be a string`);
  return undefined;
}

function list(x: Record<string, unknown>, key: string, problems: string[]): unknown[] {
  const value = x[key];
  if (Array.isArray(value)) {
    return value;
  }
  problems.push(`${key} must be a list (got ${JSON.stringify(value) ?? 'nothing'}): a published boundary lists every delegation, or none`);
  return [];
}

/** The fields of a published boundary, version 1: any other is a mistake (a typo would widen or void a delegation). */
const TOP_KEYS = ['version', 'path', 'bucketName', 'account', 'region', 'encryption', 'encryptionKeyArn', 'delegations', 'organizationDelegations'];
const SCOPE_KEYS = ['actions', 'prefixes', 'networkOrigin', 'objectTags'];
const ACCOUNT_KEYS = ['account', 'accessPointNames', ...SCOPE_KEYS];
const ORGANIZATION_KEYS = ['organizationId', 'organizationalUnitPaths', ...SCOPE_KEYS];

function unknownKeys(x: Record<string, unknown>, known: string[], at: string, problems: string[]): void {
  for (const key of Object.keys(x).filter((k) => !known.includes(k))) {
    problems.push(`${at ? `${at}.` : ''}${key} is not a field of a published boundary (fields: ${known.join(', ')})`);
  }
}

function texts(x: Record<string, unknown>, key: string, problems: string[], at: string, required = false): string[] | undefined {
  const value = x[key];
  if (value === undefined && !required) {
    return undefined;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value;
  }
  problems.push(`${at}.${key} must be a list of strings`);
  return undefined;
}

/**
 * The attributes of the bucket that `options` select in a cloud assembly, for a construct about to
 * be made at `at`; with the pattern of the owner's keys when the owner could not publish its key's
 * ARN. Throws, naming `at`, when the assembly holds no such bucket, or several, or an unreadable one.
 */
export function readPublishedAttributes(
  at: string, options: CloudAssemblyBucketOptions,
): { attributes: DelegatedBucketAttributes; keyArnPattern?: string } {
  const problems = new Problems();
  let found: FoundBoundary[] = [];
  try {
    found = findPublishedBoundaries(options.directory);
  } catch (e) {
    problems.add('directory', (e as Error).message, options.directory);
    problems.throwIfAnyAt(at);
  }
  const fields = (f: FoundBoundary) => (typeof f.document === 'object' && f.document !== null ? f.document as Record<string, unknown> : {});
  const matching = found.filter((f) => (options.bucketName === undefined || fields(f).bucketName === options.bucketName)
    && (options.account === undefined || fields(f).account === options.account));
  const listed = found.map((f) => `${fields(f).bucketName} (account ${fields(f).account}, ${fields(f).region})`).join(', ') || 'none';
  if (matching.length !== 1) {
    const wanted = [options.bucketName && `bucket ${options.bucketName}`, options.account && `account ${options.account}`].filter((w) => w).join(' in ');
    problems.add('directory', matching.length === 0
      ? `must hold a boundary published by a DelegatedBucket${wanted ? ` for ${wanted}` : ''} (it holds: ${listed})`
      : `holds ${matching.length} published boundaries (${listed}): choose one with bucketName${options.bucketName ? ' and account' : ''}`, options.directory);
    problems.throwIfAnyAt(at);
  }
  const { file, document } = matching[0];
  const { attributes, problems: shape } = attributesOf(document);
  shape.forEach((p) => problems.add('directory', `must hold a readable boundary: in ${file}, ${p}`, options.directory));
  problems.throwIfAnyAt(at);
  const usesKey = attributes!.encryption === s3.BucketEncryption.KMS || attributes!.encryption === s3.BucketEncryption.DSSE;
  const partition = RegionInfo.get(attributes!.region).partition ?? 'aws';
  return {
    attributes: attributes!,
    keyArnPattern: usesKey && attributes!.encryptionKeyArn === undefined ? `arn:${partition}:kms:${attributes!.region}:${attributes!.account}:key/*` : undefined,
  };
}
