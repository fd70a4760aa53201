// Every action the code can append to the audit log has words on the Audit screen and a place in
// its filter. The actions are read from the source (each appendAudit call's `action:`), not listed
// by hand, so a new action without a label fails here instead of showing as a code to an examiner.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  auditActionGroups,
  auditActionLabel,
  knownAuditActions,
} from '../../shared/audit-describe';
import { DecisionAction } from '../../shared/contract-match';

const MAIN = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Template actions and what their `${…}` can be. A new template fails the scan until it is taught
 * here, so its values are checked like the rest.
 */
const TEMPLATE_VALUES: Readonly<Record<string, readonly string[]>> = {
  // matches.ts: `match.${decision.action}`, decision.action being a DecisionAction.
  'match.': DecisionAction.options,
};

/** The action strings an `action:` expression can produce, or a reason it cannot be read. */
function actionsOf(expr: ts.Expression, file: ts.SourceFile): string[] {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isParenthesizedExpression(expr)) return actionsOf(expr.expression, file);
  if (ts.isConditionalExpression(expr))
    return [...actionsOf(expr.whenTrue, file), ...actionsOf(expr.whenFalse, file)];
  if (ts.isTemplateExpression(expr) && expr.templateSpans.length === 1) {
    const tail = expr.templateSpans[0]!.literal.text;
    const values = TEMPLATE_VALUES[expr.head.text];
    if (values && tail === '') return values.map((v) => `${expr.head.text}${v}`);
  }
  // A lookup in a constant map in the same file: `AUDIT_ACTIONS[row.kind]`.
  if (ts.isElementAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
    const name = expr.expression.text;
    let found: string[] | null = null;
    const visit = (node: ts.Node): void => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === name &&
        node.initializer &&
        ts.isObjectLiteralExpression(node.initializer)
      ) {
        found = node.initializer.properties.flatMap((p) =>
          ts.isPropertyAssignment(p) ? actionsOf(p.initializer, file) : [],
        );
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (found) return found;
  }
  throw new Error(
    `cannot tell which actions ${file.fileName}:${file.getLineAndCharacterOfPosition(expr.getStart(file)).line + 1} appends (\`${expr.getText(file)}\`): teach actions.test.ts`,
  );
}

/** Every action appendAudit is called with in src/main, with where it is. */
function appendedActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of sourceFiles(MAIN)) {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('appendAudit(')) continue;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    let calls = 0;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'appendAudit'
      ) {
        calls += 1;
        const entry = node.arguments[1];
        if (!entry || !ts.isObjectLiteralExpression(entry))
          throw new Error(`${path}: appendAudit with an entry that is not written out`);
        const action = entry.properties.find(
          (p): p is ts.PropertyAssignment =>
            ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'action',
        );
        if (!action) throw new Error(`${path}: appendAudit without an action`);
        for (const a of actionsOf(action.initializer, file)) found.set(a, relative(MAIN, path));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    // Every call in the file was read (the definition itself is `function appendAudit(`).
    const written = (text.match(/(?<!function )\bappendAudit\(/g) ?? []).length;
    expect(calls, `${path}: appendAudit calls read`).toBe(written);
  }
  return found;
}

describe('audit actions', () => {
  const appended = appendedActions();

  it('finds the actions the code appends, templates and lookups included', () => {
    // A sample of each way an action is written, so a scan that reads nothing cannot pass.
    expect([...appended.keys()]).toEqual(
      expect.arrayContaining([
        'change.approved', // a conditional
        'match.request_contact', // a template
        'push.contact_updated', // a lookup in a constant map
        'report.exported', // a literal
      ]),
    );
    expect(appended.size).toBeGreaterThanOrEqual(28);
  });

  it('has words for every one of them, and the filter offers each', () => {
    const unlabeled = [...appended]
      .filter(([action]) => !(knownAuditActions as readonly string[]).includes(action))
      .map(([action, file]) => `${action} (${file})`);
    expect(unlabeled, 'actions without a label in src/shared/audit-describe.ts').toEqual([]);
    const offered = auditActionGroups().flatMap((g) => g.actions.map((a) => a.action));
    for (const action of appended.keys()) {
      expect(offered).toContain(action);
      expect(auditActionLabel(action)).not.toBe(action);
      expect(auditActionLabel(action)).toMatch(/^[A-Z][^.]*[A-Za-z)]$/);
    }
  });
});
