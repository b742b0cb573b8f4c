import type { z } from 'zod';

/** Zod issue paths and messages only: never the offending values, which may be personal data. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      // Unknown keys are caller data too (a key can be an ID number): count them, never name them.
      const message = issue.code === 'unrecognized_keys' ? `${issue.keys.length} unrecognized key(s)` : issue.message;
      const where = issue.path.map((part) => (typeof part === 'number' ? part : String(part).slice(0, 40))).join('.');
      return `${where || '(root)'}: ${message}`;
    })
    .join('; ');
}
