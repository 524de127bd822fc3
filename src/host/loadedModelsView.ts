// The Model tab's "Loaded models" from the engine's facts: vscode-free, so that the rules are unit-tested.
import path from 'node:path';
import { weightsBytes, type PooledModel } from '../engine/modelPool';
import type { EngineState } from '../engine/types';
import type { LoadedModelView, LoadedModelsView } from '../shared/studioProtocol';

/** A short name for a model identity (see `modelIdentity`), for a model whose load has not finished. */
export function identityLabel(identity: string): string {
  const [kind, ...rest] = identity.split(' ');
  const value = rest.join(' ');
  if (kind === 'folder') return path.basename(value);
  if (kind === 'hub') {
    const [repository, revision = ''] = value.split('@');
    return `${repository}@${/^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision}`;
  }
  return value;
}

export interface ActiveModelFacts {
  state: EngineState;
  /** `modelIdentity` of the active engine's options. */
  identity: string;
  dtype: LoadedModelView['dtype'];
  busy: number;
}

export function loadedModelsView(active: ActiveModelFacts, pooled: readonly PooledModel[], budgetBytes: number): LoadedModelsView {
  const info = active.state.kind === 'ready' ? active.state.info : undefined;
  const first: LoadedModelView = {
    name: info?.name ?? identityLabel(active.identity),
    dtype: info?.dtype ?? active.dtype,
    state: active.state.kind,
    ...(info ? { bytes: weightsBytes(info) } : {}),
    busy: active.busy,
    active: true,
  };
  const rest = pooled.map((m): LoadedModelView => ({
    key: m.key,
    name: m.info?.name ?? identityLabel(m.identity),
    dtype: m.dtype,
    state: m.state,
    ...(m.bytes !== undefined ? { bytes: m.bytes } : {}),
    busy: m.busy,
    active: false,
  }));
  return { models: [first, ...rest], budgetBytes, pooledBytes: pooled.reduce((sum, m) => sum + (m.bytes ?? 0), 0) };
}
