import { IConstruct } from 'constructs';
import { shown } from './tokens';

/**
 * Collects every problem with a construct's input, then throws one Error that lists them all.
 *
 * Each line names the property, the rule and the value; the heading names the construct path,
 * so a user with many stacks knows where to look. Callers check before they create children or
 * change any policy, so nothing is half-created when the error is thrown; as in aws-cdk, the error
 * is not meant to be caught: the synth fails.
 */
export class Problems {
  private readonly lines: string[] = [];

  /** How many problems are recorded so far. */
  public get size(): number {
    return this.lines.length;
  }

  /**
   * Record that `property` with `value` breaks `rule`. The rule checkers never judge unresolved
   * tokens, so callers only record what they know to be wrong.
   */
  public add(property: string, rule: string, value: unknown): void {
    this.lines.push(`${property} ${rule} (got ${describe(value)})`);
  }

  /** Record every rule that `value` breaks, as returned by a `*Problems` checker. */
  public addAll(property: string, rules: string[], value: unknown): void {
    for (const rule of rules) {
      this.add(property, rule, value);
    }
  }

  /** Throw one Error naming the construct path and listing every problem, if there is any. */
  public throwIfAny(scope: IConstruct): void {
    this.throwIfAnyAt(scope.node.path);
  }

  /** Throw as `throwIfAny` does, for a construct about to be made at `path`. */
  public throwIfAnyAt(constructPath: string): void {
    if (this.lines.length === 0) {
      return;
    }
    const path = constructPath || '<root>';
    const body = this.lines.length === 1 ? ` ${this.lines[0]}` : `\n${this.lines.map((l) => `  - ${l}`).join('\n')}`;
    throw new Error(`${path}:${body}`);
  }
}

/**
 * Quote strings so that empty values, spaces and padding are visible in messages; parts known only
 * at deploy time show as `<token>`.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(shown(value));
  }
  return Array.isArray(value) ? JSON.stringify(value.map((v) => (typeof v === 'string' ? shown(v) : v))) : String(value);
}
