/**
 * Which objects a delegation or a grant reaches. Owner and consumer describe it the same way.
 */
export interface AccessScope {
  /**
   * Key prefixes (folders). `ResearchData` and `ResearchData/` both mean keys under
   * `ResearchData/`, never `ResearchData-private/`. Listing is limited to the same prefixes through
   * the `s3:prefix` condition key.
   *
   * @default - the whole bucket
   */
  readonly prefixes?: string[];

  /**
   * Only objects that carry all of these tags (key to value).
   *
   * Each action gets the condition keys S3 evaluates for it:
   * - actions on an existing object (`s3:GetObject`, `s3:GetObjectVersion`, `s3:GetObjectTagging`,
   *   `s3:DeleteObjectTagging`, ...) need the object to carry the tags (`s3:ExistingObjectTag/KEY`);
   * - `s3:PutObject` needs the write to set the tags (`s3:RequestObjectTag/KEY`);
   * - `s3:PutObjectTagging` and `s3:PutObjectVersionTagging` need both, so tagged objects keep their tags;
   * - the others have no tag condition key and stay limited by the prefixes only: listing
   *   (`s3:ListBucket` shows every key under the prefixes), and object actions such as
   *   `s3:DeleteObject` and `s3:AbortMultipartUpload`, which a warning names.
   *
   * A write that must set tags has to be a single `PutObject`: the parts of a multipart upload
   * cannot carry tags. A tag-limited `PutObject` may write a new version over a key whose current
   * object has other tags; versioning keeps the earlier version, which stays out of reach.
   *
   * @default - objects with any tags, or none
   */
  readonly objectTags?: { [key: string]: string };
}

/**
 * Options of a grant on a `CrossAccountAccessPoint`.
 */
export interface GrantOptions extends AccessScope {}
