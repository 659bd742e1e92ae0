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
   * - the others (`s3:ListBucket`, `s3:DeleteObject`, `s3:AbortMultipartUpload`, ...) have no tag
   *   condition key: they stay limited by the prefixes only, and a warning names them.
   *
   * @default - objects with any tags, or none
   */
  readonly objectTags?: { [key: string]: string };
}

/**
 * Options of a grant on a `CrossAccountAccessPoint`.
 */
export interface GrantOptions extends AccessScope {}
