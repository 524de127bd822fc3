import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXAMPLE_TEXTS, buildExampleResult, resultFileName } from '../core';
import { writeFileAtomic } from '../engine/atomicWrite';
import { EngineError } from '../engine';
import type { StudioServices } from '../host/studioServices';
import { t } from '../host/l10n';
import { StudioPanel } from '../panel/studioPanel';
import type { CommandOutcomes, ExamplesOutcome } from './commandOutcomes';

export interface RunExamplesArgs {
  /** Cancels the run as the progress notification's Cancel button does (for tests and scripts). */
  readonly token?: vscode.CancellationToken;
  /** false: do not open the Studio's Examples tab afterwards. */
  readonly openStudio?: boolean;
}

/** The file name has one-second resolution: a second run within the same second takes the next free second. */
function freeSecond(dir: string, date: Date): Date {
  let candidate = new Date(Math.floor(date.getTime() / 1000) * 1000);
  while (fs.existsSync(path.join(dir, resultFileName(candidate)))) candidate = new Date(candidate.getTime() + 1000);
  return candidate;
}

/**
 * MiniLM: Run Example Tests: encodes the example suite, writes `results/test_YYYYMMDD_HHMMSS.json` atomically (a
 * cancelled or failed run leaves no file, not even a partial one) and opens the Studio's Examples tab.
 */
export async function runExamples(services: StudioServices, outcomes: CommandOutcomes, args: RunExamplesArgs = {}): Promise<ExamplesOutcome | undefined> {
  const folder = await services.checkedResultsFolder();
  if (!folder || folder.scheme !== 'file') {
    const message = t('Open a folder first: the example results are saved in its results folder (setting minilm.resultsFolder).');
    outcomes.lastMessage = message;
    const open = t('Open Folder');
    void vscode.window.showWarningMessage(message, open).then((picked) => {
      if (picked === open) void vscode.commands.executeCommand('workbench.action.files.openFolder');
    });
    return undefined;
  }
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('MiniLM: example tests'), cancellable: true },
    async (progress, token) => {
      const source = new vscode.CancellationTokenSource();
      const controller = new AbortController();
      const subscriptions = [token.onCancellationRequested(() => source.cancel())];
      if (args.token) subscriptions.push(args.token.onCancellationRequested(() => source.cancel()));
      subscriptions.push(source.token.onCancellationRequested(() => controller.abort()));
      if (args.token?.isCancellationRequested) source.cancel();
      const checkCancelled = () => {
        if (source.token.isCancellationRequested) throw new EngineError('CANCELLED', 'The operation was cancelled.');
      };
      try {
        checkCancelled();
        progress.report({ message: t('Loading the model…') });
        const info = await services.engine.ensureReady({ token: source.token, silent: true });
        const texts = EXAMPLE_TEXTS.map((e) => e.text);
        let reported = 0;
        const started = performance.now();
        const embeddings = await services.engine.encode(texts, {
          token: source.token,
          onProgress: ({ done, total }) => {
            const percent = Math.floor((done / Math.max(1, total)) * 90);
            progress.report({ message: t('Encoding {0} texts: batch {1} of {2}', texts.length, done, total), increment: percent - reported });
            reported = percent;
          },
        });
        const encodeMs = performance.now() - started;
        checkCancelled();
        progress.report({ message: t('Saving the results…'), increment: 90 - reported });
        // Checked again just before writing: a link could have been put in the folder's way during the run.
        const dir = (await services.checkedResultsFolder())?.fsPath ?? folder.fsPath;
        await fs.promises.mkdir(dir, { recursive: true });
        const date = freeSecond(dir, new Date());
        const document = buildExampleResult({
          model: info.model,
          dtype: info.dtype,
          examples: EXAMPLE_TEXTS,
          embeddings,
          timings: { load: Number(info.loadMs.toFixed(1)), encode: Number(encodeMs.toFixed(1)) },
          date,
        });
        const file = path.join(dir, resultFileName(date));
        await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, { signal: controller.signal });
        return { file, texts: texts.length, dtype: info.dtype } satisfies ExamplesOutcome;
      } finally {
        for (const s of subscriptions) s.dispose();
        source.dispose();
      }
    },
  );
  outcomes.lastExamples = outcome;
  services.log.info(`example tests: ${outcome.texts} texts (${outcome.dtype}) saved to ${outcome.file}`);
  const message = t('MiniLM: example results saved to {0}', vscode.workspace.asRelativePath(outcome.file));
  outcomes.lastMessage = message;
  const openFile = t('Open File');
  void vscode.window.showInformationMessage(message, openFile).then((picked) => {
    if (picked === openFile) void vscode.window.showTextDocument(vscode.Uri.file(outcome.file), { preview: true });
  });
  if (args.openStudio !== false) StudioPanel.show(services, { tab: 'examples' });
  return outcome;
}
