// The Semantic Search view (Explorer): the last workspace search as a tree, file → matches, each match with its
// preview line, score and bar; choosing a match reveals and highlights its lines.
import path from 'node:path';
import * as vscode from 'vscode';
import { t } from '../l10n';
import { hitUri } from './chunkReveal';
import { groupByFile, locationLabel, previewLine, scoreLabel, type FileGroup, type WorkspaceHit } from './searchResultsModel';

export const SEMANTIC_SEARCH_VIEW = 'minilm.semanticSearch';
export const REVEAL_COMMAND = 'minilm.revealSearchResult';

export type SearchNode = { readonly kind: 'file'; readonly group: FileGroup } | { readonly kind: 'match'; readonly hit: WorkspaceHit; readonly rank: number };

export interface ShownSearch {
  readonly query: string;
  readonly hits: readonly WorkspaceHit[];
}

export class SemanticSearchView implements vscode.TreeDataProvider<SearchNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SearchNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly treeView: vscode.TreeView<SearchNode>;
  private groups: FileGroup[] = [];
  private shown: ShownSearch | undefined;

  constructor() {
    this.treeView = vscode.window.createTreeView(SEMANTIC_SEARCH_VIEW, { treeDataProvider: this, showCollapseAll: true });
  }

  /** The search on display (for the in-host tests). */
  get search(): ShownSearch | undefined {
    return this.shown;
  }

  /** Shows a ranking and brings the view forward (without taking focus from the editor unless asked). */
  async show(search: ShownSearch, options: { focus?: boolean } = {}): Promise<void> {
    this.shown = search;
    this.groups = groupByFile(search.hits);
    this.treeView.message =
      search.hits.length === 0
        ? t('No match for “{0}” in the workspace index.', search.query)
        : t('{0} matches in {1} files for “{2}”', search.hits.length, this.groups.length, search.query);
    this.changeEmitter.fire(undefined);
    await vscode.commands.executeCommand(`${SEMANTIC_SEARCH_VIEW}.focus`, { preserveFocus: !options.focus });
  }

  clear(): void {
    this.shown = undefined;
    this.groups = [];
    this.treeView.message = undefined;
    this.changeEmitter.fire(undefined);
  }

  getChildren(node?: SearchNode): SearchNode[] {
    if (!node) return this.groups.map((group) => ({ kind: 'file', group }));
    if (node.kind === 'file') {
      const ranks = new Map(this.shown?.hits.map((hit, i) => [hit, i + 1]));
      return node.group.hits.map((hit) => ({ kind: 'match', hit, rank: ranks.get(hit) ?? 0 }));
    }
    return [];
  }

  getTreeItem(node: SearchNode): vscode.TreeItem {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    if (node.kind === 'file') {
      const { group } = node;
      const item = new vscode.TreeItem(hitUri(group), vscode.TreeItemCollapsibleState.Expanded);
      const dir = path.posix.dirname(group.path);
      item.label = path.posix.basename(group.path);
      item.description = `${multiRoot ? `${group.folder} · ` : ''}${dir === '.' ? '' : dir}`.replace(/ · $/, '');
      item.tooltip = t('{0}: {1} matches, best {2}', group.path, group.hits.length, group.best.toFixed(3));
      item.contextValue = 'minilm.searchFile';
      return item;
    }
    const { hit } = node;
    const item = new vscode.TreeItem(previewLine(hit.text) || locationLabel(hit, false), vscode.TreeItemCollapsibleState.None);
    item.description = `${scoreLabel(hit.score)}  ${hit.startLine === hit.endLine ? `:${hit.startLine}` : `:${hit.startLine}-${hit.endLine}`}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMarkdown(locationLabel(hit, multiRoot))}** — ${t('score {0}', hit.score.toFixed(4))}\n\n`);
    tooltip.appendCodeblock(hit.text.length > 1500 ? `${hit.text.slice(0, 1500)}\n…` : hit.text, 'text');
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: t('{0}, score {1}, {2}', previewLine(hit.text), hit.score.toFixed(3), locationLabel(hit, multiRoot)) };
    item.command = { command: REVEAL_COMMAND, title: t('Go to Match'), arguments: [hit] };
    item.contextValue = 'minilm.searchMatch';
    return item;
  }

  getParent(node: SearchNode): SearchNode | undefined {
    if (node.kind === 'file') return undefined;
    const group = this.groups.find((g) => g.hits.includes(node.hit));
    return group ? { kind: 'file', group } : undefined;
  }

  dispose(): void {
    this.treeView.dispose();
    this.changeEmitter.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
