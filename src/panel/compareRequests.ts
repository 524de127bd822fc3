/**
 * The Studio's "Compare with" requests: the same texts through the active model and a second one, held beside it in
 * the model pool. The second model is named the way `minilm.model` names one and checked the same way, so a value the
 * Model tab would refuse is refused here too, and it downloads only as `minilm.allowDownload` allows.
 */
import { compareMatrices } from '../core/matrixComparison';
import { matrixToRows, similarityMatrix } from '../core/similarityMatrix';
import type { ModelInfo } from '../engine/types';
import type { ComparedModelView, ModelStatus, RequestParams, RequestResult } from '../shared/studioProtocol';
import { firstLine, StudioRequestError, unverifiableReason } from './studioRequestError';
import { similarityOf } from './similarityScores';
import type { RequestContext, StudioBackend } from './studioBackend';

/** How many of the pairs the models disagree on most a comparison lists. */
export const DISAGREEMENTS_LISTED = 5;

type CompareMethod = 'compare/similarity' | 'compare/matrix';
type CompareHandlers = { [M in CompareMethod]: (params: RequestParams<M>, context: RequestContext) => Promise<RequestResult<M>> };

export function createCompareHandlers(backend: StudioBackend): CompareHandlers {
  /** Refuses, in one line, a name the Model tab's picker would refuse: not a model, or a catalogue entry it may not download. */
  const checked = (model: string): string => {
    const entry = backend.modelPicker().entries.find((e) => e.id === model);
    const dtype = backend.status().dtype;
    if (entry && !entry.local && !entry.verifiedDtypes.includes(dtype)) {
      throw new StudioRequestError('INVALID_INPUT', unverifiableReason(entry.id, dtype, entry.verifiedDtypes));
    }
    try {
      backend.checkModel(model);
    } catch (error) {
      throw new StudioRequestError('INVALID_INPUT', firstLine(error));
    }
    return model;
  };

  return {
    'compare/similarity': async ({ a, b, model }, { signal }) =>
      backend.withModel(checked(model), signal, async (other) => {
        const { vectors, tokens } = await other.encodeWithTokens([a, b], { signal });
        return similarityOf(vectors, tokens, other.info);
      }),

    'compare/matrix': async ({ texts, model }, context) => {
      const spec = checked(model);
      // The active model first: its vectors are usually cached from the run this comparison follows.
      const { vectors: firstVectors } = await backend.encodeWithTokens(texts, { signal: context.signal });
      const status = backend.status();
      const first = sideOf(activeLabel(status), matrixToRows(similarityMatrix(firstVectors)));
      return backend.withModel(spec, context.signal, async (other) => {
        const { vectors } = await other.encodeWithTokens(texts, {
          signal: context.signal,
          onProgress: ({ done, total }) => context.progress(done, total),
        });
        const second = sideOf(infoLabel(other.info, spec), matrixToRows(similarityMatrix(vectors)));
        const comparison = compareMatrices(first.matrix, second.matrix, DISAGREEMENTS_LISTED);
        return {
          texts,
          first,
          second,
          // NaN does not survive JSON: an undefined correlation travels as null.
          spearman: Number.isFinite(comparison.spearman) ? comparison.spearman : null,
          pairs: comparison.pairs,
          disagreements: comparison.disagreements,
        };
      });
    },
  };
}

type Label = Omit<ComparedModelView, 'matrix'>;
const sideOf = (label: Label, matrix: number[][]): ComparedModelView => ({ ...label, matrix });

function activeLabel(status: ModelStatus): Label {
  const info = status.info;
  if (info) return { name: info.name, dtype: info.dtype, similarityFunction: info.similarityFunction ?? 'cosine' };
  // A remote backend loads no local model: name the server's model (or the API) instead.
  const backend = status.backend;
  return { name: backend?.model ?? backend?.api ?? 'active model', dtype: backend ? `remote:${backend.api}` : status.dtype, similarityFunction: 'cosine' };
}

function infoLabel(info: ModelInfo | undefined, spec: string): Label {
  return info ? { name: info.name, dtype: info.dtype, similarityFunction: info.similarityFunction } : { name: spec, dtype: '', similarityFunction: 'cosine' };
}
