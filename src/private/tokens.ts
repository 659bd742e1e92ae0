import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Stands for characters known only at deploy time. The rules judge the characters around it and
 * never the value it stands for.
 */
export const UNKNOWN = '\u0000';

/** `value` with each part that is a token replaced by UNKNOWN. */
export function literalView(value: string): string {
  if (!Token.isUnresolved(value)) {
    return value;
  }
  return Tokenization.reverseString(value)
    .mapTokens({ mapToken: () => UNKNOWN })
    .join({ join: (left: unknown, right: unknown) => `${left}${right}` });
}

/**
 * Like `literalView`, but also shows the literal parts inside tokens that the stack can resolve:
 * `new iam.AccountPrincipal('11112222333')` gives a token ARN around a literal (and wrong) account,
 * which resolves to `arn:` + partition + `:iam::11112222333:root`.
 */
export function literalViewIn(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) {
    return value;
  }
  let resolved: unknown;
  try {
    resolved = Stack.of(scope).resolve(value);
  } catch {
    // A value this stack cannot resolve (a resource of another environment, say) is only peeked
    // at here, never used: it is as unknown as any other deploy-time value.
    return literalView(value);
  }
  return flatten(resolved);
}

function flatten(resolved: unknown): string {
  if (typeof resolved === 'string') {
    return literalView(resolved);
  }
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    return join[1].map(flatten).join(join[0]);
  }
  // A reference, an import or any other intrinsic: known only at deploy time.
  return UNKNOWN;
}

/** Whether the value has a part known only at deploy time. */
export function hasUnknown(view: string): boolean {
  return view.includes(UNKNOWN);
}

/** The characters known at synth. */
export function knownPart(view: string): string {
  return view.split(UNKNOWN).join('');
}

/** A view as users can read it: the parts known only at deploy time shown as `<token>`. */
export function shown(view: string): string {
  return literalView(view).split(UNKNOWN).join('<token>');
}
