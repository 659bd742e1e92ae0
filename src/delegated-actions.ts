import { READ_ACTIONS, READ_WRITE_ACTIONS } from './private/s3-actions';

/**
 * The S3 actions a bucket owner delegates to an account: the most that account's access points
 * can ever allow on the owner's data.
 */
export class DelegatedActions {
  /** Read objects and their earlier versions, and list keys: `s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`. */
  public static readonly READ = new DelegatedActions(READ_ACTIONS);

  /**
   * READ plus write: `s3:PutObject`, `s3:DeleteObject`, `s3:AbortMultipartUpload`.
   *
   * Deleting an object on the versioned bucket adds a delete marker; `s3:DeleteObjectVersion`,
   * which destroys data, is not included.
   */
  public static readonly READ_WRITE = new DelegatedActions(READ_WRITE_ACTIONS);

  /**
   * Exactly these S3 actions, for example `DelegatedActions.of('s3:GetObject')` as in the AWS blog.
   *
   * Each must be an object action (such as `s3:GetObjectTagging`) or a list action
   * (`s3:ListBucket`, `s3:ListBucketVersions`, `s3:ListBucketMultipartUploads`), without wildcards.
   * They are checked when the delegation is made.
   */
  public static of(...actions: string[]): DelegatedActions {
    return new DelegatedActions(actions);
  }

  /** The S3 actions, in the order given. */
  public readonly actions: string[];

  private constructor(actions: string[]) {
    this.actions = [...new Set(actions)];
  }
}
