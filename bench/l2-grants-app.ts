/**
 * "L1 + aws-cdk-lib grants": the hand-written L1 app (the same buckets, bucket policies and access
 * points, their policy JSON written out), except that each reader role gets its identity policy the
 * way any construct library gives it to an `iam.IRole` it is passed: the role imported with
 * `iam.Role.fromRoleArn`, and the permissions added with `iam.Grant.addToPrincipal` (that is,
 * `role.addToPrincipalPolicy(new iam.PolicyStatement(...))`, for which aws-cdk-lib creates an
 * `iam.Policy` per role). The library makes exactly these calls for these grants, so the library
 * compared with this app shows the library's own cost beyond what aws-cdk-lib's path costs.
 *
 * node l2-grants-app.js --accounts N --outdir DIR [--stats]
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { GRANTED_FOLDER, READ_OBJECT_ACTIONS, addConsumerStacks, addOwnerStack } from './l1-resources';
import { consumerAccounts, newApp, parseAppArgs, printResult } from './topology';

const args = parseAppArgs(process.argv.slice(2));
const accounts = consumerAccounts(args.accounts);
const app = newApp(args);

const owner = addOwnerStack(app, accounts);

// Consumers: the access points (L1, as in l1-app.ts), and each imported role granted the same through aws-cdk-lib.
addConsumerStacks(app, owner, accounts, ({ stack, index, arn, readerRoleArn }) => {
  // The role at the library app's construct path, so that its policy gets the same logical ID.
  const reader = iam.Role.fromRoleArn(stack, `Reader${index}`, readerRoleArn);
  iam.Grant.addToPrincipal({ grantee: reader, actions: READ_OBJECT_ACTIONS, resourceArns: [`${arn}/object/${GRANTED_FOLDER}*`] });
  iam.Grant.addToPrincipal({
    grantee: reader,
    actions: ['s3:ListBucket'],
    resourceArns: [arn],
    conditions: { StringLike: { 's3:prefix': [GRANTED_FOLDER, `${GRANTED_FOLDER}*`] } },
  });
});

app.synth();
printResult(app, args);
