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

/** Actions that change objects: with SSE-KMS they need `kms:GenerateDataKey`. */
function writesObjects(action: string): boolean {
  return /^s3:(Put|Delete|Abort|Restore)/.test(action);
}

/** The KMS actions S3 needs on the bucket's key for these S3 actions: decrypt to read, also generate data keys to write. */
export function kmsActionsFor(actions: string[]): string[] {
  return actions.some(writesObjects) ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
}

/** The `s3:prefix` condition that limits listing to the given (normalised) folders, if any. */
export function listPrefixCondition(folders: string[]): Record<string, Record<string, string[]>> | undefined {
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
