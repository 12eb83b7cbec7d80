import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';

/**
 * Every error GitHub's own workflow parser (@actions/workflow-parser, the
 * one behind the Actions language service) finds in a workflow: the schema
 * (keys, permission values, event filters), expression syntax and the
 * contexts allowed where each expression is used, and job references.
 * Stricter than the hand-written rules the action runs (workflowRules.ts),
 * which cannot load this ESM-only package at run time.
 */
export async function officialWorkflowErrors(
  file: string,
  content: string,
): Promise<string[]> {
  const parsed = parseWorkflow(
    { name: file, content },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors().map(e => e.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(
      parsed.context,
      parsed.value,
    );
    errors.push(...(template.errors ?? []).map(e => e.Message));
  }
  return [...new Set(errors)];
}
