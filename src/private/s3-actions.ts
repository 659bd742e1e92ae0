import { normalizePrefix } from './rules';

/*
 * The S3 actions that make sense through an access point, split by the resource they apply to.
 * Object Lock actions are left out: a DelegatedBucket has no Object Lock.
 * Object actions apply to `bucket/KEY` (or `accesspoint/NAME/object/KEY`); list actions apply to the
 * bucket (or the access point) and are narrowed by the `s3:prefix` condition key.
 */

export const OBJECT_ACTIONS: ReadonlySet<string> = new Set([
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersion',
  's3:DeleteObjectVersionTagging',
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectAttributes',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionAttributes',
  's3:GetObjectVersionTagging',
  's3:ListMultipartUploadParts',
  's3:PutObject',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
  's3:RestoreObject',
]);

export const LIST_ACTIONS: ReadonlySet<string> = new Set([
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListBucketVersions',
]);

/** Read objects (current and earlier versions) and list keys. */
export const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'];

/**
 * Write and delete objects. `s3:DeleteObjectVersion` is left out on purpose: on a versioned bucket
 * `DeleteObject` only adds a delete marker, so no write grant can destroy data.
 */
export const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

export const READ_WRITE_ACTIONS = [...READ_ACTIONS, ...WRITE_ACTIONS];

/** Actions whose `s3:prefix` condition key S3 sets (not ListBucketMultipartUploads). */
const PREFIX_LIST_ACTIONS: ReadonlySet<string> = new Set(['s3:ListBucket', 's3:ListBucketVersions']);

/*
 * Object tag condition keys, per action (Service Authorization Reference for Amazon S3):
 * `s3:ExistingObjectTag/KEY` is the tag of the object a request acts on; `s3:RequestObjectTag/KEY`
 * is a tag the request sets. Actions in neither set (listing, DeleteObject, DeleteObjectVersion,
 * AbortMultipartUpload, ListMultipartUploadParts, RestoreObject) cannot be limited by tags.
 *
 * A multipart upload's UploadPart requests are authorized as s3:PutObject but cannot carry tags, so a
 * write that must set tags has to be a single PutObject.
 */
const EXISTING_TAG_ACTIONS: ReadonlySet<string> = new Set([
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectAttributes',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionAttributes',
  's3:GetObjectVersionTagging',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
]);
const REQUEST_TAG_ACTIONS: ReadonlySet<string> = new Set([
  's3:PutObject',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
]);

/** Whether S3 evaluates any object tag condition key for the action. */
export function isTaggable(action: string): boolean {
  return EXISTING_TAG_ACTIONS.has(action) || REQUEST_TAG_ACTIONS.has(action);
}

/** The object actions among `actions` that tags cannot limit (list actions are expected and left out). */
export function untaggableObjectActions(actions: string[]): string[] {
  return actions.filter((a) => OBJECT_ACTIONS.has(a) && !isTaggable(a));
}

/** IAM conditions: operator to condition key to value(s). */
export type Conditions = Record<string, Record<string, unknown>>;

/** One statement's worth of permission, before a principal is chosen. */
export interface StatementParts {
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Conditions;
}

/** Where the statements point: object ARNs for a key pattern, and the ARN that listing applies to. */
export interface ScopeArns {
  readonly list: string;
  objects(keyPattern: string): string;
}

/**
 * The statements that allow `actions` within a scope, for the owner's bucket policy and for a
 * consumer's access point alike: object actions on the objects under each folder (grouped by the
 * tag condition keys S3 evaluates for them), and list actions on `arns.list` narrowed by `s3:prefix`.
 *
 * @param prefixes folders as given (normalised here); empty for everything
 * @param tags object tags every object must carry; empty for any
 */
export function scopeStatements(actions: string[], prefixes: string[], tags: Record<string, string>, arns: ScopeArns): StatementParts[] {
  const statements: StatementParts[] = [];
  const folders = prefixes.map(normalizePrefix);
  const objectResources = folders.length > 0 ? folders.map((f) => arns.objects(`${f}*`)) : [arns.objects('*')];
  const byConditions = new Map<string, { actions: string[]; conditions?: Conditions }>();
  for (const action of actions.filter((a) => OBJECT_ACTIONS.has(a))) {
    const conditions = tagConditions(action, tags);
    const key = JSON.stringify(conditions ?? {});
    const group = byConditions.get(key) ?? { actions: [], conditions };
    group.actions.push(action);
    byConditions.set(key, group);
  }
  for (const group of byConditions.values()) {
    statements.push({ actions: group.actions, resources: objectResources, conditions: group.conditions });
  }
  const listActions = actions.filter((a) => LIST_ACTIONS.has(a));
  if (listActions.length > 0) {
    statements.push({ actions: listActions, resources: [arns.list], conditions: listPrefixCondition(folders) });
  }
  return statements;
}

function tagConditions(action: string, tags: Record<string, string>): Conditions | undefined {
  const entries = Object.entries(tags);
  const keys: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (EXISTING_TAG_ACTIONS.has(action)) {
      keys[`s3:ExistingObjectTag/${key}`] = value;
    }
    if (REQUEST_TAG_ACTIONS.has(action)) {
      keys[`s3:RequestObjectTag/${key}`] = value;
    }
  }
  return Object.keys(keys).length > 0 ? { StringEquals: keys } : undefined;
}

/** Both sets of conditions, operator by operator. */
export function mergeConditions(...all: Array<Conditions | undefined>): Conditions {
  const merged: Conditions = {};
  for (const conditions of all) {
    for (const [operator, keys] of Object.entries(conditions ?? {})) {
      merged[operator] = { ...merged[operator], ...keys };
    }
  }
  return merged;
}

/** Actions that change objects: with SSE-KMS they need `kms:GenerateDataKey`. */
function writesObjects(action: string): boolean {
  return /^s3:(Put|Delete|Abort|Restore)/.test(action);
}

/** The KMS actions S3 needs on the bucket's key for these S3 actions: decrypt to read, also generate data keys to write. */
export function kmsActionsFor(actions: string[]): string[] {
  return actions.some(writesObjects) ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
}

/** The `s3:prefix` condition that limits listing to the given (normalised) folders, if any. */
function listPrefixCondition(folders: string[]): Conditions | undefined {
  return folders.length > 0 ? { StringLike: { 's3:prefix': folders.flatMap((f) => [f, `${f}*`]) } } : undefined;
}

/** The rules a set of actions breaks together with prefixes. */
export function actionsWithPrefixesProblems(actions: string[], prefixes: string[]): string[] {
  const unprefixable = actions.filter((a) => LIST_ACTIONS.has(a) && !PREFIX_LIST_ACTIONS.has(a));
  return prefixes.length > 0 && unprefixable.length > 0
    ? [`cannot be limited to prefixes: S3 sets no s3:prefix condition key for ${unprefixable.join(', ')}`]
    : [];
}

/** The rule an explicitly named action breaks, if any. */
export function actionProblems(action: string): string[] {
  if (OBJECT_ACTIONS.has(action) || LIST_ACTIONS.has(action)) {
    return [];
  }
  if (action.includes('*')) {
    return ['must name one S3 action, without wildcards, so that the boundary is exactly what it says'];
  }
  return [
    'must be an S3 object or list action that access points serve, one of: ' +
      [...OBJECT_ACTIONS, ...LIST_ACTIONS].sort().join(', '),
  ];
}
