/*
 * Every warning the library gives, by ID. Each can be acknowledged with
 * `Annotations.of(construct).acknowledgeWarning(id, reason)`; the README lists them all.
 */
const PREFIX = 'cdk-cross-account-access-points';

export const Warnings = {
  /** A bucket policy above 90% of its 20,480-byte limit. */
  BUCKET_POLICY_NEAR_LIMIT: `${PREFIX}:bucketPolicyNearLimit`,
  /** A KMS key policy above 90% of its 32,768-byte limit. */
  KEY_POLICY_NEAR_LIMIT: `${PREFIX}:keyPolicyNearLimit`,
  /** An access point policy above 90% of its 20,480-byte limit. */
  ACCESS_POINT_POLICY_NEAR_LIMIT: `${PREFIX}:accessPointPolicyNearLimit`,
  /** A delegation that includes s3:DeleteObjectVersion, which destroys data. */
  DELETE_OBJECT_VERSION_DELEGATED: `${PREFIX}:deleteObjectVersionDelegated`,
  /** A given log bucket whose policy this stack cannot change. */
  LOG_BUCKET_POLICY_NOT_MANAGED: `${PREFIX}:logBucketPolicyNotManaged`,
  /** A given KMS key whose policy this stack cannot change. */
  KEY_POLICY_NOT_MANAGED: `${PREFIX}:keyPolicyNotManaged`,
  /** A delegated prefix known only at deploy time. */
  DEPLOY_TIME_PREFIX: `${PREFIX}:deployTimePrefix`,
  /** Object tags on a delegation or grant that includes object actions S3 cannot limit by tags. */
  OBJECT_TAGS_NOT_APPLICABLE: `${PREFIX}:objectTagsNotApplicable`,
  /** A grant that neither an identity policy nor a resource policy of this app could carry. */
  GRANT_NOT_WRITTEN: `${PREFIX}:grantNotWritten`,
  /** An adopted bucket with settings weaker than those of a bucket the library creates. */
  ADOPTED_BUCKET_SETTINGS: `${PREFIX}:adoptedBucketSettings`,
  /** An access point with some Block Public Access settings off. */
  BLOCK_PUBLIC_ACCESS_OFF: `${PREFIX}:blockPublicAccessOff`,
} as const;
