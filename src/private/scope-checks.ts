import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessScope } from '../access-scope';
import { describeTags } from './boundary';
import { Problems } from './problems';
import { MAX_OBJECT_TAGS, prefixProblems, tagKeyProblems, tagValueProblems } from './rules';
import { untaggableObjectActions } from './s3-actions';
import { literalViewIn } from './tokens';
import { Warnings } from './warnings';

/**
 * Check the scope of a delegation or a grant: its prefixes and object tags. `property` is how the
 * user wrote the scope, for example `delegateTo` or `grantRead options`.
 */
export function checkScope(problems: Problems, scope: IConstruct, property: string, access: AccessScope): void {
  (access.prefixes ?? []).forEach((p, i) => problems.addAll(`${property}.prefixes[${i}]`, prefixProblems(literalViewIn(scope, p)), p));
  const tags = access.objectTags ?? {};
  const keys = Object.keys(tags);
  if (keys.length > MAX_OBJECT_TAGS) {
    problems.add(`${property}.objectTags`, `must name at most ${MAX_OBJECT_TAGS} tags: an S3 object carries at most ${MAX_OBJECT_TAGS}`, keys);
  }
  // IAM compares condition key names without regard to case, so "Team" and "team" would be one key.
  const seen = new Map<string, string>();
  for (const key of keys) {
    problems.addAll(`${property}.objectTags`, tagKeyProblems(key).map((rule) => `key ${rule}`), key);
    problems.addAll(`${property}.objectTags["${key}"]`, tagValueProblems(tags[key]), tags[key]);
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      problems.add(`${property}.objectTags`, `must not name keys that differ only in case ("${earlier}"): IAM condition key names ignore case`, key);
    }
    seen.set(key.toLowerCase(), key);
  }
}

/** Warn when object tags cannot limit some object actions of a delegation or grant. */
export function warnUntaggable(scope: IConstruct, what: string, actions: string[], tags: Record<string, string>): void {
  const untaggable = untaggableObjectActions(actions);
  if (Object.keys(tags).length > 0 && untaggable.length > 0) {
    Annotations.of(scope).addWarningV2(
      Warnings.OBJECT_TAGS_NOT_APPLICABLE,
      `${what} is limited to objects tagged ${describeTags(tags)}, but S3 evaluates no object tag for ${untaggable.join(', ')}: ` +
        'those actions reach every object under the prefixes',
    );
  }
}

