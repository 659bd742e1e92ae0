import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAccessPoint } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { DEPLOY_TIME, Statement, asList, literalText, statementsOf } from '../policy-statements';

/** What a resource of an access point policy names. */
enum AccessPointResource {
  /** The access point itself (`accesspoint/NAME`): the resource of list actions. */
  ACCESS_POINT,
  /** Objects through it (`accesspoint/NAME/object/KEY`). */
  OBJECTS,
  /** Something under the access point in another form (`accesspoint/NAME/KEY`, `accesspoint/NAME/*`): it names no object. */
  MALFORMED,
  /** Not an access point ARN, or a form a deploy-time value decides. */
  OTHER,
}

function classify(resource: unknown): AccessPointResource {
  const text = literalText(resource);
  const match = text === undefined ? null : /:accesspoint\/(.*)$/s.exec(text);
  if (!match) {
    return AccessPointResource.OTHER;
  }
  const path = match[1];
  const slash = path.indexOf('/');
  if (slash < 0) {
    // A deploy-time part or a wildcard in the name may stand for a longer path.
    return /[*?]/.test(path) || path.includes(DEPLOY_TIME) ? AccessPointResource.OTHER : AccessPointResource.ACCESS_POINT;
  }
  const rest = path.slice(slash + 1);
  if (rest.startsWith('object/')) {
    return AccessPointResource.OBJECTS;
  }
  return rest.startsWith(DEPLOY_TIME) ? AccessPointResource.OTHER : AccessPointResource.MALFORMED;
}

/** Actions whose resource is an object (S3's Service Authorization Reference), beyond those with `Object` but not `Bucket` in their name. */
const OTHER_OBJECT_ACTIONS: ReadonlySet<string> = new Set([
  's3:abortmultipartupload',
  's3:bypassgovernanceretention',
  's3:listmultipartuploadparts',
  's3:objectowneroverridetobucketowner',
  's3:replicatedelete',
  's3:replicatetags',
]);

function isObjectAction(action: unknown): boolean {
  if (typeof action !== 'string' || /[*?]/.test(action)) {
    return false;
  }
  const name = action.toLowerCase();
  return (name.startsWith('s3:') && name.includes('object') && !name.includes('bucket')) || OTHER_OBJECT_ACTIONS.has(name);
}

function isMisdirected(statement: Statement): boolean {
  const kinds = asList(statement.Resource).map(classify);
  if (kinds.includes(AccessPointResource.MALFORMED)) {
    return true;
  }
  // Object actions with the access point as their only resource match no request.
  const onlyTheAccessPoint = kinds.length > 0 && kinds.every((k) => k === AccessPointResource.ACCESS_POINT);
  return onlyTheAccessPoint && asList(statement.Action).some(isObjectAction);
}

/**
 * S3 access point policies name objects as `arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY`:
 * no resource under the access point has another form (`accesspoint/NAME/KEY`, `accesspoint/NAME/*`),
 * and no statement puts object actions on the access point ARN alone. Such statements match no
 * request: an `Allow` grants nothing, a `Deny` protects nothing.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnAccessPoint)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const statements = statementsOf(Stack.of(node).resolve(node.policy));
    if (statements.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return statements.some(isMisdirected) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
