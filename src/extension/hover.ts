import * as vscode from 'vscode';
import { describeParam, parameterDef } from '../core/model/registry';
import { formatParamRef } from '../core/model/paramRef';
import { architectureOf, paramAtPosition } from './modelDocument';

/** Names a parameter entry (`W[1][0]`) and its role when the cursor is on it. */
export class ModelHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const arch = architectureOf(doc);
    if (!arch) return undefined;
    const at = paramAtPosition(doc, pos);
    if (!at || typeof at.path[0] !== 'string' || !at.path.slice(1).every((p) => typeof p === 'number')) return undefined;
    const name = at.path[0];
    const index = at.path.slice(1) as number[];
    const text = describeParam(arch, name, index);
    if (!text) return undefined;
    const ref = formatParamRef({ name, index });
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**\`${ref}\`**`);
    if (!at.isKey && typeof at.value === 'number') md.appendMarkdown(` = \`${at.value}\``);
    md.appendMarkdown(`\n\n${text}`);
    // An entry's number: a link straight to the range box of a sweep of it.
    if (!at.isKey && typeof at.value === 'number' && index.length > 0 && parameterDef(arch, name)?.kind !== 'count') {
      const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), { ref }]));
      md.appendMarkdown(`\n\n[$(graph-line) Sweep ${ref}…](command:scyfi.sweepParameter?${args} "Sweep ${ref} over a range and find the bifurcations")`);
      md.supportThemeIcons = true;
      md.isTrusted = { enabledCommands: ['scyfi.sweepParameter'] };
    }
    return new vscode.Hover(md, at.range);
  }
}
